#include <cstdio>
int main() { std::puts("lmc"); return 0; }
