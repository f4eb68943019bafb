// Presets: round trips through JSON and files for every registered codec, and each kind of bad preset file gives
// the documented error (or warning) with a message naming what is wrong.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/preset/preset.h"
#include "codec/file_io.h"

namespace lmc::preset {
namespace {

namespace fs = std::filesystem;

const CodecRegistry& registry() {
    return CodecRegistry::builtin();
}

// A registry whose one codec has a parameter of every type, to check Float and Bool handling (the built-in codecs
// only have Int and Enum parameters). It is never asked to encode.
class AllTypesCodec : public Codec {
public:
    std::string id() const override { return "alltypes"; }
    std::string name() const override { return "All types"; }
    std::string description() const override { return "schema fixture"; }
    ParamSchema schema() const override {
        ParamSpec strength;
        strength.id = "strength";
        strength.type = ParamType::Float;
        strength.minValue = -1.5;
        strength.maxValue = 2.5;
        strength.defaultValue = 0.25;
        ParamSpec dither;
        dither.id = "dither";
        dither.type = ParamType::Bool;
        dither.defaultValue = 1;
        return {asRate(intParam("level", "Level", "", 0, 9, 5)), strength, dither,
                enumParam("mode", "Mode", "", {"a", "b", "c"}, 1)};
    }
    Result<Bytes> encode(const ImageView&, const ParamSet&, const CodecContext&) const override {
        return makeError(ErrorCode::Unsupported, "fixture");
    }
    Result<Image> decode(const std::uint8_t*, std::size_t, const CodecContext&) const override {
        return makeError(ErrorCode::Unsupported, "fixture");
    }
};

const CodecRegistry& allTypesRegistry() {
    static const CodecRegistry r = [] {
        CodecRegistry reg;
        reg.add(std::make_unique<AllTypesCodec>());
        return reg;
    }();
    return r;
}

std::string fingerprint(const std::string& codec) {
    return schemaFingerprint(registry().find(codec)->schema());
}

// A valid jpeg preset with the given params object and extra members spliced in.
std::string jpegPreset(const std::string& params, const std::string& extra = {}) {
    return R"({"format": "lmc-preset", "version": 1, "codec": "jpeg", "schema_version": ")" + fingerprint("jpeg") +
           R"(", "target": "mobile", "params": )" + params + extra + "}";
}

