#include "codec/entropy/factorized_prior.h"

#include <string>

namespace lmc::entropy {

Result<CdfTableSet> buildFactorizedTables(const FactorizedPmfs& pmfs) {
    const auto invalid = [](const std::string& what) {
        return makeError(ErrorCode::InvalidArgument, "factorized prior: " + what);
    };
    if (pmfs.channels < 1 || pmfs.maxLength < 1) return invalid("no channels or empty support");
    const std::size_t channels = static_cast<std::size_t>(pmfs.channels);
    const std::size_t maxLength = static_cast<std::size_t>(pmfs.maxLength);
    if (pmfs.pmf.size() != channels * maxLength)
        return invalid("pmf has " + std::to_string(pmfs.pmf.size()) + " entries, expected channels x maxLength");
    if (pmfs.lengths.size() != channels || pmfs.offsets.size() != channels || pmfs.tailMass.size() != channels)
        return invalid("lengths, offsets and tailMass need one entry per channel");
    std::vector<CdfTableSpec> specs(channels);
    for (std::size_t c = 0; c < channels; ++c) {
        const std::int32_t length = pmfs.lengths[c];
        if (length < 1 || static_cast<std::size_t>(length) > maxLength)
            return invalid("channel " + std::to_string(c) + " has length " + std::to_string(length));
        PmfSpec row;
        row.offset = pmfs.offsets[c];
        row.pmf.assign(
            pmfs.pmf.begin() + static_cast<std::ptrdiff_t>(c * maxLength),
            pmfs.pmf.begin() + static_cast<std::ptrdiff_t>(c * maxLength + static_cast<std::size_t>(length)));
        row.tailMass = pmfs.tailMass[c];
        auto spec = tableSpecFromPmf(row);
        if (!spec) return invalid("channel " + std::to_string(c) + ": " + spec.error().message);
        specs[c] = std::move(spec.value());
    }
    return CdfTableSet::fromSpecs(specs);
}

std::vector<std::int32_t> channelIndexes(int channels, std::size_t planeSize) {
    std::vector<std::int32_t> indexes;
    if (channels <= 0) return indexes;
    indexes.reserve(static_cast<std::size_t>(channels) * planeSize);
    for (int c = 0; c < channels; ++c) indexes.insert(indexes.end(), planeSize, c);
    return indexes;
}

}  // namespace lmc::entropy
