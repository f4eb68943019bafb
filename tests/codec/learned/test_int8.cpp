// INT8 learned decoding (precision=int8): calibration files, determinism, the precision field of the stream and its
// damage, FP32 streams unchanged, and the quality the shipped calibration keeps on a baked map.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "codec/container.h"
#include "codec/learned/inference_model.h"
#include "codec/learned/learned_codec.h"
#include "codec/metrics.h"
#include "codec/nn/qconv.h"
#include "tests/codec/codec_test_support.h"

using namespace lmc;
using namespace lmc::learned;

namespace {

std::shared_ptr<const InferenceModel> tinyVae() {
    auto m = InferenceModel::load(makeRandomWeights(tinyModelConfig(Family::Hyperprior), 7));
    EXPECT_TRUE(m) << (m ? "" : m.error().message);
    return m ? *m : nullptr;
}

// What bench_int8 --calibrate does, on one image: the FP32 decoder layers' input ranges at three rates.
Int8Calibration calibrate(const InferenceModel& model, const Image& image) {
    PreparedInput prepared = prepareInput(image.view());
    nn::Tensor y;
    EXPECT_TRUE(model.analysis(prepared.input, y, 1, nullptr));
    std::map<std::string, float> maxAbs;
    for (float rate : {0.0f, 0.1f, 0.2f}) {
        const std::vector<double> g = model.gains(networkRate(rate));
        nn::Tensor gained(y.h, y.w, y.c), latent(y.h, y.w, y.c);
        for (std::size_t i = 0; i < y.size(); ++i) {
            gained.data[i] = float(double(y.data[i]) * g[i % y.c]);
            latent.data[i] = float(double(std::nearbyint(gained.data[i])) / g[i % y.c]);
        }
        nn::Tensor z;
        EXPECT_TRUE(model.hyperAnalysis(gained, z, 1, nullptr));
        for (float& v : z.data) v = std::nearbyint(v);
        EXPECT_TRUE(model.recordInputRanges(latent, &z, maxAbs, 1));
    }
    Int8Calibration c;
    for (const auto& [name, range] : maxAbs) c.layers[name] = {range > 0.0f ? range : 1.0f, 2047, 127};
    c.notes["maps"] = "one test image";
    return c;
}

Bytes encodeAt(const LearnedCodec& codec, const Image& image, double rate, const char* precision, int threads = 1) {
    ParamSet p;
    p.set("rate", rate);
    p.set("precision", std::strcmp(precision, "int8") == 0 ? 1 : 0);
    auto r = encodeImage(codec, image.view(), p, test::threadsContext(threads));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : Bytes{};
}

Result<Image> decodeWith(const LearnedCodec& codec, const Bytes& bytes, int threads = 1) {
    return codec.decode(bytes, test::threadsContext(threads));
}

bool sameTexels(const Image& a, const Image& b) {
    return a.width() == b.width() && a.height() == b.height() &&
           std::memcmp(a.data(), b.data(), std::size_t(a.texelCount()) * 3 * sizeof(float)) == 0;
}

// The stream with its payload byte at `offset` (0 = the payload version) replaced, in a valid container.
Bytes withPayloadByte(const Bytes& stream, std::size_t offset, std::uint8_t value) {
    auto c = readContainer(stream.data(), stream.size());
    EXPECT_TRUE(c);
    std::vector<std::uint8_t> payload(c->payload, c->payload + c->payloadSize);
    payload.at(offset) = value;
    return writeContainer(c->header, payload);
}

constexpr std::size_t kFlagsOffset = 14;  // version, family, fingerprint, rate, scale, then the flags
constexpr std::size_t kPrecisionOffset = 15;

}  // namespace