Error loadError(const std::string& text, const CodecRegistry& reg = registry()) {
    auto loaded = parsePreset(text, reg);
    EXPECT_FALSE(loaded.ok()) << "accepted: " << text;
    return loaded.ok() ? Error{} : loaded.error();
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

class TempDir {
public:
    TempDir() {
        path_ = fs::path(LMC_TEST_BINARY_DIR) /
                ("preset_tmp_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    fs::path path_;
};

TEST(Preset, RoundTripEveryCodecAndEveryChoice) {
    for (const Codec* codec : registry().codecs()) {
        for (const ParamSpec& spec : codec->schema()) {
            const int count = spec.type == ParamType::Enum ? int(spec.choices.size()) : 3;
            for (int k = 0; k < count; ++k) {
                ParamSet params = ParamSet::defaults(codec->schema());
                const double value = spec.type == ParamType::Enum ? k
                                     : k == 0                     ? spec.minValue
                                     : k == 1                     ? spec.maxValue
                                                                  : std::round((spec.minValue + spec.maxValue) / 2);
                params.set(spec.id, value);
                auto preset = makePreset(registry(), codec->id(), params, "PC high");
                ASSERT_TRUE(preset.ok()) << preset.error().message;
                auto text = serializePreset(*preset, registry());
                ASSERT_TRUE(text.ok()) << text.error().message;
                auto back = parsePreset(*text, registry());
                ASSERT_TRUE(back.ok()) << back.error().message << "\n" << *text;
                EXPECT_TRUE(back->warnings.empty()) << back->warnings.front();
                EXPECT_EQ(back->preset.codecId, codec->id());
                EXPECT_EQ(back->preset.params, params) << codec->id() << " " << spec.id << "=" << value;
                EXPECT_EQ(back->preset.target, "PC high");
                EXPECT_EQ(back->preset.schemaVersion, schemaFingerprint(codec->schema()));
                EXPECT_EQ(back->preset.appVersion, appVersion());
                EXPECT_EQ(back->preset.created, preset->created);
                EXPECT_FALSE(back->preset.metrics.has_value());
            }
        }
    }
}

TEST(Preset, FileRoundTripWithMetricsAndEnumsByName) {
    TempDir dir;
    ParamSet params;
    params.set("quality", 42);
    params.set("chroma", 0);  // "444"
    auto preset = makePreset(registry(), "jpeg", params, "中文 target \"quoted\"");
    ASSERT_TRUE(preset.ok());
    QualityMetrics m;
    m.mPsnr = 41.25;
    m.logPsnr = 47.5;
    m.pu21Psnr = 38.125;
    m.pu21Ssim = 0.9875;
    preset->metrics = makeMetricsSnapshot(&m, 302113, 1024, 512, "/some/where/atrium.exr");
    const std::string path = dir.file("p.json");
    ASSERT_TRUE(savePreset(path, *preset, registry()).ok());

    auto bytes = readFileBytes(path);
    ASSERT_TRUE(bytes.ok());
    const std::string text(bytes->begin(), bytes->end());
    EXPECT_TRUE(contains(text, "\"chroma\": \"444\"")) << text;
    EXPECT_TRUE(contains(text, "\"quality\": 42")) << text;
    EXPECT_TRUE(contains(text, "\"format\": \"lmc-preset\"")) << text;
    EXPECT_FALSE(contains(text, "/some/where")) << "full paths must not leak into presets";

    auto back = loadPreset(path, registry());
    ASSERT_TRUE(back.ok()) << back.error().message;
    const Preset& p = back->preset;
    EXPECT_EQ(p.target, "中文 target \"quoted\"");
    EXPECT_EQ(p.params.get("quality"), 42);
    EXPECT_EQ(p.params.get("chroma"), 0);
    ASSERT_TRUE(p.metrics.has_value());
    EXPECT_EQ(p.metrics->bytes, 302113u);
    EXPECT_DOUBLE_EQ(p.metrics->bpp, 302113.0 * 8 / (1024.0 * 512));
    EXPECT_EQ(p.metrics->mpsnr, 41.25);
    EXPECT_EQ(p.metrics->logpsnr, 47.5);
    EXPECT_EQ(p.metrics->pu21psnr, 38.125);
    EXPECT_EQ(p.metrics->ssim, 0.9875);
    EXPECT_EQ(p.metrics->sourceFile, "atrium.exr");
    EXPECT_EQ(p.metrics->width, 1024);
    EXPECT_EQ(p.metrics->height, 512);
    const std::string shown = describePreset(p, registry());
    EXPECT_TRUE(contains(shown, "quality=42;chroma=444")) << shown;
    EXPECT_TRUE(contains(shown, "mPSNR 41.25 dB")) << shown;

    // Saving never replaces the protected source, and leaves no temporary file behind.
    ASSERT_TRUE(savePreset(dir.file("src.exr"), *preset, registry()).ok());
    auto refused = savePreset(dir.file("src.exr"), *preset, registry(), dir.file("src.exr"));
    EXPECT_FALSE(refused.ok());
    int entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(fs::path(path).parent_path())) ++entries;
    EXPECT_EQ(entries, 2);
}

TEST(Preset, FloatAndBoolParameters) {
    ParamSet params;
    params.set("strength", -1.25);
    params.set("dither", 0);
    params.set("mode", 2);
    params.set("level", 9);
    auto preset = makePreset(allTypesRegistry(), "alltypes", params, "");
    ASSERT_TRUE(preset.ok()) << preset.error().message;
    auto text = serializePreset(*preset, allTypesRegistry());
    ASSERT_TRUE(text.ok());
    EXPECT_TRUE(contains(*text, "\"dither\": false")) << *text;
    EXPECT_TRUE(contains(*text, "\"strength\": -1.25")) << *text;
    EXPECT_TRUE(contains(*text, "\"mode\": \"c\"")) << *text;
    auto back = parsePreset(*text, allTypesRegistry());
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->preset.params, params);

    const std::string base = R"({"format":"lmc-preset","version":1,"codec":"alltypes","params":)";
    auto err = loadError(base + R"({"dither": 1}})", allTypesRegistry());
    EXPECT_EQ(err.code, ErrorCode::InvalidArgument);
    EXPECT_TRUE(contains(err.message, "params.dither: expected true or false, found a JSON number")) << err.message;
    err = loadError(base + R"({"strength": 2.6}})", allTypesRegistry());
    EXPECT_TRUE(contains(err.message, "params.strength: 2.6 is out of range -1.5..2.5")) << err.message;
    err = loadError(base + R"({"strength": "0.5"}})", allTypesRegistry());
    EXPECT_TRUE(contains(err.message, "expected a number, found a JSON string")) << err.message;
    auto ok = parsePreset(base + R"({"strength": 2.5, "dither": true, "mode": "a", "level": 0}})", allTypesRegistry());
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(ok->preset.params.get("strength"), 2.5);
    EXPECT_EQ(ok->preset.params.get("dither"), 1.0);
}

TEST(Preset, TruncatedFilesAreRefused) {
    auto preset = makePreset(registry(), "astc", ParamSet::defaults(registry().find("astc")->schema()), "mobile");
    ASSERT_TRUE(preset.ok());
    auto text = serializePreset(*preset, registry());
    ASSERT_TRUE(text.ok());
    // Every cut that drops a structural character fails; stop before the trailing newline (still a full document).
    const std::size_t end = text->rfind('}');
    for (std::size_t n = 0; n <= end; n += 3) {
        auto loaded = parsePreset(text->substr(0, n), registry());
        ASSERT_FALSE(loaded.ok()) << n;
        EXPECT_EQ(loaded.error().code, ErrorCode::CorruptData) << n << ": " << loaded.error().message;
    }
    auto err = loadError(text->substr(0, text->size() / 2));
    EXPECT_TRUE(contains(err.message, "line ")) << err.message;
}

TEST(Preset, WrongTypesAreRefused) {
    auto err = loadError(jpegPreset(R"({"quality": "75"})"));
    EXPECT_EQ(err.code, ErrorCode::InvalidArgument);
    EXPECT_TRUE(contains(err.message, "params.quality: expected an integer, found a JSON string")) << err.message;
    err = loadError(jpegPreset(R"({"chroma": 1})"));
    EXPECT_TRUE(contains(err.message, "params.chroma: expected a string, found a JSON number")) << err.message;
    EXPECT_TRUE(contains(err.message, "\"444\", \"420\"")) << err.message;
    err = loadError(jpegPreset(R"({"quality": null})"));
    EXPECT_TRUE(contains(err.message, "found a JSON null")) << err.message;
    err = loadError(jpegPreset("[75]"));
    EXPECT_EQ(err.code, ErrorCode::CorruptData);
    EXPECT_TRUE(contains(err.message, "\"params\" must be an object, found a JSON array")) << err.message;
    err = loadError(R"({"format": "lmc-preset", "version": "1", "codec": "jpeg", "params": {}})");
    EXPECT_EQ(err.code, ErrorCode::CorruptData);
    EXPECT_TRUE(contains(err.message, "\"version\" must be a positive integer")) << err.message;
    err = loadError(R"({"format": "lmc-preset", "version": 1, "codec": 7, "params": {}})");
    EXPECT_TRUE(contains(err.message, "\"codec\" must be a string")) << err.message;
    err = loadError(jpegPreset("{}", R"(, "target": ["x"])"));
    // jpegPreset already has a target: the duplicate key is what the strict reader reports.
    EXPECT_TRUE(contains(err.message, "duplicate key \"target\"")) << err.message;
    err = loadError(R"({"format": "lmc-preset", "version": 1, "codec": "jpeg", "params": {}, "target": 3})");
    EXPECT_TRUE(contains(err.message, "\"target\" must be a string")) << err.message;
    err = loadError("[1, 2]");
    EXPECT_TRUE(contains(err.message, "not an lmc preset: the file holds a JSON array")) << err.message;
}

TEST(Preset, FormatAndVersionChecks) {
    auto err = loadError(R"({"version": 1, "codec": "jpeg", "params": {}})");
    EXPECT_TRUE(contains(err.message, "no \"format\"")) << err.message;
    err = loadError(R"({"format": "lmc-settings", "version": 1, "codec": "jpeg", "params": {}})");
    EXPECT_TRUE(contains(err.message, "\"format\" is \"lmc-settings\"")) << err.message;
    err = loadError(R"({"format": "lmc-preset", "codec": "jpeg", "params": {}})");
    EXPECT_TRUE(contains(err.message, "\"version\" is missing")) << err.message;
    err = loadError(R"({"format": "lmc-preset", "version": 1.5, "codec": "jpeg", "params": {}})");
    EXPECT_TRUE(contains(err.message, "positive integer")) << err.message;
    err = loadError(R"({"format": "lmc-preset", "version": 3, "codec": "jpeg", "params": {}})");
    EXPECT_EQ(err.code, ErrorCode::Unsupported);
    EXPECT_TRUE(contains(err.message, "newer program")) << err.message;
    err = loadError(R"({"format": "lmc-preset", "version": 1, "params": {}})");
    EXPECT_TRUE(contains(err.message, "\"codec\" is missing")) << err.message;
    err = loadError(R"({"format": "lmc-preset", "version": 1, "codec": "jpeg"})");
    EXPECT_TRUE(contains(err.message, "\"params\" is missing")) << err.message;
}

// A codec without a rate parameter: nothing to solve for.
class NoRateCodec : public Codec {
public:
    std::string id() const override { return "norate"; }
    std::string name() const override { return "No rate"; }
    std::string description() const override { return "schema fixture"; }
    ParamSchema schema() const override { return {intParam("level", "Level", "", 0, 9, 5)}; }
    Result<Bytes> encode(const ImageView&, const ParamSet&, const CodecContext&) const override {
        return makeError(ErrorCode::Unsupported, "fixture");
    }
    Result<Image> decode(const std::uint8_t*, std::size_t, const CodecContext&) const override {
        return makeError(ErrorCode::Unsupported, "fixture");
    }
};

// Solving presets: "solve" round-trips through text and files as version 2, while fixed-knob presets are still
// written as version 1 (older programs keep reading them and refuse a solving one rather than apply its start
// value as a fixed knob); version-1 files still load.
TEST(Preset, SolveRoundTripAndVersions) {
    TempDir dir;
    for (const char* text : {"mpsnr=45", "pu21psnr=38.5", "logpsnr=50", "bpp=0.75"}) {
        const SolveTarget target = parseSolveTarget(text).value();
        ParamSet params = ParamSet::defaults(registry().find("avif")->schema());
        params.set("speed", 4);
        auto preset = makePreset(registry(), "avif", params, "PC", target);
        ASSERT_TRUE(preset.ok()) << preset.error().message;
        const std::string path = dir.file("solve.json");
        ASSERT_TRUE(savePreset(path, *preset, registry()).ok());
        auto loaded = loadPreset(path, registry());
        ASSERT_TRUE(loaded.ok()) << loaded.error().message;
        EXPECT_TRUE(loaded->warnings.empty()) << loaded->warnings.front();
        ASSERT_TRUE(loaded->preset.solve.has_value()) << text;
        EXPECT_EQ(loaded->preset.solve->metric, target.metric);
        EXPECT_EQ(loaded->preset.solve->value, target.value);
        EXPECT_EQ(loaded->preset.params.get("speed"), 4);
        auto json = serializePreset(*preset, registry());
        ASSERT_TRUE(json.ok());
        EXPECT_TRUE(contains(*json, "\"version\": 2")) << *json;
        EXPECT_TRUE(contains(*json, std::string("\"metric\": \"") + solveMetricName(target.metric) + "\""));
        EXPECT_TRUE(contains(describePreset(loaded->preset, registry()), "solve      " + std::string(text)))
            << describePreset(loaded->preset, registry());
    }
    auto fixed = makePreset(registry(), "avif", ParamSet::defaults(registry().find("avif")->schema()), "");
    ASSERT_TRUE(fixed.ok());
    auto fixedJson = serializePreset(*fixed, registry());
    ASSERT_TRUE(fixedJson.ok());
    EXPECT_TRUE(contains(*fixedJson, "\"version\": 1")) << *fixedJson;
    EXPECT_FALSE(contains(*fixedJson, "solve"));
    auto old = parsePreset(jpegPreset(R"({"quality": 60, "chroma": "444"})"), registry());
    ASSERT_TRUE(old.ok()) << old.error().message;
    EXPECT_FALSE(old->preset.solve.has_value());
    // A version-1 file naming "solve" (hand-written) is read as a solving preset too.
    auto v1 =
        parsePreset(jpegPreset(R"({"quality": 60, "chroma": "444"})", R"(, "solve": {"metric": "bpp", "target": 1.5})"),
                    registry());
    ASSERT_TRUE(v1.ok()) << v1.error().message;
    ASSERT_TRUE(v1->preset.solve.has_value());
    EXPECT_EQ(v1->preset.solve->metric, SolveMetric::Bpp);
    EXPECT_EQ(v1->preset.solve->value, 1.5);
    // A null "solve" is a fixed preset.
    auto none = parsePreset(jpegPreset(R"({"quality": 60, "chroma": "444"})", R"(, "solve": null)"), registry());
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->preset.solve.has_value());
}

