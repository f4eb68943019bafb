// Tests of codec/metrics.h. Expected values are computed by hand from the formulas documented in metrics.h; the
// arithmetic is written next to each check (values rounded to 6 significant digits in comments).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <limits>
#include <random>
#include <vector>

#include "codec/exr_io.h"
#include "codec/image.h"
#include "codec/metrics.h"

namespace lmc {
namespace {

// A width x height image of grey texels (R = G = B = v), row-major.
Image greyImage(int width, int height, const std::vector<float>& values) {
    Image image = Image::create(width, height).value();
    for (int i = 0; i < width * height; ++i)
        for (int c = 0; c < 3; ++c) image.data()[3 * i + c] = values[i];
    return image;
}

Image rgbImage(int width, int height, const std::vector<float>& rgb) {
    Image image = Image::create(width, height).value();
    std::copy(rgb.begin(), rgb.end(), image.data());
    return image;
}

// A deterministic lightmap-like image: smooth gradients over 6 stops, a few hot texels, 10% of it uncovered.
Image syntheticLightmap(int width, int height, std::uint32_t seed, bool withMask) {
    Image image = Image::create(width, height).value();
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> noise(0.9f, 1.1f);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const float base = std::exp2(6.0f * float(x) / float(width) - 3.0f) * (0.5f + 0.5f * float(y) / height);
            float* t = image.texel(x, y);
            t[0] = base * noise(rng);
            t[1] = base * 0.8f * noise(rng);
            t[2] = base * 0.6f * noise(rng);
            if ((x * 7 + y * 13) % 997 == 0) t[0] = t[1] = t[2] = 400.0f;  // emissive hot spots
        }
    if (withMask) {
        image.ensureMask();
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x)
                if ((x / 8 + y / 8) % 10 == 0) image.maskData()[std::size_t(y) * width + x] = 0;
    }
    return image;
}

// Multiplies every channel by (1 + amplitude * n), n uniform in [-1, 1]: a codec-like relative error.
Image perturbed(const Image& source, float amplitude, std::uint32_t seed) {
    Image out = source.clone();
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (std::int64_t i = 0; i < 3 * out.texelCount(); ++i) out.data()[i] *= 1.0f + amplitude * u(rng);
    return out;
}

Image scaled(const Image& source, float factor) {
    Image out = source.clone();
    for (std::int64_t i = 0; i < 3 * out.texelCount(); ++i) out.data()[i] *= factor;
    return out;
}

// The 1x4 pair used by several tests: grey reference (0.5, 3, 5, 12), test (0.25, 3, 5, 6).
// Normalisation: the 4 positive luminances are 0.5, 3, 5, 12 (grey: Y = v); n = 4.
//   median = v[floor(0.5 * 3)] = v[1] = 3 -> E = 3.
//   p99.9 = v[floor(0.999 * 3)] = v[2] = 5 -> Y_hi = 5/3 = 1.66667, cmin = floor(-log2 1.66667) = floor(-0.737) = -1.
//   p1 = v[floor(0.01 * 3)] = v[0] = 0.5 -> Y_lo = 0.5/3 = 0.166667, cmax = ceil(log2(0.18 / 0.166667))
//        = ceil(log2 1.08) = ceil(0.111) = 1.
//   P = 12, logPeak = log2(1 + 12/3) = log2 5 = 2.32193.
struct FourTexelPair {
    Image reference = greyImage(4, 1, {0.5f, 3.0f, 5.0f, 12.0f});
    Image test = greyImage(4, 1, {0.25f, 3.0f, 5.0f, 6.0f});
};

TEST(MetricsNormalization, MedianPercentilesAndStops) {
    FourTexelPair pair;
    auto norm = computeNormalization(pair.reference.view());
    ASSERT_TRUE(norm.ok());
    EXPECT_NEAR(norm->exposureReference, 3.0, 1e-5);
    EXPECT_FALSE(norm->exposureFallback);
    EXPECT_EQ(norm->mPsnrMinStop, -1);
    EXPECT_EQ(norm->mPsnrMaxStop, 1);
    EXPECT_FLOAT_EQ(float(norm->linearPeak), 12.0f);
    EXPECT_NEAR(norm->logPeak, 2.321928, 1e-5);
    EXPECT_EQ(norm->positiveTexels, 4);
}

TEST(MetricsNormalization, MaskedTexelsAndNonPositiveValuesDoNotCount) {
    // Reference 3x2: covered greys 0.5, 3, 5, 12 plus a covered zero texel; an uncovered 1000 texel.
    // The zero texel is not positive, so the population is still (0.5, 3, 5, 12): same E and stops as above, and
    // the uncovered 1000 neither sets the peak nor the percentiles.
    Image ref = greyImage(3, 2, {0.5f, 3.0f, 1000.0f, 5.0f, 12.0f, 0.0f});
    ref.ensureMask();
    ref.maskData()[2] = 0;
    auto norm = computeNormalization(ref.view());
    ASSERT_TRUE(norm.ok());
    EXPECT_NEAR(norm->exposureReference, 3.0, 1e-5);
    EXPECT_EQ(norm->mPsnrMinStop, -1);
    EXPECT_EQ(norm->mPsnrMaxStop, 1);
    EXPECT_FLOAT_EQ(float(norm->linearPeak), 12.0f);
    EXPECT_EQ(norm->positiveTexels, 4);
}

