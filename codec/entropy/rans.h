// Our rANS entropy coder: interleaved, integer-only, safe on damaged input. It codes int32 values against indexed
// CDF tables (cdf.h): every value names its table by index, CompressAI's "indexed" design.
//
// Stream format (what RansEncoder::finish writes; it has no header, the caller stores its length):
//   - kRansStates = 4 interleaved states of 64 bits, L = 2^31, renormalised 32 bits at a time (ryg_rans' rans64,
//     with the encoder's division replaced by an exact reciprocal multiply). Coding operation j (a table symbol
//     or a bypass chunk, counted across all encode calls of one stream) uses state j % 4; the encoder runs the
//     operations in reverse, the decoder forwards.
//   - Bytes: the 4 final encoder states (u64 little-endian, state 0 first), then the renormalisation words (u32
//     little-endian) in the order the decoder consumes them. A stream with no symbols at all is 0 bytes long;
//     otherwise its length is a multiple of 4 and at least 32.
//   - Escapes (CompressAI's layout): a value v outside [offset, maxValue] of its table is coded as the table's
//     last symbol, then raw = (d < 0 ? -2d - 1 : 2(d - (n - 1))) with d = v - offset, in 4-bit bypass chunks
//     (uniform, 1/16 each), Elias-gamma style: first the number c of raw chunks (0..9, one chunk), then the c
//     chunks, least significant first, the last one non-zero. Any int32 value against any int32 offset needs at
//     most 1 + 9 chunks.
//   - Size: the model's estimate (estimateBits) plus the 32 flushed state bytes plus a rounding loss below
//     5e-5 bits per symbol (the state is at least 2^15 times the frequency); measured +0.001%..+0.02%.
//
// Decoder safety: every read is bounds-checked and every loop bounded (a symbol search stays inside its lookup
// bucket, an escape reads at most 10 chunks), so any byte string gives an error or terminates in time linear in
// the symbol count, and the states stay in [2^31, 2^63) whatever the input. decode() fails (CorruptData) on
// truncation, an impossible escape or a value outside int32; end() fails unless every byte was consumed and the
// states came back to their initial value. rANS has no other redundancy: about 1% of random byte flips re-merge
// into another valid stream and decode to different values without an error, so payload integrity is the
// container's CRC-32's job (container.h), not the coder's.
//
// Determinism: pure integer arithmetic; identical tables and inputs give identical bytes on every machine.
// Speed (bench_rans, 2-core EPYC VM, thread CPU time): 115-140 M symbols/s encode, 90-150 M symbols/s decode,
// i.e. 140-150 MB/s of compressed bytes at 8 bits per symbol.
// Threading: encoder/decoder objects are single-threaded; tables may be shared (cdf.h). Errors: Result/Status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/entropy/cdf.h"
#include "codec/result.h"

namespace lmc::entropy {

constexpr int kRansStates = 4;
constexpr int kBypassBits = 4;
constexpr int kMaxBypassChunks = 9;  // raw < 2^36 covers every int32 value against every int32 offset
constexpr std::size_t kRansFlushBytes = kRansStates * 8;

// Collects symbols across any number of encode() calls (different table sets allowed), then writes one stream in
// finish(). rANS is last-in first-out, so nothing is written before finish(). The tables passed to encode() must
// stay alive and unmodified until finish() returns (the encoder keeps pointers into them).
class RansEncoder {
public:
    // Appends count values; value i is coded with table indexes[i] of `tables`. InvalidArgument for an index
    // outside [0, tables.tableCount()) (then nothing of this call is kept). Any int32 value is codable.
    Status encode(const std::int32_t* values, const std::int32_t* indexes, std::size_t count,
                  const CdfTableSet& tables);
    // Same with one table for all values.
    Status encodeWithTable(const std::int32_t* values, std::size_t count, const CdfTableSet& tables,
                           std::int32_t table);

    // Writes the stream, appending to out; returns the number of bytes appended, and resets the encoder.
    std::size_t finish(std::vector<std::uint8_t>& out);
    std::vector<std::uint8_t> finish();

