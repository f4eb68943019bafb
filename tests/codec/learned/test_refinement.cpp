// The learned codecs' refinement layer (codec/learned/refinement.h) and the rate mapping that drives it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>

#include <filesystem>

#include "codec/container.h"
#include "codec/exr_io.h"
#include "codec/learned/inference_model.h"
#include "codec/learned/learned_codec.h"
#include "codec/learned/refinement.h"

using namespace lmc;
using namespace lmc::learned;

namespace {

// HDR texels over 12 stops with a partly uncovered band and some exact-black texels.
Image sourceImage(int w, int h) {
    Image img = *Image::create(w, h);
    img.ensureMask();
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> noise(-0.05f, 0.05f);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            float* p = img.texel(x, y);
            const float level = std::exp2(-6.0f + 12.0f * float(x) / float(w) + std::sin(0.07f * float(y)));
            p[0] = level * (1.0f + noise(rng));
            p[1] = 0.6f * level * (1.0f + noise(rng));
            p[2] = 0.3f * level * (1.0f + noise(rng));
            if ((x / 5 + y / 7) % 11 == 0) p[0] = p[1] = p[2] = 0.0f;
            img.maskData()[std::size_t(y) * w + x] = (y % 50 < 46) ? 1 : 0;
        }
    return img;
}

// What a base codec might give: the source with a smooth relative error of up to ~40%.
Image baseImage(const Image& source) {
    Image base = *Image::create(source.width(), source.height());
    for (int y = 0; y < source.height(); ++y)
        for (int x = 0; x < source.width(); ++x)
            for (int c = 0; c < 3; ++c)
                base.texel(x, y)[c] =
                    source.texel(x, y)[c] * (1.0f + 0.4f * std::sin(0.05f * float(x + 3 * c)) * std::cos(0.03f * y));
    return base;
}

std::vector<std::uint8_t> blackMap(const Image& img) {
    std::vector<std::uint8_t> black(std::size_t(img.texelCount()), 0);
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) {
            const float* p = img.texel(x, y);
            black[std::size_t(y) * img.width() + x] = !(p[0] > 0) && !(p[1] > 0) && !(p[2] > 0);
        }
    return black;
}

// RMS of the log2 error over covered, not-black texels (the quantity the layer quantises).
double rmsLogError(const Image& source, const Image& test, float epsilon) {
    double sum = 0;
    std::int64_t n = 0;
    for (int y = 0; y < source.height(); ++y)
        for (int x = 0; x < source.width(); ++x) {
            if (!source.view().covered(x, y)) continue;
            const float* s = source.texel(x, y);
            if (!(s[0] > 0) && !(s[1] > 0) && !(s[2] > 0)) continue;
            for (int c = 0; c < 3; ++c) {
                const double d = std::log2(double(s[c]) + epsilon) - std::log2(double(test.texel(x, y)[c]) + epsilon);
                sum += d * d;
                ++n;
            }
        }
    return std::sqrt(sum / double(n));
}

Image refine(const Bytes& bytes, const Image& base, const std::vector<std::uint8_t>& black, unsigned zero, float step,
             float epsilon, int threads, RefinementFormat format = RefinementFormat::Scaled) {
    Image out = base;
    CodecContext ctx;
    ctx.threads = threads;
    auto s = applyRefinement(bytes.data(), bytes.size(), black, zero, step, epsilon, out, ctx, format);
    EXPECT_TRUE(s) << (s ? "" : s.error().message);
    return out;
}

}  // namespace

TEST(Refinement, ErrorFollowsTheStepAndBytesGrow) {
    const Image source = sourceImage(203, 150);
    const Image base = baseImage(source);
    const auto black = blackMap(source);
    const float epsilon = refinementEpsilon(source.view());
    ASSERT_GT(epsilon, 0.0f);
    const double baseError = rmsLogError(source, base, epsilon);
    std::size_t previousBytes = 0;
    double previousError = baseError;
    for (float step : {0.5f, 0.1f, 0.02f}) {
        CodecContext ctx;
        auto coded = encodeRefinement(source.view(), base, black, 0, step, epsilon, ctx);
        ASSERT_TRUE(coded) << coded.error().message;
        const Image out = refine(coded->bytes, base, black, 0, step, epsilon, 1);
        const double error = rmsLogError(source, out, epsilon);
        // Orthonormal transforms: the texel-domain RMS equals the coefficient-domain one, about step / sqrt(12) for
        // uniform rounding; the dead zone and the encoder's rate-distortion pass (a value may go one step down where
        // that saves bits) raise it, but the RMS stays within (0.5 + dead zone) x step.
        EXPECT_LE(error, (0.5 + kRefinementDeadZone) * step) << "step " << step;
        EXPECT_LT(error, previousError) << "step " << step;
        EXPECT_GT(coded->bytes.size(), previousBytes) << "step " << step;
        // The estimate is the symbols' cost plus the side information; the stream adds the rANS flush (32 bytes per
        // stripe, two stripes here, of which the final states' low bits - up to ~16 bytes - carry symbol
        // information) and a tiny rounding loss.
        EXPECT_NEAR(coded->estimatedBits / 8.0 + 64.0, double(coded->bytes.size()), 0.005 * coded->bytes.size() + 32);
        previousError = error;
        previousBytes = coded->bytes.size();
        // Exact black texels stay exactly black.
        for (std::size_t i = 0; i < black.size(); ++i)
            if (black[i]) {
                ASSERT_EQ(out.data()[3 * i] + out.data()[3 * i + 1] + out.data()[3 * i + 2], 0.0f);
            }
    }
    EXPECT_LT(previousError, baseError / 10.0);
}

