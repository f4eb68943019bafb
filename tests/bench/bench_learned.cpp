// Learned codec speed and stream size (issue targets: vae decode <= 1.0 s/MP and encode <= 1.5 s/MP single-threaded,
// the slider path <= 0.6 s/MP; stream within 2% of the model's estimate plus headers). Uses the trained model
// when one is installed (resources/models or LMC_MODEL_DIR), else random weights of the same architecture (speed
// does not depend on the weights). Baseline measured in the same run: the JPEG-HDR codec on the same image.
// Built, not run by ctest. Usage: bench_learned [FILE.exr] [--threads N]
//        bench_learned --big SIDE [--threads N]: encode + decode a synthetic SIDE x SIDE map with vae, printing the
//        time and the process's peak memory (ru_maxrss) against the image's own size.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include <sys/resource.h>
#include <time.h>

#include <cmath>

#include "codec/codec.h"
#include "codec/exr_io.h"
#include "codec/jpeg_codec.h"
#include "codec/learned/learned_codec.h"
#include "tests/bench/bench_support.h"

using namespace lmc;
using namespace lmc::learned;

namespace {

using lmc::bench::bestSeconds;

}  // namespace

int main(int argc, char** argv) {
    std::string path =
        std::string(LMC_REAL_LIGHTMAPS) + "/0debianlaw0-a5-cornellbox__samplescene__lightmap-0_comp_light.exr";
    int threads = 1, big = 0;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--big") == 0 && i + 1 < argc)
            big = std::atoi(argv[++i]);
        else
            path = argv[i];
    }
    if (big > 0) {
        auto created = Image::create(big, big);
        if (!created) {
            std::fprintf(stderr, "bench_learned: %s\n", created.error().message.c_str());
            return 1;
        }
        Image image = std::move(*created);
        for (int y = 0; y < big; ++y)
            for (int x = 0; x < big; ++x) {
                float* p = image.texel(x, y);
                const float v = 0.5f + 0.4f * std::sin(0.01f * x) * std::cos(0.013f * y) +
                                ((x / 97 + y / 61) % 5 == 0 ? 20.0f : 0.0f);
                p[0] = v;
                p[1] = 0.8f * v;
                p[2] = 0.6f * v;
            }
        ModelConfig c;
        c.family = Family::Hyperprior;
        std::shared_ptr<const InferenceModel> model;
        if (auto m = defaultModel(Family::Hyperprior))
            model = *m;
        else
            model = *InferenceModel::load(makeRandomWeights(c, 1));
        LearnedCodec codec(Family::Hyperprior, model);
        CodecContext ctx;
        ctx.threads = threads;
        ParamSet p;
        p.set("rate", 0.5);
        const auto t0 = std::chrono::steady_clock::now();
        auto bytes = codec.encode(image.view(), p, ctx);
        const auto t1 = std::chrono::steady_clock::now();
        if (!bytes) {
            std::fprintf(stderr, "bench_learned: %s\n", bytes.error().message.c_str());
            return 1;
        }
        auto decoded = codec.decode(*bytes, ctx);
        const auto t2 = std::chrono::steady_clock::now();
        if (!decoded) {
            std::fprintf(stderr, "bench_learned: %s\n", decoded.error().message.c_str());
            return 1;
        }
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        const double imageMiB = double(image.texelCount()) * 12.0 / (1 << 20);
        std::printf(
            "vae %dx%d: %zu bytes (%.3f bpp), encode %.1f s, decode %.1f s, peak RSS %.0f MiB "
            "(source image %.0f MiB, decoded image %.0f MiB)\n",
            big, big, bytes->size(), bitsPerTexel(bytes->size(), image.texelCount()),
            std::chrono::duration<double>(t1 - t0).count(), std::chrono::duration<double>(t2 - t1).count(),
            double(usage.ru_maxrss) / 1024.0, imageMiB, imageMiB);
        return 0;
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
    // The baseline is the full encode (encodeJpegHdr: no cache); the registered codec's slider path reuses the
    // prepared planes and is printed beside it.
    JpegHdrOptions jpegOptions;
    jpegOptions.quality = jp.getInt("quality");
    const double jpegEnc = bestSeconds(3, [&] { jpegBytes = *encodeJpegHdr(image.view(), jpegOptions, ctx); });
    const double jpegDec = bestSeconds(3, [&] { (void)jpeg->decode(jpegBytes, ctx); });
    CodecCache jpegCache;
    CodecContext jpegCached = ctx;
    jpegCached.cache = &jpegCache;
    (void)jpeg->encode(image.view(), jp, jpegCached);  // fills the cache
    int jpegQuality = jp.getInt("quality");
    const double jpegSlider = bestSeconds(3, [&] {
        jpegQuality = jpegQuality % 90 + 5;
        ParamSet moved = jp;
        moved.set("quality", jpegQuality);
        (void)jpeg->decode(*jpeg->encode(image.view(), moved, jpegCached), jpegCached);
    });
    std::printf("baseline jpeg q%d: encode %.3f s/MP, decode %.3f s/MP, slider (cached planes) %.3f s/MP\n",
                jp.getInt("quality"), jpegEnc / mp, jpegDec / mp, jpegSlider / mp);

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
        // 0 and 0.1: the networks alone; 0.5 and 1: networks + refinement layer (learned_codec.h).
        for (double rate : {0.0, 0.1, 0.5, 1.0}) {
            ParamSet p;
            p.set("rate", rate);
            LearnedCodec::Detailed d;
            LearnedCodec codec(family, model);
            const double enc = bestSeconds(2, [&] {
                d = *codec.encodeDetailed(image.view(), p, ctx);  // no cache in ctx: the full encode
            });
            CodecCache cache;
            CodecContext cached = ctx;
            cached.cache = &cache;
            (void)codec.encode(image.view(), p, cached);  // fills the cache
            // Each timed slider move goes to a rate not encoded before (a repeated rate would hit the caches).
            double next = rate;
            const double dec = bestSeconds(2, [&] { (void)codec.decode(d.bytes, ctx); });  // the full decode
            const double slider = bestSeconds(2, [&] {
                next += rate < 0.5 ? 0.005 : -0.005;
                ParamSet p2;
                p2.set("rate", next);
                auto b = codec.encode(image.view(), p2, cached);
                (void)codec.decode(*b, cached);
            });
            const double estimateBytes = d.estimatedBits / 8.0;
            std::printf(
                "%-3s (%s) rate %.1f: %8zu bytes %.3f bpp (estimate %.0f bytes, stream/estimate %.4f) | "
                "encode %.3f s/MP (%.1fx jpeg) decode %.3f s/MP (%.1fx jpeg) slider %.3f s/MP\n",
                familyId(family).c_str(), source.c_str(), rate, d.bytes.size(),
                bitsPerTexel(d.bytes.size(), image.texelCount()), estimateBytes,
                double(d.bytes.size()) / std::max(1.0, estimateBytes), enc / mp, enc / jpegEnc, dec / mp, dec / jpegDec,
                slider / mp);
        }
    }
    return 0;
}