TEST(MetricsNormalization, FallbackAndSpanLimit) {
    // All-zero reference: no positive texel -> E = 1, stops [0, 0], logPeak = max(1, log2(1 + 0)) = 1.
    Image zero = greyImage(2, 1, {0.0f, 0.0f});
    auto norm = computeNormalization(zero.view());
    ASSERT_TRUE(norm.ok());
    EXPECT_TRUE(norm->exposureFallback);
    EXPECT_EQ(norm->exposureReference, 1.0);
    EXPECT_EQ(norm->mPsnrMinStop, 0);
    EXPECT_EQ(norm->mPsnrMaxStop, 0);
    EXPECT_EQ(norm->logPeak, 1.0);

    // Greys 2^-30 and 1 (n = 2): median = v[0] = 2^-30 = E; p99.9 = v[floor(0.999)] = v[0] -> Y_hi = 1, cmin = 0;
    // p1 = v[0] -> Y_lo = 1, cmax = ceil(log2 0.18) = ceil(-2.47) = -2 -> raised to cmin = 0.
    Image two = greyImage(2, 1, {std::ldexp(1.0f, -30), 1.0f});
    norm = computeNormalization(two.view());
    ASSERT_TRUE(norm.ok());
    EXPECT_EQ(norm->mPsnrMinStop, 0);
    EXPECT_EQ(norm->mPsnrMaxStop, 0);

    // Span limit. 1000 greys: 10 at 2^-30, 590 at 1, 400 at 3000. median = v[floor(0.5 * 999)] = v[499] = 1 = E;
    // p99.9 = v[998] = 3000 -> cmin = floor(-log2 3000) = floor(-11.55) = -12; p1 = v[floor(9.99)] = v[9] = 2^-30
    // -> cmax = ceil(log2(0.18 * 2^30)) = ceil(27.53) = 28; span 40 > 24 -> cmax = cmin + 24 = 12.
    std::vector<float> spread(1000, 1.0f);
    for (int i = 0; i < 10; ++i) spread[i] = std::ldexp(1.0f, -30);
    for (int i = 600; i < 1000; ++i) spread[i] = 3000.0f;
    Image spreadImage = greyImage(1000, 1, spread);
    norm = computeNormalization(spreadImage.view());
    ASSERT_TRUE(norm.ok());
    EXPECT_NEAR(norm->exposureReference, 1.0, 1e-6);
    EXPECT_EQ(norm->mPsnrMinStop, -12);
    EXPECT_EQ(norm->mPsnrMaxStop, 12);
}

TEST(MetricsValues, RmseAndMaxAbs) {
    // RGB 2x1: ref (1,2,3) (0,0,0), test (1,2,4) (0,1,0): differences 0,0,-1, 0,-1,0.
    // MSE = (1 + 1) / 6 = 0.333333, RMSE = 0.577350; max |d| = 1.
    Image ref = rgbImage(2, 1, {1, 2, 3, 0, 0, 0});
    Image test = rgbImage(2, 1, {1, 2, 4, 0, 1, 0});
    auto m = computeMetrics(ref.view(), test.view());
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_NEAR(m->rmse, 0.577350, 1e-6);
    EXPECT_FLOAT_EQ(float(m->maxAbsError), 1.0f);
    EXPECT_EQ(m->texelsCompared, 2);
}

TEST(MetricsValues, FourTexelPairAllMetrics) {
    FourTexelPair pair;
    auto m = computeMetrics(pair.reference.view(), pair.test.view());
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ(m->texelsCompared, 4);
    EXPECT_NEAR(m->exposureReference, 3.0, 1e-5);
    EXPECT_EQ(m->mPsnrMinStop, -1);
    EXPECT_EQ(m->mPsnrMaxStop, 1);

    // RMSE: differences 0.25 (x3 channels) and 6 (x3): MSE = (3 * 0.0625 + 3 * 36) / 12 = 9.015625,
    // RMSE = 3.002603. max |d| = 6.
    EXPECT_NEAR(m->rmse, 3.002603, 1e-5);
    EXPECT_FLOAT_EQ(float(m->maxAbsError), 6.0f);

    // log-PSNR with x_n = x / 3: texel 0: log2(1 + 0.5/3) - log2(1 + 0.25/3) = log2(7/6) - log2(13/12)
    //   = 0.222392 - 0.115477 = 0.106915; texel 3: log2(1 + 4) - log2(1 + 2) = 2.321928 - 1.584963 = 0.736966.
    // MSE = 3 (0.106915^2 + 0.736966^2) / 12 = (0.0114309 + 0.543118) / 4 = 0.138637.
    // peak = log2 5 = 2.321928, peak^2 = 5.391350. log-PSNR = 10 log10(5.391350 / 0.138637) = 15.8982 dB.
    EXPECT_NEAR(m->logPsnr, 15.8982, 2e-3);

    // mPSNR, stops -1..1, T_c(x) = min(255, 255 (2^c x/3)^(1/2.2)). Only texel 0 differs below white:
    //   c = -1: T(0.5) = 255 (1/12)^0.454545 = 82.4144, T(0.25) = 255 (1/24)^0.454545 = 60.1411, d = 22.2733
    //   c =  0: T(0.5) = 255 (1/6)^0.454545 = 112.937, T(0.25) = 82.4144,                        d = 30.5223
    //   c = +1: T(0.5) = 255 (1/3)^0.454545 = 154.763, T(0.25) = 112.937,                        d = 41.8262
    //   texel 3: 2^c * 4 and 2^c * 2 are >= 1 for c >= -1, both clip to 255: d = 0 (texels 1, 2 are equal).
    // Sum of squares = 3 channels * (496.099 + 931.611 + 1749.43) = 9531.43; MSE = 9531.43 / (3 stops * 4 texels
    // * 3 channels) = 264.762. mPSNR = 10 log10(65025 / 264.762) = 23.9023 dB.
    EXPECT_NEAR(m->mPsnr, 23.9023, 2e-3);

    // PU21-PSNR, L = 50 x / 3 per channel: texel 0: V(8.33333) = 114.780, V(4.16667) = 83.8425, d = 30.9380;
    // texel 3: V(200) = 302.774, V(100) = 256.384, d = 46.3904 (texels 1, 2: V(50) = 212.787, V(83.3) = 244.639,
    // equal). MSE = 3 (30.9380^2 + 46.3904^2) / 12 = (957.160 + 2152.07) / 4 = 777.308.
    // PU21-PSNR = 10 log10(256^2 / 777.308) = 19.2589 dB.
    EXPECT_NEAR(m->pu21Psnr, 19.2589, 2e-3);

    EXPECT_GT(m->pu21Ssim, 0.0);
    EXPECT_LT(m->pu21Ssim, 1.0);
    EXPECT_EQ(m->nonFiniteTestValues, 0);
}

TEST(MetricsValues, Pu21EncodingMatchesReferenceValues) {
    // V(L) = max(p7 ((p1 + p2 L^p4) / (1 + p3 L^p4))^p5 - p6, 0) with the banding_glare parameters:
    // L = 100: L^p4 = 100^0.906256 = 64.9400; (0.353488 + 0.373466 * 64.9400) / (1 + 8.27705e-5 * 64.9400)
    //   = 24.6064 / 1.00538 = 24.4748; 24.4748^0.0915030 = 1.33990; 596.315 * (1.33990 - 0.909952) = 256.384.
    EXPECT_NEAR(pu21Encode(100.0), 256.384, 1e-3);
    EXPECT_NEAR(pu21Encode(50.0), 212.787, 1e-3);
    EXPECT_NEAR(pu21Encode(10000.0), 595.394, 1e-3);
    EXPECT_NEAR(pu21Encode(0.005), 0.0, 1e-6);
    // Clamped outside [0.005, 10000].
    EXPECT_EQ(pu21Encode(0.0), pu21Encode(0.005));
    EXPECT_EQ(pu21Encode(1e6), pu21Encode(10000.0));
}

