// SMPTE ST 2084 (PQ) transfer functions, shared by the codecs that store PQ code values (avif_codec, j2k_codec).
// Normalised units: linear light y in [0, 1] where 1 = 10000 cd/m2, PQ signal in [0, 1]. Both functions clamp their
// argument to [0, 1] (NaN -> 0) and are pure: safe from any thread.
#pragma once

#include <algorithm>
#include <cmath>

namespace lmc {

namespace pq {
constexpr double kM1 = 2610.0 / 16384.0;
constexpr double kM2 = 2523.0 / 4096.0 * 128.0;
constexpr double kC1 = 3424.0 / 4096.0;
constexpr double kC2 = 2413.0 / 4096.0 * 32.0;
constexpr double kC3 = 2392.0 / 4096.0 * 32.0;
}  // namespace pq

// Normalised linear light -> PQ signal (the inverse EOTF).
inline double pqEncode(double y) {
    if (!(y > 0)) y = 0;
    if (y > 1) y = 1;
    const double p = std::pow(y, pq::kM1);
    return std::pow((pq::kC1 + pq::kC2 * p) / (1.0 + pq::kC3 * p), pq::kM2);
}

// PQ signal -> normalised linear light (the EOTF).
inline double pqDecode(double e) {
    if (!(e > 0)) e = 0;
    if (e > 1) e = 1;
    const double p = std::pow(e, 1.0 / pq::kM2);
    return std::pow(std::max(p - pq::kC1, 0.0) / (pq::kC2 - pq::kC3 * p), 1.0 / pq::kM1);
}

}  // namespace lmc
