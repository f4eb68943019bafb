#include "codec/entropy/cdf.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <string>

namespace lmc::entropy {

namespace {

constexpr std::uint64_t kRansL = 1ull << 31;  // must match rans.cpp
constexpr std::uint8_t kTableMagic[4] = {'L', 'M', 'C', 'T'};
constexpr std::uint8_t kTableVersion = 1;

// Greedy adjustment queues. Keys compare w_a / d_a against w_b / d_b by cross-multiplication: w < 2^42 and
// d <= 2^17 + 1, so the products stay below 2^60.
struct Candidate {
    std::uint64_t weight;
    std::uint64_t denominator;
    std::uint32_t index;
};

// Priority: larger weight / denominator first, then lower index.
struct LargerRatioFirst {
    bool operator()(const Candidate& a, const Candidate& b) const {
        const std::uint64_t lhs = a.weight * b.denominator;
        const std::uint64_t rhs = b.weight * a.denominator;
        if (lhs != rhs) return lhs < rhs;
        return a.index > b.index;
    }
};

// Priority: smaller weight / denominator first, then lower index.
struct SmallerRatioFirst {
    bool operator()(const Candidate& a, const Candidate& b) const {
        const std::uint64_t lhs = a.weight * b.denominator;
        const std::uint64_t rhs = b.weight * a.denominator;
        if (lhs != rhs) return lhs > rhs;
        return a.index > b.index;
    }
};

void putU32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint32_t getU32(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

}  // namespace

Result<std::vector<std::uint32_t>> quantizePmf(const double* pmf, std::size_t count) {
    if (count < 1 || count > kMaxTableSymbols)
        return makeError(ErrorCode::InvalidArgument, "pmf has " + std::to_string(count) + " entries (expected 1.." +
                                                         std::to_string(kMaxTableSymbols) + ")");
    double maxP = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        const double p = pmf[i];
        if (!std::isfinite(p) || p < 0.0)
            return makeError(ErrorCode::InvalidArgument,
                             "pmf entry " + std::to_string(i) + " is negative, NaN or infinite");
        maxP = std::max(maxP, p);
    }
    if (maxP <= 0.0) return makeError(ErrorCode::InvalidArgument, "pmf is all zero");

    // The one rounding step: scale by an exact power of two so the largest entry lands in [2^40, 2^41).
    const int exponent = 40 - std::ilogb(maxP);
    std::vector<std::uint64_t> w(count);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < count; ++i) {
        w[i] = static_cast<std::uint64_t>(std::llround(std::ldexp(pmf[i], exponent)));
        total += w[i];
    }

    // Round to nearest with every symbol at least 1: w * 2^16 < 2^58, (2 w 2^16 + W) < 2^60.
    std::vector<std::uint32_t> f(count);
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t rounded = (2 * w[i] * kCdfTotal + total) / (2 * total);
        f[i] = static_cast<std::uint32_t>(std::max<std::uint64_t>(1, rounded));
        sum += f[i];
    }

    std::int64_t diff = static_cast<std::int64_t>(kCdfTotal) - sum;
    if (diff > 0) {
        // Gain of f -> f + 1 is about p / (f + 1/2).
        std::priority_queue<Candidate, std::vector<Candidate>, LargerRatioFirst> queue;
        for (std::size_t i = 0; i < count; ++i) queue.push({w[i], 2ull * f[i] + 1, static_cast<std::uint32_t>(i)});
        while (diff > 0) {
            Candidate c = queue.top();
            queue.pop();
            ++f[c.index];
            --diff;
            c.denominator = 2ull * f[c.index] + 1;
            queue.push(c);
        }
    } else if (diff < 0) {
        // Cost of f -> f - 1 is about p / (f - 1/2); symbols at 1 cannot give anything.
        std::priority_queue<Candidate, std::vector<Candidate>, SmallerRatioFirst> queue;
        for (std::size_t i = 0; i < count; ++i)
            if (f[i] > 1) queue.push({w[i], 2ull * f[i] - 1, static_cast<std::uint32_t>(i)});
        while (diff < 0) {
            // sum > 2^16 >= count guarantees some f > 1 remains.
            Candidate c = queue.top();
            queue.pop();
            --f[c.index];
            ++diff;
            if (f[c.index] > 1) {
                c.denominator = 2ull * f[c.index] - 1;
                queue.push(c);
            }
        }
    }
    return f;
}