TEST(Refinement, StripesGiveIdenticalBytesAndTexelsWithAnyThreadCount) {
    const Image source = sourceImage(61, 3 * kRefinementStripeRows + 37);  // four stripes, the last one short
    const Image base = baseImage(source);
    const auto black = blackMap(source);
    const float epsilon = refinementEpsilon(source.view());
    CodecContext one, three;
    one.threads = 1;
    three.threads = 3;
    struct RestoreVector {
        ~RestoreVector() { detail::setRefinementVectorPath(true); }
    } restore;
    for (RefinementFormat format : {RefinementFormat::Log2Exp2, RefinementFormat::Scaled}) {
        auto a = encodeRefinement(source.view(), base, black, 0, 0.05f, epsilon, one, format);
        auto b = encodeRefinement(source.view(), base, black, 0, 0.05f, epsilon, three, format);
        ASSERT_TRUE(a && b);
        EXPECT_EQ(a->bytes, b->bytes);
        const Image x = refine(a->bytes, base, black, 0, 0.05f, epsilon, 1, format);
        for (bool vector : {true, false}) {  // Scaled: the scalar per-texel path gives the vector path's bits
            detail::setRefinementVectorPath(vector);
            const Image y = refine(a->bytes, base, black, 0, 0.05f, epsilon, 3, format);
            EXPECT_EQ(std::memcmp(x.data(), y.data(), std::size_t(x.texelCount()) * 3 * sizeof(float)), 0)
                << (format == RefinementFormat::Scaled ? "scaled" : "log2exp2") << (vector ? ", vector" : ", scalar");
        }
        detail::setRefinementVectorPath(true);
    }
}

TEST(Refinement, FormatsReachTheSameQuality) {
    // The two formats code nearly the same integers (the flags change which symbols pick the tables, so the
    // encoder's rate-distortion pass may decide a few values differently) and reconstruct the same formula.
    const Image source = sourceImage(203, 150);
    const Image base = baseImage(source);
    const auto black = blackMap(source);
    const float epsilon = refinementEpsilon(source.view());
    CodecContext ctx;
    for (float step : {0.5f, 0.05f}) {
        auto oldCoded = encodeRefinement(source.view(), base, black, 0, step, epsilon, ctx, RefinementFormat::Log2Exp2);
        auto newCoded = encodeRefinement(source.view(), base, black, 0, step, epsilon, ctx, RefinementFormat::Scaled);
        ASSERT_TRUE(oldCoded && newCoded);
        const double a = rmsLogError(
            source, refine(oldCoded->bytes, base, black, 0, step, epsilon, 2, RefinementFormat::Log2Exp2), epsilon);
        const double b = rmsLogError(source, refine(newCoded->bytes, base, black, 0, step, epsilon, 2), epsilon);
        EXPECT_NEAR(a, b, 0.02 * a) << "step " << step;
        // A stream of one format is not a stream of the other (the stripe headers differ in length).
        Image out = base;
        EXPECT_FALSE(applyRefinement(newCoded->bytes.data(), newCoded->bytes.size(), black, 0, step, epsilon, out, ctx,
                                     RefinementFormat::Log2Exp2));
    }
}

