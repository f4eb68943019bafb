// lmstudio: the Lightmap Codec Studio window. Everything but this entry point lives in lmc_app_core (testable).
#include "app/studio/studio_app.h"

int main(int argc, char** argv) {
    return lmc::studio::runStudio(argc, argv);
}