TEST(Preset, GpuFormatChain) {
    // A chain round-trips through the file, shows in `preset show`, and keeps the fixed-knob version.
    TempDir dir;
    const ParamSet params = ParamSet::defaults(registry().find("avif")->schema());
    for (const char* text : {"bc6h:normal", "bc6h", "astc:6x6", "astc:12x12"}) {
        auto preset = makePreset(registry(), "avif", params, "PC", std::nullopt, text);
        ASSERT_TRUE(preset.ok()) << text << ": " << preset.error().message;
        const std::string path = dir.file("chain.json");
        ASSERT_TRUE(savePreset(path, *preset, registry()).ok());
        auto loaded = loadPreset(path, registry());
        ASSERT_TRUE(loaded.ok()) << loaded.error().message;
        EXPECT_TRUE(loaded->warnings.empty()) << loaded->warnings.front();
        EXPECT_EQ(loaded->preset.gpuFormat, text);
        auto json = serializePreset(*preset, registry());
        ASSERT_TRUE(json.ok());
        EXPECT_TRUE(contains(*json, std::string("\"gpu_format\": \"") + text + "\"")) << *json;
        EXPECT_TRUE(contains(*json, "\"version\": 1")) << *json;
        EXPECT_TRUE(contains(describePreset(loaded->preset, registry()), std::string("gpu format ") + text))
            << describePreset(loaded->preset, registry());
    }
    // Old presets (no member) and a null member load unchanged, without a chain and without warnings; none is written.
    auto old = parsePreset(jpegPreset(R"({"quality": 60, "chroma": "444"})"), registry());
    ASSERT_TRUE(old.ok()) << old.error().message;
    EXPECT_TRUE(old->warnings.empty());
    EXPECT_TRUE(old->preset.gpuFormat.empty());
    EXPECT_EQ(old->preset.params.get("quality"), 60);
    auto null = parsePreset(jpegPreset(R"({"quality": 60, "chroma": "444"})", R"(, "gpu_format": null)"), registry());
    ASSERT_TRUE(null.ok());
    EXPECT_TRUE(null->preset.gpuFormat.empty());
    auto plain = serializePreset(old->preset, registry());
    ASSERT_TRUE(plain.ok());
    EXPECT_FALSE(contains(*plain, "gpu_format"));
    // Anything parseGpuFormat refuses is InvalidArgument naming the member, in a file and in makePreset.
    for (const char* bad :
         {R"("bc7")", R"("bc6h:sharpest")", R"("astc:7x7")", R"("bc6h:")", R"("")", R"(5)", R"(["bc6h"])"}) {
        const Error e = loadError(jpegPreset(R"({"quality": 60})", std::string(R"(, "gpu_format": )") + bad));
        EXPECT_EQ(e.code, ErrorCode::InvalidArgument) << bad << ": " << e.message;
        EXPECT_TRUE(contains(e.message, "gpu_format")) << e.message;
    }
    auto refused = makePreset(registry(), "avif", params, "", std::nullopt, "bc6h:ultra");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);
    EXPECT_TRUE(contains(refused.error().message, "gpu_format")) << refused.error().message;
}