TEST(Refinement, ScaledLeavesBlocksWithoutCodedValuesAtTheirBase) {
    // Where the base already equals the source, the coarse step codes nothing: every channel block's flag is 0, the
    // stripe holds only the flags, and the texels are the base's bits (negatives and NaN read as 0, the rest kept).
    const Image source = sourceImage(70, 50);
    const auto black = blackMap(source);
    const float epsilon = refinementEpsilon(source.view());
    CodecContext ctx;
    auto coded = encodeRefinement(source.view(), source, black, 0, 2.0f, epsilon, ctx);
    ASSERT_TRUE(coded);
    auto flagged = encodeRefinement(source.view(), baseImage(source), black, 0, 2.0f, epsilon, ctx);
    ASSERT_TRUE(flagged);
    EXPECT_LT(coded->bytes.size(), flagged->bytes.size());
    Image base = source;  // the decoder's base, with values the encoder did not see
    base.texel(12, 20)[1] = -2.0f;
    base.texel(13, 20)[2] = std::nanf("");
    base.texel(14, 20)[0] = 1e-30f;  // far below epsilon: (p + epsilon) - epsilon would lose it
    const Image out = refine(coded->bytes, base, black, 0, 2.0f, epsilon, 1);
    for (std::int64_t i = 0; i < out.texelCount() * 3; ++i) {
        const float b = base.data()[i];
        ASSERT_EQ(out.data()[i], b > 0.0f ? b : 0.0f) << i;
    }
}

TEST(Refinement, RefineSpanIsTheFormulaAndTheVectorPathGivesTheScalarBits) {
    // Every kind of input the decoder can meet, over lengths that are not multiples of the vector width: the vector
    // path (where the CPU has one) and the scalar path give the same bits, and the formula's value.
    std::mt19937 rng(23);
    std::uniform_real_distribution<float> residual(-30.0f, 30.0f), level(-20.0f, 17.0f);
    const float specials[] = {0.0f,
                              -0.0f,
                              -1.0f,
                              std::nanf(""),
                              std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity(),
                              65504.0f,
                              1e38f,
                              1e-38f,
                              1e-45f};
    for (std::size_t count : {std::size_t(1), std::size_t(7), std::size_t(8), std::size_t(61), std::size_t(1000)}) {
        for (double epsilon : {1e-6, 0.01, 3.0}) {
            std::vector<float> d(count), texels(count);
            for (std::size_t i = 0; i < count; ++i) {
                d[i] = i % 13 == 5 ? residual(rng) * 10.0f : i % 29 == 3 ? 0.0f : residual(rng);
                texels[i] = i % 7 == 2 ? specials[rng() % std::size(specials)] : std::exp2(level(rng));
            }
            if (count > 4) d[3] = std::nanf("");
            std::vector<float> vector = texels, scalar = texels;
            detail::refineSpan(d.data(), count, epsilon, vector.data(), true);
            detail::refineSpan(d.data(), count, epsilon, scalar.data(), false);
            ASSERT_EQ(std::memcmp(vector.data(), scalar.data(), count * sizeof(float)), 0)
                << count << " values, epsilon " << epsilon;
            for (float v : scalar) ASSERT_TRUE(v >= 0.0f && v <= 65504.0f);
            // The value is 2^(log2(p + epsilon) + d) - epsilon (p clamped at 0), what the Log2Exp2 format computes
            // with libm, to about float precision relative to p + epsilon.
            for (std::size_t i = 0; i < count; ++i) {
                if (!std::isfinite(d[i]) || std::fabs(d[i]) > 60.0f || !std::isfinite(texels[i]) || texels[i] > 1e4f)
                    continue;
                const double p = texels[i] > 0.0f ? double(texels[i]) : 0.0;
                const double expected = std::exp2(std::log2(p + epsilon) + double(d[i])) - epsilon;
                if (expected > 60000.0) continue;
                const double scale = (p + epsilon) * std::exp2(double(d[i]));
                ASSERT_NEAR(scalar[i], std::max(expected, 0.0), 2e-7 * scale + 1e-45)
                    << "p " << p << ", d " << d[i] << ", epsilon " << epsilon;
            }
        }
    }
}

TEST(Refinement, FloatInverseDctIsTheDoubleSumsToFloatPrecision) {
    std::mt19937 rng(19);
    for (float step : {0.0137f, 0.25f, 7.5f}) {
        for (int zeros : {64, 63, 48, 0}) {
            for (int trial = 0; trial < 30; ++trial) {
                std::int32_t values[64] = {};
                double scale = 0;
                for (int z = 0; z < 64; ++z) {
                    if (int(rng() % 64) < zeros) continue;
                    const int magnitude = int(rng() % 9);
                    values[z] = (rng() & 1) ? -magnitude : magnitude;
                    scale += magnitude * double(step);
                }
                float fast[kRefinementBlock][kRefinementBlock];
                double full[kRefinementBlock][kRefinementBlock];
                std::memset(fast, 0x5a, sizeof fast);
                detail::inverseDctFloat(values, step, fast);
                detail::inverseDctReference(values, double(step), full);
                for (int y = 0; y < kRefinementBlock; ++y)
                    for (int x = 0; x < kRefinementBlock; ++x)
                        ASSERT_NEAR(fast[y][x], full[y][x], 1e-6 * (scale + 1e-30)) << "step " << step;
            }
        }
    }
}

