// Shared fixtures for the codec tests (tests/codec/test_*_codec.cpp): a smooth HDR gradient with a bright spot,
// codec lookup, encode / decode helpers that record failures, the log-domain RMS error, damaged copies of a stream
// and the thread-count determinism check. Header-only, everything inline in lmc::test: every tests/codec/*.cpp is
// compiled into one binary, so file-local helpers must not reuse these names at namespace scope.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "codec/baker/baker.h"
#include "codec/codec.h"

namespace lmc::test {

// Smooth coloured HDR gradient over a 0.1..1 background with a broad bright spot `peakHeight` above it, all times
// `scale`.
inline Image gradientImage(int w, int h, float peakHeight = 200.0f, float scale = 1.0f) {
    Image image = Image::create(w, h).value();
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const float u = (x + 0.5f) / w, v = (y + 0.5f) / h;
            const float dx = u - 0.4f, dy = v - 0.6f;
            const float peak = peakHeight * std::exp(-(dx * dx + dy * dy) / 0.03f);
            float* t = image.texel(x, y);
            t[0] = scale * (0.2f + 0.8f * u + peak);
            t[1] = scale * (0.3f + 0.5f * v + 0.8f * peak);
            t[2] = scale * (0.1f + 0.3f * u * v + 0.6f * peak);
        }
    return image;
}

// The registered codec with this id (a failed lookup is a test failure).
inline const Codec& builtinCodec(const char* id) {
    const Codec* codec = CodecRegistry::builtin().find(id);
    EXPECT_NE(codec, nullptr) << id;
    return *codec;
}

// A small interior bake by our baker (charts, gutters, soft and hard light): 8 samples, one bounce.
inline Image bakedTestMap(std::uint64_t seed, int width, int height) {
    BakeSettings settings;
    settings.seed = seed;
    settings.width = width;
    settings.height = height;
    settings.samples = 8;
    settings.bounces = 1;
    CodecContext context;
    context.threads = 2;
    auto baked = bakeLightmap(settings, context);
    EXPECT_TRUE(baked.ok());
    return baked.ok() ? std::move(baked).value() : Image::create(4, 4).value();
}

inline CodecContext threadsContext(int threads) {
    CodecContext c;
    c.threads = threads;
    return c;
}
inline CodecContext oneThread() {
    return threadsContext(1);
}

// A context whose token has already fired.
inline CodecContext cancelledContext(CancelToken& token, int threads = 0) {
    token.cancel();
    CodecContext c = threadsContext(threads);
    c.cancel = &token;
    return c;
}

// RMS over every channel of log2 ratios, negatives counted as 0, with `floor` added to both sides (pick it relative
// to the image's scale).
inline double logRms(const Image& a, const Image& b, double floor = 0.01) {
    double sum = 0;
    const std::size_t n = std::size_t(a.texelCount()) * 3;
    for (std::size_t i = 0; i < n; ++i) {
        const double d =
            std::log2(std::max(0.0f, a.data()[i]) + floor) - std::log2(std::max(0.0f, b.data()[i]) + floor);
        sum += d * d;
    }
    return std::sqrt(sum / double(n));
}

inline bool allFinite(const Image& image) {
    const float* v = image.data();
    for (std::int64_t i = 0; i < image.texelCount() * 3; ++i)
        if (!std::isfinite(v[i])) return false;
    return true;
}

// encodeImage, a failure recorded (and an empty stream returned).
inline Bytes encodeOk(const Codec& codec, const Image& image, const ParamSet& params, const CodecContext& context) {
    auto bytes = encodeImage(codec, image.view(), params, context);
    EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().message);
    return bytes.ok() ? std::move(bytes).value() : Bytes{};
}

// 64-bit FNV-1a of an image's float texels (their bytes): golden decodes of streams kept from earlier encoders.
inline std::uint64_t texelHash(const Image& image) {
    std::uint64_t h = 1469598103934665603ull;
    const auto* p = reinterpret_cast<const std::uint8_t*>(image.data());
    for (std::size_t i = 0; i < std::size_t(image.texelCount()) * 3 * sizeof(float); ++i)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

// Codec::decode, a failure recorded (and an empty image returned).
inline Image decodeOk(const Codec& codec, const Bytes& bytes, const CodecContext& context) {
    auto image = codec.decode(bytes, context);
    EXPECT_TRUE(image.ok()) << (image.ok() ? "" : image.error().message);
    return image.ok() ? std::move(image).value() : Image{};
}

// Encode then decode with the same context; the stream is stored in `stream` when given. Empty image on failure.
inline Image roundTrip(const Codec& codec, const Image& image, const ParamSet& params, const CodecContext& context,
                       Bytes* stream = nullptr) {
    auto bytes = encodeImage(codec, image.view(), params, context);
    EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().message);
    if (!bytes.ok()) return Image();
    if (stream) *stream = *bytes;
    return decodeOk(codec, *bytes, context);
}

