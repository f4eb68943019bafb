#include "codec/entropy/rans.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

namespace lmc::entropy {

namespace {

constexpr std::uint64_t kL = detail::kRansLow;
constexpr std::uint32_t kSlotMask = kCdfTotal - 1;
constexpr std::uint32_t kBypassMask = (1u << kBypassBits) - 1;
static_assert(kRansStates == 4, "the coding loops are unrolled for 4 states");

const detail::EncSymbol* bypassSymbols() {
    static const std::array<detail::EncSymbol, 1u << kBypassBits> symbols = [] {
        std::array<detail::EncSymbol, 1u << kBypassBits> s{};
        for (std::uint32_t v = 0; v < s.size(); ++v) s[v] = detail::makeEncSymbol(v, 1, kBypassBits);
        return s;
    }();
    return symbols.data();
}

inline void store32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v);
    p[1] = static_cast<std::uint8_t>(v >> 8);
    p[2] = static_cast<std::uint8_t>(v >> 16);
    p[3] = static_cast<std::uint8_t>(v >> 24);
}

inline std::uint32_t load32(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

inline std::uint64_t load64(const std::uint8_t* p) {
    return static_cast<std::uint64_t>(load32(p)) | (static_cast<std::uint64_t>(load32(p + 4)) << 32);
}

inline void store64(std::uint8_t* p, std::uint64_t v) {
    store32(p, static_cast<std::uint32_t>(v));
    store32(p + 4, static_cast<std::uint32_t>(v >> 32));
}

// One encoder step (ryg_rans Rans64EncPutSymbol): x -> (x / freq) * M + start + x % freq, renormalising first.
inline void putSymbol(std::uint64_t& x, const detail::EncSymbol* sym, std::uint8_t*& ptr) {
    if (x >= sym->xMax) {
        ptr -= 4;
        store32(ptr, static_cast<std::uint32_t>(x));
        x >>= 32;
    }
    const std::uint64_t q =
        static_cast<std::uint64_t>((static_cast<unsigned __int128>(x) * sym->rcpFreq) >> 64) >> sym->rcpShift;
    x += sym->bias + q * sym->cmplFreq;
}

// Raw bypass payload of an escaped value: d = value - offset outside [0, n - 1).
inline std::uint64_t escapeRaw(std::int64_t d, std::int64_t escapeSymbol) {
    return d < 0 ? static_cast<std::uint64_t>(-2 * d - 1) : static_cast<std::uint64_t>(2 * (d - escapeSymbol));
}

inline int rawChunks(std::uint64_t raw) {
    int chunks = 0;
    while (chunks < 16 && (raw >> (kBypassBits * chunks)) != 0) ++chunks;
    return chunks;
}

Error corrupt(const std::string& what) {
    return makeError(ErrorCode::CorruptData, "rANS stream: " + what);
}

Error badIndex(std::size_t i, std::int32_t index, std::size_t tableCount) {
    return makeError(ErrorCode::InvalidArgument, "rANS: symbol " + std::to_string(i) + " names table " +
                                                     std::to_string(index) + " of " + std::to_string(tableCount));
}

}  // namespace

Status RansEncoder::encode(const std::int32_t* values, const std::int32_t* indexes, std::size_t count,
                           const CdfTableSet& tables) {
    const std::size_t tableCount = tables.tableCount();
    for (std::size_t i = 0; i < count; ++i)
        if (indexes[i] < 0 || static_cast<std::size_t>(indexes[i]) >= tableCount)
            return badIndex(i, indexes[i], tableCount);
    const detail::TableInfo* infos = tables.infoData();
    const detail::EncSymbol* enc = tables.encSymbols();
    const detail::EncSymbol* bypass = bypassSymbols();
    ops_.reserve(ops_.size() + count);
    for (std::size_t i = 0; i < count; ++i) {
        const detail::TableInfo& t = infos[indexes[i]];
        const std::int64_t d = static_cast<std::int64_t>(values[i]) - t.offset;
        const std::int64_t escape = t.symbolCount - 1;
        if (d >= 0 && d < escape) {
            ops_.push_back(enc + t.encBegin + d);
            continue;
        }
        ops_.push_back(enc + t.encBegin + escape);
        const std::uint64_t raw = escapeRaw(d, escape);
        const int chunks = rawChunks(raw);  // <= 9: |d| < 2^33
        ops_.push_back(bypass + chunks);
        for (int c = 0; c < chunks; ++c) ops_.push_back(bypass + ((raw >> (kBypassBits * c)) & kBypassMask));
    }
    return {};
}

Status RansEncoder::encodeWithTable(const std::int32_t* values, std::size_t count, const CdfTableSet& tables,
                                    std::int32_t table) {
    if (table < 0 || static_cast<std::size_t>(table) >= tables.tableCount())
        return badIndex(0, table, tables.tableCount());
    // Chunked so the index buffer stays small and hot.
    constexpr std::size_t kChunk = 4096;
    std::array<std::int32_t, kChunk> indexes;
    indexes.fill(table);
    for (std::size_t i = 0; i < count; i += kChunk) {
        Status s = encode(values + i, indexes.data(), std::min(kChunk, count - i), tables);
        if (!s) return s;
    }
    return {};
}