TEST(Preset, SolveValidation) {
    const std::string params = R"({"quality": 60, "chroma": "444"})";
    struct Case {
        const char* solve;
        const char* message;
    };
    for (const Case& c : {Case{R"(, "solve": "mpsnr=45")", "\"solve\" must be an object"},
                          Case{R"(, "solve": {"target": 45})", "solve.metric is missing"},
                          Case{R"(, "solve": {"metric": "psnr", "target": 45})", "solve.metric must be one of"},
                          Case{R"(, "solve": {"metric": 3, "target": 45})", "solve.metric must be one of"},
                          Case{R"(, "solve": {"metric": "mpsnr"})", "solve.target is missing"},
                          Case{R"(, "solve": {"metric": "mpsnr", "target": "45"})", "solve.target: expected a number"},
                          Case{R"(, "solve": {"metric": "mpsnr", "target": 0})", "above 0"},
                          Case{R"(, "solve": {"metric": "bpp", "target": -2})", "above 0"}}) {
        const Error err = loadError(jpegPreset(params, c.solve));
        EXPECT_EQ(err.code, ErrorCode::InvalidArgument) << c.solve;
        EXPECT_TRUE(contains(err.message, c.message)) << c.solve << " -> " << err.message;
    }
    // Unknown members inside "solve" warn, as unknown keys elsewhere do.
    auto extra =
        parsePreset(jpegPreset(params, R"(, "solve": {"metric": "mpsnr", "target": 45, "tol": 1})"), registry());
    ASSERT_TRUE(extra.ok()) << extra.error().message;
    ASSERT_EQ(extra->warnings.size(), 1u);
    EXPECT_TRUE(contains(extra->warnings[0], "solve.tol")) << extra->warnings[0];

    // A codec without a rate parameter cannot carry a target, when made or when loaded.
    CodecRegistry noRate;
    noRate.add(std::make_unique<NoRateCodec>());
    auto made = makePreset(noRate, "norate", ParamSet{}, "", SolveTarget{SolveMetric::MPsnr, 40});
    ASSERT_FALSE(made.ok());
    EXPECT_EQ(made.error().code, ErrorCode::Unsupported);
    const Error err = loadError(R"({"format": "lmc-preset", "version": 2, "codec": "norate", "params": {"level": 3},
        "solve": {"metric": "mpsnr", "target": 40}})",
                                noRate);
    EXPECT_EQ(err.code, ErrorCode::Unsupported);
    EXPECT_TRUE(contains(err.message, "no rate parameter")) << err.message;
    auto bad = makePreset(registry(), "jpeg", ParamSet{}, "", SolveTarget{SolveMetric::MPsnr, -1});
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument);
}