// 0, 1, 2, ... up to `denseBelow`, then every `step`-th length: prefixes of a stream of `size` bytes.
inline std::vector<std::size_t> truncationLengths(std::size_t size, std::size_t denseBelow, std::size_t step) {
    std::vector<std::size_t> lengths;
    for (std::size_t n = 0; n < size; n += (n < denseBelow ? 1 : step)) lengths.push_back(n);
    return lengths;
}

// Every prefix of `stream` of these lengths fails to decode, with one of the `allowed` codes.
inline void expectTruncationsRejected(const Codec& codec, const Bytes& stream, const std::vector<std::size_t>& lengths,
                                      std::initializer_list<ErrorCode> allowed, const CodecContext& context) {
    for (std::size_t n : lengths) {
        auto r = codec.decode(stream.data(), n, context);
        ASSERT_FALSE(r.ok()) << "truncated to " << n;
        EXPECT_NE(std::find(allowed.begin(), allowed.end(), r.error().code), allowed.end())
            << n << ": " << errorCodeName(r.error().code) << ": " << r.error().message;
    }
}

// Copies of `stream` with one byte XORed with 0x5A: at `from`, then every size / parts bytes (at least every byte).
inline std::vector<Bytes> xorDamagedCopies(const Bytes& stream, std::size_t from, std::size_t parts) {
    std::vector<Bytes> copies;
    for (std::size_t at = from; at < stream.size(); at += std::max<std::size_t>(1, stream.size() / parts)) {
        copies.push_back(stream);
        copies.back()[at] ^= 0x5A;
    }
    return copies;
}

// `trials` copies of `stream` with random single-bit flips: one per copy, or 1..maxFlips when maxFlips > 1.
inline std::vector<Bytes> bitFlippedCopies(const Bytes& stream, unsigned seed, int trials, int maxFlips = 1) {
    std::mt19937 rng(seed);
    std::vector<Bytes> copies;
    for (int trial = 0; trial < trials; ++trial) {
        Bytes bad = stream;
        const int flips = maxFlips > 1 ? 1 + int(rng() % unsigned(maxFlips)) : 1;
        for (int f = 0; f < flips; ++f) {
            const std::size_t at = rng() % bad.size();
            bad[at] = std::uint8_t(bad[at] ^ (1u << (rng() % 8)));
        }
        copies.push_back(std::move(bad));
    }
    return copies;
}

// Encoding and decoding with each thread count give the bytes and texels of the first.
inline void expectSameAcrossThreadCounts(const Codec& codec, const Image& image, const ParamSet& params,
                                         std::initializer_list<int> threadCounts = {1, 2, 4}) {
    Bytes reference;
    Image referenceImage;
    bool first = true;
    for (int threads : threadCounts) {
        const CodecContext c = threadsContext(threads);
        auto bytes = encodeImage(codec, image.view(), params, c);
        ASSERT_TRUE(bytes.ok()) << bytes.error().message;
        auto decoded = codec.decode(*bytes, c);
        ASSERT_TRUE(decoded.ok()) << decoded.error().message;
        if (first) {
            reference = *bytes;
            referenceImage = std::move(decoded).value();
            first = false;
            continue;
        }
        EXPECT_EQ(*bytes, reference) << threads << " threads";
        ASSERT_EQ(decoded->texelCount(), referenceImage.texelCount());
        EXPECT_EQ(std::memcmp(decoded->data(), referenceImage.data(), std::size_t(image.texelCount()) * 12), 0)
            << threads << " threads";
    }
}

// Gives `image` a mask with the columns x >= firstUncovered uncovered, and returns a copy that differs only by loud
// noise right of column firstUncovered (the visible ring that encodeImage adds keeps the original values).
inline Image noisyGutterCopy(Image& image, int firstUncovered) {
    image.ensureMask();
    for (int y = 0; y < image.height(); ++y)
        for (int x = firstUncovered; x < image.width(); ++x) image.maskData()[std::size_t(y) * image.width() + x] = 0;
    Image noisy = image.clone();
    for (int y = 0; y < image.height(); ++y)
        for (int x = firstUncovered + 1; x < image.width(); ++x)
            for (int c = 0; c < 3; ++c) noisy.texel(x, y)[c] = ((x * 7 + y * 13 + c) % 5) * 1000.0f;
    return noisy;
}

}  // namespace lmc::test