std::size_t RansEncoder::finish(std::vector<std::uint8_t>& out) {
    const std::size_t n = ops_.size();
    if (n == 0) return 0;
    const std::size_t before = out.size();
    // Each operation emits at most one word; the flush adds the states.
    const std::size_t capacity = 4 * n + kRansFlushBytes;
    out.resize(before + capacity);
    std::uint8_t* const end = out.data() + out.size();
    std::uint8_t* ptr = end;

    std::uint64_t x[kRansStates] = {kL, kL, kL, kL};
    const detail::EncSymbol* const* ops = ops_.data();
    std::size_t j = n;
    while (j % kRansStates != 0) {
        --j;
        putSymbol(x[j % kRansStates], ops[j], ptr);
    }
    std::uint64_t x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
    for (; j >= kRansStates; j -= kRansStates) {
        putSymbol(x3, ops[j - 1], ptr);
        putSymbol(x2, ops[j - 2], ptr);
        putSymbol(x1, ops[j - 3], ptr);
        putSymbol(x0, ops[j - 4], ptr);
    }
    ptr -= 8;
    store64(ptr, x3);
    ptr -= 8;
    store64(ptr, x2);
    ptr -= 8;
    store64(ptr, x1);
    ptr -= 8;
    store64(ptr, x0);

    const std::size_t written = static_cast<std::size_t>(end - ptr);
    std::memmove(out.data() + before, ptr, written);
    out.resize(before + written);
    ops_.clear();
    return written;
}

std::vector<std::uint8_t> RansEncoder::finish() {
    std::vector<std::uint8_t> out;
    finish(out);
    return out;
}

Status RansDecoder::begin(const std::uint8_t* data, std::size_t size) {
    failed_ = true;
    data_ = data;
    size_ = size;
    pos_ = 0;
    opCount_ = 0;
    for (std::uint64_t& s : state_) s = kL;
    if (size == 0) {
        failed_ = false;
        return {};
    }
    if (data == nullptr) return makeError(ErrorCode::InvalidArgument, "rANS: null stream");
    if (size < kRansFlushBytes) return corrupt("truncated (" + std::to_string(size) + " bytes)");
    if (size % 4 != 0) return corrupt("length " + std::to_string(size) + " is not a multiple of 4");
    for (int s = 0; s < kRansStates; ++s) {
        state_[s] = load64(data + 8 * s);
        if (state_[s] < kL || state_[s] >= (kL << 32)) return corrupt("state out of range");
    }
    pos_ = kRansFlushBytes;
    failed_ = false;
    return {};
}

template <bool SingleTable>
Status RansDecoder::decodeImpl(const std::int32_t* indexes, std::size_t count, const CdfTableSet& tables,
                               std::int32_t table, std::int32_t* values) {
    if (failed_) return makeError(ErrorCode::InvalidArgument, "rANS: decoder not started or failed earlier");
    const std::size_t tableCount = tables.tableCount();
    if (SingleTable) {
        if (table < 0 || static_cast<std::size_t>(table) >= tableCount) return badIndex(0, table, tableCount);
    } else {
        for (std::size_t i = 0; i < count; ++i)
            if (indexes[i] < 0 || static_cast<std::size_t>(indexes[i]) >= tableCount)
                return badIndex(i, indexes[i], tableCount);
    }
    failed_ = true;  // until proven otherwise

    const detail::TableInfo* infos = tables.infoData();
    const std::uint32_t* cdfBase = tables.cdfData();
    const std::uint16_t* lutBase = tables.lookupData();
    const std::uint8_t* const data = data_;
    const std::size_t size = size_;
    std::size_t pos = pos_;
    std::uint64_t op = opCount_;
    std::uint64_t st[kRansStates] = {state_[0], state_[1], state_[2], state_[3]};

    auto save = [&] {
        pos_ = pos;
        opCount_ = op;
        for (int s = 0; s < kRansStates; ++s) state_[s] = st[s];
    };
    // Renormalisation: at most one word per operation since x >= 2^15 after any decode step.
    auto refill = [&](std::uint64_t& x) -> bool {
        if (x < kL) {
            if (size - pos < 4) return false;
            x = (x << 32) | load32(data + pos);
            pos += 4;
        }
        return true;
    };
    auto bypass = [&](std::uint32_t& v) -> bool {
        std::uint64_t& x = st[op % kRansStates];
        ++op;
        v = static_cast<std::uint32_t>(x & kBypassMask);
        x >>= kBypassBits;
        return refill(x);
    };

    const detail::TableInfo* fixed = SingleTable ? &infos[table] : nullptr;
    for (std::size_t i = 0; i < count; ++i) {
        const detail::TableInfo& t = SingleTable ? *fixed : infos[indexes[i]];
        const std::uint32_t* cdf = cdfBase + t.cdfBegin;
        const std::uint16_t* lut = lutBase + t.lutBegin;
        std::uint64_t& x = st[op % kRansStates];
        ++op;
        const std::uint32_t slot = static_cast<std::uint32_t>(x & kSlotMask);
        const detail::FoundSymbol found = detail::findSymbol(t, cdf, lut, slot);
        const std::uint32_t sym = found.symbol;
        x = found.freq * (x >> kCdfPrecision) + slot - found.start;
        if (!refill(x)) {
            save();
            return corrupt("truncated");
        }
        const std::int32_t escape = t.symbolCount - 1;
        if (static_cast<std::int32_t>(sym) < escape) {
            values[i] = t.offset + static_cast<std::int32_t>(sym);
            continue;
        }
        std::uint32_t chunks = 0;
        if (!bypass(chunks)) {
            save();
            return corrupt("truncated");
        }
        if (chunks > static_cast<std::uint32_t>(kMaxBypassChunks)) {
            save();
            return corrupt("escape with " + std::to_string(chunks) + " chunks");
        }
        std::uint64_t raw = 0;
        std::uint32_t chunk = 0;
        for (std::uint32_t c = 0; c < chunks; ++c) {
            if (!bypass(chunk)) {
                save();
                return corrupt("truncated");
            }
            raw |= static_cast<std::uint64_t>(chunk) << (kBypassBits * c);
        }
        if (chunks > 0 && chunk == 0) {
            save();
            return corrupt("non-canonical escape");
        }
        const std::int64_t d = (raw & 1) ? -static_cast<std::int64_t>((raw + 1) / 2)
                                         : static_cast<std::int64_t>(escape) + static_cast<std::int64_t>(raw / 2);
        const std::int64_t value = d + t.offset;
        if (value < std::numeric_limits<std::int32_t>::min() || value > std::numeric_limits<std::int32_t>::max()) {
            save();
            return corrupt("escaped value outside int32");
        }
        values[i] = static_cast<std::int32_t>(value);
    }
    save();
    failed_ = false;
    return {};
}

