// rANS coder: exact round trips over many table shapes, escapes, the stream size against the model's estimate,
// and damaged streams (every truncation, byte flips, garbage) that must give an error or terminate.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "codec/entropy/cdf.h"
#include "codec/entropy/rans.h"

using namespace lmc;
using namespace lmc::entropy;

namespace {

// splitmix64: a platform-independent generator (std distributions are not specified bit for bit).
struct Rng {
    std::uint64_t s;
    explicit Rng(std::uint64_t seed) : s(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
};

enum class Shape { Uniform, Geometric, VerySkewed, Random, Minimal };

// Frequencies for n symbols summing to 2^16 with every entry >= 1.
std::vector<std::uint32_t> makeFrequencies(Rng& rng, std::uint32_t n, Shape shape) {
    std::vector<std::uint32_t> f(n, 1);
    std::uint32_t left = kCdfTotal - n;
    switch (shape) {
        case Shape::Uniform:
            for (std::uint32_t i = 0; i < n; ++i) f[i] += left / n + (i < left % n ? 1 : 0);
            return f;
        case Shape::Minimal:  // one symbol takes everything the others leave
            f[rng.below(n)] += left;
            return f;
        case Shape::VerySkewed:  // 99.9% on one symbol, the rest spread randomly
        case Shape::Geometric:
        case Shape::Random: {
            std::vector<double> pmf(n);
            double p = 1.0;
            for (std::uint32_t i = 0; i < n; ++i) {
                if (shape == Shape::Geometric) {
                    pmf[i] = p;
                    p *= 0.7;
                } else {
                    pmf[i] = static_cast<double>(rng.below(1000) + 1);
                }
            }
            if (shape == Shape::VerySkewed) {
                double rest = 0.0;
                for (double v : pmf) rest += v;
                pmf[rng.below(n)] += rest * 999.0;
            }
            auto q = quantizePmf(pmf);
            EXPECT_TRUE(q.ok());
            return q.value();
        }
    }
    return f;
}

CdfTableSet makeTables(Rng& rng, std::size_t tableCount, std::uint32_t maxSymbols, Shape shape) {
    std::vector<CdfTableSpec> specs(tableCount);
    for (auto& spec : specs) {
        const std::uint32_t n = 2 + rng.below(maxSymbols - 1);
        spec.frequencies = makeFrequencies(rng, n, shape);
        spec.offset = static_cast<std::int32_t>(rng.below(41)) - 20;
    }
    auto set = CdfTableSet::fromSpecs(specs);
    EXPECT_TRUE(set.ok()) << (set.ok() ? "" : set.error().message);
    return std::move(set.value());
}

// Draws a symbol of `table` according to its frequencies (so estimates reflect real coding).
std::int32_t drawValue(Rng& rng, const CdfTableSet& tables, std::size_t table) {
    const std::uint32_t slot = rng.below(kCdfTotal);
    const std::uint32_t* cdf = tables.cdf(table);
    int s = 0;
    while (cdf[s + 1] <= slot) ++s;
    const int escape = tables.symbolCount(table) - 1;
    if (s < escape) return tables.offset(table) + s;
    // Escape symbol: some out-of-range value, sometimes far out.
    const std::int32_t span = static_cast<std::int32_t>(rng.below(1000) + 1);
    return rng.below(2) ? tables.maxValue(table) + span : tables.offset(table) - span;
}

struct Sequence {
    std::vector<std::int32_t> values;
    std::vector<std::int32_t> indexes;
};

Sequence drawSequence(Rng& rng, const CdfTableSet& tables, std::size_t count, double escapeRate) {
    Sequence seq;
    seq.values.resize(count);
    seq.indexes.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint32_t t = rng.below(static_cast<std::uint32_t>(tables.tableCount()));
        seq.indexes[i] = static_cast<std::int32_t>(t);
        if (escapeRate > 0 && rng.below(1000000) < escapeRate * 1e6) {
            const std::int64_t wild =
                static_cast<std::int64_t>(rng.next() >> 32) + std::numeric_limits<std::int32_t>::min();
            seq.values[i] = static_cast<std::int32_t>(wild);
        } else {
            seq.values[i] = drawValue(rng, tables, t);
        }
    }
    return seq;
}

void expectRoundTrip(const CdfTableSet& tables, const Sequence& seq) {
    auto stream = ransEncode(seq.values.data(), seq.indexes.data(), seq.values.size(), tables);
    ASSERT_TRUE(stream.ok()) << stream.error().message;
    std::vector<std::int32_t> decoded(seq.values.size(), 12345);
    Status s =
        ransDecode(stream->data(), stream->size(), seq.indexes.data(), seq.indexes.size(), tables, decoded.data());
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_EQ(decoded, seq.values);
}

// Decodes a possibly damaged stream; returns true when the decoder accepted it fully.
bool decodeAccepts(const std::vector<std::uint8_t>& bytes, const Sequence& seq, const CdfTableSet& tables,
                   std::vector<std::int32_t>* out = nullptr) {
    std::vector<std::int32_t> decoded(seq.indexes.size());
    RansDecoder decoder;
    // A null pointer with a zero size is the empty stream; give the decoder the vector's storage either way.
    if (!decoder.begin(bytes.data(), bytes.size()).ok()) return false;
    if (!decoder.decode(seq.indexes.data(), seq.indexes.size(), tables, decoded.data()).ok()) return false;
    if (!decoder.end().ok()) return false;
    if (out) *out = decoded;
    return true;
}

std::uint64_t fnv1a(const std::vector<std::uint8_t>& bytes) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::uint8_t b : bytes) {
        h ^= b;
        h *= 0x100000001b3ull;
    }
    return h;
}

}  // namespace