TEST(Preset, UnknownCodecAndParameters) {
    auto err = loadError(R"({"format": "lmc-preset", "version": 1, "codec": "webp", "params": {}})");
    EXPECT_EQ(err.code, ErrorCode::Unsupported);
    EXPECT_TRUE(contains(err.message, "unknown codec 'webp' (available: jpeg, bc6h, astc")) << err.message;
    err = loadError(jpegPreset(R"({"quality": 75, "speed": 3})"));
    EXPECT_EQ(err.code, ErrorCode::InvalidArgument);
    EXPECT_TRUE(contains(err.message, "params.speed: codec 'jpeg' has no such parameter (known: quality, chroma)"))
        << err.message;
    EXPECT_FALSE(makePreset(registry(), "webp", {}, "").ok());
    ParamSet bad;
    bad.set("quality", 0);
    EXPECT_FALSE(makePreset(registry(), "jpeg", bad, "").ok());
}

TEST(Preset, OutOfRangeAndHugeNumbers) {
    auto err = loadError(jpegPreset(R"({"quality": 0})"));
    EXPECT_EQ(err.code, ErrorCode::InvalidArgument);
    EXPECT_TRUE(contains(err.message, "params.quality: 0 is out of range 1..100")) << err.message;
    err = loadError(jpegPreset(R"({"quality": 101})"));
    EXPECT_TRUE(contains(err.message, "101 is out of range")) << err.message;
    err = loadError(jpegPreset(R"({"quality": 75.5})"));
    EXPECT_TRUE(contains(err.message, "75.5 is not an integer")) << err.message;
    err = loadError(jpegPreset(R"({"quality": 1e300})"));
    EXPECT_TRUE(contains(err.message, "1e+300 is out of range")) << err.message;
    err = loadError(jpegPreset(R"({"quality": -1e300})"));
    EXPECT_TRUE(contains(err.message, "out of range")) << err.message;
    err = loadError(jpegPreset(R"({"quality": 1e400})"));
    EXPECT_EQ(err.code, ErrorCode::CorruptData);
    EXPECT_TRUE(contains(err.message, "number overflow")) << err.message;
    err = loadError(jpegPreset(R"({"chroma": "422"})"));
    EXPECT_TRUE(contains(err.message, "\"422\" is not a choice")) << err.message;
    // An integral value written with an exponent or a fraction of zero is still an integer.
    auto ok = parsePreset(jpegPreset(R"({"quality": 7.5e1, "chroma": "444"})"), registry());
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(ok->preset.params.get("quality"), 75);
}