Status RansDecoder::decode(const std::int32_t* indexes, std::size_t count, const CdfTableSet& tables,
                           std::int32_t* values) {
    return decodeImpl<false>(indexes, count, tables, 0, values);
}

Status RansDecoder::decodeWithTable(std::size_t count, const CdfTableSet& tables, std::int32_t table,
                                    std::int32_t* values) {
    return decodeImpl<true>(nullptr, count, tables, table, values);
}

Status RansDecoder::end() const {
    if (failed_) return makeError(ErrorCode::InvalidArgument, "rANS: decoder not started or failed earlier");
    if (pos_ != size_) return corrupt(std::to_string(size_ - pos_) + " bytes left after the last symbol");
    for (std::uint64_t s : state_)
        if (s != kL) return corrupt("final state mismatch (damaged stream)");
    return {};
}

Result<std::vector<std::uint8_t>> ransEncode(const std::int32_t* values, const std::int32_t* indexes, std::size_t count,
                                             const CdfTableSet& tables) {
    RansEncoder encoder;
    Status s = encoder.encode(values, indexes, count, tables);
    if (!s) return s.error();
    return encoder.finish();
}

Status ransDecode(const std::uint8_t* data, std::size_t size, const std::int32_t* indexes, std::size_t count,
                  const CdfTableSet& tables, std::int32_t* values) {
    RansDecoder decoder;
    Status s = decoder.begin(data, size);
    if (!s) return s;
    s = decoder.decode(indexes, count, tables, values);
    if (!s) return s;
    return decoder.end();
}

int escapeBypassChunks(const CdfTableSet& tables, std::size_t table, std::int32_t value) {
    const detail::TableInfo& t = tables.info(table);
    const std::int64_t d = static_cast<std::int64_t>(value) - t.offset;
    const std::int64_t escape = t.symbolCount - 1;
    if (d >= 0 && d < escape) return 0;
    return 1 + rawChunks(escapeRaw(d, escape));
}

Result<double> estimateBits(const CdfTableSet& tables, const std::int32_t* values, const std::int32_t* indexes,
                            std::size_t count) {
    const std::size_t tableCount = tables.tableCount();
    double bits = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        if (indexes[i] < 0 || static_cast<std::size_t>(indexes[i]) >= tableCount)
            return badIndex(i, indexes[i], tableCount);
        const detail::TableInfo& t = tables.info(static_cast<std::size_t>(indexes[i]));
        const std::int64_t d = static_cast<std::int64_t>(values[i]) - t.offset;
        const std::int64_t escape = t.symbolCount - 1;
        const int symbol = (d >= 0 && d < escape) ? static_cast<int>(d) : static_cast<int>(escape);
        bits += symbolCostBits(tables, static_cast<std::size_t>(indexes[i]), symbol);
        if (symbol == escape) bits += kBypassBits * (1 + rawChunks(escapeRaw(d, escape)));
    }
    return bits;
}

}  // namespace lmc::entropy