TEST(Rans, ReciprocalEncodeStepIsExact) {
    // The encoder replaces x / freq by a multiply-high; it must equal the division for every frequency and state.
    Rng rng(1);
    for (std::uint32_t freq = 1; freq <= kCdfTotal; ++freq) {
        const std::uint32_t start = rng.below(kCdfTotal - freq + 1);
        const detail::EncSymbol sym = detail::makeEncSymbol(start, freq, kCdfPrecision);
        auto expected = [&](std::uint64_t x) { return (x / freq) * kCdfTotal + start + x % freq; };
        const std::uint64_t edges[] = {
            1, 2, 3, freq, std::uint64_t{freq} + 1, (1ull << 31), sym.xMax - 1, sym.xMax - freq, sym.xMax - freq - 1};
        for (std::uint64_t x : edges) ASSERT_EQ(detail::encodeStep(sym, x), expected(x)) << freq << " " << x;
        for (int k = 0; k < 20; ++k) {
            const std::uint64_t x = 1 + (rng.next() >> (1 + k)) % (sym.xMax - 1);  // spread over magnitudes
            ASSERT_EQ(detail::encodeStep(sym, x), expected(x)) << freq << " " << x;
            const std::uint64_t multiple = std::max<std::uint64_t>(freq, (x / freq) * freq);
            ASSERT_EQ(detail::encodeStep(sym, multiple), expected(multiple));
            if (multiple > 1) {
                ASSERT_EQ(detail::encodeStep(sym, multiple - 1), expected(multiple - 1));
            }
        }
    }
    // The 4-bit bypass symbols (frequency 1 of 16).
    for (std::uint32_t v = 0; v < 16; ++v) {
        const detail::EncSymbol sym = detail::makeEncSymbol(v, 1, kBypassBits);
        for (std::uint64_t x : {1ull, 12345ull, (1ull << 59) - 1}) ASSERT_EQ(detail::encodeStep(sym, x), x * 16 + v);
    }
}

TEST(Rans, RoundTripsManyTableShapes) {
    Rng rng(2);
    const Shape shapes[] = {Shape::Uniform, Shape::Geometric, Shape::VerySkewed, Shape::Random, Shape::Minimal};
    const std::uint32_t maxSymbols[] = {2, 3, 17, 300, 5000};
    for (Shape shape : shapes) {
        for (std::uint32_t maxN : maxSymbols) {
            const CdfTableSet tables = makeTables(rng, 1 + rng.below(8), maxN, shape);
            for (std::size_t count :
                 {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{5}, std::size_t{77}, std::size_t{4099}}) {
                const Sequence seq = drawSequence(rng, tables, count, 0.01);
                SCOPED_TRACE(::testing::Message()
                             << "shape " << static_cast<int>(shape) << " maxN " << maxN << " count " << count);
                expectRoundTrip(tables, seq);
            }
        }
    }
}