    std::size_t pendingOperations() const { return ops_.size(); }
    void reset() { ops_.clear(); }

private:
    std::vector<const detail::EncSymbol*> ops_;  // in decode order
};

// Decodes a stream written by RansEncoder, in the same sequence of calls (same counts, indexes and tables).
class RansDecoder {
public:
    // Reads the states. The decoder keeps `data` (not a copy): it must outlive the decoder's use. CorruptData when
    // the size is not 0 and shorter than the states, not a multiple of 4, or a state is out of range.
    Status begin(const std::uint8_t* data, std::size_t size);
    // Decodes count values into `values`. InvalidArgument for a bad index; CorruptData when the stream runs out, an
    // escape is impossible or a value does not fit int32. After an error the decoder is unusable until begin().
    Status decode(const std::int32_t* indexes, std::size_t count, const CdfTableSet& tables, std::int32_t* values);
    Status decodeWithTable(std::size_t count, const CdfTableSet& tables, std::int32_t table, std::int32_t* values);
    // The common case of decode(&table, 1, tables, value), inline for callers that pick each value's table from the
    // values before it (one call per value, where decode()'s checks and Status cost more than the symbol): returns
    // true having decoded exactly what decode() would; false having changed nothing (an escape, a renormalisation
    // past the end, a table index out of range, a failed decoder), and then the caller runs decode() itself.
    bool decodeCommon(const CdfTableSet& tables, std::int32_t table, std::int32_t* value) {
        if (table < 0 || static_cast<std::size_t>(table) >= tables.tableCount()) return false;
        return decodeCommon(tables, tables.info(static_cast<std::size_t>(table)), value);
    }
    // The same with the table's info (tables.info(t) for a valid t, or a copy of it), for callers that keep it.
    bool decodeCommon(const CdfTableSet& tables, const detail::TableInfo& info, std::int32_t* value);
    // Checks that the stream is fully consumed and the states are back at their initial value (CorruptData if not).
    Status end() const;

    std::size_t bytesConsumed() const { return pos_; }

private:
    template <bool SingleTable>
    Status decodeImpl(const std::int32_t* indexes, std::size_t count, const CdfTableSet& tables, std::int32_t table,
                      std::int32_t* values);

    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t pos_ = 0;
    std::uint64_t state_[kRansStates] = {};
    std::uint64_t opCount_ = 0;
    bool failed_ = true;
};

namespace detail {

constexpr std::uint64_t kRansLow = 1ull << 31;  // lower bound of the normalised state interval [L, L << 32)

// The symbol whose CDF interval holds `slot` (< kCdfTotal), with that interval: first the table's most frequent
// symbol, else the bucket lookup narrows it to a few symbols and a bounded search ends it. Shared by decode() and
// decodeCommon(); any path finds the one symbol whose interval holds the slot.
struct FoundSymbol {
    std::uint32_t symbol, start, freq;
};

inline FoundSymbol findSymbol(const TableInfo& t, const std::uint32_t* cdf, const std::uint16_t* lut,
                              std::uint32_t slot) {
    if (slot - t.modeStart < t.modeFreq) return {t.mode, t.modeStart, t.modeFreq};
    const std::uint32_t bucket = slot >> (kCdfPrecision - kLookupBits);
    std::uint32_t sym = lut[bucket];
    std::uint32_t hi = lut[bucket + 1];
    // Invariant: cdf[sym] <= slot and the answer is <= hi.
    while (hi - sym > 4) {
        const std::uint32_t mid = (sym + hi + 1) >> 1;
        if (cdf[mid] <= slot)
            sym = mid;
        else
            hi = mid - 1;
    }
    while (cdf[sym + 1] <= slot) ++sym;
    return {sym, cdf[sym], cdf[sym + 1] - cdf[sym]};
}

}  // namespace detail

inline bool RansDecoder::decodeCommon(const CdfTableSet& tables, const detail::TableInfo& t, std::int32_t* value) {
    if (failed_) return false;
    const std::uint32_t* cdf = tables.cdfData() + t.cdfBegin;
    std::uint64_t x = state_[opCount_ % kRansStates];
    const std::uint32_t slot = static_cast<std::uint32_t>(x & (kCdfTotal - 1));
    const detail::FoundSymbol found = detail::findSymbol(t, cdf, tables.lookupData() + t.lutBegin, slot);
    if (static_cast<std::int32_t>(found.symbol) >= t.symbolCount - 1) return false;  // the escape
    x = found.freq * (x >> kCdfPrecision) + slot - found.start;
    if (x < detail::kRansLow) {
        if (size_ - pos_ < 4) return false;
        const std::uint8_t* p = data_ + pos_;
        x = (x << 32) | (static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
                         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24));
        pos_ += 4;
    }
    state_[opCount_ % kRansStates] = x;
    ++opCount_;
    *value = t.offset + static_cast<std::int32_t>(found.symbol);
    return true;
}

// One-shot helpers: one encode() + finish(), and begin() + decode() + end().
Result<std::vector<std::uint8_t>> ransEncode(const std::int32_t* values, const std::int32_t* indexes, std::size_t count,
                                             const CdfTableSet& tables);
Status ransDecode(const std::uint8_t* data, std::size_t size, const std::int32_t* indexes, std::size_t count,
                  const CdfTableSet& tables, std::int32_t* values);

// Number of 4-bit bypass chunks an escaped value costs (count chunks + raw chunks); 0 when not escaped.
int escapeBypassChunks(const CdfTableSet& tables, std::size_t table, std::int32_t value);

// The model's exact code length in bits of a value sequence: the sum of symbolCostBits(table, symbol) over the
// values plus 4 bits per bypass chunk, i.e. what the stream costs before the 32-byte flush and the tiny rANS
// rounding loss. InvalidArgument for an index outside [0, tableCount()).
Result<double> estimateBits(const CdfTableSet& tables, const std::int32_t* values, const std::int32_t* indexes,
                            std::size_t count);

}  // namespace lmc::entropy