TEST(LearnedInt8, CalibrationTextRoundTripsAndDamageIsRefused) {
    Int8Calibration c;
    c.layers["gs.0"] = {196.236023f, 16383, 127};
    c.layers["ls"] = {0.125f, 2047, 1023};
    c.notes["maps"] = "11 training maps";
    auto back = Int8Calibration::fromText(c.toText());
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->toText(), c.toText());
    EXPECT_EQ(back->fingerprint(), c.fingerprint());
    const std::string text = c.toText();
    for (const std::string& bad :
         {std::string("gs.0 1 127 127\n"), text + "gs.1 -1 127 127\n", text + "gs.1 1 40000 127\n",
          text + "gs.1 1 127\n", text + "gs.0 1 127 127\n", text + "gs.1 nan 127 127\n"})
        EXPECT_EQ(Int8Calibration::fromText(bad).error().code, ErrorCode::CorruptData) << bad;
    // A calibration that misses a layer of the model is refused when the INT8 layers are built.
    auto model = tinyVae();
    EXPECT_EQ(model->withInt8(c).error().code, ErrorCode::CorruptData);
    EXPECT_FALSE(model->hasInt8());
}

TEST(LearnedInt8, DecodesIdenticallyWithAnyThreadCountAndFp32StreamsAreUnchanged) {
    const Image image = test::bakedTestMap(31, 160, 96);
    auto fp32Model = tinyVae();
    auto int8Model = fp32Model->withInt8(calibrate(*fp32Model, image));
    ASSERT_TRUE(int8Model) << int8Model.error().message;
    ASSERT_TRUE((*int8Model)->hasInt8());
    const LearnedCodec plain(Family::Hyperprior, fp32Model), codec(Family::Hyperprior, *int8Model);
    for (double rate : {0.1, 0.5}) {
        // FP32 streams: the same bytes and texels as before precision existed (no precision field).
        const Bytes fp32 = encodeAt(codec, image, rate, "fp32");
        EXPECT_EQ(fp32, encodeAt(plain, image, rate, "fp32"));
        auto a = decodeWith(codec, fp32), b = decodeWith(plain, fp32);
        ASSERT_TRUE(a && b);
        EXPECT_TRUE(sameTexels(*a, *b));

        const Bytes int8 = encodeAt(codec, image, rate, "int8");
        EXPECT_NE(int8, fp32);
        EXPECT_EQ(int8, encodeAt(codec, image, rate, "int8", 3));
        auto one = decodeWith(codec, int8, 1);
        ASSERT_TRUE(one) << one.error().message;
        EXPECT_FALSE(sameTexels(*one, *a)) << "int8 decoding ran the FP32 networks";
        for (int threads : {2, 3}) {
            auto other = decodeWith(codec, int8, threads);
            ASSERT_TRUE(other);
            EXPECT_TRUE(sameTexels(*one, *other)) << threads << " threads, rate " << rate;
        }
        auto c = readContainer(int8.data(), int8.size());
        ASSERT_TRUE(c);
        EXPECT_NE(c->header.params.find("precision=int8"), std::string::npos) << c->header.params;
    }
}

TEST(LearnedInt8, TiledSynthesisEqualsWholeImage) {
    // Synthesis reuses one set of buffers for every tile and layer of a call (tiles of different sizes at the
    // edges): small tiles give the texels of one whole-image tile, in both precisions.
    const Image image = test::bakedTestMap(35, 200, 130);
    auto fp32Model = tinyVae();
    auto model = fp32Model->withInt8(calibrate(*fp32Model, image));
    ASSERT_TRUE(model);
    PreparedInput prepared = prepareInput(image.view());
    nn::Tensor latent;
    ASSERT_TRUE((*model)->analysis(prepared.input, latent, 1, nullptr));
    for (Precision precision : {Precision::Fp32, Precision::Int8}) {
        auto render = [&](int tileLatents, int threads) {
            nn::Tensor out(latent.h * 16, latent.w * 16, 3);
            EXPECT_TRUE((*model)->synthesis(
                latent,
                [&](int y0, int x0, const nn::Tensor& t) {
                    for (int y = 0; y < t.h; ++y) std::memcpy(out.at(y0 + y, x0), t.at(y, 0), sizeof(float) * 3 * t.w);
                },
                threads, nullptr, {}, tileLatents, precision));
            return out;
        };
        const nn::Tensor whole = render(1000, 1);
        for (int tileLatents : {3, 5}) {
            const nn::Tensor tiled = render(tileLatents, 2);
            EXPECT_EQ(0, std::memcmp(whole.data.data(), tiled.data.data(), whole.size() * sizeof(float)))
                << (precision == Precision::Int8 ? "int8" : "fp32") << ", tiles of " << tileLatents;
        }
    }
}