TEST(Rans, LargestAndSmallestTables) {
    Rng rng(3);
    // 65536 symbols, all frequency 1 (16 bits each), and the 2-symbol table with a 65535 : 1 split.
    std::vector<CdfTableSpec> specs(3);
    specs[0].frequencies.assign(kCdfTotal, 1);
    specs[0].offset = -30000;
    specs[1].frequencies = {kCdfTotal - 1, 1};
    specs[2].frequencies = {1, kCdfTotal - 1};  // the escape is nearly certain
    auto tables = CdfTableSet::fromSpecs(specs);
    ASSERT_TRUE(tables.ok()) << tables.error().message;
    Sequence seq;
    for (int i = 0; i < 20000; ++i) {
        const std::int32_t t = static_cast<std::int32_t>(rng.below(3));
        seq.indexes.push_back(t);
        seq.values.push_back(t == 0 ? static_cast<std::int32_t>(rng.below(70000)) - 32000
                                    : static_cast<std::int32_t>(rng.below(5)) - 2);
    }
    expectRoundTrip(*tables, seq);
}

TEST(Rans, ExtremeValuesEscapeExactly) {
    std::vector<CdfTableSpec> specs(3);
    specs[0].frequencies = {30000, 30000, kCdfTotal - 60000};
    specs[0].offset = std::numeric_limits<std::int32_t>::min();
    specs[1].frequencies = {30000, 30000, kCdfTotal - 60000};
    specs[1].offset = std::numeric_limits<std::int32_t>::max() - 1;  // maxValue = INT32_MAX
    specs[2].frequencies = {kCdfTotal / 2, kCdfTotal / 2};
    specs[2].offset = 0;
    auto tables = CdfTableSet::fromSpecs(specs);
    ASSERT_TRUE(tables.ok()) << tables.error().message;
    const std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
    const std::int32_t kMax = std::numeric_limits<std::int32_t>::max();
    Sequence seq;
    for (std::int32_t t = 0; t < 3; ++t)
        for (std::int32_t v : {kMin, kMin + 1, kMin + 2, -1, 0, 1, 2, 15, 16, 255, 256, kMax - 2, kMax - 1, kMax}) {
            seq.indexes.push_back(t);
            seq.values.push_back(v);
        }
    expectRoundTrip(*tables, seq);
    // Bypass cost: the worst case is 1 count chunk + 9 raw chunks.
    EXPECT_EQ(escapeBypassChunks(*tables, 0, kMax), 1 + 9);
    EXPECT_EQ(escapeBypassChunks(*tables, 1, kMin), 1 + 9);
    EXPECT_EQ(escapeBypassChunks(*tables, 2, 0), 0);
    EXPECT_EQ(escapeBypassChunks(*tables, 2, 1), 1);   // raw = 0: only the count
    EXPECT_EQ(escapeBypassChunks(*tables, 2, -1), 2);  // raw = 1
}

TEST(Rans, EmptyInputIsAnEmptyStream) {
    Rng rng(4);
    const CdfTableSet tables = makeTables(rng, 2, 10, Shape::Random);
    RansEncoder encoder;
    ASSERT_TRUE(encoder.encode(nullptr, nullptr, 0, tables).ok());
    std::vector<std::uint8_t> out = {7, 7};
    EXPECT_EQ(encoder.finish(out), 0u);
    EXPECT_EQ(out.size(), 2u);

    RansDecoder decoder;
    ASSERT_TRUE(decoder.begin(nullptr, 0).ok());
    ASSERT_TRUE(decoder.decode(nullptr, 0, tables, nullptr).ok());
    EXPECT_TRUE(decoder.end().ok());
    // Symbols cannot come out of nothing.
    std::int32_t index = 0, value = 0;
    ASSERT_TRUE(decoder.begin(nullptr, 0).ok());
    Status s = decoder.decode(&index, 1, tables, &value);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::CorruptData);
}

TEST(Rans, OneSymbol) {
    Rng rng(5);
    const CdfTableSet tables = makeTables(rng, 3, 50, Shape::Geometric);
    for (int t = 0; t < 3; ++t) {
        for (std::int32_t v : {tables.offset(t), tables.maxValue(t), tables.maxValue(t) + 1, -1000000}) {
            const std::int32_t index = t;
            auto stream = ransEncode(&v, &index, 1, tables);
            ASSERT_TRUE(stream.ok());
            // The state flush alone: one symbol never needs a renormalisation word.
            EXPECT_EQ(stream->size(), kRansFlushBytes);
            std::int32_t decoded = 0;
            ASSERT_TRUE(ransDecode(stream->data(), stream->size(), &index, 1, tables, &decoded).ok());
            EXPECT_EQ(decoded, v);
        }
    }
}

