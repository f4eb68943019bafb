// Quantized CDF tables for the rANS coder (rans.h): construction from a probability mass function, the indexed
// table set the coder works with (CompressAI's "indexed" design), its serialisation, and the model's code length.
//
// Conventions (shared by every table in the project):
//   - Precision is 16 bits: a table's frequencies are integers >= 1 that sum to exactly kCdfTotal = 65536, so a
//     symbol costs 16 - log2(freq) bits and no symbol is ever impossible.
//   - A table has n >= 2 symbols. Symbols 0..n-2 stand for the values offset .. offset + n - 2; the LAST symbol is
//     the escape: any value outside that range is coded as the escape followed by bypass bits (see rans.h).
//   - Everything after quantizePmf's single documented rounding is integer arithmetic, so two machines that start
//     from the same doubles get bitwise identical tables, and tables stored as integers (serialize) need no floating
//     point at all.
//
// Threading: CdfTableSet is immutable after construction and may be shared by any number of encoders and decoders
// on any threads. Errors: construction and deserialisation return InvalidArgument / CorruptData, never throw.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/result.h"

namespace lmc::entropy {

constexpr int kCdfPrecision = 16;
constexpr std::uint32_t kCdfTotal = 1u << kCdfPrecision;
constexpr std::size_t kMinTableSymbols = 2;          // at least one regular symbol plus the escape
constexpr std::size_t kMaxTableSymbols = kCdfTotal;  // every symbol needs a frequency of at least 1
constexpr std::size_t kMaxTables = 1u << 20;

// Turns a pmf (any non-negative finite doubles with a positive sum; it need not be normalised) into n integer
// frequencies, each >= 1, summing to exactly kCdfTotal.
//
// The only floating-point step: w_i = llround(ldexp(pmf[i], e)), with e chosen so that the largest entry lands in
// [2^40, 2^41). ldexp by a power of two is exact and llround is exact rounding, so w_i is a pure function of the
// input bits on every IEEE-754 machine. From there on everything is integer: f_i = max(1, round(w_i * 2^16 / W))
// (W = sum of w), then the difference to 2^16 is settled one unit at a time, greedily, where it costs the fewest
// bits (increment the largest w_i / (f_i + 1/2), decrement the smallest w_i / (f_i - 1/2) among f_i > 1; ties go
// to the lowest index). Errors: InvalidArgument for n outside [1, 65536], a negative / NaN / infinite entry or an
// all-zero pmf.
Result<std::vector<std::uint32_t>> quantizePmf(const double* pmf, std::size_t count);
inline Result<std::vector<std::uint32_t>> quantizePmf(const std::vector<double>& pmf) {
    return quantizePmf(pmf.data(), pmf.size());
}

// The cumulative form of frequencies: n + 1 entries, cdf[0] = 0, cdf[n] = sum.
std::vector<std::uint32_t> cdfFromFrequencies(const std::vector<std::uint32_t>& frequencies);

// One table as the caller describes it: frequencies of the n symbols (the last one is the escape) and the value
// that symbol 0 stands for.
struct CdfTableSpec {
    std::int32_t offset = 0;
    std::vector<std::uint32_t> frequencies;
};

// A pmf over the integer support offset, offset + 1, ..., plus the probability mass outside it (the escape
// symbol's probability; a tiny positive number is fine, 0 still gives the escape frequency 1).
struct PmfSpec {
    std::int32_t offset = 0;
    std::vector<double> pmf;
    double tailMass = 0.0;
};

// Builds a spec from a PmfSpec: quantizePmf(pmf + [tailMass]).
Result<CdfTableSpec> tableSpecFromPmf(const PmfSpec& pmf);

namespace detail {
// Per-symbol encoder data (ryg_rans' Rans64EncSymbol): the division x / freq becomes a multiply-high and a shift,
// exact for every x < 2^63 (Alverson's reciprocal). Also used for the 4-bit bypass symbols.
struct EncSymbol {
    std::uint64_t rcpFreq;   // fixed-point reciprocal of freq
    std::uint64_t xMax;      // renormalise (emit 32 bits) while the state is >= xMax
    std::uint32_t bias;      // start (or start + 2^scale - 1 when freq == 1)
    std::uint32_t cmplFreq;  // 2^scale - freq
    std::uint32_t rcpShift;
    std::uint32_t freq;
};
EncSymbol makeEncSymbol(std::uint32_t start, std::uint32_t freq, int scaleBits);
// The encoder's state update without renormalisation: (x / freq) * 2^scale + start + x % freq, computed with the
// reciprocal. Exposed so tests can prove it exact; valid for 1 <= x < xMax.
std::uint64_t encodeStep(const EncSymbol& symbol, std::uint64_t x);

constexpr int kLookupBits = 8;  // decoder: slot >> 8 indexes a 257-entry table of first candidate symbols

struct TableInfo {
    std::uint32_t cdfBegin;  // into cdf(): n + 1 entries
    std::uint32_t encBegin;  // into encSymbols(): n entries
    std::uint32_t lutBegin;  // into lookup(): 257 entries
    std::int32_t offset;
    std::int32_t symbolCount;  // n, escape included
    // The most frequent symbol (the lowest on ties) and its interval [modeStart, modeStart + modeFreq): the decoder
    // tries it before the lookup, since most slots of a peaked table fall there.
    std::uint32_t mode;
    std::uint32_t modeStart;
    std::uint32_t modeFreq;
};
}  // namespace detail

// An indexed list of tables: each coded symbol names its table by index (e.g. a channel of a factorized prior, or a
// scale level of the Gaussian conditional).
class CdfTableSet {
public:
    CdfTableSet() = default;