TEST(MetricsValues, Pu21TableMatchesExactEncoding) {
    // The metrics use a table of V; the Pu21 error map of a test image of zeros (V(0.005) = 0) returns
    // V(50 Y / E) of the reference per texel. The reference's first texel is 1 (= E after normalisation, being
    // the median of 1 and larger values), so texel i shows V(50 v_i) for v_i spread over PU21's whole range.
    const int n = 400;
    std::vector<float> values(n);
    values[0] = 1.0f;
    for (int i = 1; i < n; ++i) values[i] = 1.0f + std::pow(10.0f, -4.0f + 7.0f * float(i) / n);
    // Median must stay 1: prepend enough ones.
    std::vector<float> all(2 * n, 1.0f);
    std::copy(values.begin(), values.end(), all.begin() + n);
    Image ref = greyImage(2 * n, 1, all);
    Image zero = greyImage(2 * n, 1, std::vector<float>(2 * n, 0.0f));
    auto norm = computeNormalization(ref.view());
    ASSERT_TRUE(norm.ok());
    ASSERT_NEAR(norm->exposureReference, 1.0, 1e-6);
    auto map = computeErrorMap(ref.view(), zero.view(), ErrorMapKind::Pu21);
    ASSERT_TRUE(map.ok());
    double worst = 0;
    for (int i = 0; i < 2 * n; ++i) {
        const float y = 0.2126f * all[i] + 0.7152f * all[i] + 0.0722f * all[i];
        worst = std::max(worst, std::fabs(map->values[i] - pu21Encode(50.0 * y)));
    }
    EXPECT_LT(worst, 2e-3);
}

TEST(MetricsValues, SsimSingleTexel) {
    // 1x1: E = 1 (the only texel), L_ref = 50, L_test = 100: mu_a = V(50) = 212.787, mu_b = V(100) = 256.384,
    // variances and covariance 0. C1 = (0.01 * 256)^2 = 6.5536, C2 = (0.03 * 256)^2 = 58.9824.
    // SSIM = (2 * 212.787 * 256.384 + 6.5536) (0 + C2) / ((212.787^2 + 256.384^2 + 6.5536) (0 + C2))
    //      = 109117.3 / 111017.7 = 0.982880.
    Image ref = greyImage(1, 1, {1.0f});
    Image test = greyImage(1, 1, {2.0f});
    auto m = computeMetrics(ref.view(), test.view());
    ASSERT_TRUE(m.ok());
    EXPECT_NEAR(m->pu21Ssim, 0.982880, 2e-5);
}

TEST(MetricsValues, SsimTwoTexels) {
    // 2x1, ref greys (1, 4), test (1, 2). E = median = v[floor(0.5)] = 1. PU21: a = (V(50), V(200)) =
    // (212.787, 302.774), b = (V(50), V(100)) = (212.787, 256.384). Window weights: 1 at the texel itself,
    // w1 = exp(-1 / (2 * 1.5^2)) = 0.800737 at the neighbour, renormalised over the two (W = 1.800737):
    //  texel 0: mu_a = (212.787 + 0.800737 * 302.774) / W = 252.802, mu_b = (212.787 + 0.800737 * 256.384) / W
    //    = 232.173; sigma_a^2 = (212.787^2 + w1 302.774^2) / W - mu_a^2 = 1999.63, sigma_b^2 = 469.348,
    //    sigma_ab = 968.773. SSIM = (2 * 252.802 * 232.173 + C1)(2 * 968.773 + C2) /
    //    ((252.802^2 + 232.173^2 + C1)(1999.63 + 469.348 + C2)) = 0.786927.
    //  texel 1: mirrored weights: mu_a = 262.760, mu_b = 236.998, same variances/covariance: SSIM = 0.785593.
    //  mean = 0.786260.
    Image ref = greyImage(2, 1, {1.0f, 4.0f});
    Image test = greyImage(2, 1, {1.0f, 2.0f});
    auto m = computeMetrics(ref.view(), test.view());
    ASSERT_TRUE(m.ok());
    EXPECT_NEAR(m->pu21Ssim, 0.786260, 5e-5);
}

// Straightforward double-precision evaluation of the documented formulas (exact pow/log, brute-force 11x11
// windows), to check the fast implementation (tables, lanes, strips, ring buffer, threads) on a larger image.
struct DirectMetrics {
    double logPsnr, mPsnr, pu21Psnr, ssim;
};
DirectMetrics directMetrics(const Image& ref, const Image& test, const MetricsNormalization& n) {
    const int w = ref.width(), h = ref.height();
    const double e = n.exposureReference;
    auto isCounted = [&](int x, int y) {
        const float* t = ref.texel(x, y);
        const bool covered = !ref.hasMask() || ref.maskData()[std::size_t(y) * w + x];
        return covered && std::isfinite(t[0]) && std::isfinite(t[1]) && std::isfinite(t[2]);
    };
    double logSq = 0, mSq = 0, puSq = 0;
    std::int64_t count = 0;
    std::vector<double> lx(std::size_t(w) * h, 0), ly(std::size_t(w) * h, 0);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            if (!isCounted(x, y)) continue;
            ++count;
            double ya = 0, yb = 0;
            const double lw[3] = {0.2126, 0.7152, 0.0722};
            for (int c = 0; c < 3; ++c) {
                const double an = std::max(double(ref.texel(x, y)[c]), 0.0) / e;
                const double bn = std::max(double(test.texel(x, y)[c]), 0.0) / e;
                ya += lw[c] * an;
                yb += lw[c] * bn;
                const double dl = std::log2(1 + an) - std::log2(1 + bn);
                logSq += dl * dl;
                for (int s = n.mPsnrMinStop; s <= n.mPsnrMaxStop; ++s) {
                    const double ta = std::min(255.0, 255.0 * std::pow(std::exp2(s) * an, 1 / 2.2));
                    const double tb = std::min(255.0, 255.0 * std::pow(std::exp2(s) * bn, 1 / 2.2));
                    mSq += (ta - tb) * (ta - tb);
                }
                const double dp = pu21Encode(50 * an) - pu21Encode(50 * bn);
                puSq += dp * dp;
            }
            lx[std::size_t(y) * w + x] = pu21Encode(50 * ya);
            ly[std::size_t(y) * w + x] = pu21Encode(50 * yb);
        }
    const double c1 = 6.5536, c2 = 58.9824;
    double ssimSum = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            if (!isCounted(x, y)) continue;
            double sw = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
            for (int dy = -5; dy <= 5; ++dy)
                for (int dx = -5; dx <= 5; ++dx) {
                    const int qx = x + dx, qy = y + dy;
                    if (qx < 0 || qy < 0 || qx >= w || qy >= h || !isCounted(qx, qy)) continue;
                    const double wt = std::exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5));
                    const double a = lx[std::size_t(qy) * w + qx], b = ly[std::size_t(qy) * w + qx];
                    sw += wt, sx += wt * a, sy += wt * b, sxx += wt * a * a, syy += wt * b * b, sxy += wt * a * b;
                }
            const double mx = sx / sw, my = sy / sw;
            const double vx = sxx / sw - mx * mx, vy = syy / sw - my * my, cxy = sxy / sw - mx * my;
            ssimSum += (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        }
    const double values = 3.0 * double(count);
    const double stops = n.mPsnrMaxStop - n.mPsnrMinStop + 1;
    return {10 * std::log10(n.logPeak * n.logPeak / (logSq / values)),
            10 * std::log10(255.0 * 255.0 / (mSq / (values * stops))), 10 * std::log10(65536.0 / (puSq / values)),
            ssimSum / double(count)};
}

