// INT8 learned decoding (precision=int8): calibration files, determinism, the precision field of the stream and its
// damage, FP32 streams unchanged, and the quality the shipped calibration keeps on a baked map.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "codec/container.h"
#include "codec/learned/inference_model.h"
#include "codec/learned/learned_codec.h"
#include "codec/learned/refinement.h"
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

// What bench_int8 --calibrate does, on one image: the FP32 decoder layers' input ranges at three rates, each layer
// run as the shipped calibrations run it (int8LayerRule: the linear block transform "ls" reads the symbols).
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
    const ModelConfig& config = model.config();
    for (const LayerSpec& s : decoderLayers(config)) c.layers[s.name] = int8LayerRule(s, maxAbs.at(s.name));
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

// A payload version 2 stream (refinement layer in RefinementFormat::Log2Exp2) written by the encoder before version
// 3 existed: the tiny random vae (tinyVae) with this INT8 calibration, a 32 x 32 baked map (bakedTestMap(36, 32, 32))
// at rate 0.45 and precision=int8, and the FNV-1a hash of the texels that encoder's decoder gave (1 thread).
constexpr const char* kVersion2Calibration =
    "# lmc int8 calibration v1\n"
    "# maps one test image\n"
    "gs.0 4.26798201 2047 127\n"
    "gs.1 4.04196262 2047 127\n"
    "gs.2 2.28800559 2047 127\n"
    "gs.3 2.03187704 2047 127\n"
    "gs.4 1.35495758 2047 127\n"
    "hs.0 3 2047 127\n"
    "hs.1 0.922428548 2047 127\n"
    "hs.2 0.575871825 2047 127\n"
    "ls 4.26798201 2047 127\n";
