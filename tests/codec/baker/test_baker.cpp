// Lightmap baker: determinism, analytic furnace checks, atlas invariants, argument errors, cancellation.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <set>

#include "codec/baker/baker.h"
#include "codec/baker/lightmap_stats.h"

using namespace lmc;
using namespace lmc::baker;

namespace {

BakeSettings tiny(std::uint64_t seed, BakeStyle style = BakeStyle::Interior) {
    BakeSettings s;
    s.seed = seed;
    s.style = style;
    s.width = 96;
    s.height = 64;
    s.samples = 2;
    s.bounces = 1;
    return s;
}

CodecContext threadsContext(int threads) {
    CodecContext ctx;
    ctx.threads = threads;
    return ctx;
}

bool sameImage(const Image& a, const Image& b) {
    if (a.width() != b.width() || a.height() != b.height() || a.hasMask() != b.hasMask()) return false;
    std::size_t n = std::size_t(a.width()) * a.height();
    if (std::memcmp(a.data(), b.data(), n * 3 * sizeof(float)) != 0) return false;
    return !a.hasMask() || std::memcmp(a.maskData(), b.maskData(), n) == 0;
}

// Unit cube seen from inside: six inward quads sharing one material.
Scene closedBox(Vec3 albedo, Vec3 emission) {
    Scene scene;
    SceneBuilder b(scene);
    int m = b.material(albedo, emission);
    b.quad({0, 0, 0}, {0, 0, 1}, {1, 0, 0}, m);  // floor, +Y
    b.quad({0, 1, 0}, {1, 0, 0}, {0, 0, 1}, m);  // ceiling, -Y
    b.quad({0, 0, 0}, {0, 1, 0}, {0, 0, 1}, m);  // x = 0, +X
    b.quad({1, 0, 0}, {0, 0, 1}, {0, 1, 0}, m);  // x = 1, -X
    b.quad({0, 0, 0}, {1, 0, 0}, {0, 1, 0}, m);  // z = 0, +Z
    b.quad({0, 0, 1}, {0, 1, 0}, {1, 0, 0}, m);  // z = 1, -Z
    finalizeCharts(scene);
    return scene;
}

// Mean RGB over covered texels.
Vec3 coveredMean(const Image& image) {
    double s[3] = {0, 0, 0};
    std::size_t n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            if (!image.maskData()[std::size_t(y) * image.width() + x]) continue;
            for (int c = 0; c < 3; ++c) s[c] += image.texel(x, y)[c];
            ++n;
        }
    return {float(s[0] / n), float(s[1] / n), float(s[2] / n)};
}

}  // namespace

TEST(Baker, SameSeedGivesIdenticalOutputWhateverTheThreadCount) {
    auto a = bakeLightmap(tiny(42), threadsContext(1));
    auto b = bakeLightmap(tiny(42), threadsContext(2));
    auto c = bakeLightmap(tiny(42), threadsContext(3));
    ASSERT_TRUE(a.ok()) << a.error().message;
    ASSERT_TRUE(b.ok() && c.ok());
    EXPECT_TRUE(sameImage(*a, *b));
    EXPECT_TRUE(sameImage(*a, *c));
    auto other = bakeLightmap(tiny(43), threadsContext(2));
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(sameImage(*a, *other));
}