TEST(Preset, DeepNestingInvalidUtf8AndEncodings) {
    auto err =
        loadError(jpegPreset(R"({"quality": 50})", R"(, "extra": )" + std::string(20, '[') + std::string(20, ']')));
    EXPECT_EQ(err.code, ErrorCode::CorruptData);
    EXPECT_TRUE(contains(err.message, "nesting deeper than 16")) << err.message;
    err = loadError(R"({"format": "lmc-preset", "version": 1, "codec": "jpeg", "params": {}, "target": "a)"
                    "\xC3\x28"
                    R"("})");
    EXPECT_EQ(err.code, ErrorCode::CorruptData);
    EXPECT_TRUE(contains(err.message, "ill-formed UTF-8")) << err.message;
    EXPECT_TRUE(contains(err.message, "line 1, column 84")) << err.message;  // the byte that breaks the sequence

    // A UTF-8 BOM (Windows editors) is accepted; UTF-16 is refused with a message saying how to fix it.
    auto bom = parsePreset("\xEF\xBB\xBF" + jpegPreset(R"({"quality": 50, "chroma": "420"})"), registry());
    ASSERT_TRUE(bom.ok()) << bom.error().message;
    EXPECT_EQ(bom->preset.params.get("quality"), 50);
    std::string utf16 = "\xFF\xFE";
    for (char c : jpegPreset("{}")) utf16 += std::string{c, '\0'};
    err = loadError(utf16);
    EXPECT_TRUE(contains(err.message, "UTF-16")) << err.message;
}