constexpr const char* kVersion2Stream =
    "4c4d431a010376616520000000200000001800726174653d302e34353b707265636973696f6e3d696e7438430b0000cfc809f90201d6bc37"
    "b26666e63ecc368b3d3101e7874ceaa103000005000000030000001900000005000000050000000000000000000000020000000100000000"
    "000000000000000300000000000000000000002e0000006089c33e0cd8853968010000ea95619075d31b535383484b03000000ffa4405d84"
    "00000018665fa2e4593b016fa9bb0a61691bb57731fffff2ff0f00f2ff0f00fffff0fff1ff2f0118f5ffff2225ff1cffff96040000ffffff"
    "ff12ff12feff03ffff1604ffffffff115741a822d1ff5fffffffff12ffff21270474470b00799652272112ffffffff12ffffff0100116c41"
    "10f7ff07132fd5ffffffffffffb1557402b064ffffffff2021450002007dddffff1189ffffffff1155ffff22f1ff1fffff62b7ffffffff01"
    "01c0af700200551157ffff42f1ff1fffff1276ffffb0ffffff511540e1ff5f27005f8dffff12ff7f030bb11135410022e1ff5f0c00aaaaff"
    "ff12ff02005555115521ee0400fffffffff2aa16feff05f1ff1f710300aaaafffff2df12f9fff1fffffffff1ff1f311744e1ff4c00b3abff"
    "ff12ffffffffff130100ff3e00c2aff5ff2fa120c1ffaf5113ffffffff0500ffff020013532100feff16fcffffffff12ffff010400ffff17"
    "000000f00800003e00000000003c000000002a000000002d2a00002800002600002700001200002c000027000000000025000028002d0000"
    "0000000000000000002a000000000000000000000000002f002600280027252600000000002b000000000020000000002727000000000012"
    "0000000000260000000027280000000000260000000000290000000028261fda50a06a08070028a58163af1d0200897d2baf0200000024d7"
    "85b0000000006d28d7fd9a4a0f13c443af7cdbb748663faea043bbd529d00de968cd34b7defceb9e73e2513835a32e8b9930577ae7f50051"
    "6b7e5b40b2007ea11415df9624b06d06adeff4e8bbbb21ea94988d9bb9b0473139a09a7fcbd02f11cbf07006489674b2bed28177ca4de554"
    "7742a9cc7bc303c94d20a010f9b8821b59a99f23a9e56ba77e3178d0059ccd9da94362e0cfc31dd114a52465ebc0608dc7fbe51e50fb0449"
    "62c356ac9fe98c5fb95d5558922c280914b1a7e79fa2e1659dbed3f5d8a44e5df77cd33a69dc44fd015580cd3d33033ca8e8ba20f25efcca"
    "4e3f883144757c1851e7ba08ccf3c8f1eada94ac5aeb874a289f4c56d8daadd25fd4ab6538441beda5d7cc04a63f31c6d0d44b17622910b5"
    "d7c207087d2e2f36364d22b05b39f5e6e85fba232cf0421ff90e80f3d8878943765aadf2b98e9a23d7a42ea5e037f2a991cda01619f55b04"
    "bb6c3e7776bc4008d124ecacdaa001ab2d8264da15f34a1d0fa894585f342bdd894fdfe6fd2d7018bee55a298bdc5640ec43a1922daa05e8"
    "01b1654a44fe969c1da9dba6f6fedecf2e6ec7de7e10d61020843946739037a4e6d24788f0846165edfaf1bf4537fdb047358144b9f7e681"
    "9d0a7fa38fd3e01430d5259cd918e09487a30d4d705f2c4e06026115e0887333e596379922158c888577b81cd8b5bfd2c9c4dce282c2d4dc"
    "32baf1429f74f9e540208f4e1443a3d6493cc70ed409fc3115d725c9d9021504b5abdf25f1dc45d84a037752571ffc76f21f3afab4cd6233"
    "258260ecc2dedc65d69fe5ec886e8a2e7dc14615c22da8e91f622e780b74bc20d368f583fb17209cb68c060efc3434e9cf01217103460e87"
    "b16deedaf5555e9cd5e7889777994e0b771729be43590b33697d09397083b1b3904ef6a5aa5f0bd25a01cf691f31a611b911a96a849a6481"
    "9bf2c50a355bdd2e2cec03445cbc362b3e33bcd4f2b1e1fa9a2c448d54eab597adf4485235b026e26a6b60e0317c6cbff6a14be4354a7d5b"
    "103fa8bf7ddbeb0085f145d20c903ba675f6f441c72e28f9bd6d6fcdbd57000cdd6961331433ca3ab85d8a8057ab01efa9025d87f85bc357"
    "8579fe0e79366f0cc07d9506292485eb36bb780896cc2b78ee84f7aac1f173a0dde8d87fda078114524ff88866c349f79ab1d44ddaf0b66e"
    "dcaa0b7e3885e26f9e2426fb3ca056d278257a00451de919c786a70c392210855a9253a38e096204c16bfc47690294fbd98f2bf8fc87d244"
    "a3234ca9bede7ff73fe196e0eb5788f6868f3e365d2103e8a010ce04273cf9467fe910550fe62eb3dcc449f9d3a66cf2d9cf9f39e6fe5ebe"
    "35e10d302ddca7ff87bd057f91fee8b0702766f0eada387912704d441b326afc313c47a2447e624cec820f6a6c4f4dd4e0e973fe60bf20f8"
    "32e1846566d37a5f1af8919cfa611aa745a4e2d1c78398256c2856496ef88890085cda66719dd10d28d773ebe84bc2417a48a45a50f31f79"
    "cdc85b6bd0463ba260b7b58744bbbb36e4ec476cbffc473b967783e61f22d1fbb6dadac4b8ad23035942491695617db4ac0e186b15e9cbaa"
    "0c505ced6d80bae5584307594cd32354d58fb4ec9a5b8f63c070560ebb9ac0c8455610de4b856a39437c372942b8479785caca4f5f5fcfce"
    "cd4f898c6300c22bc18e42d5fdbd6ee0d0d6b32b44f5dacff243470b975ba61667dae41b0758ffb53ac990541850f1563add6202dc38845b"
    "0399b04815c746c05425448add492e3efffa3ef77d4751cfec162a390770530aae5173d21921373b50d178415d5c6e30a1120ab1d1baf2fb"
    "25fbe1bc0d31671f989ae42646faf919d5a8cc7a0db5f71c8dec138c13859150626fdc501415a8e21331e0be00b41cf62b964ca0d3bf0c5c"
    "9cd8284385d682ea144433dd9827822b698215967d629580ecc56325af3611fb68f664e309b856b0fcaff7d370bcddffc0448e3ef9ef0539"
    "c2b986c3306f2c2689126ff697470439bb843f352131fc711d6830b48df36554c6773231f569107ff24d056eeda91e78806fb025f3badbda"
    "fca889f40429554bf0362ee0b35fddadea192b1e75659613cee58a80483421a8faa0b3b7ed4215b7ea2c4170b2103c580032e7ea63601cc4"
    "874248ab711685b70882cf7aec3d635435a7b929b5a573637a42864576311675d5439c628e1ade1ee9891b672531f148ca21a52ede04d8d3"
    "ddf3fe8935c030ee4f0b6cbb5d4967d7fcb232d2e92a0fc07a6be364ce8802cb8cd1520a99023a823fca7d330e8a4047cff8b4c46aaae9de"
    "8992834bc1a83d30667afdf474446b3b79a42892268c591ad09daac095a9f84c37b61fd3f3cda5e0e441edbff16c6e288ac0834e9e4880ed"
    "70e91697885effa5e15cdbaf3f9d81158ee5fca5df7db363b73a6926b5bf7787f9537f631a58c52cd433000e07d278fedb76afe510e60246"
    "7b7b3a02848ad07bd6963d6c1579c0f3d86486327b46d975a33ac4d4ccef727b408923a168e4ab8882fae47adccfdebbe1500290c9b5edb0"
    "214f34c51567f3ea16413751f7f6048417d392e5757a7039ebf7d2db9969c63f6e1c3e08e8907380a27cc3ebf57f1acf9c1f395e43312151"
    "f1588ee9a1744cfbf24ba84fe76b7b0b51453fabaa3d91460b6dad345391eccf4b731560297e57d32e714261d13948667dab879da324bd9a"
    "98f4ead8ca27eb9be3033c3676515c50375cc1682696f2990c6cec786c2402657b57af98207d449499b796449510f3cc4eb8bf27a1e2817e"
    "aaf69dcabc5fdb4c91d81f9035e762597bd7e69c3843d21fdc453d5464f11529485ec5a31d92121d72ae243bc25df8b580e93194e770ac55"
    "c4326ffad1a2a7e21c739b8a895b449757e1e7aebf4eafc2940e30acc955937368636a646529ed889e00014199409c3a3d3efd4cfcd95285"
    "da9b403b0824c0c31d8bfc4f09a7ecbf5ad432367e4176b4d04c98d097e73e6877e4ba957e05309395a532617658008bc1e25d832716f2ae"
    "7a477bfe0e084b75435f59b1fc36d983b06a17429c6faeaef8102b4d7a779db17a9c7a97a7c165532cef636fc1603e6c90b31613d9ab1680"
    "2e1c7ae1147cfb6798d6c573cfa9f858bf1969b62961367b638da49919e0d368a03b04b6ab6d763399e449ebdd68e77db4b440ad2b682c8f"
    "5e368e537d36f3abcc68699cd5efcf82f1f4e0b8fbb1";
