// The adaptive bit-map coder (codec/learned/bit_map.h): exact round trips, don't-care bits decoded as the encoder
// chose them, the cost of a chart-like map, and damaged or truncated streams refused without reading out of bounds.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "codec/learned/bit_map.h"

using namespace lmc;
using namespace lmc::learned;

namespace {

// Rectangles of 1s on 0s, like exact-black areas between lightmap charts, plus a few isolated 1s.
std::vector<std::uint8_t> chartMap(int w, int h, std::uint32_t seed) {
    std::vector<std::uint8_t> bits(std::size_t(w) * h, 0);
    std::mt19937 rng(seed);
    for (int r = 0; r < 12; ++r) {
        const int x0 = int(rng() % std::uint32_t(w)), y0 = int(rng() % std::uint32_t(h));
        const int x1 = std::min(w, x0 + 4 + int(rng() % 40)), y1 = std::min(h, y0 + 4 + int(rng() % 40));
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) bits[std::size_t(y) * w + x] = 1;
    }
    for (int k = 0; k < 20; ++k) bits[rng() % bits.size()] ^= 1;
    return bits;
}

TEST(BitMap, RoundTripsExactly) {
    for (auto [w, h] : {std::pair{1, 1}, std::pair{7, 3}, std::pair{130, 97}, std::pair{256, 256}}) {
        const std::vector<std::uint8_t> bits = chartMap(w, h, std::uint32_t(w * 131 + h));
        auto stream = encodeBitMap(bits, w, h, {});
        ASSERT_TRUE(stream.ok()) << stream.error().message;
        std::vector<std::uint8_t> decoded;
        ASSERT_TRUE(decodeBitMap(stream->data(), stream->size(), w, h, decoded).ok()) << w << "x" << h;
        EXPECT_EQ(decoded, bits) << w << "x" << h;
    }
    // All zeros, all ones, and a random map (the hardest case: about one bit per bit).
    const int w = 64, h = 48;
    std::mt19937 rng(3);
    std::vector<std::uint8_t> random(std::size_t(w) * h);
    for (auto& b : random) b = std::uint8_t(rng() & 1);
    for (const auto& bits : {std::vector<std::uint8_t>(std::size_t(w) * h, 0),
                             std::vector<std::uint8_t>(std::size_t(w) * h, 1), random}) {
        auto stream = encodeBitMap(bits, w, h, {});
        ASSERT_TRUE(stream.ok());
        std::vector<std::uint8_t> decoded;
        ASSERT_TRUE(decodeBitMap(stream->data(), stream->size(), w, h, decoded).ok());
        EXPECT_EQ(decoded, bits);
    }
    auto stream = encodeBitMap(random, w, h, {});
    EXPECT_GT(stream->size() * 8, random.size() * 9 / 10);  // incompressible: no code can beat it by much
}

TEST(BitMap, ChartMapsAreCheap) {
    // A 512^2 map of large rectangles costs a small fraction of a bit per texel (its edges carry the information).
    const int w = 512, h = 512;
    std::vector<std::uint8_t> bits(std::size_t(w) * h, 0);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) bits[std::size_t(y) * w + x] = ((x / 64 + y / 48) % 3 == 0) ? 1 : 0;
    auto stream = encodeBitMap(bits, w, h, {});
    ASSERT_TRUE(stream.ok());
    EXPECT_LT(double(stream->size()) * 8.0 / double(bits.size()), 0.02);
}

TEST(BitMap, DontCareBitsAreChosenCheaplyAndDecodeAsChosen) {
    const int w = 200, h = 150;
    const std::vector<std::uint8_t> bits = chartMap(w, h, 11);
    // The right third is free: noise there must not cost, and the decoder must see exactly the encoder's choice.
    std::vector<std::uint8_t> noisy = bits, free(bits.size(), 0);
    std::mt19937 rng(9);
    for (int y = 0; y < h; ++y)
        for (int x = 2 * w / 3; x < w; ++x) {
            free[std::size_t(y) * w + x] = 1;
            noisy[std::size_t(y) * w + x] = std::uint8_t(rng() & 1);
        }
    std::vector<std::uint8_t> coded;
    auto withFree = encodeBitMap(noisy, w, h, free, &coded);
    auto withNoise = encodeBitMap(noisy, w, h, {});
    ASSERT_TRUE(withFree.ok() && withNoise.ok());
    EXPECT_LT(withFree->size() * 4, withNoise->size());
    std::vector<std::uint8_t> decoded;
    ASSERT_TRUE(decodeBitMap(withFree->data(), withFree->size(), w, h, decoded).ok());
    EXPECT_EQ(decoded, coded);
    for (std::size_t i = 0; i < bits.size(); ++i) {
        if (!free[i]) {
            ASSERT_EQ(coded[i], noisy[i]) << i;
        }
    }
    // Sizes that do not match are refused.
    EXPECT_FALSE(encodeBitMap(bits, w + 1, h, {}).ok());
    EXPECT_FALSE(encodeBitMap(bits, w, h, std::vector<std::uint8_t>(3, 0)).ok());
}

TEST(BitMap, DamagedStreamsAreErrors) {
    const int w = 96, h = 80;
    const std::vector<std::uint8_t> bits = chartMap(w, h, 21);
    auto stream = encodeBitMap(bits, w, h, {});
    ASSERT_TRUE(stream.ok());
    std::vector<std::uint8_t> decoded;
    // Truncated (every length), and too short for a huge map: CorruptData, never a crash.
    for (std::size_t n = 0; n < stream->size(); n += 3) {
        auto st = decodeBitMap(stream->data(), n, w, h, decoded);
        ASSERT_FALSE(st.ok()) << n;
        EXPECT_EQ(st.error().code, ErrorCode::CorruptData);
    }
    auto huge = decodeBitMap(stream->data(), stream->size(), 65536, 65536, decoded);
    ASSERT_FALSE(huge.ok());
    EXPECT_EQ(huge.error().code, ErrorCode::CorruptData);
    // Flipped bits: an error, or a map of 0s and 1s of the right size.
    std::mt19937 rng(4);
    int rejected = 0;
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<std::uint8_t> bad = *stream;
        bad[rng() % bad.size()] ^= std::uint8_t(1u << (rng() % 8));
        auto st = decodeBitMap(bad.data(), bad.size(), w, h, decoded);
        if (!st.ok()) {
            ++rejected;
            EXPECT_EQ(st.error().code, ErrorCode::CorruptData);
        } else {
            ASSERT_EQ(decoded.size(), bits.size());
            for (std::uint8_t b : decoded) ASSERT_LE(b, 1);
        }
    }
    EXPECT_GT(rejected, 100);
    // Cancellation.
    CancelToken cancel;
    cancel.cancel();
    auto st = decodeBitMap(stream->data(), stream->size(), w, h, decoded, &cancel);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::Cancelled);
}

}  // namespace