TEST(Preset, WarningsForMissingParamsSchemaChangesAndExtras) {
    auto loaded = parsePreset(jpegPreset(R"({"quality": 60})", R"(, "comment": "hi")"), registry());
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->preset.params.get("quality"), 60);
    EXPECT_EQ(loaded->preset.params.get("chroma"), 1);  // default 420
    ASSERT_EQ(loaded->warnings.size(), 2u);
    EXPECT_TRUE(contains(loaded->warnings[0], "'chroma' is not in the preset; using its default 420"));
    EXPECT_TRUE(contains(loaded->warnings[1], "unknown key \"comment\""));

    const std::string other = R"({"format": "lmc-preset", "version": 1, "codec": "jpeg", "schema_version": "0123",
                                  "params": {"quality": 60, "chroma": "444"}})";
    loaded = parsePreset(other, registry());
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_EQ(loaded->warnings.size(), 1u);
    EXPECT_TRUE(contains(loaded->warnings[0], "schema 0123, this program has " + fingerprint("jpeg")))
        << loaded->warnings[0];
    EXPECT_EQ(loaded->preset.schemaVersion, fingerprint("jpeg"));

    // Malformed informational fields are dropped with a warning, the preset still loads.
    loaded = parsePreset(jpegPreset(R"({"quality": 60, "chroma": "444"})",
                                    R"(, "metrics": {"bpp": "2", "mpsnr": 40, "width": -3, "bytes": 1.5, "x": 1},
                                          "created": 5, "app_version": false)"),
                         registry());
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_TRUE(loaded->preset.metrics.has_value());
    EXPECT_TRUE(std::isnan(loaded->preset.metrics->bpp));
    EXPECT_EQ(loaded->preset.metrics->mpsnr, 40);
    EXPECT_EQ(loaded->preset.metrics->width, 0);
    EXPECT_EQ(loaded->preset.metrics->bytes, 0u);
    EXPECT_EQ(loaded->warnings.size(), 6u);
}