TEST(Baker, FurnaceClosedEmittingBoxGivesGeometricSeries) {
    // Every wall emits Le and reflects albedo a. With B bounces the cosine-weighted incoming radiance is
    // Le * (1 + a + ... + a^B) at every point, whatever the geometry, because the enclosure is closed.
    const float le = 2.0f, a = 0.5f;
    Scene scene = closedBox({a, a, a}, {le, le, le});
    BakeSettings s;
    s.width = s.height = 48;
    s.samples = 32;
    s.bounces = 2;
    s.includeEmission = false;
    s.dilate = false;
    auto atlas = packAtlas(scene, s.width, s.height, 2, 0.8f);
    ASSERT_TRUE(atlas.ok()) << atlas.error().message;
    auto image = bakeScene(scene, *atlas, s, CodecContext{});
    ASSERT_TRUE(image.ok()) << image.error().message;
    const float expected = le * (1 + a + a * a);
    Vec3 mean = coveredMean(*image);
    EXPECT_NEAR(mean.x, expected, 0.03 * expected);
    EXPECT_NEAR(mean.y, expected, 0.03 * expected);
    // Texel by texel it holds too, up to the residual noise.
    int far = 0, covered = 0;
    for (int y = 0; y < image->height(); ++y)
        for (int x = 0; x < image->width(); ++x) {
            if (!image->maskData()[std::size_t(y) * image->width() + x]) continue;
            ++covered;
            far += std::fabs(image->texel(x, y)[1] - expected) > 0.2f * expected;
        }
    EXPECT_GT(covered, 500);
    EXPECT_LT(far, covered / 10);

    // With its own emission added, as the baker stores emissive surfaces.
    s.includeEmission = true;
    auto withEmission = bakeScene(scene, *atlas, s, CodecContext{});
    ASSERT_TRUE(withEmission.ok());
    EXPECT_NEAR(coveredMean(*withEmission).y, expected + le, 0.03 * (expected + le));
}

TEST(Baker, UniformSkyAndSunOnAnOpenPlane) {
    // An upward plane under a uniform sky of radiance L receives E / pi = L; a sun of irradiance Es at
    // elevation t adds Es * sin(t) / pi. Nothing else is in the scene, so bounces add nothing.
    Scene scene;
    SceneBuilder b(scene);
    b.quad({0, 0, 0}, {0, 0, 4}, {4, 0, 0}, b.material({0.5f, 0.5f, 0.5f}));
    finalizeCharts(scene);
    scene.sky.enabled = true;
    scene.sky.zenith = scene.sky.horizon = {0.3f, 0.5f, 0.9f};
    BakeSettings s;
    s.width = s.height = 32;
    s.samples = 64;
    s.bounces = 2;
    s.dilate = false;
    auto atlas = packAtlas(scene, s.width, s.height, 2, 0.8f);
    ASSERT_TRUE(atlas.ok());
    auto sky = bakeScene(scene, *atlas, s, CodecContext{});
    ASSERT_TRUE(sky.ok());
    Vec3 m = coveredMean(*sky);
    EXPECT_NEAR(m.x, 0.3f, 0.01f);
    EXPECT_NEAR(m.z, 0.9f, 0.03f);

    scene.sky.enabled = false;
    scene.sun.enabled = true;
    const float elevation = 0.6f, es = 3.0f;
    scene.sun.direction = normalize({std::cos(elevation), std::sin(elevation), 0.0f});
    scene.sun.irradiance = {es, es, es};
    auto sun = bakeScene(scene, *atlas, s, CodecContext{});
    ASSERT_TRUE(sun.ok());
    // Unoccluded sun light is exact per sample: every texel, not just the mean.
    float expected = es * std::sin(elevation) / 3.14159265f;
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 32; ++x)
            if (sun->maskData()[y * 32 + x]) {
                ASSERT_NEAR(sun->texel(x, y)[0], expected, 1e-3f);
            }
}

TEST(Baker, CoverageMaskIsExactlyTheRasterisedCharts) {
    BakeSettings s = tiny(7, BakeStyle::Exterior);
    auto plan = planBake(s);
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    auto image = bakeScene(plan->scene, plan->atlas, s, CodecContext{});
    ASSERT_TRUE(image.ok());
    ASSERT_TRUE(image->hasMask());
    std::size_t covered = 0;
    for (int y = 0; y < s.height; ++y)
        for (int x = 0; x < s.width; ++x) {
            std::size_t i = std::size_t(y) * s.width + x;
            int tri = plan->atlas.texelTriangle[i];
            ASSERT_EQ(image->maskData()[i] != 0, tri >= 0) << "texel " << x << "," << y;
            if (tri < 0) continue;
            ++covered;
            const ChartRect& r = plan->atlas.charts[plan->scene.triangles[tri].chart];
            ASSERT_TRUE(x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h);
        }
    EXPECT_GT(covered, std::size_t(s.width * s.height / 5));
    // Every placed chart got at least one texel (charts are at least 2 x 2 and conservatively rasterised).
    std::set<int> seen;
    for (int t : plan->atlas.texelTriangle)
        if (t >= 0) seen.insert(plan->scene.triangles[t].chart);
    std::size_t placed = 0;
    for (const auto& r : plan->atlas.charts) placed += r.placed;
    EXPECT_EQ(seen.size(), placed);
    EXPECT_GT(placed, 10u);
}