TEST(MetricsValues, MatchesDirectComputation) {
    // 150 rows: three 64-row strips, so strip seams and the SSIM ring buffer are crossed; masked; 2 threads.
    Image ref = syntheticLightmap(47, 150, 31, true);
    ref.texel(3, 100)[2] = std::numeric_limits<float>::quiet_NaN();  // an excluded reference texel
    Image test = perturbed(ref, 0.08f, 32);
    test.texel(3, 100)[2] = 1.0f;
    ref.maskData()[100 * 47 + 3] = 1;
    auto norm = computeNormalization(ref.view());
    ASSERT_TRUE(norm.ok());
    // Visible: the same formulas over the dilated mask, with the normalisation of the covered texels.
    Image visibleRef = ref.clone();
    const std::vector<std::uint8_t> visible = visibleMask(ref.view());
    std::copy(visible.begin(), visible.end(), visibleRef.maskData());
    ASSERT_GT(std::count(visible.begin(), visible.end(), 1),
              std::count(ref.maskData(), ref.maskData() + ref.texelCount(), 1));
    for (MaskMode mode : {MaskMode::Covered, MaskMode::Visible}) {
        const DirectMetrics d = directMetrics(mode == MaskMode::Covered ? ref : visibleRef, test, *norm);
        for (int threads : {1, 2}) {
            MetricsOptions options;
            options.threads = threads;
            options.mask = mode;
            auto m = computeMetrics(ref.view(), test.view(), options);
            ASSERT_TRUE(m.ok());
            EXPECT_EQ(m->excludedReferenceTexels, 1);
            EXPECT_NEAR(m->logPsnr, d.logPsnr, 1e-3) << maskModeName(mode);
            EXPECT_NEAR(m->mPsnr, d.mPsnr, 1e-3) << maskModeName(mode);
            EXPECT_NEAR(m->pu21Psnr, d.pu21Psnr, 1e-3) << maskModeName(mode);
            EXPECT_NEAR(m->pu21Ssim, d.ssim, 1e-5) << maskModeName(mode);
        }
    }
}

TEST(MetricsValues, IdenticalImagesGiveCappedPsnrAndUnitSsim) {
    Image ref = syntheticLightmap(96, 80, 1, true);
    auto m = computeMetrics(ref.view(), ref.view());
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->rmse, 0.0);
    EXPECT_EQ(m->maxAbsError, 0.0);
    EXPECT_EQ(m->logPsnr, kPsnrCapDb);
    EXPECT_EQ(m->mPsnr, kPsnrCapDb);
    EXPECT_EQ(m->pu21Psnr, kPsnrCapDb);
    EXPECT_EQ(m->pu21Ssim, 1.0);
    EXPECT_TRUE(std::isfinite(m->logPsnr));
    // psnrFromMse: cap for zero MSE and for values above the cap; plain formula otherwise.
    EXPECT_EQ(psnrFromMse(0.0, 1.0), kPsnrCapDb);
    EXPECT_EQ(psnrFromMse(1e-300, 1.0), kPsnrCapDb);
    EXPECT_NEAR(psnrFromMse(0.01, 1.0), 20.0, 1e-12);  // 10 log10(1 / 0.01)
}

TEST(MetricsMask, UncoveredTexelsAreExcluded) {
    // 2x2 with texel 3 uncovered. Test A equals the reference on covered texels and holds garbage (NaN, 1e6)
    // on the uncovered one; test B equals the reference everywhere. Both must give identical-image results.
    Image ref = greyImage(2, 2, {0.5f, 3.0f, 5.0f, 1000.0f});
    ref.ensureMask();
    ref.maskData()[3] = 0;
    Image testA =
        rgbImage(2, 2, {0.5f, 0.5f, 0.5f, 3, 3, 3, 5, 5, 5, std::numeric_limits<float>::quiet_NaN(), 1e6f, 0});
    MetricsOptions covered;
    covered.mask = MaskMode::Covered;
    auto m = computeMetrics(ref.view(), testA.view(), covered);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->texelsCompared, 3);
    EXPECT_EQ(m->nonFiniteTestValues, 0);
    EXPECT_EQ(m->rmse, 0.0);
    EXPECT_EQ(m->mPsnr, kPsnrCapDb);
    EXPECT_EQ(m->pu21Ssim, 1.0);
    // E = median of (0.5, 3, 5) = 3: the uncovered 1000 is ignored.
    EXPECT_NEAR(m->exposureReference, 3.0, 1e-5);

    // A real difference on a covered texel: texel 0 test 0.25 -> RMSE = sqrt(3 * 0.0625 / 9) = 0.144338.
    testA.texel(0, 0)[0] = testA.texel(0, 0)[1] = testA.texel(0, 0)[2] = 0.25f;
    m = computeMetrics(ref.view(), testA.view(), covered);
    ASSERT_TRUE(m.ok());
    EXPECT_NEAR(m->rmse, 0.144338, 1e-6);

    // Nothing covered: an error, not NaN (in every mode but All, which needs no coverage).
    std::fill(ref.maskData(), ref.maskData() + 4, 0);
    m = computeMetrics(ref.view(), testA.view(), covered);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, ErrorCode::InvalidArgument);
    m = computeMetrics(ref.view(), testA.view());
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, ErrorCode::InvalidArgument);
}

