#include <gtest/gtest.h>

#include "codec/codec.h"
#include "codec/container.h"
#include "codec/params.h"

using namespace lmc;

namespace {
ParamSchema exampleSchema() {
    ParamSpec quality;
    quality.id = "quality";
    quality.type = ParamType::Int;
    quality.minValue = 1;
    quality.maxValue = 100;
    quality.defaultValue = 75;
    quality.isRate = true;
    ParamSpec chroma;
    chroma.id = "chroma";
    chroma.type = ParamType::Enum;
    chroma.choices = {"444", "420"};
    chroma.defaultValue = 0;
    return {quality, chroma};
}
}  // namespace

TEST(Image, RefusesHugeSizesBeforeAllocating) {
    auto r = Image::create(100000, 100000);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::TooLarge);
    EXPECT_FALSE(Image::create(0, 5).ok());
    EXPECT_TRUE(Image::create(1, 1).ok());
    EXPECT_TRUE(Image::create(3, 5).ok());
}

TEST(Image, CropViewAddressesTheRightTexels) {
    Image image = Image::create(4, 3).value();
    image.texel(2, 1)[1] = 7.0f;
    image.ensureMask();
    image.maskData()[1 * 4 + 2] = 0;
    ImageView v = image.view().crop(1, 1, 2, 2);
    EXPECT_EQ(v.texel(1, 0)[1], 7.0f);
    EXPECT_FALSE(v.covered(1, 0));
    EXPECT_TRUE(v.covered(0, 0));
    Image copy = Image::fromView(v).value();
    EXPECT_EQ(copy.width(), 2);
    EXPECT_EQ(copy.texel(1, 0)[1], 7.0f);
    EXPECT_EQ(copy.maskData()[1], 0);
}

TEST(Image, StatsCountNegativesInCoveredTexelsApart) {
    // Three texels: a covered one with a negative channel, an uncovered one far below, a covered positive one.
    Image image = Image::create(3, 1).value();
    image.ensureMask();
    image.texel(0, 0)[1] = -0.5f;
    image.texel(1, 0)[0] = -7.0f;
    image.texel(1, 0)[2] = -3.0f;
    image.texel(2, 0)[0] = 2.0f;
    image.maskData()[0] = 1;
    image.maskData()[1] = 0;
    image.maskData()[2] = 1;
    const ImageStats stats = computeStats(image.view());
    EXPECT_EQ(stats.negativeCount, 3);
    EXPECT_EQ(stats.coveredNegativeCount, 1);
    EXPECT_EQ(stats.minValue, -7.0f);
    EXPECT_EQ(stats.coveredMinValue, -0.5f);
}

TEST(Image, SanitizeReplacesNonFiniteValues) {
    Image image = Image::create(2, 1).value();
    image.texel(0, 0)[0] = std::numeric_limits<float>::quiet_NaN();
    image.texel(0, 0)[1] = std::numeric_limits<float>::infinity();
    image.texel(1, 0)[2] = -std::numeric_limits<float>::infinity();
    EXPECT_EQ(computeStats(image.view()).nonFiniteCount, 3);
    EXPECT_EQ(sanitizeNonFinite(image), 3);
    EXPECT_EQ(image.texel(0, 0)[0], 0.0f);
    EXPECT_EQ(image.texel(0, 0)[1], 65504.0f);
    EXPECT_EQ(image.texel(1, 0)[2], -65504.0f);
}

TEST(Params, ParsesAndValidatesAgainstTheSchema) {
    auto schema = exampleSchema();
    auto p = parseParamAssignments(schema, {"quality=90", "chroma=420"});
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p->getInt("quality"), 90);
    EXPECT_EQ(p->getInt("chroma"), 1);
    EXPECT_EQ(formatParamSet(schema, *p), "quality=90;chroma=420");
    EXPECT_EQ(parseParamSet(schema, "quality=90;chroma=420").value(), *p);
    EXPECT_FALSE(parseParamAssignments(schema, {"quality=101"}).ok());
    EXPECT_FALSE(parseParamAssignments(schema, {"quality=9.5"}).ok());
    EXPECT_FALSE(parseParamAssignments(schema, {"chroma=422"}).ok());
    EXPECT_FALSE(parseParamAssignments(schema, {"speed=3"}).ok());
    EXPECT_FALSE(parseParamAssignments(schema, {"quality"}).ok());
    ParamSet bad;
    bad.set("quality", 0);
    EXPECT_FALSE(validateParams(schema, bad).ok());
    ParamSet partial;
    partial.set("quality", 50.4);
    auto validated = validateParams(schema, partial);
    ASSERT_TRUE(validated.ok());
    EXPECT_EQ(validated->get("quality"), 50);
    EXPECT_EQ(validated->get("chroma"), 0);
}