TEST(Rans, BytesWrittenEqualBytesReportedAcrossCalls) {
    Rng rng(6);
    const CdfTableSet a = makeTables(rng, 4, 40, Shape::Random);
    const CdfTableSet b = makeTables(rng, 2, 300, Shape::Geometric);
    const Sequence sa = drawSequence(rng, a, 3000, 0.02);
    const Sequence sb = drawSequence(rng, b, 1234, 0.0);
    const std::vector<std::int32_t> fixed = drawSequence(rng, b, 500, 0.01).values;

    RansEncoder encoder;
    ASSERT_TRUE(encoder.encode(sa.values.data(), sa.indexes.data(), sa.values.size(), a).ok());
    ASSERT_TRUE(encoder.encode(sb.values.data(), sb.indexes.data(), sb.values.size(), b).ok());
    ASSERT_TRUE(encoder.encodeWithTable(fixed.data(), fixed.size(), b, 1).ok());
    // A bad index is refused and leaves the pending symbols untouched.
    const std::size_t pending = encoder.pendingOperations();
    const std::int32_t badIndex = 2, someValue = 0;
    Status bad = encoder.encode(&someValue, &badIndex, 1, b);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(encoder.pendingOperations(), pending);

    std::vector<std::uint8_t> out = {1, 2, 3};  // a prefix the encoder must leave alone
    const std::size_t reported = encoder.finish(out);
    ASSERT_EQ(out.size(), 3 + reported);
    EXPECT_EQ(out[0], 1);
    EXPECT_EQ(reported % 4, 0u);
    EXPECT_EQ(encoder.pendingOperations(), 0u);

    RansDecoder decoder;
    ASSERT_TRUE(decoder.begin(out.data() + 3, reported).ok());
    std::vector<std::int32_t> da(sa.values.size()), db(sb.values.size()), dc(fixed.size());
    ASSERT_TRUE(decoder.decode(sa.indexes.data(), sa.indexes.size(), a, da.data()).ok());
    ASSERT_TRUE(decoder.decode(sb.indexes.data(), sb.indexes.size(), b, db.data()).ok());
    ASSERT_TRUE(decoder.decodeWithTable(dc.size(), b, 1, dc.data()).ok());
    ASSERT_TRUE(decoder.end().ok());
    EXPECT_EQ(decoder.bytesConsumed(), reported);
    EXPECT_EQ(da, sa.values);
    EXPECT_EQ(db, sb.values);
    EXPECT_EQ(dc, fixed);
}

TEST(Rans, StreamSizeMatchesTheModelEstimate) {
    Rng rng(7);
    struct Case {
        Shape shape;
        std::uint32_t maxN;
        double escapeRate;
    };
    const Case cases[] = {{Shape::Uniform, 256, 0.0},
                          {Shape::Geometric, 64, 0.001},
                          {Shape::VerySkewed, 20, 0.0},
                          {Shape::Random, 1000, 0.01},
                          {Shape::Minimal, 4, 0.0}};
    for (const Case& c : cases) {
        const CdfTableSet tables = makeTables(rng, 8, c.maxN, c.shape);
        const Sequence seq = drawSequence(rng, tables, 400000, c.escapeRate);
        auto bits = estimateBits(tables, seq.values.data(), seq.indexes.data(), seq.values.size());
        ASSERT_TRUE(bits.ok());
        auto stream = ransEncode(seq.values.data(), seq.indexes.data(), seq.values.size(), tables);
        ASSERT_TRUE(stream.ok());
        const double estimateBytes = *bits / 8.0;
        const double payload = static_cast<double>(stream->size()) - kRansFlushBytes;
        SCOPED_TRACE(::testing::Message() << "shape " << static_cast<int>(c.shape) << ": estimate " << estimateBytes
                                          << " B, stream " << stream->size() << " B");
        // Within 2% of the estimate plus the fixed flush (in practice within a few words of it).
        EXPECT_LE(payload, estimateBytes * 1.02 + 4);
        EXPECT_GE(payload, estimateBytes * 0.98 - 4);
        EXPECT_LE(std::abs(payload - estimateBytes), estimateBytes * 0.001 + 8);
    }
}