TEST(MetricsMask, VisibleRingCountsAndTheGutterBeyondDoesNot) {
    // 9x8 map, chart = the 3x3 block at (3..5, 2..4); visible = (2..6, 1..5), 25 texels; all = 72.
    Image ref = syntheticLightmap(9, 8, 7, false);
    ref.ensureMask();
    std::fill(ref.maskData(), ref.maskData() + ref.texelCount(), 0);
    for (int y = 2; y <= 4; ++y)
        for (int x = 3; x <= 5; ++x) ref.maskData()[y * 9 + x] = 1;
    const std::vector<std::uint8_t> visible = visibleMask(ref.view());
    ASSERT_EQ(std::count(visible.begin(), visible.end(), 1), 25);
    EXPECT_EQ(visible[1 * 9 + 2], 1);  // diagonal neighbour of the chart's corner
    EXPECT_EQ(visible[0 * 9 + 2], 0);
    EXPECT_EQ(visible[3 * 9 + 7], 0);

    auto measure = [&](const Image& test, MaskMode mode) {
        MetricsOptions options;
        options.mask = mode;
        auto m = computeMetrics(ref.view(), test.view(), options);
        EXPECT_TRUE(m.ok());
        return m.ok() ? *m : QualityMetrics{};
    };
    EXPECT_EQ(measure(ref, MaskMode::Covered).texelsCompared, 9);
    EXPECT_EQ(measure(ref, MaskMode::Visible).texelsCompared, 25);
    EXPECT_EQ(measure(ref, MaskMode::All).texelsCompared, 72);

    // A change beyond the ring moves no visible or covered metric; All sees it.
    Image far = ref.clone();
    far.texel(0, 7)[1] *= 3.0f;
    EXPECT_EQ(measure(far, MaskMode::Visible).rmse, 0.0);
    EXPECT_EQ(measure(far, MaskMode::Visible).logPsnr, kPsnrCapDb);
    EXPECT_EQ(measure(far, MaskMode::Covered).mPsnr, kPsnrCapDb);
    EXPECT_GT(measure(far, MaskMode::All).rmse, 0.0);
    EXPECT_LT(measure(far, MaskMode::All).logPsnr, kPsnrCapDb);

    // A change in the ring (the chart's diagonal neighbour) moves the visible metrics only.
    Image ring = ref.clone();
    ring.texel(2, 1)[0] *= 3.0f;
    EXPECT_GT(measure(ring, MaskMode::Visible).rmse, 0.0);
    EXPECT_LT(measure(ring, MaskMode::Visible).mPsnr, kPsnrCapDb);
    EXPECT_LT(measure(ring, MaskMode::Visible).pu21Ssim, 1.0);
    EXPECT_EQ(measure(ring, MaskMode::Covered).rmse, 0.0);

    // The normalisation comes from the covered texels in every mode.
    EXPECT_EQ(measure(ref, MaskMode::Visible).exposureReference, measure(ref, MaskMode::Covered).exposureReference);
    EXPECT_EQ(measure(ref, MaskMode::All).exposureReference, measure(ref, MaskMode::Covered).exposureReference);

    // Error maps: NaN exactly outside the mode's texels.
    for (MaskMode mode : {MaskMode::Covered, MaskMode::Visible, MaskMode::All}) {
        MetricsOptions options;
        options.mask = mode;
        auto map = computeErrorMap(ref.view(), ring.view(), ErrorMapKind::Absolute, options);
        ASSERT_TRUE(map.ok());
        for (int i = 0; i < 72; ++i) {
            const bool counted = mode == MaskMode::All ||
                                 (mode == MaskMode::Visible ? visible[std::size_t(i)] != 0 : ref.maskData()[i] != 0);
            EXPECT_EQ(std::isnan(map->values[std::size_t(i)]), !counted) << maskModeName(mode) << " texel " << i;
        }
    }

    // A region holding only ring texels, whose chart lies outside it, still counts them.
    MetricsOptions options;
    auto region = computeRegionMetrics(ref.view(), ring.view(), {0, 0, 3, 2}, options);
    ASSERT_TRUE(region.ok());
    EXPECT_EQ(region->texelsCompared, 1);  // (2, 1)
    EXPECT_GT(region->rmse, 0.0);
    options.mask = MaskMode::Covered;
    EXPECT_FALSE(computeRegionMetrics(ref.view(), ring.view(), {0, 0, 3, 2}, options).ok());  // no covered texel
}

TEST(MetricsErrorMap, ErrorAtEqualsTheMapEverywhere) {
    // Every kind and mask mode, with hot spots, a masked area, a non-finite reference texel and non-finite test
    // values: the inspector's per-texel value is the map's, bit for bit.
    Image ref = syntheticLightmap(37, 29, 11, true);
    ref.texel(4, 5)[1] = std::numeric_limits<float>::quiet_NaN();
    Image test = perturbed(ref, 0.2f, 12);
    test.texel(9, 9)[0] = std::numeric_limits<float>::infinity();
    test.texel(10, 3)[2] = std::numeric_limits<float>::quiet_NaN();
    auto norm = computeNormalization(ref.view());
    ASSERT_TRUE(norm.ok());
    for (ErrorMapKind kind : {ErrorMapKind::Absolute, ErrorMapKind::Relative, ErrorMapKind::LogRatio,
                              ErrorMapKind::Pu21, ErrorMapKind::SignedLogRatio})
        for (MaskMode mode : {MaskMode::Visible, MaskMode::Covered, MaskMode::All}) {
            MetricsOptions options;
            options.mask = mode;
            options.normalization = &*norm;
            auto map = computeErrorMap(ref.view(), test.view(), kind, options);
            ASSERT_TRUE(map.ok());
            int counted = 0;
            for (int y = 0; y < 29; ++y)
                for (int x = 0; x < 37; ++x) {
                    auto v = errorAt(ref.view(), test.view(), x, y, kind, options);
                    ASSERT_TRUE(v.ok());
                    const float expected = map->values[std::size_t(y) * 37 + x];
                    if (std::isnan(expected)) {
                        EXPECT_TRUE(std::isnan(*v)) << x << "," << y;
                    } else {
                        EXPECT_EQ(float(*v), expected) << x << "," << y;
                        ++counted;
                    }
                }
            EXPECT_GT(counted, 0);
        }
    EXPECT_FALSE(errorAt(ref.view(), test.view(), 37, 0, ErrorMapKind::Absolute).ok());
    EXPECT_FALSE(errorAt(ref.view(), test.view(), -1, 0, ErrorMapKind::Absolute).ok());
}