constexpr std::uint64_t kVersion2TexelHash = 0xb43043c8a83c6292ull;

Bytes fromHex(const char* hex) {
    Bytes bytes;
    for (const char* c = hex; c[0] && c[1]; c += 2)
        bytes.push_back(std::uint8_t(std::stoi(std::string(c, 2), nullptr, 16)));
    return bytes;
}

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
    // The modes are written "name fp32" and "name symbols" under a version 2 header; a version 1 file has neither.
    Int8Calibration mixed = c;
    mixed.layers["ls"].mode = Int8Calibration::Layer::Mode::Fp32;
    mixed.layers["gs.0"].mode = Int8Calibration::Layer::Mode::Symbols;
    const std::string mixedText = mixed.toText();
    EXPECT_EQ(mixedText.rfind("# lmc int8 calibration v2\n", 0), 0u) << mixedText;
    EXPECT_NE(mixedText.find("\nls fp32\n"), std::string::npos) << mixedText;
    EXPECT_EQ(text.rfind("# lmc int8 calibration v1\n", 0), 0u) << text;
    auto mixedBack = Int8Calibration::fromText(mixedText);
    ASSERT_TRUE(mixedBack) << mixedBack.error().message;
    EXPECT_EQ(mixedBack->layers.at("ls").mode, Int8Calibration::Layer::Mode::Fp32);
    EXPECT_EQ(mixedBack->layers.at("gs.0").mode, Int8Calibration::Layer::Mode::Symbols);
    EXPECT_NE(mixedText.find("\ngs.0 symbols\n"), std::string::npos) << mixedText;
    EXPECT_EQ(mixedBack->fingerprint(), mixed.fingerprint());
    EXPECT_NE(mixed.fingerprint(), c.fingerprint());
    std::string v1WithFloat = mixedText;
    v1WithFloat.replace(0, 26, "# lmc int8 calibration v1\n");
    for (const std::string& bad :
         {v1WithFloat, mixedText + "gs.1 fp32 1\n", mixedText + "gs.1 fp16\n", mixedText + "gs.1 symbols 1\n"})
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