TEST(Baker, ChartsNeverOverlapAndKeepTheirPadding) {
    for (BakeStyle style : {BakeStyle::Interior, BakeStyle::Exterior, BakeStyle::Night, BakeStyle::Mixed}) {
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            BakeSettings s = tiny(seed, style);
            s.width = 256, s.height = seed == 2 ? 512 : 256;  // non-square too
            auto plan = planBake(s);
            ASSERT_TRUE(plan.ok()) << plan.error().message;
            const auto& rects = plan->atlas.charts;
            int pad = plan->atlas.padding;
            EXPECT_GE(pad, 2);
            std::size_t placed = 0;
            for (std::size_t i = 0; i < rects.size(); ++i) {
                const ChartRect& a = rects[i];
                if (!a.placed) continue;
                ++placed;
                ASSERT_GE(a.x, pad / 2);
                ASSERT_GE(a.y, pad / 2);
                ASSERT_LE(a.x + a.w, s.width - pad / 2);
                ASSERT_LE(a.y + a.h, s.height - pad / 2);
                for (std::size_t j = i + 1; j < rects.size(); ++j) {
                    const ChartRect& b = rects[j];
                    if (!b.placed) continue;
                    bool apart = a.x + a.w + pad <= b.x || b.x + b.w + pad <= a.x || a.y + a.h + pad <= b.y ||
                                 b.y + b.h + pad <= a.y;
                    ASSERT_TRUE(apart) << bakeStyleName(style) << " seed " << seed << ": charts " << i << " and " << j;
                }
            }
            EXPECT_GT(placed, rects.size() / 2) << "most charts fit a 256-texel atlas";
            // Many small charts and a few large ones.
            std::size_t small = 0, large = 0;
            for (const auto& r : rects) {
                if (!r.placed) continue;
                small += r.w * r.h <= 64;
                large += r.w * r.h >= s.width * s.height / 100;
            }
            EXPECT_GT(small, large) << bakeStyleName(style) << " seed " << seed;
            EXPECT_GE(large, 1u);
        }
    }
}

TEST(Baker, DilationFillsGuttersButNotTheMask) {
    BakeSettings s = tiny(5);
    s.dilate = false;
    auto black = bakeLightmap(s, CodecContext{});
    s.dilate = true;
    auto filled = bakeLightmap(s, CodecContext{});
    ASSERT_TRUE(black.ok() && filled.ok());
    ASSERT_EQ(std::memcmp(black->maskData(), filled->maskData(), std::size_t(s.width) * s.height), 0);
    std::size_t gutterLit = 0, gutterBlack = 0;
    for (int y = 0; y < s.height; ++y)
        for (int x = 0; x < s.width; ++x) {
            std::size_t i = std::size_t(y) * s.width + x;
            if (black->maskData()[i]) {
                ASSERT_EQ(black->texel(x, y)[1], filled->texel(x, y)[1]);  // charts untouched
                continue;
            }
            ASSERT_EQ(black->texel(x, y)[1], 0.0f);
            gutterLit += filled->texel(x, y)[1] > 0;
            gutterBlack += filled->texel(x, y)[1] == 0;
        }
    EXPECT_GT(gutterLit, 100u);
    EXPECT_GT(gutterBlack, 0u);  // far from every chart, the atlas stays empty
}