TEST(LearnedInt8, WholeDecodeIsIdenticalOnEveryKernelPath) {
    // The INT8 kernels (baseline, AVX2, AVX-512 VNNI; each where this CPU runs it) forced in turn through the
    // default-path hook, the same hook LMC_QCONV_PATH sets: identical stream bytes (the encoder runs the INT8 hyper
    // synthesis) and identical texels, 1 and 3 threads.
    const Image image = test::bakedTestMap(33, 160, 96);
    auto fp32Model = tinyVae();
    auto int8Model = fp32Model->withInt8(calibrate(*fp32Model, image));
    ASSERT_TRUE(int8Model);
    const LearnedCodec codec(Family::Hyperprior, *int8Model);
    struct RestoreAuto {  // the hook is process-wide: back to the automatic choice however the test ends
        ~RestoreAuto() { nn::setQConvDefaultPath(nn::ConvPath::Auto); }
    } restore;
    ASSERT_TRUE(nn::setQConvDefaultPath(nn::ConvPath::Generic));
    const Bytes reference = encodeAt(codec, image, 0.5, "int8");
    auto expected = decodeWith(codec, reference);
    ASSERT_TRUE(expected);
    int paths = 0;
    for (nn::ConvPath path : {nn::ConvPath::Avx2, nn::ConvPath::Avx512Vnni}) {
        if (!nn::setQConvDefaultPath(path)) continue;
        ++paths;
        EXPECT_EQ(nn::qconvDefaultPath(), path);
        EXPECT_EQ(encodeAt(codec, image, 0.5, "int8"), reference) << nn::convPathName(path);
        for (int threads : {1, 3}) {
            auto decoded = decodeWith(codec, reference, threads);
            ASSERT_TRUE(decoded);
            EXPECT_TRUE(sameTexels(*decoded, *expected)) << nn::convPathName(path) << ", " << threads << " threads";
        }
    }
    EXPECT_TRUE(nn::setQConvDefaultPath(nn::ConvPath::Auto));
    EXPECT_FALSE(nn::setQConvDefaultPath(nn::ConvPath::Reference));
    if (paths == 0) GTEST_SKIP() << "only the baseline INT8 kernel runs on this CPU";
}

TEST(LearnedInt8, StreamsOfAnEarlierCalibrationStillDecode) {
    // A calibration replaced by a new one stays next to the weights as "<weights>.int8.1": streams that name it
    // decode to the texels they had, new streams use the new one, and without the earlier file the old stream is
    // refused as before.
    const Image image = test::bakedTestMap(34, 128, 96);
    auto fp32Model = tinyVae();
    const Int8Calibration earlier = calibrate(*fp32Model, image);
    Int8Calibration current = earlier;
    for (auto& [name, layer] : current.layers) layer.clamp = 1023;
    ASSERT_NE(earlier.fingerprint(), current.fingerprint());
    auto earlierModel = fp32Model->withInt8(earlier);
    ASSERT_TRUE(earlierModel);
    const LearnedCodec old(Family::Hyperprior, *earlierModel);
    const Bytes oldStream = encodeAt(old, image, 0.5, "int8");
    auto oldTexels = decodeWith(old, oldStream);
    ASSERT_TRUE(oldTexels);

    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "lmc_test_int8_earlier";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string weights = (dir / "vae.lmcw").string();
    ASSERT_TRUE(writeWeightFile(weights, makeRandomWeights(tinyModelConfig(Family::Hyperprior), 7)));
    std::ofstream(weights + ".int8", std::ios::binary) << current.toText();
    auto withoutEarlier = InferenceModel::loadFile(weights);
    ASSERT_TRUE(withoutEarlier) << withoutEarlier.error().message;
    auto refused = decodeWith(LearnedCodec(Family::Hyperprior, *withoutEarlier), oldStream);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::CorruptData);

    std::ofstream(weights + ".int8.1", std::ios::binary) << earlier.toText();
    auto loaded = InferenceModel::loadFile(weights);
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ((*loaded)->int8Fingerprint(), current.fingerprint());
    const LearnedCodec codec(Family::Hyperprior, *loaded);
    auto decoded = decodeWith(codec, oldStream);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_TRUE(sameTexels(*decoded, *oldTexels));
    const Bytes newStream = encodeAt(codec, image, 0.5, "int8");
    EXPECT_NE(newStream, oldStream);
    auto fresh = decodeWith(codec, newStream);
    ASSERT_TRUE(fresh);
    EXPECT_FALSE(sameTexels(*fresh, *oldTexels)) << "the new stream decoded with the earlier calibration";

    std::ofstream(weights + ".int8.2", std::ios::binary) << "damaged";
    EXPECT_FALSE(InferenceModel::loadFile(weights));
    std::filesystem::remove_all(dir);
}