TEST(LearnedInt8, LayersKeptInFp32RunTheFp32Layers) {
    // An INT8 stream decoded with every layer kept in FP32 gives exactly the FP32 stream's texels (the same
    // latents and tables, the same layers); with the shipped rule the layers run quantised, and the texels differ.
    const Image image = test::bakedTestMap(35, 96, 80);
    auto fp32Model = tinyVae();
    Int8Calibration allFloat = calibrate(*fp32Model, image);
    for (auto& [name, layer] : allFloat.layers) layer.mode = Int8Calibration::Layer::Mode::Fp32;
    auto floatModel = fp32Model->withInt8(allFloat);
    auto mixedModel = fp32Model->withInt8(calibrate(*fp32Model, image));
    ASSERT_TRUE(floatModel && mixedModel);
    ASSERT_TRUE((*mixedModel)->hasInt8());
    const LearnedCodec plain(Family::Hyperprior, fp32Model), allFloatCodec(Family::Hyperprior, *floatModel),
        mixed(Family::Hyperprior, *mixedModel);
    for (double rate : {0.1, 0.9}) {
        auto reference = decodeWith(plain, encodeAt(plain, image, rate, "fp32"));
        auto kept = decodeWith(allFloatCodec, encodeAt(allFloatCodec, image, rate, "int8"), 2);
        auto quantised = decodeWith(mixed, encodeAt(mixed, image, rate, "int8"));
        ASSERT_TRUE(reference && kept && quantised);
        EXPECT_TRUE(sameTexels(*reference, *kept)) << "rate " << rate;
        EXPECT_FALSE(sameTexels(*reference, *quantised)) << "rate " << rate;
    }
}