TEST(Refinement, ZeroChannelsStayExactlyZero) {
    Image source = sourceImage(64, 40);
    for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 64; ++x) source.texel(x, y)[1] = source.texel(x, y)[2] = 0.0f;
    EXPECT_EQ(zeroChannelMask(source.view()), 6u);
    EXPECT_EQ(zeroChannelMask(sourceImage(8, 8).view()), 0u);
    const Image base = baseImage(sourceImage(64, 40));  // green and blue wrong in the base
    const auto black = blackMap(source);
    const float epsilon = refinementEpsilon(source.view());
    CodecContext ctx;
    auto coded = encodeRefinement(source.view(), base, black, 6u, 0.05f, epsilon, ctx);
    ASSERT_TRUE(coded);
    const Image out = refine(coded->bytes, base, black, 6u, 0.05f, epsilon, 2);
    for (std::int64_t i = 0; i < out.texelCount(); ++i) {
        ASSERT_EQ(out.data()[3 * i + 1], 0.0f);
        ASSERT_EQ(out.data()[3 * i + 2], 0.0f);
    }
    EXPECT_LE(rmsLogError(source, out, epsilon), 0.05);  // red: refined (green/blue: 0 in both)
}

namespace {
void damagedStreamsAreErrors(RefinementFormat format) {
    const Image source = sourceImage(90, 140);
    const Image base = baseImage(source);
    const auto black = blackMap(source);
    const float epsilon = refinementEpsilon(source.view());
    CodecContext ctx;
    auto coded = encodeRefinement(source.view(), base, black, 0, 0.1f, epsilon, ctx, format);
    ASSERT_TRUE(coded);
    const Bytes& good = coded->bytes;
    for (std::size_t n = 0; n + 1 < good.size(); n += std::max<std::size_t>(1, good.size() / 31)) {
        Image out = base;
        EXPECT_FALSE(applyRefinement(good.data(), n, black, 0, 0.1f, epsilon, out, ctx, format))
            << "truncated to " << n;
    }
    std::mt19937 rng(3);
    int rejected = 0;
    for (int trial = 0; trial < 200; ++trial) {
        Bytes bad = good;
        bad[rng() % bad.size()] ^= std::uint8_t(1u << (rng() % 8));
        Image out = base;
        auto s = applyRefinement(bad.data(), bad.size(), black, 0, 0.1f, epsilon, out, ctx, format);
        if (!s) {
            ++rejected;
            EXPECT_EQ(s.error().code, ErrorCode::CorruptData) << s.error().message;
        } else {
            for (std::int64_t i = 0; i < out.texelCount() * 3; ++i) ASSERT_TRUE(std::isfinite(out.data()[i]));
        }
    }
    EXPECT_GT(rejected, 100);
    Image out = base;
    Bytes longer = good;
    longer.push_back(0);
    EXPECT_FALSE(applyRefinement(longer.data(), longer.size(), black, 0, 0.1f, epsilon, out, ctx, format));
    EXPECT_FALSE(applyRefinement(good.data(), good.size(), black, 0, 0.0f, epsilon, out, ctx, format));
    EXPECT_FALSE(
        encodeRefinement(source.view(), baseImage(sourceImage(90, 139)), black, 0, 0.1f, epsilon, ctx, format));
}

}  // namespace

TEST(Refinement, DamagedStreamsAreErrorsNotCrashes) {
    for (RefinementFormat format : {RefinementFormat::Log2Exp2, RefinementFormat::Scaled}) {
        SCOPED_TRACE(format == RefinementFormat::Scaled ? "scaled" : "log2exp2");
        damagedStreamsAreErrors(format);
    }
}