TEST(Container, RoundTripsHeaderAndPayload) {
    std::vector<std::uint8_t> payload = {1, 2, 3, 4, 5};
    ContainerHeader h{"jpeg", 640, 480, "quality=75"};
    auto bytes = writeContainer(h, payload);
    EXPECT_EQ(bytes.size(), 24 + 4 + 10 + payload.size());
    EXPECT_EQ(containerCodecId(bytes.data(), bytes.size()), "jpeg");
    auto view = readContainer(bytes.data(), bytes.size());
    ASSERT_TRUE(view.ok()) << view.error().message;
    EXPECT_EQ(view->header.codecId, "jpeg");
    EXPECT_EQ(view->header.width, 640);
    EXPECT_EQ(view->header.height, 480);
    EXPECT_EQ(view->header.params, "quality=75");
    EXPECT_EQ(std::vector<std::uint8_t>(view->payload, view->payload + view->payloadSize), payload);
}

TEST(Container, DetectsEveryKindOfDamage) {
    std::vector<std::uint8_t> payload(100, 42);
    auto good = writeContainer({"jpeg", 16, 16, "quality=75"}, payload);
    for (std::size_t cut = 0; cut < good.size(); ++cut) {
        auto r = readContainer(good.data(), cut);
        ASSERT_FALSE(r.ok()) << "truncated at " << cut;
        EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
    }
    for (std::size_t i = 0; i < good.size(); ++i) {
        auto damaged = good;
        damaged[i] ^= 0x10;
        EXPECT_FALSE(readContainer(damaged.data(), damaged.size()).ok()) << "flipped byte " << i;
    }
    auto longer = good;
    longer.push_back(0);
    EXPECT_FALSE(readContainer(longer.data(), longer.size()).ok());
    auto huge = writeContainer({"jpeg", 100000, 100000, ""}, payload);
    EXPECT_FALSE(readContainer(huge.data(), huge.size()).ok());
}

TEST(Crc32, MatchesTheStandardCheckValue) {
    const char* text = "123456789";
    EXPECT_EQ(crc32(reinterpret_cast<const std::uint8_t*>(text), 9), 0xCBF43926u);
}

TEST(Registry, DecodeAnyRejectsUnknownStreams) {
    std::vector<std::uint8_t> junk = {0x89, 'P', 'N', 'G', 0, 0, 0, 0};
    auto r = decodeAny(CodecRegistry::builtin(), junk.data(), junk.size(), {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
    auto foreign = writeContainer({"nosuchcodec", 4, 4, ""}, junk);
    auto r2 = decodeAny(CodecRegistry::builtin(), foreign.data(), foreign.size(), {});
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.error().code, ErrorCode::Unsupported);
}

TEST(Registry, TraitsDescribeEachCodecForItsParameters) {
    const CodecRegistry& registry = CodecRegistry::builtin();
    // The cost hint: only the codecs that run neural networks are heavy.
    for (const Codec* codec : registry.codecs()) {
        const bool neural =
            codec->id() == "ae" || codec->id() == "vae" || codec->id() == "gan" || codec->id() == "overfit";
        EXPECT_EQ(codec->defaultTraits().heavy, neural) << codec->id();
        EXPECT_FALSE(codec->defaultTraits().fileExtension.empty()) << codec->id();
    }
    // Parameter-dependent traits: BC6H's extension, sign and GPU bits follow its settings.
    const Codec& bc6h = *registry.find("bc6h");
    ParamSet half = ParamSet::defaults(bc6h.schema());
    half.set("resolution", 1);  // half
    half.set("format", 1);      // sf16
    const CodecTraits atDefaults = bc6h.defaultTraits(), atHalf = bc6h.traits(half);
    EXPECT_EQ(atDefaults.fileExtension, ".dds");
    EXPECT_FALSE(atDefaults.keepsNegatives);
    EXPECT_EQ(atDefaults.gpuBitsPerTexel, 8.0);
    EXPECT_EQ(atHalf.fileExtension, ".lmc");
    EXPECT_TRUE(atHalf.keepsNegatives);
    EXPECT_EQ(atHalf.gpuBitsPerTexel, 2.0);
}

namespace {
struct FamilyOption {
    int value = 0;
};
struct OtherFamilyOption {
    std::string text;
};
}  // namespace

TEST(CodecContext, ExtensionsCarryOneFamilysOptionsThroughCopies) {
    CodecContext context;
    EXPECT_EQ(context.extensions.get<FamilyOption>(), nullptr);
    context.extensions.set(FamilyOption{3});
    context.extensions.set(OtherFamilyOption{"x"});
    context.extensions.set(FamilyOption{7});  // replaces, does not add
    const CodecContext copy = context;        // pipelines copy the caller's context
    ASSERT_NE(copy.extensions.get<FamilyOption>(), nullptr);
    EXPECT_EQ(copy.extensions.get<FamilyOption>()->value, 7);
    ASSERT_NE(copy.extensions.get<OtherFamilyOption>(), nullptr);
    EXPECT_EQ(copy.extensions.get<OtherFamilyOption>()->text, "x");
    context.extensions.set(FamilyOption{9});  // the copy keeps what it was given
    EXPECT_EQ(copy.extensions.get<FamilyOption>()->value, 7);
    EXPECT_EQ(CodecContext{}.extensions.get<OtherFamilyOption>(), nullptr);
}