TEST(LearnedInt8, SymbolLayerTakesTheSymbolsExactly) {
    // The linear block transform in Symbols mode (the shipped rule) against the same layer quantised on one grid
    // (clamps 2047 x 127), every other layer in FP32: on a dequantised latent, the symbol layer's output is far
    // closer to FP32's. Without the gains it cannot run; only a stack's first, latent-reading layer may read symbols.
    using Mode = Int8Calibration::Layer::Mode;
    const Image image = test::bakedTestMap(36, 96, 64);
    auto fp32Model = tinyVae();
    Int8Calibration symbols = calibrate(*fp32Model, image);
    ASSERT_EQ(symbols.layers.at("ls").mode, Mode::Symbols);
    for (auto& [name, layer] : symbols.layers)
        if (name != "ls") layer.mode = Mode::Fp32;
    Int8Calibration grid = symbols;
    grid.layers["ls"] = {calibrate(*fp32Model, image).layers.at("gs.0").range, 2047, 127, Mode::Quantised};
    auto symbolModel = fp32Model->withInt8(symbols);
    auto gridModel = fp32Model->withInt8(grid);
    ASSERT_TRUE(symbolModel && gridModel);

    PreparedInput prepared = prepareInput(image.view());
    nn::Tensor y;
    ASSERT_TRUE(fp32Model->analysis(prepared.input, y, 1, nullptr));
    const std::vector<double> gains = fp32Model->gains(0.2);
    nn::Tensor latent(y.h, y.w, y.c);
    for (std::size_t i = 0; i < y.size(); ++i)
        latent.data[i] = float(double(std::nearbyint(double(y.data[i]) * gains[i % y.c])) / gains[i % y.c]);
    auto render = [&](const InferenceModel& model, Precision precision, const std::vector<double>& g) {
        nn::Tensor out(latent.h * 16, latent.w * 16, 3);
        const Status s = model.synthesis(
            latent,
            [&](int y0, int x0, const nn::Tensor& t) {
                for (int r = 0; r < t.h; ++r) std::memcpy(out.at(y0 + r, x0), t.at(r, 0), sizeof(float) * 3 * t.w);
            },
            1, nullptr, {}, 128, precision, g);
        return s ? out : nn::Tensor();
    };
    const nn::Tensor reference = render(*fp32Model, Precision::Fp32, {});
    const nn::Tensor exact = render(**symbolModel, Precision::Int8, gains);
    const nn::Tensor onGrid = render(**gridModel, Precision::Int8, gains);
    ASSERT_FALSE(reference.empty() || exact.empty() || onGrid.empty());
    double exactError = 0, gridError = 0;
    for (std::size_t i = 0; i < reference.size(); ++i) {
        exactError = std::max(exactError, double(std::fabs(exact.data[i] - reference.data[i])));
        gridError = std::max(gridError, double(std::fabs(onGrid.data[i] - reference.data[i])));
    }
    EXPECT_GT(exactError, 0.0) << "the symbol layer ran in FP32";
    EXPECT_LT(exactError * 8, gridError);

    EXPECT_EQ((*symbolModel)
                  ->synthesis(latent, [](int, int, const nn::Tensor&) {}, 1, nullptr, {}, 128, Precision::Int8, {})
                  .error()
                  .code,
              ErrorCode::InvalidArgument);
    for (const char* name : {"gs.1", "hs.0"}) {
        Int8Calibration misplaced = symbols;
        misplaced.layers[name].mode = Mode::Symbols;
        EXPECT_EQ(fp32Model->withInt8(misplaced).error().code, ErrorCode::CorruptData) << name;
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
    const std::vector<double> gains = (*model)->gains(0.2);
    for (Precision precision : {Precision::Fp32, Precision::Int8}) {
        auto render = [&](int tileLatents, int threads) {
            nn::Tensor out(latent.h * 16, latent.w * 16, 3);
            EXPECT_TRUE((*model)->synthesis(
                latent,
                [&](int y0, int x0, const nn::Tensor& t) {
                    for (int y = 0; y < t.h; ++y) std::memcpy(out.at(y0 + y, x0), t.at(y, 0), sizeof(float) * 3 * t.w);
                },
                threads, nullptr, {}, tileLatents, precision, gains));
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
    for (double rate : {0.1, 0.5, 0.9}) {
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

TEST(LearnedInt8, Version2StreamsDecodeToTheTexelsTheyAlwaysDid) {
    // The stream above, from the encoder and decoder before payload version 3, through today's decoder: the same
    // texels (the Log2Exp2 refinement path, kept for it), with any thread count. Its refinement layer uses libm's
    // log2 and exp2, so the hash holds for the x86-64 glibc this project builds with.
    auto fp32Model = tinyVae();
    auto calibration = Int8Calibration::fromText(kVersion2Calibration);
    ASSERT_TRUE(calibration) << calibration.error().message;
    auto int8Model = fp32Model->withInt8(*calibration);
    ASSERT_TRUE(int8Model) << int8Model.error().message;
    const LearnedCodec codec(Family::Hyperprior, *int8Model);
    const Bytes stream = fromHex(kVersion2Stream);
    auto c = readContainer(stream.data(), stream.size());
    ASSERT_TRUE(c) << c.error().message;
    ASSERT_EQ(c->payload[0], 2) << "the fixture is a version 2 stream";
    ASSERT_NE(c->payload[kFlagsOffset] & 0x10, 0) << "the fixture has a refinement layer";
    for (int threads : {1, 2, 3}) {
        auto decoded = decodeWith(codec, stream, threads);
        ASSERT_TRUE(decoded) << decoded.error().message;
        EXPECT_EQ(test::texelHash(*decoded), kVersion2TexelHash) << threads << " threads";
    }
    // The same map coded today is a version 3 stream, and decodes to nearly the same texels (the two formats
    // compute the same formula in other arithmetic; the entropy coding of the layer differs).
    const Image image = test::bakedTestMap(36, 32, 32);
    const Bytes current = encodeAt(codec, image, 0.45, "int8");
    auto d = readContainer(current.data(), current.size());
    ASSERT_TRUE(d);
    EXPECT_EQ(d->payload[0], 3);
    auto before = decodeWith(codec, stream), now = decodeWith(codec, current);
    ASSERT_TRUE(before && now);
    auto a = computeMetrics(image.view(), before->view()), b = computeMetrics(image.view(), now->view());
    ASSERT_TRUE(a && b);
    EXPECT_NEAR(a->logPsnr, b->logPsnr, 0.01);
    // A version the decoder does not know is refused.
    for (std::uint8_t version : {std::uint8_t(0), std::uint8_t(4), std::uint8_t(255)}) {
        auto r = decodeWith(codec, withPayloadByte(current, 0, version));
        ASSERT_FALSE(r) << int(version);
        EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
    }
}

TEST(LearnedInt8, RefinementDecodesIdenticallyOnEveryPathAndThreadCount) {
    // Version 3 streams above the refinement start rate: the per-texel step forced to its scalar path gives the
    // texels of the vector path (where this CPU has one), with 1, 2 and 3 threads; INT8 and FP32 alike.
    const Image image = test::bakedTestMap(37, 160, 144);
    auto fp32Model = tinyVae();
    auto int8Model = fp32Model->withInt8(calibrate(*fp32Model, image));
    ASSERT_TRUE(int8Model);
    const LearnedCodec codec(Family::Hyperprior, *int8Model);
    struct RestoreVector {
        ~RestoreVector() { detail::setRefinementVectorPath(true); }
    } restore;
    for (const char* precision : {"int8", "fp32"}) {
        for (double rate : {0.4, 0.8}) {
            const Bytes stream = encodeAt(codec, image, rate, precision);
            detail::setRefinementVectorPath(true);
            auto expected = decodeWith(codec, stream, 1);
            ASSERT_TRUE(expected);
            for (bool vector : {true, false}) {
                detail::setRefinementVectorPath(vector);
                for (int threads : {1, 2, 3}) {
                    auto decoded = decodeWith(codec, stream, threads);
                    ASSERT_TRUE(decoded);
                    EXPECT_TRUE(sameTexels(*decoded, *expected))
                        << precision << ", rate " << rate << (vector ? ", vector" : ", scalar") << ", " << threads
                        << " threads";
                }
            }
        }
    }
    if (!detail::refineSpanVectorised()) GTEST_SKIP() << "no vector refinement path on this CPU: threads only";
}

TEST(LearnedInt8, DamagedRefinementLayersAreErrorsOrFiniteTexels) {
    // Bytes of a version 3 stream's refinement layer changed inside a valid container (the CRC made to match):
    // the decoder either refuses the stream (CorruptData) or returns finite, non-negative texels.
    const Image image = test::bakedTestMap(38, 96, 64);
    auto fp32Model = tinyVae();
    auto int8Model = fp32Model->withInt8(calibrate(*fp32Model, image));
    ASSERT_TRUE(int8Model);
    const LearnedCodec codec(Family::Hyperprior, *int8Model);
    const Bytes stream = encodeAt(codec, image, 0.6, "int8");
    auto c = readContainer(stream.data(), stream.size());
    ASSERT_TRUE(c);
    const std::size_t payload = c->payloadSize;
    std::mt19937 rng(9);
    int refused = 0;
    for (int trial = 0; trial < 60; ++trial) {
        // The last 60% of the payload: the refinement layer (its stripe headers, flags and values).
        const std::size_t at = payload - 1 - rng() % (payload * 6 / 10);
        const Bytes bad = withPayloadByte(stream, at, std::uint8_t(c->payload[at] ^ (1u << (rng() % 8))));
        auto r = decodeWith(codec, bad, 1 + trial % 3);
        if (!r) {
            ++refused;
            EXPECT_EQ(r.error().code, ErrorCode::CorruptData) << r.error().message;
            continue;
        }
        for (std::int64_t i = 0; i < r->texelCount() * 3; ++i)
            ASSERT_TRUE(std::isfinite(r->data()[i]) && r->data()[i] >= 0.0f) << "byte " << at;
    }
    EXPECT_GT(refused, 30);
}
