#include "codec/learned/bit_map.h"

#include <array>
#include <string>

#include "codec/entropy/rans.h"
#include "codec/learned/exp2_core.h"

namespace lmc::learned {

const entropy::CdfTableSet& binaryTables() {
    static const entropy::CdfTableSet set = [] {
        std::vector<entropy::PmfSpec> pmfs(kBinaryTables);
        for (int i = 0; i < kBinaryTables; ++i) {
            const double logit = -12.0 + 24.0 * i / (kBinaryTables - 1);
            const double one = 1.0 / (1.0 + detail::exp2Core(-logit));
            pmfs[std::size_t(i)].offset = 0;
            pmfs[std::size_t(i)].pmf = {1.0 - one, one};
            pmfs[std::size_t(i)].tailMass = 0.0;
        }
        auto built = entropy::CdfTableSet::fromPmfs(pmfs);
        return built ? std::move(*built) : entropy::CdfTableSet();
    }();
    return set;
}

namespace {

constexpr int kContextBits = 10;

// Thresholds midway between neighbouring tables' log-odds, as ratios: the estimate (2 n1 + 1) / (2 n0 + 1) picks
// the table whose index is the number of thresholds it reaches.
const std::array<double, kBinaryTables - 1>& thresholds() {
    static const std::array<double, kBinaryTables - 1> t = [] {
        std::array<double, kBinaryTables - 1> r{};
        for (int k = 0; k + 1 < kBinaryTables; ++k)
            r[std::size_t(k)] = detail::exp2Core(-12.0 + 24.0 * (k + 0.5) / (kBinaryTables - 1));
        return r;
    }();
    return t;
}

// The adaptive model both sides run.
class Model {
public:
    Model() : counts_(std::size_t(1) << kContextBits), thresholds_(thresholds().data()) {}

    static int context(const std::uint8_t* bits, int width, int x, int y) {
        auto at = [&](int dx, int dy) -> int {
            const int u = x + dx, v = y + dy;
            return (u >= 0 && u < width && v >= 0) ? bits[std::size_t(v) * width + u] : 0;
        };
        return at(-1, 0) | at(-2, 0) << 1 | at(-2, -1) << 2 | at(-1, -1) << 3 | at(0, -1) << 4 | at(1, -1) << 5 |
               at(2, -1) << 6 | at(-1, -2) << 7 | at(0, -2) << 8 | at(1, -2) << 9;
    }
    int table(int ctx) const {
        const Count& c = counts_[std::size_t(ctx)];
        const double ones = 2.0 * c.ones + 1.0, zeros = 2.0 * c.zeros + 1.0;
        int lo = 0, hi = kBinaryTables - 1;  // the answer lies in [lo, hi]
        while (lo < hi) {
            const int mid = (lo + hi + 1) / 2;
            if (ones >= zeros * thresholds_[mid - 1])
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo;
    }
    bool likelierOne(int ctx) const { return counts_[std::size_t(ctx)].ones > counts_[std::size_t(ctx)].zeros; }
    void update(int ctx, int bit) {
        Count& c = counts_[std::size_t(ctx)];
        (bit ? c.ones : c.zeros) += 1;
        if (c.zeros + c.ones >= kBitMapCountLimit) {
            c.zeros = std::uint16_t((c.zeros + 1) / 2);
            c.ones = std::uint16_t((c.ones + 1) / 2);
        }
    }

private:
    struct Count {
        std::uint16_t zeros = 0, ones = 0;
    };
    std::vector<Count> counts_;
    const double* thresholds_;
};

Error corrupt(const std::string& what) {
    return makeError(ErrorCode::CorruptData, "bit map: " + what);
}

}  // namespace

Result<std::vector<std::uint8_t>> encodeBitMap(const std::vector<std::uint8_t>& bits, int width, int height,
                                               const std::vector<std::uint8_t>& dontCare,
                                               std::vector<std::uint8_t>* coded) {
    const std::size_t n = std::size_t(width) * std::size_t(height);
    if (width <= 0 || height <= 0 || bits.size() != n || (!dontCare.empty() && dontCare.size() != n))
        return makeError(ErrorCode::InvalidArgument, "bit map: sizes do not match");
    std::vector<std::uint8_t> map(n);
    std::vector<std::int32_t> values(n), indexes(n);
    Model model;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const std::size_t i = std::size_t(y) * width + x;
            const int ctx = Model::context(map.data(), width, x, y);
            const int bit = !dontCare.empty() && dontCare[i] ? int(model.likelierOne(ctx)) : int(bits[i] != 0);
            map[i] = std::uint8_t(bit);
            values[i] = bit;
            indexes[i] = model.table(ctx);
            model.update(ctx, bit);
        }
    entropy::RansEncoder encoder;
    if (auto st = encoder.encode(values.data(), indexes.data(), n, binaryTables()); !st) return st.error();
    if (coded) *coded = std::move(map);
    return encoder.finish();
}

Status decodeBitMap(const std::uint8_t* data, std::size_t size, int width, int height,
                    std::vector<std::uint8_t>& bits, const CancelToken* cancel) {
    if (width <= 0 || height <= 0) return corrupt("empty map");
    const std::size_t n = std::size_t(width) * std::size_t(height);
    // Every bit costs at least 2^-16 bits (no table gives a value more than 65535 / 65536): a stream too short for
    // the map is refused before allocating it.
    if (double(n) > (double(size) * 8.0 + 64.0) * 65536.0) return corrupt("stream too short for the map");
    const entropy::CdfTableSet& set = binaryTables();
    entropy::detail::TableInfo info[kBinaryTables];
    for (int k = 0; k < kBinaryTables; ++k) info[k] = set.info(std::size_t(k));
    entropy::RansDecoder decoder;
    if (auto st = decoder.begin(data, size); !st) return st;
    bits.assign(n, 0);
    Model model;
    for (int y = 0; y < height; ++y) {
        if (cancel && cancel->isCancelled()) return cancelledError();
        for (int x = 0; x < width; ++x) {
            const int ctx = Model::context(bits.data(), width, x, y);
            const std::int32_t table = model.table(ctx);
            std::int32_t value = 0;
            if (!decoder.decodeCommon(set, info[table], &value))
                if (auto st = decoder.decode(&table, 1, set, &value); !st) return st;
            if (value != 0 && value != 1) return corrupt("a bit other than 0 or 1");
            bits[std::size_t(y) * width + x] = std::uint8_t(value);
            model.update(ctx, value);
        }
    }
    return decoder.end();
}

}  // namespace lmc::learned