TEST(Refinement, RateMappingIsMonotoneAndCoversBothLayers) {
    EXPECT_EQ(networkRate(0.0f), 0.0);
    EXPECT_EQ(refinementStep(0.0f), 0.0f);
    EXPECT_EQ(refinementStep(float(kRefinementStartRate) - 0.01f), 0.0f);
    // The slider's 0.2 (a float above the double 0.2) is still the networks alone, at the top of their range.
    EXPECT_EQ(refinementStep(0.2f), 0.0f);
    EXPECT_EQ(float(networkRate(0.2f)), float(kNetworkRateAtRefinement));
    EXPECT_GT(refinementStep(std::nextafter(0.2f, 1.0f)), 0.0f);
    EXPECT_NEAR(networkRate(1.0f), kNetworkRateAtRefinement, 1e-12);
    EXPECT_NEAR(refinementStep(1.0f), kFinestRefinementStep, 1e-6);
    double previousRate = -1, previousStep = 1e9;
    for (int i = 0; i <= 100; ++i) {
        const float rate = float(i) / 100.0f;
        EXPECT_GE(networkRate(rate), previousRate);
        previousRate = networkRate(rate);
        const float step = refinementStep(rate);
        if (step > 0.0f) {
            EXPECT_LT(step, previousStep);
            EXPECT_LE(step, kCoarsestRefinementStep);
            previousStep = step;
        }
    }
}

TEST(Refinement, TrainedCodecsAreMonotoneOnRealLightmaps) {
    // The shipped models on 256x256 windows of real lightmaps (a dark Unity map and a Godot map with BGR channel
    // order): bytes never fall as `rate` rises, across the networks-only range and the refinement range.
    const std::filesystem::path dir = LMC_REAL_LIGHTMAPS;
    const std::vector<std::string> names = {"aenarmarie-horror-scene__samplescene__lightmap-0_comp_light.exr",
                                            "truejole-the-spookening__world__world.exr"};
    auto model = defaultModel(Family::Hyperprior);
    if (!model) GTEST_SKIP() << "no trained vae weights: " << model.error().message;
    int tested = 0;
    for (const std::string& name : names) {
        if (!std::filesystem::exists(dir / name)) continue;
        auto exr = readExr((dir / name).string());
        ASSERT_TRUE(exr) << exr.error().message;
        const Image& full = exr->image;
        const int w = std::min(256, full.width()), h = std::min(256, full.height());
        const int x0 = (full.width() - w) / 2, y0 = (full.height() - h) / 2;
        Image crop = *Image::create(w, h);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                for (int c = 0; c < 3; ++c) crop.texel(x, y)[c] = full.texel(x0 + x, y0 + y)[c];
        LearnedCodec codec(Family::Hyperprior, *model);
        std::size_t previous = 0;
        for (int i = 0; i <= 20; ++i) {
            ParamSet p;
            p.set("rate", i / 20.0);
            CodecContext ctx;
            auto bytes = codec.encode(crop.view(), p, ctx);
            ASSERT_TRUE(bytes) << bytes.error().message;
            EXPECT_GE(bytes->size(), previous) << name << " rate " << i / 20.0;
            previous = bytes->size();
        }
        ++tested;
    }
    if (tested == 0) GTEST_SKIP() << "real lightmaps not found in " << dir;
}

TEST(Refinement, InverseDctSkippingZerosGivesTheFullSumsBits) {
    // The decoder's inverse DCT leaves out zero coefficients; every texel must still be the plain separable sum's
    // bits (old streams decode to identical texels), at every sparsity, sign, magnitude and step.
    std::mt19937 rng(17);
    int compared = 0;
    for (double step : {0.0137, 0.25, 1.0, 7.5}) {
        for (int zeros : {64, 63, 60, 48, 32, 0}) {
            for (int trial = 0; trial < 40; ++trial) {
                std::int32_t values[64] = {};
                for (int z = 0; z < 64; ++z) {
                    if (int(rng() % 64) < zeros) continue;
                    const int magnitude = trial % 4 == 0 ? int(rng() % (1u << 24)) : int(rng() % 9);
                    values[z] = (rng() & 1) ? -magnitude : magnitude;
                }
                double fast[kRefinementBlock][kRefinementBlock], full[kRefinementBlock][kRefinementBlock];
                std::memset(fast, 0x5a, sizeof fast);  // garbage the function must overwrite
                detail::inverseDct(values, step, fast);
                detail::inverseDctReference(values, step, full);
                ASSERT_EQ(std::memcmp(fast, full, sizeof fast), 0) << "step " << step << ", zeros " << zeros;
                ++compared;
            }
        }
    }
    EXPECT_EQ(compared, 4 * 6 * 40);
    // All zero: exact +0 everywhere (the sign matters for the bits compared above).
    std::int32_t none[64] = {};
    double r[kRefinementBlock][kRefinementBlock];
    detail::inverseDct(none, 0.5, r);
    for (const auto& row : r)
        for (double v : row) EXPECT_FALSE(std::signbit(v) || v != 0.0);
}