std::vector<std::uint32_t> cdfFromFrequencies(const std::vector<std::uint32_t>& frequencies) {
    std::vector<std::uint32_t> cdf(frequencies.size() + 1, 0);
    for (std::size_t i = 0; i < frequencies.size(); ++i) cdf[i + 1] = cdf[i] + frequencies[i];
    return cdf;
}

Result<CdfTableSpec> tableSpecFromPmf(const PmfSpec& pmf) {
    if (pmf.pmf.empty()) return makeError(ErrorCode::InvalidArgument, "empty pmf");
    if (pmf.pmf.size() + 1 > kMaxTableSymbols)
        return makeError(ErrorCode::InvalidArgument, "pmf too long: " + std::to_string(pmf.pmf.size()));
    std::vector<double> withTail(pmf.pmf);
    withTail.push_back(pmf.tailMass);
    auto freqs = quantizePmf(withTail);
    if (!freqs) return freqs.error();
    CdfTableSpec spec;
    spec.offset = pmf.offset;
    spec.frequencies = std::move(freqs.value());
    return spec;
}

namespace detail {

EncSymbol makeEncSymbol(std::uint32_t start, std::uint32_t freq, int scaleBits) {
    EncSymbol s{};
    const std::uint32_t m = 1u << scaleBits;
    s.freq = freq;
    s.cmplFreq = m - freq;
    s.xMax = ((kRansL >> scaleBits) << 32) * freq;
    if (freq < 2) {
        // mulhi(x, 2^64 - 1) = x - 1 for x >= 1, so x + bias + (x - 1)(M - 1) = x M + start.
        s.rcpFreq = ~0ull;
        s.rcpShift = 0;
        s.bias = start + m - 1;
    } else {
        // Alverson: rcp = ceil(2^(63 + shift) / freq) with shift = ceil(log2 freq); exact for x < 2^63.
        std::uint32_t shift = 0;
        while (freq > (1u << shift)) ++shift;
        const unsigned __int128 numerator = (static_cast<unsigned __int128>(1) << (63 + shift)) + (freq - 1);
        s.rcpFreq = static_cast<std::uint64_t>(numerator / freq);
        s.rcpShift = shift - 1;
        s.bias = start;
    }
    return s;
}

std::uint64_t encodeStep(const EncSymbol& symbol, std::uint64_t x) {
    const std::uint64_t q =
        static_cast<std::uint64_t>((static_cast<unsigned __int128>(x) * symbol.rcpFreq) >> 64) >> symbol.rcpShift;
    return x + symbol.bias + q * symbol.cmplFreq;
}

}  // namespace detail