    // Validates (table count in [1, kMaxTables], n in [2, 65536], every frequency >= 1, sum exactly kCdfTotal,
    // offset + n - 2 fits int32) and builds the coder's derived data. InvalidArgument otherwise.
    static Result<CdfTableSet> fromSpecs(const std::vector<CdfTableSpec>& specs);
    // Convenience: tableSpecFromPmf on each pmf, then fromSpecs.
    static Result<CdfTableSet> fromPmfs(const std::vector<PmfSpec>& pmfs);

    std::size_t tableCount() const { return info_.size(); }
    bool empty() const { return info_.empty(); }
    int symbolCount(std::size_t table) const { return info_[table].symbolCount; }  // escape included
    std::int32_t offset(std::size_t table) const { return info_[table].offset; }
    // Values offset .. maxValue(t) are coded directly; everything else escapes.
    std::int32_t maxValue(std::size_t table) const { return info_[table].offset + (info_[table].symbolCount - 2); }
    std::uint32_t frequency(std::size_t table, int symbol) const {
        const std::uint32_t* c = cdf(table);
        return c[symbol + 1] - c[symbol];
    }
    const std::uint32_t* cdf(std::size_t table) const { return cdf_.data() + info_[table].cdfBegin; }
    CdfTableSpec spec(std::size_t table) const;

    // Serialised form (little-endian): "LMCT", u8 version 1, u8 precision 16, u32 table count, then per table
    // i32 offset, u32 n, n x u16 (frequency - 1). appendTo returns the number of bytes appended.
    std::size_t appendTo(std::vector<std::uint8_t>& out) const;
    std::vector<std::uint8_t> serialize() const;
    // CorruptData for anything malformed (bad magic/version/precision, truncation, trailing bytes, a sum != 2^16).
    static Result<CdfTableSet> deserialize(const std::uint8_t* data, std::size_t size);
    // Same, but reads one table set from the front of a larger buffer; *consumed receives its length.
    static Result<CdfTableSet> deserializePrefix(const std::uint8_t* data, std::size_t size, std::size_t* consumed);

    // 64-bit FNV-1a of serialize(): equal checksums <=> identical integer tables (for golden tests and logs).
    std::uint64_t checksum() const;

    // Coder internals (rans.cpp).
    const detail::TableInfo& info(std::size_t table) const { return info_[table]; }
    const detail::TableInfo* infoData() const { return info_.data(); }
    const std::uint32_t* cdfData() const { return cdf_.data(); }
    const std::uint16_t* lookupData() const { return lookup_.data(); }
    const detail::EncSymbol* encSymbols() const { return enc_.data(); }

private:
    std::vector<detail::TableInfo> info_;
    std::vector<std::uint32_t> cdf_;
    std::vector<std::uint16_t> lookup_;
    std::vector<detail::EncSymbol> enc_;
};

// Cost in bits of symbol `symbol` of `table`: 16 - log2(freq).
double symbolCostBits(const CdfTableSet& tables, std::size_t table, int symbol);

}  // namespace lmc::entropy
