// Tone mapper: exact 8-bit sRGB values at known linear inputs and exposures, agreement with the exact curve over
// the whole range, row strides, threading, and the automatic exposure.
#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

#include "widgets/tone_map.h"

using namespace lmc;

class TestToneMap : public QObject {
    Q_OBJECT
private slots:
    void knownValuesAtEv0();
    void knownValuesAtEv1();
    void matchesExactCurveEverywhere();
    void imageHonoursStrideAndChannels();
    void threadedEqualsSingleThreaded();
    void dimsUncoveredTexels();
    void suggestExposureHitsMiddleGrey();
};

void TestToneMap::knownValuesAtEv0() {
    QCOMPARE(int(toneMapValue(0.0f, 0.0)), 0);
    QCOMPARE(int(toneMapValue(1.0f, 0.0)), 255);
    QCOMPARE(int(toneMapValue(4.0f, 0.0)), 255);       // clipped
    QCOMPARE(int(toneMapValue(0.5f, 0.0)), 188);       // 1.055 * 0.5^(1/2.4) - 0.055 = 0.7354
    QCOMPARE(int(toneMapValue(0.18f, 0.0)), 118);      // middle grey: 0.4613
    QCOMPARE(int(toneMapValue(0.25f, 0.0)), 137);      // 0.5371
    QCOMPARE(int(toneMapValue(0.0031308f, 0.0)), 10);  // knee of the curve: 0.04045 * 255 = 10.3
    QCOMPARE(int(toneMapValue(0.001f, 0.0)), 3);       // linear segment: 12.92 * 0.001 * 255 = 3.29
    QCOMPARE(int(toneMapValue(-0.5f, 0.0)), 0);        // negatives show black
    QCOMPARE(int(toneMapValue(std::numeric_limits<float>::quiet_NaN(), 0.0)), 0);
    QCOMPARE(int(toneMapValue(std::numeric_limits<float>::infinity(), 0.0)), 255);
}

void TestToneMap::knownValuesAtEv1() {
    // +1 EV doubles the linear value before the curve.
    QCOMPARE(int(toneMapValue(0.25f, 1.0)), 188);
    QCOMPARE(int(toneMapValue(0.09f, 1.0)), 118);
    QCOMPARE(int(toneMapValue(0.5f, 1.0)), 255);
    QCOMPARE(int(toneMapValue(0.125f, 1.0)), 137);
    QCOMPARE(int(toneMapValue(1.0f, -1.0)), 188);  // and -1 EV halves it
    QCOMPARE(int(toneMapValue(4.0f, -3.0)), 188);
}

void TestToneMap::matchesExactCurveEverywhere() {
    // 200k log-spaced values from 1e-7 to 2: the table never differs from the exactly rounded curve by more than
    // one code value, and only where the exact value lies within 0.05 of a rounding boundary.
    int mismatches = 0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
        const double v = 1e-7 * std::pow(2.0 / 1e-7, double(i) / (n - 1));
        const int exact = int(std::lround(srgbEncode(v) * 255.0));
        const int got = toneMapValue(float(v), 0.0);
        QVERIFY2(std::abs(got - exact) <= 1,
                 qPrintable(QStringLiteral("v=%1 got %2 exact %3").arg(v).arg(got).arg(exact)));
        if (got != exact) {
            ++mismatches;
            const double frac = srgbEncode(v) * 255.0 - std::floor(srgbEncode(v) * 255.0);
            QVERIFY2(std::abs(frac - 0.5) < 0.05, qPrintable(QStringLiteral("v=%1 frac %2").arg(v).arg(frac)));
        }
    }
    qInfo("%d of %d values differ by one code value from the exactly rounded curve", mismatches, n);
    QVERIFY(mismatches < n / 20);
}

