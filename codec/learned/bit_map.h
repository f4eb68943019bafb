// A map of one bit per texel (the overfit codec's exact-black map) coded with an adaptive context model into one
// rANS stream (entropy/rans.h), and the binary tables it and the refinement layer's block flags (refinement.h) code
// bits with.
//
// Model: texels in raster order; a bit's context is its 10 causal neighbours (a JBIG-style template: x-1, x-2 of
// its row; x-2 .. x+2 of the row above; x-1 .. x+1 two rows up; 0 outside the map), 1024 contexts. Each context
// counts the 0s and 1s it has seen (both start at 0; when they sum to kBitMapCountLimit both are halved, rounding
// up), and the counts pick one of the kBinaryTables tables by the Krichevsky-Trofimov estimate
// P(1) = (2 n1 + 1) / (2 (n0 + n1) + 2): the table whose log-odds lies nearest, found by a binary search that
// compares 2 n1 + 1 with (2 n0 + 1) times precomputed thresholds (one IEEE product each, so every machine picks the
// same table). Encoder and decoder run the same counts, so no table index is stored.
// A map of lightmap chart coverage costs about 0.006-0.03 bits per texel on real maps (long runs, few edges).
//
// Don't-care bits (texels whose value the caller does not need, e.g. outside the encoder's mask): the encoder sets
// each to the likelier value under its context at that point, the cheapest choice, and returns the map as the
// decoder will see it.
//
// Determinism: integer counts and tables built from IEEE + * / and exp2_core.h only: the same bytes and bits on
// every machine. Threading: pure functions; the tables are built once, thread-safe. Errors: decodeBitMap returns
// CorruptData for a damaged or truncated stream (never reads out of bounds), Cancelled when the token fires
// (polled every row).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/codec.h"
#include "codec/entropy/cdf.h"

namespace lmc::learned {

// Binary tables: table i codes the values 0 and 1 with P(1) = 1 / (1 + 2^-l), l = -12 + 24 i / (kBinaryTables - 1)
// (about 1/4100 to 1 - 1/4100).
constexpr int kBinaryTables = 48;
const entropy::CdfTableSet& binaryTables();

// The counts' sum at which a context halves them: high enough that long runs reach the most skewed table (a map
// with no black texel then costs about 0.0004 bits per texel), low enough to follow a map's changing density.
constexpr int kBitMapCountLimit = 4096;

// The stream of `bits` (width x height, 0 or 1 each). `dontCare` (empty, or one byte per texel, non-zero = free)
// marks bits the encoder may choose; `coded` (if not null) receives the map as decoded. Errors: InvalidArgument
// for sizes that do not match.
Result<std::vector<std::uint8_t>> encodeBitMap(const std::vector<std::uint8_t>& bits, int width, int height,
                                               const std::vector<std::uint8_t>& dontCare,
                                               std::vector<std::uint8_t>* coded = nullptr);

// Decodes a stream of encodeBitMap into `bits` (width x height, 0 or 1); the stream must be consumed exactly.
Status decodeBitMap(const std::uint8_t* data, std::size_t size, int width, int height,
                    std::vector<std::uint8_t>& bits, const CancelToken* cancel = nullptr);

}  // namespace lmc::learned