TEST(Baker, LooksLikeALightmap) {
    BakeSettings s = tiny(11, BakeStyle::Night);
    s.width = s.height = 128;
    s.samples = 4;
    auto image = bakeLightmap(s, CodecContext{});
    ASSERT_TRUE(image.ok());
    LightmapStats st = computeLightmapStats(image->view());
    EXPECT_GT(st.emptyFraction, 0.05);
    EXPECT_LT(st.emptyFraction, 0.9);
    EXPECT_GT(st.dynamicRangeStops, 4.0);
    EXPECT_GT(st.maxOverMedian, 20.0);  // fixtures are hot spots
    for (std::size_t i = 0; i < std::size_t(s.width) * s.height; ++i)
        for (int c = 0; c < 3; ++c)
            ASSERT_TRUE(std::isfinite(image->data()[i * 3 + c]) && image->data()[i * 3 + c] >= 0);
}

TEST(Baker, NonSquareSizes) {
    BakeSettings s = tiny(3, BakeStyle::Mixed);
    s.width = 64, s.height = 256;
    auto image = bakeLightmap(s, CodecContext{});
    ASSERT_TRUE(image.ok()) << image.error().message;
    EXPECT_EQ(image->width(), 64);
    EXPECT_EQ(image->height(), 256);
}

TEST(Baker, BadArgumentsGiveClearErrors) {
    for (const char* bad : {"", "0", "abc", "512x", "x512", "16", "100000", "512x99999", "-512", "5 12", "512x512x2"}) {
        auto r = parseBakeSize(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
        EXPECT_NE(r.error().message.find("size"), std::string::npos) << r.error().message;
    }
    auto sz = parseBakeSize("512x2048");
    ASSERT_TRUE(sz.ok());
    EXPECT_EQ(sz->first, 512);
    EXPECT_EQ(sz->second, 2048);
    EXPECT_EQ(parseBakeSize("1024")->second, 1024);

    auto style = parseBakeStyle("daytime");
    ASSERT_FALSE(style.ok());
    EXPECT_NE(style.error().message.find("interior"), std::string::npos);
    EXPECT_EQ(*parseBakeStyle("night"), BakeStyle::Night);

    BakeSettings s = tiny(1);
    s.width = 8;
    auto r = bakeLightmap(s, CodecContext{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(r.error().message.find("8x64"), std::string::npos) << r.error().message;
    s = tiny(1);
    s.samples = -3;
    EXPECT_NE(bakeLightmap(s, CodecContext{}).error().message.find("samples"), std::string::npos);
    s = tiny(1);
    s.bounces = 99;
    EXPECT_NE(bakeLightmap(s, CodecContext{}).error().message.find("bounces"), std::string::npos);
    s = tiny(1);
    s.fill = 1.5f;
    EXPECT_FALSE(bakeLightmap(s, CodecContext{}).ok());

    // A layout that belongs to another scene is refused, not read out of bounds.
    auto plan = planBake(tiny(1));
    ASSERT_TRUE(plan.ok());
    Scene box = closedBox({0.5f, 0.5f, 0.5f}, {1, 1, 1});
    auto wrong = bakeScene(box, plan->atlas, tiny(1), CodecContext{});
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().code, ErrorCode::InvalidArgument);
}

TEST(Baker, CancelsAndReportsProgress) {
    CancelToken token;
    token.cancel();
    CodecContext ctx;
    ctx.cancel = &token;
    auto r = bakeLightmap(tiny(1), ctx);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Cancelled);

    // Cancel from the progress callback half way: the bake stops with Cancelled.
    CancelToken midway;
    CodecContext ctx2;
    ctx2.cancel = &midway;
    ctx2.progress = [&](double f) {
        if (f > 0.5) midway.cancel();
    };
    auto r2 = bakeLightmap(tiny(1), ctx2);
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.error().code, ErrorCode::Cancelled);

    std::atomic<int> calls{0};
    std::atomic<double> last{0};
    CodecContext ctx3;
    ctx3.progress = [&](double f) {
        ++calls;
        last = f;
    };
    ASSERT_TRUE(bakeLightmap(tiny(1), ctx3).ok());
    EXPECT_GT(calls.load(), 10);
    EXPECT_DOUBLE_EQ(last.load(), 1.0);
}
