// Shared helpers for the Qt tests: a procedural lightmap-like image (smooth gradients, a few bright spots, gutters
// marked uncovered) written as a real EXR, small wait helpers, and a codec that hands interim streams. Header-only:
// tests/CMakeLists.txt builds each tst_*.cpp on its own.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QSignalSpy>
#include <QString>
#include <QTest>

#include <cmath>
#include <string>

#include "codec/codec.h"
#include "codec/exr_io.h"
#include "codec/image.h"

namespace lmc::test {

// Sanitizer builds (LMC_SANITIZE, the asan preset) run 10-20x slower than Release: timing targets are Release
// figures, so timing tests skip there and the UI-stall watchdog uses a wider bound (it still catches a frozen UI).
#ifdef LMC_SANITIZED_BUILD
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif

// Charts are 32x32 blocks with 2-texel gutters; inside, a smooth coloured gradient plus a few "lamps".
inline Image makeLightmap(int width, int height, bool withMask = true) {
    Image image = Image::create(width, height).value();
    if (withMask) image.ensureMask();
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            float* p = image.texel(x, y);
            const bool gutter = (x % 32) < 2 || (y % 32) < 2;
            const double u = double(x) / width, v = double(y) / height;
            double base = 0.05 + 0.6 * (0.5 + 0.5 * std::sin(6.0 * u + 3.0 * v)) * (0.3 + v);
            const double dx = (x % 64) - 40.0, dy = (y % 64) - 24.0;
            base += 6.0 * std::exp(-(dx * dx + dy * dy) / 18.0);  // lamp peaks well above 1
            p[0] = float(base * (0.9 + 0.2 * u));
            p[1] = float(base * 0.85);
            p[2] = float(base * (0.7 + 0.3 * v));
            if (withMask && gutter) {
                p[0] = p[1] = p[2] = 0.0f;
                image.maskData()[std::size_t(y) * width + x] = 0;
            }
        }
    }
    return image;
}

inline QString writeLightmap(const QDir& dir, const QString& name, int width, int height) {
    const QString path = dir.filePath(name);
    Image image = makeLightmap(width, height);
    ExrWriteOptions options;
    options.pixelType = ExrPixelType::Half;
    Status s = writeExr(path.toStdString(), image.view(), options);
    if (!s) qFatal("writeExr failed: %s", s.error().message.c_str());
    return path;
}

// Waits until `spy` has at least `count` entries.
inline bool waitForCount(QSignalSpy& spy, int count, int timeoutMs = 20000) {
    QElapsedTimer timer;
    timer.start();
    while (spy.count() < count && timer.elapsed() < timeoutMs) spy.wait(std::max<int>(1, timeoutMs - timer.elapsed()));
    return spy.count() >= count;
}

inline QString screenshotDir() {
    QString dir = qEnvironmentVariable("LMC_SCREENSHOT_DIR");
    if (dir.isEmpty()) dir = QDir::temp().filePath(QStringLiteral("lmc_screenshots"));
    QDir().mkpath(dir);
    return dir;
}

// The built-in JPEG-HDR codec handing interim streams at quality 10 and 30 before its final one, as a per-map
// optimised codec hands over its stream so far (CodecContext::interim).
class RefiningCodec : public Codec {
public:
    explicit RefiningCodec(const Codec& inner) : inner_(inner) {}
    std::string id() const override { return "refining"; }
    std::string name() const override { return "Refining JPEG"; }
    std::string description() const override { return "JPEG-HDR with interim streams."; }
    ParamSchema schema() const override { return inner_.schema(); }
    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        if (context.interim)
            for (int quality : {10, 30}) {
                ParamSet coarse = params;
                coarse.set("quality", quality);
                auto stream = inner_.encode(image, coarse, context);
                if (stream) context.interim(*stream);
            }
        return inner_.encode(image, params, context);
    }
    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        return inner_.decode(data, size, context);
    }

private:
    const Codec& inner_;
};

}  // namespace lmc::test