TEST(MetricsMask, ModeNamesRoundTrip) {
    for (MaskMode mode : {MaskMode::Visible, MaskMode::Covered, MaskMode::All}) {
        MaskMode parsed = MaskMode::All;
        ASSERT_TRUE(parseMaskMode(maskModeName(mode), parsed));
        EXPECT_EQ(parsed, mode);
    }
    MaskMode unchanged = MaskMode::Covered;
    EXPECT_FALSE(parseMaskMode("chart", unchanged));
    EXPECT_EQ(unchanged, MaskMode::Covered);
    // Without a mask every mode counts every texel, and visibleMask is empty.
    Image plain = syntheticLightmap(5, 4, 3, false);
    EXPECT_TRUE(visibleMask(plain.view()).empty());
}

TEST(MetricsMask, NonFiniteReferenceTexelsAreExcluded) {
    Image ref = greyImage(3, 1, {1.0f, 2.0f, 3.0f});
    ref.texel(1, 0)[1] = std::numeric_limits<float>::infinity();
    Image test = greyImage(3, 1, {1.0f, 7.0f, 3.0f});
    auto m = computeMetrics(ref.view(), test.view());
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->texelsCompared, 2);
    EXPECT_EQ(m->excludedReferenceTexels, 1);
    EXPECT_EQ(m->rmse, 0.0);
}

TEST(MetricsRobustness, NonFiniteTestValuesCountAsMaximalError) {
    // Reference greys (1, 3): P = 3. Test texel 0 channel R = NaN: a = 1 < P/2 = 1.5 -> replaced by 3, d = 2.
    // Test texel 1 channel G = +Inf: a = 3 >= 1.5 -> replaced by 0, d = 3.
    // MSE = (4 + 9) / 6 = 2.166667, RMSE = 1.471960; max |d| = 3.
    Image ref = greyImage(2, 1, {1.0f, 3.0f});
    Image test = ref.clone();
    test.texel(0, 0)[0] = std::numeric_limits<float>::quiet_NaN();
    test.texel(1, 0)[1] = std::numeric_limits<float>::infinity();
    auto m = computeMetrics(ref.view(), test.view());
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->nonFiniteTestValues, 2);
    EXPECT_NEAR(m->rmse, 1.471960, 1e-6);
    EXPECT_FLOAT_EQ(float(m->maxAbsError), 3.0f);
    for (double v : {m->logPsnr, m->mPsnr, m->pu21Psnr, m->pu21Ssim}) {
        EXPECT_TRUE(std::isfinite(v));
    }
    EXPECT_LT(m->logPsnr, 30.0);
    EXPECT_LT(m->pu21Ssim, 1.0);
    // Same numbers as the substituted finite test image.
    Image substituted = ref.clone();
    substituted.texel(0, 0)[0] = 3.0f;
    substituted.texel(1, 0)[1] = 0.0f;
    auto s = computeMetrics(ref.view(), substituted.view());
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(m->logPsnr, s->logPsnr);
    EXPECT_EQ(m->mPsnr, s->mPsnr);
    EXPECT_EQ(m->pu21Psnr, s->pu21Psnr);
    EXPECT_EQ(m->pu21Ssim, s->pu21Ssim);

    // Error maps stay finite on covered texels.
    for (ErrorMapKind kind : {ErrorMapKind::Absolute, ErrorMapKind::Relative, ErrorMapKind::LogRatio,
                              ErrorMapKind::Pu21, ErrorMapKind::SignedLogRatio}) {
        auto map = computeErrorMap(ref.view(), test.view(), kind);
        ASSERT_TRUE(map.ok());
        EXPECT_TRUE(std::isfinite(map->values[0]));
        EXPECT_TRUE(std::isfinite(map->values[1]));
    }
}

TEST(MetricsErrorMap, SignedLogRatioIsPositiveOverAndNegativeUnder) {
    // Texel 0 reconstructed twice as bright, texel 1 at half, texel 2 exact: +1, -1 and 0 stops (up to the 1%
    // epsilon, which pulls both towards 0), and the magnitude is the unsigned LogRatio's.
    Image ref = greyImage(3, 1, {1.0f, 1.0f, 1.0f});
    Image test = greyImage(3, 1, {2.0f, 0.5f, 1.0f});
    auto map = computeErrorMap(ref.view(), test.view(), ErrorMapKind::SignedLogRatio);
    auto abs = computeErrorMap(ref.view(), test.view(), ErrorMapKind::LogRatio);
    ASSERT_TRUE(map.ok());
    ASSERT_TRUE(abs.ok());
    EXPECT_GT(map->values[0], 0.9f);
    EXPECT_LE(map->values[0], 1.0f);
    EXPECT_LT(map->values[1], -0.9f);
    EXPECT_GE(map->values[1], -1.0f);
    EXPECT_EQ(map->values[2], 0.0f);
    for (int i = 0; i < 3; ++i) EXPECT_FLOAT_EQ(std::fabs(map->values[std::size_t(i)]), abs->values[std::size_t(i)]);
}

TEST(MetricsRobustness, DenormalLightmapsStayFinite) {
    // Luminances around 1e-40 (float denormals): 1 / E overflows a float, so the scale is capped at 1e38 instead;
    // the results must stay finite and still see the error.
    Image ref = greyImage(3, 1, {1e-40f, 2e-40f, 4e-40f});
    Image test = greyImage(3, 1, {1e-40f, 3e-40f, 4e-40f});
    auto m = computeMetrics(ref.view(), test.view());
    ASSERT_TRUE(m.ok());
    for (double v : {m->rmse, m->logPsnr, m->mPsnr, m->pu21Psnr, m->pu21Ssim}) EXPECT_TRUE(std::isfinite(v));
    EXPECT_LT(m->logPsnr, kPsnrCapDb);
    EXPECT_LT(m->mPsnr, kPsnrCapDb);
    EXPECT_LT(m->pu21Ssim, 1.0);
    auto map = computeErrorMap(ref.view(), test.view(), ErrorMapKind::Pu21);
    ASSERT_TRUE(map.ok());
    for (float v : map->values) EXPECT_TRUE(std::isfinite(v));
    // A caller-supplied normalisation that makes no sense is refused.
    MetricsNormalization bad;
    bad.exposureReference = std::numeric_limits<double>::quiet_NaN();
    MetricsOptions options;
    options.normalization = &bad;
    EXPECT_FALSE(computeMetrics(ref.view(), test.view(), options).ok());
}