TEST(Rans, EveryTruncationIsAnError) {
    Rng rng(8);
    const CdfTableSet tables = makeTables(rng, 3, 30, Shape::Random);
    const Sequence seq = drawSequence(rng, tables, 600, 0.02);
    auto stream = ransEncode(seq.values.data(), seq.indexes.data(), seq.values.size(), tables);
    ASSERT_TRUE(stream.ok());
    ASSERT_GT(stream->size(), 200u);
    ASSERT_TRUE(decodeAccepts(*stream, seq, tables));
    for (std::size_t len = 0; len < stream->size(); ++len) {
        const std::vector<std::uint8_t> cut(stream->begin(), stream->begin() + static_cast<std::ptrdiff_t>(len));
        EXPECT_FALSE(decodeAccepts(cut, seq, tables)) << "accepted a stream cut to " << len << " bytes";
    }
    // Extra bytes are refused too.
    std::vector<std::uint8_t> longer = *stream;
    longer.insert(longer.end(), {0, 0, 0, 0});
    EXPECT_FALSE(decodeAccepts(longer, seq, tables));
}

TEST(Rans, ByteFlipsAreDetectedOrHarmless) {
    Rng rng(9);
    const CdfTableSet tables = makeTables(rng, 5, 200, Shape::Random);
    const Sequence seq = drawSequence(rng, tables, 2000, 0.01);
    auto stream = ransEncode(seq.values.data(), seq.indexes.data(), seq.values.size(), tables);
    ASSERT_TRUE(stream.ok());
    int trials = 0, detected = 0;
    for (int t = 0; t < 3000; ++t) {
        std::vector<std::uint8_t> damaged = *stream;
        const int flips = 1 + static_cast<int>(rng.below(3));
        for (int f = 0; f < flips; ++f)
            damaged[rng.below(static_cast<std::uint32_t>(damaged.size()))] ^=
                static_cast<std::uint8_t>(1 + rng.below(255));
        if (damaged == *stream) continue;
        ++trials;
        std::vector<std::int32_t> decoded;
        if (!decodeAccepts(damaged, seq, tables, &decoded)) ++detected;
    }
    // The decoder terminated every time (we got here). rANS carries no redundancy besides the final states, so a
    // few flips re-merge into another valid stream (about 1%); the container's CRC-32 covers those.
    EXPECT_GT(trials, 2900);
    EXPECT_GE(detected, trials * 95 / 100) << detected << " of " << trials;
}

TEST(Rans, GarbageStreamsTerminate) {
    Rng rng(10);
    const CdfTableSet tables = makeTables(rng, 4, 3000, Shape::Random);
    Sequence seq;
    seq.indexes.resize(5000);
    for (auto& i : seq.indexes) i = static_cast<std::int32_t>(rng.below(4));
    int accepted = 0;
    for (int t = 0; t < 400; ++t) {
        std::vector<std::uint8_t> garbage(rng.below(3) == 0 ? rng.below(64) : 4 * rng.below(4000));
        for (auto& b : garbage) b = static_cast<std::uint8_t>(rng.next());
        // Valid-looking states half of the time, so decoding really starts.
        if (garbage.size() >= kRansFlushBytes && rng.below(2))
            for (int s = 0; s < kRansStates; ++s) garbage[8 * s + 7] = static_cast<std::uint8_t>(rng.below(0x80));
        if (decodeAccepts(garbage, seq, tables)) ++accepted;
    }
    EXPECT_EQ(accepted, 0);
}

TEST(Rans, DecoderRefusesMisuse) {
    Rng rng(11);
    const CdfTableSet tables = makeTables(rng, 2, 10, Shape::Uniform);
    std::int32_t index = 0, value = 0;
    RansDecoder decoder;
    Status s = decoder.decode(&index, 1, tables, &value);  // never started
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::InvalidArgument);
    auto stream = ransEncode(&value, &index, 1, tables);
    ASSERT_TRUE(stream.ok());
    ASSERT_TRUE(decoder.begin(stream->data(), stream->size()).ok());
    const std::int32_t badIndex = -1;
    s = decoder.decode(&badIndex, 1, tables, &value);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::InvalidArgument);
    // A size that is not a multiple of 4, or too short for the states.
    EXPECT_FALSE(decoder.begin(stream->data(), stream->size() - 1).ok());
    EXPECT_FALSE(decoder.begin(stream->data(), 8).ok());
    // A state out of range.
    std::vector<std::uint8_t> bad = *stream;
    bad[7] = 0x80;
    EXPECT_FALSE(decoder.begin(bad.data(), bad.size()).ok());
}