Result<CdfTableSet> CdfTableSet::fromSpecs(const std::vector<CdfTableSpec>& specs) {
    if (specs.empty() || specs.size() > kMaxTables)
        return makeError(ErrorCode::InvalidArgument,
                         "table count " + std::to_string(specs.size()) + " outside 1.." + std::to_string(kMaxTables));
    std::size_t totalSymbols = 0;
    for (std::size_t t = 0; t < specs.size(); ++t) {
        const CdfTableSpec& spec = specs[t];
        const std::size_t n = spec.frequencies.size();
        const std::string where = "table " + std::to_string(t) + ": ";
        if (n < kMinTableSymbols || n > kMaxTableSymbols)
            return makeError(ErrorCode::InvalidArgument, where + std::to_string(n) + " symbols (expected 2..65536)");
        std::uint64_t sum = 0;
        for (std::uint32_t f : spec.frequencies) {
            if (f == 0) return makeError(ErrorCode::InvalidArgument, where + "a symbol has frequency 0");
            sum += f;
        }
        if (sum != kCdfTotal)
            return makeError(ErrorCode::InvalidArgument, where + "frequencies sum to " + std::to_string(sum));
        if (static_cast<std::int64_t>(spec.offset) + static_cast<std::int64_t>(n) - 2 >
            std::numeric_limits<std::int32_t>::max())
            return makeError(ErrorCode::InvalidArgument, where + "offset + symbol count overflows int32");
        totalSymbols += n;
    }
    if (totalSymbols + specs.size() > std::numeric_limits<std::uint32_t>::max() / 2)
        return makeError(ErrorCode::InvalidArgument, "tables too large");

    CdfTableSet set;
    set.info_.reserve(specs.size());
    set.cdf_.reserve(totalSymbols + specs.size());
    set.enc_.reserve(totalSymbols);
    set.lookup_.reserve(specs.size() * ((1u << detail::kLookupBits) + 1));
    for (const CdfTableSpec& spec : specs) {
        const std::uint32_t n = static_cast<std::uint32_t>(spec.frequencies.size());
        detail::TableInfo info{};
        info.cdfBegin = static_cast<std::uint32_t>(set.cdf_.size());
        info.encBegin = static_cast<std::uint32_t>(set.enc_.size());
        info.lutBegin = static_cast<std::uint32_t>(set.lookup_.size());
        info.offset = spec.offset;
        info.symbolCount = static_cast<std::int32_t>(n);

        std::uint32_t start = 0;
        set.cdf_.push_back(0);
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::uint32_t f = spec.frequencies[i];
            set.enc_.push_back(detail::makeEncSymbol(start, f, kCdfPrecision));
            if (f > info.modeFreq) {
                info.mode = i;
                info.modeStart = start;
                info.modeFreq = f;
            }
            start += f;
            set.cdf_.push_back(start);
        }
        set.info_.push_back(info);
        // lookup[b] = the symbol that holds slot b << 8; lookup[256] = n - 1 bounds the search of the last bucket.
        const std::uint32_t* cdf = set.cdf_.data() + info.cdfBegin;
        std::uint32_t symbol = 0;
        for (std::uint32_t b = 0; b < (1u << detail::kLookupBits); ++b) {
            const std::uint32_t slot = b << (kCdfPrecision - detail::kLookupBits);
            while (cdf[symbol + 1] <= slot) ++symbol;
            set.lookup_.push_back(static_cast<std::uint16_t>(symbol));
        }
        set.lookup_.push_back(static_cast<std::uint16_t>(n - 1));
    }
    return set;
}

Result<CdfTableSet> CdfTableSet::fromPmfs(const std::vector<PmfSpec>& pmfs) {
    std::vector<CdfTableSpec> specs;
    specs.reserve(pmfs.size());
    for (std::size_t i = 0; i < pmfs.size(); ++i) {
        auto spec = tableSpecFromPmf(pmfs[i]);
        if (!spec) return makeError(spec.error().code, "pmf " + std::to_string(i) + ": " + spec.error().message);
        specs.push_back(std::move(spec.value()));
    }
    return fromSpecs(specs);
}

CdfTableSpec CdfTableSet::spec(std::size_t table) const {
    CdfTableSpec s;
    s.offset = info_[table].offset;
    const std::uint32_t* c = cdf(table);
    s.frequencies.resize(static_cast<std::size_t>(info_[table].symbolCount));
    for (std::size_t i = 0; i < s.frequencies.size(); ++i) s.frequencies[i] = c[i + 1] - c[i];
    return s;
}

