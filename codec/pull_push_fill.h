// Pull-push fill of unknown texels (gutters, uncovered or padding texels) shared by the JPEG-HDR and learned
// codecs: every unknown texel takes the average of the known texels of the smallest aligned 2^k x 2^k cell around
// it that has any. Smooth and within the known values' range, so it costs a transform codec almost no bits.
//
// The caller gives access to values through at(i, c) -> float& with i = y * width + x (planar or interleaved
// storage alike). Averages are summed in double. With no known texel at all nothing is changed.
// Threading: pure function of its arguments. Errors: none (known.size() must be width * height).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace lmc {

template <class At>
void pullPushFill(int width, int height, int channels, const std::vector<std::uint8_t>& known, At&& at) {
    struct Level {
        int w = 0, h = 0;
        std::vector<float> v;           // `channels` values per cell
        std::vector<std::uint8_t> has;  // cell holds an average of known texels
    };
    std::vector<Level> levels;  // levels[0] is half the image size
    auto fineValue = [&](std::size_t level, int x, int y, int c) -> float {
        if (level == 0) return at(std::size_t(y) * width + x, c);
        const Level& l = levels[level - 1];
        return l.v[(std::size_t(y) * l.w + x) * channels + c];
    };
    auto fineHas = [&](std::size_t level, int x, int y) -> bool {
        if (level == 0) return known[std::size_t(y) * width + x] != 0;
        const Level& l = levels[level - 1];
        return l.has[std::size_t(y) * l.w + x] != 0;
    };
    int pw = width, ph = height;
    std::vector<double> sum(static_cast<std::size_t>(channels));
    while (pw > 1 || ph > 1) {
        Level l;
        l.w = (pw + 1) / 2;
        l.h = (ph + 1) / 2;
        l.v.assign(std::size_t(l.w) * l.h * channels, 0.0f);
        l.has.assign(std::size_t(l.w) * l.h, 0);
        const std::size_t fine = levels.size();
        for (int y = 0; y < l.h; ++y)
            for (int x = 0; x < l.w; ++x) {
                std::fill(sum.begin(), sum.end(), 0.0);
                int n = 0;
                for (int dy = 0; dy < 2; ++dy)
                    for (int dx = 0; dx < 2; ++dx) {
                        const int fx = 2 * x + dx, fy = 2 * y + dy;
                        if (fx >= pw || fy >= ph || !fineHas(fine, fx, fy)) continue;
                        for (int c = 0; c < channels; ++c) sum[c] += fineValue(fine, fx, fy, c);
                        ++n;
                    }
                if (n == 0) continue;
                const std::size_t i = std::size_t(y) * l.w + x;
                for (int c = 0; c < channels; ++c) l.v[i * channels + c] = float(sum[c] / n);
                l.has[i] = 1;
            }
        levels.push_back(std::move(l));
        pw = levels.back().w;
        ph = levels.back().h;
    }
    if (!levels.empty() && !levels.back().has[0]) return;  // nothing known
    // Push: coarse to fine, each empty cell copies its parent (filled by then).
    for (std::size_t k = levels.size(); k-- > 0;) {
        const Level& parent = levels[k];
        if (k == 0) {
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x) {
                    const std::size_t i = std::size_t(y) * width + x;
                    if (known[i]) continue;
                    const std::size_t p = (std::size_t(y / 2) * parent.w + x / 2) * channels;
                    for (int c = 0; c < channels; ++c) at(i, c) = parent.v[p + c];
                }
        } else {
            Level& child = levels[k - 1];
            for (int y = 0; y < child.h; ++y)
                for (int x = 0; x < child.w; ++x) {
                    const std::size_t i = std::size_t(y) * child.w + x;
                    if (child.has[i]) continue;
                    const std::size_t p = (std::size_t(y / 2) * parent.w + x / 2) * channels;
                    for (int c = 0; c < channels; ++c) child.v[i * channels + c] = parent.v[p + c];
                    child.has[i] = 1;
                }
        }
    }
}

}  // namespace lmc