TEST(Rans, EncodingIsDeterministicGolden) {
    // Integer-only generator and tables: this stream must be identical on every machine and every future build
    // (a change here breaks every stored learned-codec file).
    Rng rng(12);
    const CdfTableSet tables = makeTables(rng, 6, 100, Shape::Random);
    const Sequence seq = drawSequence(rng, tables, 10000, 0.005);
    auto first = ransEncode(seq.values.data(), seq.indexes.data(), seq.values.size(), tables);
    auto second = ransEncode(seq.values.data(), seq.indexes.data(), seq.values.size(), tables);
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_EQ(*first, *second);
    EXPECT_EQ(tables.checksum(), 0x6780ef18f4a0e02bull) << std::hex << tables.checksum();
    EXPECT_EQ(first->size(), 7344u);
    EXPECT_EQ(fnv1a(*first), 0x87eca0c8e2c7c829ull) << std::hex << fnv1a(*first);
}

TEST(Rans, DecodeCommonDecodesWhatDecodeDoes) {
    // decodeCommon (the inline path of one value at a time, most frequent symbol first) must give decode()'s values
    // and consume the same bytes, handing escapes and the end of the stream back to decode(); on damaged streams
    // both must fail at the same value.
    Rng rng(21);
    for (Shape shape : {Shape::VerySkewed, Shape::Geometric, Shape::Random, Shape::Minimal, Shape::Uniform}) {
        const CdfTableSet tables = makeTables(rng, 9, 300, shape);
        const Sequence seq = drawSequence(rng, tables, 20000, 0.01);
        auto stream = ransEncode(seq.values.data(), seq.indexes.data(), seq.values.size(), tables);
        ASSERT_TRUE(stream.ok());
        // The first value that fails, or the count when all decode; values land in `out`.
        auto oneByOne = [&](const std::vector<std::uint8_t>& bytes, bool common, std::vector<std::int32_t>& out,
                            int* commonCount, std::size_t* consumed) {
            RansDecoder decoder;
            out.assign(seq.values.size(), 0);
            if (!decoder.begin(bytes.data(), bytes.size()).ok()) return std::size_t(0);
            for (std::size_t i = 0; i < seq.values.size(); ++i) {
                if (common && decoder.decodeCommon(tables, seq.indexes[i], &out[i])) {
                    ++*commonCount;
                    continue;
                }
                if (!decoder.decode(&seq.indexes[i], 1, tables, &out[i]).ok()) return i;
            }
            *consumed = decoder.bytesConsumed();
            return decoder.end().ok() ? seq.values.size() : seq.values.size() + 1;
        };
        std::vector<std::int32_t> plain, fast;
        int commonCount = 0, unused = 0;
        std::size_t plainBytes = 0, fastBytes = 0;
        ASSERT_EQ(oneByOne(*stream, false, plain, &unused, &plainBytes), seq.values.size());
        ASSERT_EQ(oneByOne(*stream, true, fast, &commonCount, &fastBytes), seq.values.size());
        EXPECT_EQ(plain, seq.values);
        EXPECT_EQ(fast, seq.values);
        EXPECT_EQ(fastBytes, plainBytes);
        EXPECT_GT(commonCount, int(seq.values.size()) / 2);  // the inline path did most of the work
        EXPECT_LT(commonCount, int(seq.values.size()));      // and escapes went to decode()
        // A table index out of range is refused without touching the decoder.
        RansDecoder decoder;
        ASSERT_TRUE(decoder.begin(stream->data(), stream->size()).ok());
        std::int32_t value = 77;
        EXPECT_FALSE(decoder.decodeCommon(tables, std::int32_t(tables.tableCount()), &value));
        EXPECT_FALSE(decoder.decodeCommon(tables, -1, &value));
        EXPECT_EQ(value, 77);
        EXPECT_EQ(decoder.bytesConsumed(), kRansFlushBytes);
        for (std::size_t cut = kRansFlushBytes; cut < stream->size(); cut += 4 + 4 * rng.below(200)) {
            const std::vector<std::uint8_t> truncated(stream->begin(), stream->begin() + std::ptrdiff_t(cut));
            std::vector<std::uint8_t> flipped = *stream;
            flipped[cut] ^= std::uint8_t(1u << rng.below(8));
            for (const auto& damaged : {truncated, flipped}) {
                std::size_t a = 0, b = 0;
                const std::size_t failPlain = oneByOne(damaged, false, plain, &unused, &a);
                const std::size_t failFast = oneByOne(damaged, true, fast, &unused, &b);
                ASSERT_EQ(failFast, failPlain) << "cut " << cut;
                const std::size_t decoded = std::min(failPlain, seq.values.size());
                EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + std::ptrdiff_t(decoded), fast.begin()));
            }
        }
    }
}