void TestToneMap::imageHonoursStrideAndChannels() {
    // 2 x 2 texels with a padded row stride of 8 floats; the padding holds values that must never show.
    std::vector<float> data = {
        0.5f, 0.0f, 1.0f, 0.18f, 0.18f, 0.18f, 99.f, 99.f, 0.0f, 0.25f, 0.001f, -1.f, 2.0f, 0.5f, 99.f, 99.f,
    };
    QImage img = toneMap(data.data(), 2, 2, 8, ToneMapOptions{0.0, 1});
    QCOMPARE(img.size(), QSize(2, 2));
    QCOMPARE(img.format(), QImage::Format_RGB32);
    QCOMPARE(img.pixel(0, 0), qRgb(188, 0, 255));
    QCOMPARE(img.pixel(1, 0), qRgb(118, 118, 118));
    QCOMPARE(img.pixel(0, 1), qRgb(0, 137, 3));
    QCOMPARE(img.pixel(1, 1), qRgb(0, 255, 188));
    img = toneMap(data.data(), 2, 2, 8, ToneMapOptions{1.0, 1});
    QCOMPARE(img.pixel(0, 0), qRgb(255, 0, 255));
    QCOMPARE(img.pixel(1, 1), qRgb(0, 255, 255));
    // Inconsistent inputs give a null image rather than reading out of bounds.
    QVERIFY(toneMap(data.data(), 3, 2, 8).isNull());
    QVERIFY(toneMap(nullptr, 2, 2, 8).isNull());
    QVERIFY(toneMap(FloatRgbImage{}).isNull());
}

void TestToneMap::threadedEqualsSingleThreaded() {
    const int w = 1024, h = 1024;
    auto buffer = std::shared_ptr<float>(new float[std::size_t(w) * h * 3], std::default_delete<float[]>());
    for (int i = 0; i < w * h * 3; ++i) buffer.get()[i] = float(std::pow(2.0, (i % 4099) / 256.0 - 12.0));
    FloatRgbImage image{w, h, 3 * w, buffer, nullptr};
    QImage single = toneMap(image, ToneMapOptions{0.7, 1});
    QElapsedTimer timer;
    timer.start();
    QImage threaded = toneMap(image, ToneMapOptions{0.7, 0});
    const double ms = timer.nsecsElapsed() / 1e6;
    QCOMPARE(threaded, single);
    QCOMPARE(single.pixel(0, 0), qRgb(toneMapValue(buffer.get()[0], 0.7), toneMapValue(buffer.get()[1], 0.7),
                                      toneMapValue(buffer.get()[2], 0.7)));
    qInfo("tone mapping 1024x1024 (all threads): %.2f ms", ms);
}

void TestToneMap::dimsUncoveredTexels() {
    auto rgb = std::shared_ptr<float>(new float[2 * 3], std::default_delete<float[]>());
    auto mask = std::shared_ptr<std::uint8_t>(new std::uint8_t[2]{1, 0}, std::default_delete<std::uint8_t[]>());
    for (int i = 0; i < 6; ++i) rgb.get()[i] = 1.0f;
    FloatRgbImage image{2, 1, 6, rgb, mask};
    QImage plain = toneMap(image, ToneMapOptions{0.0, 1, false});
    QCOMPARE(plain.pixel(1, 0), qRgb(255, 255, 255));  // the mask only matters when asked for
    QImage dimmed = toneMap(image, ToneMapOptions{0.0, 1, true});
    QCOMPARE(dimmed.pixel(0, 0), qRgb(255, 255, 255));
    QCOMPARE(dimmed.pixel(1, 0), qRgb(63, 63, 63));
}

void TestToneMap::suggestExposureHitsMiddleGrey() {
    const int w = 64, h = 32;
    auto rgb = std::shared_ptr<float>(new float[w * h * 3], std::default_delete<float[]>());
    auto mask = std::shared_ptr<std::uint8_t>(new std::uint8_t[w * h], std::default_delete<std::uint8_t[]>());
    for (int i = 0; i < w * h; ++i) {
        const bool covered = (i % w) < w / 2;
        for (int c = 0; c < 3; ++c) rgb.get()[3 * i + c] = covered ? 0.045f : 1000.0f;
        mask.get()[i] = covered ? 1 : 0;
    }
    // Only the covered half counts: log2(0.18 / 0.045) = 2 EV.
    FloatRgbImage image{w, h, 3 * w, rgb, mask};
    QVERIFY(std::abs(suggestExposure(image) - 2.0) < 1e-3);
    // Without the mask the bright gutters pull it down.
    FloatRgbImage unmasked{w, h, 3 * w, rgb, nullptr};
    QVERIFY(suggestExposure(unmasked) < -2.0);
    // All black: no answer.
    for (int i = 0; i < w * h * 3; ++i) rgb.get()[i] = 0.0f;
    QVERIFY(std::isnan(suggestExposure(image)));
}

QTEST_APPLESS_MAIN(TestToneMap)
#include "tst_tone_map.moc"