TEST(MetricsRobustness, BadInputsGiveErrors) {
    Image a = greyImage(2, 2, {1, 1, 1, 1});
    Image b = greyImage(2, 1, {1, 1});
    auto m = computeMetrics(a.view(), b.view());
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(m.error().message.find("size mismatch"), std::string::npos);
    EXPECT_FALSE(computeErrorMap(a.view(), b.view(), ErrorMapKind::Absolute).ok());
    EXPECT_FALSE(computeMetrics(ImageView{}, a.view()).ok());
    EXPECT_FALSE(computeNormalization(ImageView{}).ok());
    // Regions outside the image.
    EXPECT_FALSE(computeRegionMetrics(a.view(), a.view(), {1, 1, 2, 1}).ok());
    EXPECT_FALSE(computeRegionMetrics(a.view(), a.view(), {0, 0, 0, 1}).ok());
    EXPECT_FALSE(computeRegionMetrics(a.view(), a.view(), {-1, 0, 1, 1}).ok());
}

TEST(MetricsScale, DarkImagesGiveTheSameScaleFreeMetrics) {
    // Scaling reference and test by 1e-3 (and 1e-6: a 0.0018-peak lightmap is darker still) changes RMSE by the
    // same factor and leaves the normalised metrics unchanged.
    Image ref = syntheticLightmap(128, 96, 7, true);
    Image test = perturbed(ref, 0.05f, 8);
    auto base = computeMetrics(ref.view(), test.view());
    ASSERT_TRUE(base.ok());
    for (float factor : {1e-3f, 1e-6f}) {
        Image darkRef = scaled(ref, factor), darkTest = scaled(test, factor);
        auto dark = computeMetrics(darkRef.view(), darkTest.view());
        ASSERT_TRUE(dark.ok());
        EXPECT_NEAR(dark->rmse, base->rmse * factor, base->rmse * factor * 1e-4);
        EXPECT_NEAR(dark->exposureReference, base->exposureReference * factor, base->exposureReference * factor * 1e-5);
        EXPECT_EQ(dark->mPsnrMinStop, base->mPsnrMinStop);
        EXPECT_EQ(dark->mPsnrMaxStop, base->mPsnrMaxStop);
        EXPECT_NEAR(dark->logPsnr, base->logPsnr, 1e-3);
        EXPECT_NEAR(dark->mPsnr, base->mPsnr, 1e-3);
        EXPECT_NEAR(dark->pu21Psnr, base->pu21Psnr, 1e-3);
        EXPECT_NEAR(dark->pu21Ssim, base->pu21Ssim, 1e-5);
    }
    // Sanity: a 5% relative error is a moderate, not a perfect or hopeless, result on every metric.
    EXPECT_GT(base->mPsnr, 25.0);
    EXPECT_LT(base->mPsnr, 60.0);
    EXPECT_GT(base->pu21Ssim, 0.5);
    EXPECT_LT(base->pu21Ssim, 0.9999);
}

TEST(MetricsScale, LargerErrorsScoreWorse) {
    Image ref = syntheticLightmap(128, 96, 3, false);
    auto small = computeMetrics(ref.view(), perturbed(ref, 0.01f, 4).view());
    auto large = computeMetrics(ref.view(), perturbed(ref, 0.1f, 4).view());
    ASSERT_TRUE(small.ok() && large.ok());
    EXPECT_GT(small->logPsnr, large->logPsnr + 10.0);  // 10x the error: about 20 dB lower
    EXPECT_GT(small->mPsnr, large->mPsnr + 10.0);
    EXPECT_GT(small->pu21Psnr, large->pu21Psnr + 10.0);
    EXPECT_GT(small->pu21Ssim, large->pu21Ssim);
    EXPECT_LT(small->rmse, large->rmse);
}

TEST(MetricsOptions, SelectionAndThreadsAndRegions) {
    Image ref = syntheticLightmap(300, 260, 11, true);  // 78000 texels: above the threading threshold
    Image test = perturbed(ref, 0.03f, 12);
    MetricsOptions one;
    one.threads = 1;
    MetricsOptions two;
    two.threads = 2;
    auto a = computeMetrics(ref.view(), test.view(), one);
    auto b = computeMetrics(ref.view(), test.view(), two);
    ASSERT_TRUE(a.ok() && b.ok());
    // Per-row sums added in row order: bit-identical whatever the thread count.
    EXPECT_EQ(a->rmse, b->rmse);
    EXPECT_EQ(a->logPsnr, b->logPsnr);
    EXPECT_EQ(a->mPsnr, b->mPsnr);
    EXPECT_EQ(a->pu21Psnr, b->pu21Psnr);
    EXPECT_EQ(a->pu21Ssim, b->pu21Ssim);

    MetricsOptions onlyM;
    onlyM.metrics = kMetricMPsnr;
    auto c = computeMetrics(ref.view(), test.view(), onlyM);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->mPsnr, a->mPsnr);
    EXPECT_EQ(c->rmse, a->rmse);
    EXPECT_TRUE(std::isnan(c->logPsnr));
    EXPECT_TRUE(std::isnan(c->pu21Psnr));
    EXPECT_TRUE(std::isnan(c->pu21Ssim));

    // The whole image as a region equals the image; a sub-region uses the whole image's normalisation.
    auto whole = computeRegionMetrics(ref.view(), test.view(), {0, 0, 300, 260});
    ASSERT_TRUE(whole.ok());
    EXPECT_EQ(whole->mPsnr, a->mPsnr);
    EXPECT_EQ(whole->pu21Ssim, a->pu21Ssim);
    auto region = computeRegionMetrics(ref.view(), test.view(), {40, 30, 64, 50});
    ASSERT_TRUE(region.ok());
    EXPECT_EQ(region->exposureReference, a->exposureReference);
    EXPECT_EQ(region->mPsnrMinStop, a->mPsnrMinStop);
    EXPECT_LE(region->texelsCompared, 64 * 50);
    EXPECT_GT(region->texelsCompared, 0);
    // Differences only inside the region: the region's RMSE counts them all, the image's is diluted.
    Image local = ref.clone();
    for (int y = 30; y < 80; ++y)
        for (int x = 40; x < 104; ++x) local.texel(x, y)[1] *= 1.2f;
    auto full = computeMetrics(ref.view(), local.view());
    auto inside = computeRegionMetrics(ref.view(), local.view(), {40, 30, 64, 50});
    auto outside = computeRegionMetrics(ref.view(), local.view(), {150, 150, 64, 50});
    ASSERT_TRUE(full.ok() && inside.ok() && outside.ok());
    EXPECT_GT(inside->rmse, full->rmse);
    EXPECT_EQ(outside->rmse, 0.0);
    EXPECT_EQ(outside->pu21Ssim, 1.0);
}

