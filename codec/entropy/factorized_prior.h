// Tables for a factorized prior (Ballé et al. 2017, CompressAI's EntropyBottleneck): one CDF table per latent
// channel, built from the per-channel pmfs the learned model evaluates on an integer support.
//
// The learned model computes, for channel c, pmf_c(v) for v = offsets[c] .. offsets[c] + lengths[c] - 1 (e.g. the
// differences of its learned CDF at v +- 1/2 around the channel's median, as EntropyBottleneck does) and the mass
// outside that range (tailMass[c]). buildFactorizedTables quantises them (quantizePmf: one documented rounding, then
// integers) into a CdfTableSet whose table c codes channel c; values outside a channel's support escape (rans.h).
// Store the resulting tables in the model file with CdfTableSet::serialize(): encoder and decoder then load the
// same integers and the floating-point pmf is never evaluated at coding time, so the prior is deterministic by
// construction across machines and thread counts.
//
// Threading: pure functions. Errors: InvalidArgument for inconsistent shapes or an invalid pmf row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/entropy/cdf.h"
#include "codec/result.h"

namespace lmc::entropy {

// CompressAI's _pmf_to_cdf layout: a [channels x maxLength] row-major pmf matrix where row c uses its first
// lengths[c] entries (the rest is padding and ignored).
struct FactorizedPmfs {
    int channels = 0;
    int maxLength = 0;
    std::vector<double> pmf;
    std::vector<std::int32_t> lengths;  // 1 .. maxLength, and <= 65535 (the escape takes one more symbol)
    std::vector<std::int32_t> offsets;  // the value of row entry 0
    std::vector<double> tailMass;       // mass outside the support, >= 0
};

Result<CdfTableSet> buildFactorizedTables(const FactorizedPmfs& pmfs);

// Table indexes for a planar [channels x planeSize] latent (CHW): index = channel.
std::vector<std::int32_t> channelIndexes(int channels, std::size_t planeSize);

}  // namespace lmc::entropy