TEST(LearnedInt8, DamagedOrUnsupportedPrecisionIsCorruptData) {
    const Image image = test::bakedTestMap(32, 96, 64);
    auto fp32Model = tinyVae();
    const Int8Calibration calibration = calibrate(*fp32Model, image);
    auto int8Model = fp32Model->withInt8(calibration);
    ASSERT_TRUE(int8Model);
    const LearnedCodec plain(Family::Hyperprior, fp32Model), codec(Family::Hyperprior, *int8Model);
    const Bytes stream = encodeAt(codec, image, 0.1, "int8");
    ASSERT_TRUE(decodeWith(codec, stream));
    for (std::uint8_t value : {std::uint8_t(0), std::uint8_t(2), std::uint8_t(255)}) {
        auto r = decodeWith(codec, withPayloadByte(stream, kPrecisionOffset, value));
        ASSERT_FALSE(r) << int(value);
        EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
    }
    // Another calibration's stream, and an INT8 stream where the weights have no calibration.
    auto c = readContainer(stream.data(), stream.size());
    ASSERT_TRUE(c);
    const std::uint8_t crcByte = c->payload[kPrecisionOffset + 1];
    auto other = decodeWith(codec, withPayloadByte(stream, kPrecisionOffset + 1, std::uint8_t(crcByte ^ 1)));
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, ErrorCode::CorruptData);
    auto noCalibration = decodeWith(plain, stream);
    ASSERT_FALSE(noCalibration);
    EXPECT_EQ(noCalibration.error().code, ErrorCode::CorruptData);
    // An FP32 stream whose flags claim a precision field reads a header byte as the precision.
    const Bytes fp32 = encodeAt(codec, image, 0.1, "fp32");
    auto f = readContainer(fp32.data(), fp32.size());
    ASSERT_TRUE(f);
    auto flagged =
        decodeWith(codec, withPayloadByte(fp32, kFlagsOffset, std::uint8_t(f->payload[kFlagsOffset] | 0x20)));
    EXPECT_FALSE(flagged);
    // Encoding INT8 without a calibration is an error, not an FP32 stream labelled int8.
    ParamSet p;
    p.set("precision", 1);
    EXPECT_EQ(plain.encode(image.view(), p, test::oneThread()).error().code, ErrorCode::InvalidArgument);
}

TEST(LearnedInt8, ShippedCalibrationKeepsQualityOnABakedMap) {
    auto model = defaultModel(Family::Hyperprior);
    if (!model) GTEST_SKIP() << "no trained vae weights: " << model.error().message;
    ASSERT_TRUE((*model)->hasInt8()) << "resources/models/vae.lmcw.int8 is missing";
    const Image image = test::bakedTestMap(33, 256, 256);
    const LearnedCodec codec(Family::Hyperprior, *model);
    for (double rate : {0.1, 0.5}) {
        auto fp32 = decodeWith(codec, encodeAt(codec, image, rate, "fp32", 2), 2);
        auto int8 = decodeWith(codec, encodeAt(codec, image, rate, "int8", 2), 2);
        ASSERT_TRUE(fp32 && int8);
        EXPECT_FALSE(sameTexels(*fp32, *int8));
        auto a = computeMetrics(image.view(), fp32->view()), b = computeMetrics(image.view(), int8->view());
        ASSERT_TRUE(a && b);
        EXPECT_GT(b->logPsnr, a->logPsnr - 0.2) << "rate " << rate;
        EXPECT_GT(b->mPsnr, a->mPsnr - 0.2) << "rate " << rate;
    }
}