TEST(MetricsErrorMap, HandComputedValues) {
    // 3x1 greys, ref (1, 3, 5), test (2, 3, 2.5), texel 1 uncovered -> NaN there.
    // E = median of covered (1, 5) = v[floor(0.5)] = 1; eps E = 0.01.
    Image ref = greyImage(3, 1, {1.0f, 3.0f, 5.0f});
    ref.ensureMask();
    ref.maskData()[1] = 0;
    Image test = greyImage(3, 1, {2.0f, 3.0f, 2.5f});
    MetricsOptions covered;
    covered.mask = MaskMode::Covered;
    auto abs = computeErrorMap(ref.view(), test.view(), ErrorMapKind::Absolute, covered);
    auto rel = computeErrorMap(ref.view(), test.view(), ErrorMapKind::Relative, covered);
    auto lr = computeErrorMap(ref.view(), test.view(), ErrorMapKind::LogRatio, covered);
    auto pu = computeErrorMap(ref.view(), test.view(), ErrorMapKind::Pu21, covered);
    ASSERT_TRUE(abs.ok() && rel.ok() && lr.ok() && pu.ok());
    EXPECT_EQ(abs->width, 3);
    EXPECT_EQ(abs->height, 1);
    for (const ErrorMap* map : {&*abs, &*rel, &*lr, &*pu}) EXPECT_TRUE(std::isnan(map->values[1]));
    // Absolute: |1 - 2| = 1; |5 - 2.5| = 2.5.
    EXPECT_FLOAT_EQ(abs->values[0], 1.0f);
    EXPECT_FLOAT_EQ(abs->values[2], 2.5f);
    // Relative: 1 / (1 + 0.01) = 0.990099; 2.5 / (5 + 0.01) = 0.499002.
    EXPECT_NEAR(rel->values[0], 0.990099, 1e-5);
    EXPECT_NEAR(rel->values[2], 0.499002, 1e-5);
    // LogRatio: |log2(2.01 / 1.01)| = 0.992840; |log2(2.51 / 5.01)| = 0.997123.
    EXPECT_NEAR(lr->values[0], 0.992840, 1e-5);
    EXPECT_NEAR(lr->values[2], 0.997123, 1e-5);
    // Pu21 (L = 50 Y / E): |V(100) - V(50)| = 256.384 - 212.787 = 43.5966;
    // |V(125) - V(250)| = |271.021 - 318.276| = 47.2548.
    EXPECT_NEAR(pu->values[0], pu21Encode(100) - pu21Encode(50), 2e-3);
    EXPECT_NEAR(pu->values[0], 43.5966, 2e-3);
    EXPECT_NEAR(pu->values[2], pu21Encode(250) - pu21Encode(125), 2e-3);
    EXPECT_NEAR(pu->values[2], 47.2548, 2e-3);
}

TEST(MetricsThreads, OneAndTwoThreadsGiveIdenticalResults) {
    // Timing lives in tests/bench/bench_metrics.cpp; here only the thread-count independence is checked.
    Image ref = syntheticLightmap(512, 384, 21, true);
    Image test = perturbed(ref, 0.02f, 22);
    MetricsOptions one;
    one.threads = 1;
    MetricsOptions two;
    two.threads = 2;
    auto m = computeMetrics(ref.view(), test.view(), one);
    auto m2 = computeMetrics(ref.view(), test.view(), two);
    ASSERT_TRUE(m.ok());
    ASSERT_TRUE(m2.ok());
    EXPECT_EQ(m->pu21Ssim, m2->pu21Ssim);
    EXPECT_EQ(m->mPsnr, m2->mPsnr);
    EXPECT_EQ(m->logPsnr, m2->logPsnr);
    EXPECT_EQ(m->pu21Psnr, m2->pu21Psnr);
    EXPECT_LT(m->mPsnr, kPsnrCapDb);
}

TEST(MetricsRealLightmaps, DarkAndBrightFiles) {
    const std::filesystem::path dir = LMC_REAL_LIGHTMAPS;
    if (!std::filesystem::exists(dir)) GTEST_SKIP() << "real lightmaps not found at " << dir;
    // The darkest file (peak 0.0018) and the night alley (peak 1841).
    for (const char* name : {"truejole-the-spookening__world__world.exr",
                             "2227500-lightingandsound__alleyway__lightmap-3_comp_light.exr"}) {
        const auto path = dir / name;
        if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
        auto loaded = readExr(path.string());
        ASSERT_TRUE(loaded.ok()) << loaded.error().message;
        const Image& ref = loaded->image;
        // A codec-like distortion: 3% relative noise. The normalised metrics land in the same band for both files
        // although their raw values differ by six orders of magnitude.
        Image test = perturbed(ref, 0.03f, 5);
        auto m = computeMetrics(ref.view(), test.view());
        ASSERT_TRUE(m.ok()) << m.error().message;
        std::printf("%s: E = %g, stops %g..%g, RMSE %g, logPSNR %.2f, mPSNR %.2f, PU21 %.2f, SSIM %.4f\n", name,
                    m->exposureReference, m->mPsnrMinStop, m->mPsnrMaxStop, m->rmse, m->logPsnr, m->mPsnr, m->pu21Psnr,
                    m->pu21Ssim);
        EXPECT_FALSE(m->exposureFallback);
        EXPECT_GT(m->mPsnr, 30.0);
        EXPECT_LT(m->mPsnr, 70.0);
        EXPECT_GT(m->pu21Psnr, 25.0);
        EXPECT_GT(m->pu21Ssim, 0.8);
        EXPECT_LT(m->pu21Ssim, 1.0);
        EXPECT_GE(m->mPsnrMaxStop, m->mPsnrMinStop);
        EXPECT_LE(m->mPsnrMaxStop - m->mPsnrMinStop, kMPsnrMaxSpan);
    }
}

}  // namespace
}  // namespace lmc
