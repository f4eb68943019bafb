// Learned codec speed and stream size (issue targets: vae decode <= 1.0 s/MP and encode <= 1.5 s/MP single-threaded,
// the slider path <= 0.6 s/MP; stream within 2% of the model's estimate plus headers). Uses the trained model
// when one is installed (resources/models or LMC_MODEL_DIR), else random weights of the same architecture (speed
// does not depend on the weights). Baseline measured in the same run: the JPEG-HDR codec on the same image.
// Built, not run by ctest. Usage: bench_learned [FILE.exr] [--threads N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include <time.h>

#include "codec/codec.h"
#include "codec/exr_io.h"
#include "codec/learned/learned_codec.h"

using namespace lmc;
using namespace lmc::learned;

namespace {

// Wall time: inference threads are ours, so thread CPU time would miss them when threads > 1. Best of `repeats`.
double bestSeconds(int repeats, const std::function<void()>& fn) {
    double best = 1e30;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    std::string path = std::string(LMC_REAL_LIGHTMAPS) + "/0debianlaw0-a5-cornellbox__samplescene__lightmap-0_comp_light.exr";
    int threads = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = std::atoi(argv[++i]);
        else path = argv[i];
    }
    auto exr = readExr(path);
    if (!exr) {
        std::fprintf(stderr, "bench_learned: %s\n", exr.error().message.c_str());
        return 1;
    }
    const Image& image = exr->image;
    const double mp = double(image.texelCount()) / 1e6;
    std::printf("image %s: %dx%d (%.2f MP), %d thread(s)\n", path.c_str(), image.width(), image.height(), mp, threads);
    CodecContext ctx;
    ctx.threads = threads;

    const Codec* jpeg = CodecRegistry::builtin().find("jpeg");
    ParamSet jp = ParamSet::defaults(jpeg->schema());
    Bytes jpegBytes;
    const double jpegEnc = bestSeconds(3, [&] { jpegBytes = *jpeg->encode(image.view(), jp, ctx); });
    const double jpegDec = bestSeconds(3, [&] { (void)jpeg->decode(jpegBytes, ctx); });
    std::printf("baseline jpeg q%d: encode %.3f s/MP, decode %.3f s/MP\n", jp.getInt("quality"), jpegEnc / mp,
                jpegDec / mp);

    for (Family family : {Family::Autoencoder, Family::Hyperprior}) {
        std::shared_ptr<const InferenceModel> model;
        std::string source = "trained";
        if (auto m = defaultModel(family)) {
            model = *m;
        } else {
            ModelConfig c;
            c.family = family;
            model = *InferenceModel::load(makeRandomWeights(c, 1));
            source = "random weights";
        }
        for (double rate : {0.0, 0.5, 1.0}) {
            ParamSet p;
            p.set("rate", rate);
            LearnedCodec::Detailed d;
            const double enc = bestSeconds(2, [&] {
                LearnedCodec fresh(family, model);  // no cached analysis: the full encode
                d = *fresh.encodeDetailed(image.view(), p, ctx);
            });
            LearnedCodec codec(family, model);
            (void)codec.encode(image.view(), p, ctx);  // fills the analysis cache
            ParamSet p2;
            p2.set("rate", std::min(1.0, rate + 0.01));
            const double dec = bestSeconds(2, [&] { (void)codec.decode(d.bytes, ctx); });
            const double slider = bestSeconds(2, [&] {
                auto b = codec.encode(image.view(), p2, ctx);
                (void)codec.decode(*b, ctx);
            });
            const double estimateBytes = d.estimatedBits / 8.0;
            std::printf("%-3s (%s) rate %.1f: %8zu bytes %.3f bpp (estimate %.0f bytes, stream/estimate %.4f) | "
                        "encode %.3f s/MP (%.1fx jpeg) decode %.3f s/MP (%.1fx jpeg) slider %.3f s/MP\n",
                        familyId(family).c_str(), source.c_str(), rate, d.bytes.size(),
                        bitsPerTexel(d.bytes.size(), image.texelCount()), estimateBytes,
                        double(d.bytes.size()) / std::max(1.0, estimateBytes), enc / mp, enc / jpegEnc, dec / mp,
                        dec / jpegDec, slider / mp);
        }
    }
    return 0;
}