TEST(Preset, SchemaFingerprint) {
    const ParamSchema jpeg = registry().find("jpeg")->schema();
    const std::string base = schemaFingerprint(jpeg);
    EXPECT_EQ(base.size(), 16u);
    ParamSchema relabelled = jpeg;
    relabelled[0].label = "Qualität";
    relabelled[0].defaultValue = 90;
    std::swap(relabelled[0], relabelled[1]);
    EXPECT_EQ(schemaFingerprint(relabelled), base);
    ParamSchema widened = jpeg;
    widened[0].maxValue = 101;
    EXPECT_NE(schemaFingerprint(widened), base);
    ParamSchema moreChoices = jpeg;
    moreChoices[1].choices.push_back("422");
    EXPECT_NE(schemaFingerprint(moreChoices), base);
    EXPECT_NE(fingerprint("bc6h"), fingerprint("astc"));
}

TEST(Preset, FileErrorsNameThePath) {
    TempDir dir;
    auto missing = loadPreset(dir.file("none.json"), registry());
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::IoError);
    EXPECT_TRUE(contains(missing.error().message, "none.json")) << missing.error().message;

    const std::string big = dir.file("big.json");
    {
        std::ofstream out(big, std::ios::binary);
        out << "[" << std::string(kMaxPresetBytes, ' ') << "]";
    }
    auto tooBig = loadPreset(big, registry());
    ASSERT_FALSE(tooBig.ok());
    EXPECT_EQ(tooBig.error().code, ErrorCode::TooLarge);

    const std::string broken = dir.file("broken.json");
    {
        std::ofstream out(broken, std::ios::binary);
        out << "{\n  \"format\": \"lmc-preset\",\n  \"version\": 1\n  \"codec\": \"jpeg\"\n}";
    }
    auto syntax = loadPreset(broken, registry());
    ASSERT_FALSE(syntax.ok());
    EXPECT_EQ(syntax.error().message, broken +
                                          ": line 4, column 3: syntax error while parsing object - unexpected string "
                                          "literal; expected '}'");
}

}  // namespace
}  // namespace lmc::preset