std::size_t CdfTableSet::appendTo(std::vector<std::uint8_t>& out) const {
    const std::size_t before = out.size();
    out.insert(out.end(), kTableMagic, kTableMagic + 4);
    out.push_back(kTableVersion);
    out.push_back(static_cast<std::uint8_t>(kCdfPrecision));
    putU32(out, static_cast<std::uint32_t>(info_.size()));
    for (std::size_t t = 0; t < info_.size(); ++t) {
        putU32(out, static_cast<std::uint32_t>(info_[t].offset));
        putU32(out, static_cast<std::uint32_t>(info_[t].symbolCount));
        const std::uint32_t* c = cdf(t);
        for (int s = 0; s < info_[t].symbolCount; ++s) {
            const std::uint32_t f = c[s + 1] - c[s] - 1;
            out.push_back(static_cast<std::uint8_t>(f));
            out.push_back(static_cast<std::uint8_t>(f >> 8));
        }
    }
    return out.size() - before;
}

std::vector<std::uint8_t> CdfTableSet::serialize() const {
    std::vector<std::uint8_t> out;
    appendTo(out);
    return out;
}

Result<CdfTableSet> CdfTableSet::deserializePrefix(const std::uint8_t* data, std::size_t size, std::size_t* consumed) {
    auto corrupt = [](const std::string& what) { return makeError(ErrorCode::CorruptData, "CDF tables: " + what); };
    if (size < 10 || !std::equal(kTableMagic, kTableMagic + 4, data)) return corrupt("bad magic or truncated");
    if (data[4] != kTableVersion) return corrupt("unknown version " + std::to_string(data[4]));
    if (data[5] != kCdfPrecision) return corrupt("unsupported precision " + std::to_string(data[5]));
    const std::uint32_t tableCount = getU32(data + 6);
    if (tableCount < 1 || tableCount > kMaxTables) return corrupt("table count " + std::to_string(tableCount));
    std::size_t pos = 10;
    // Every table needs at least 12 bytes: refuse impossible counts before allocating.
    if ((size - pos) / 12 < tableCount) return corrupt("truncated");
    std::vector<CdfTableSpec> specs(tableCount);
    for (std::uint32_t t = 0; t < tableCount; ++t) {
        if (size - pos < 8) return corrupt("truncated");
        specs[t].offset = static_cast<std::int32_t>(getU32(data + pos));
        const std::uint32_t n = getU32(data + pos + 4);
        pos += 8;
        if (n < kMinTableSymbols || n > kMaxTableSymbols)
            return corrupt("table " + std::to_string(t) + " has " + std::to_string(n) + " symbols");
        if ((size - pos) / 2 < n) return corrupt("truncated");
        specs[t].frequencies.resize(n);
        for (std::uint32_t s = 0; s < n; ++s, pos += 2)
            specs[t].frequencies[s] =
                (static_cast<std::uint32_t>(data[pos]) | (static_cast<std::uint32_t>(data[pos + 1]) << 8)) + 1;
    }
    auto set = fromSpecs(specs);
    if (!set) return corrupt(set.error().message);
    if (consumed) *consumed = pos;
    return set;
}

Result<CdfTableSet> CdfTableSet::deserialize(const std::uint8_t* data, std::size_t size) {
    std::size_t consumed = 0;
    auto set = deserializePrefix(data, size, &consumed);
    if (!set) return set;
    if (consumed != size)
        return makeError(ErrorCode::CorruptData, "CDF tables: " + std::to_string(size - consumed) + " trailing bytes");
    return set;
}

std::uint64_t CdfTableSet::checksum() const {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (std::uint8_t b : serialize()) {
        hash ^= b;
        hash *= 0x100000001b3ull;
    }
    return hash;
}

double symbolCostBits(const CdfTableSet& tables, std::size_t table, int symbol) {
    return kCdfPrecision - std::log2(static_cast<double>(tables.frequency(table, symbol)));
}

}  // namespace lmc::entropy
