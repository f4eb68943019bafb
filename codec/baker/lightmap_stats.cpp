#include "codec/baker/lightmap_stats.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace lmc {

LightmapStats computeLightmapStats(const ImageView& image) {
    LightmapStats s;
    if (image.empty()) return s;
    const int w = image.width, h = image.height;
    std::vector<float> lum(std::size_t(w) * h, -1.0f);  // -1 = empty
    std::vector<float> values;
    values.reserve(lum.size());
    std::size_t empty = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const float* t = image.texel(x, y);
            bool finite = std::isfinite(t[0]) && std::isfinite(t[1]) && std::isfinite(t[2]);
            float l = finite ? luminance(t) : 0.0f;
            if (!image.covered(x, y) || !(l > 0)) {
                ++empty;
                continue;
            }
            lum[std::size_t(y) * w + x] = l;
            values.push_back(l);
        }
    s.emptyFraction = double(empty) / double(lum.size());
    if (values.empty()) return s;
    std::vector<float> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    double minPos = sorted.front(), maxL = sorted.back();
    double median = sorted[sorted.size() / 2];
    double p99 = sorted[std::min(sorted.size() - 1, std::size_t(double(sorted.size()) * 0.99))];
    s.dynamicRangeStops = std::log2(maxL / minPos);
    s.p99OverMedian = median > 0 ? p99 / median : 0;
    s.maxOverMedian = median > 0 ? maxL / median : 0;
    double gradSum = 0;
    std::size_t gradCount = 0;
    std::vector<float> steps;
    for (int y = 0; y + 1 < h; ++y)
        for (int x = 0; x + 1 < w; ++x) {
            float c = lum[std::size_t(y) * w + x], r = lum[std::size_t(y) * w + x + 1],
                  d = lum[std::size_t(y + 1) * w + x];
            if (c < 0 || r < 0 || d < 0) continue;
            gradSum += std::sqrt(double(r - c) * (r - c) + double(d - c) * (d - c));
            ++gradCount;
            steps.push_back(std::fabs(r - c) / (0.5f * (r + c)));
        }
    if (gradCount > 0 && median > 0) s.meanGradient = gradSum / double(gradCount) / median;
    if (!steps.empty()) {
        std::nth_element(steps.begin(), steps.begin() + steps.size() / 2, steps.end());
        s.medianRelativeStep = steps[steps.size() / 2];
    }
    return s;
}

}  // namespace lmc
