#include "widgets/color_map.h"

#include <algorithm>
#include <cmath>

namespace lmc {
namespace {

using Poly = std::array<std::array<double, 3>, 7>;

// https://www.shadertoy.com/view/WlfXRN (Matt Zucker), degree-6 fits of matplotlib's maps.
constexpr Poly kMagma = {{{-0.002136485053939582, -0.000749655052795221, -0.005386127855323933},
                          {0.2516605407371642, 0.6775232436837668, 2.494026599312351},
                          {8.353717279216625, -3.577719514958484, 0.3144679030132573},
                          {-27.66873308576866, 14.26473078096533, -13.64921318813922},
                          {52.17613981234068, -27.94360607168351, 12.94416944238394},
                          {-50.76852536473588, 29.04658282127291, 4.23415299384598},
                          {18.65570506591883, -11.48977351997711, -5.601961508734096}}};
constexpr Poly kViridis = {{{0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
                            {0.1050930431085774, 1.404613529898575, 1.384590162594685},
                            {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
                            {-4.634230498983486, -5.799100973351585, -19.33244095627987},
                            {6.228269936347081, 14.17993336680509, 56.69055260068105},
                            {4.776384997670288, -13.74514537774601, -65.35303263337234},
                            {-5.435455855934631, 4.645852612178535, 26.3124352495832}}};

// Moreland's cool-warm map at t = 0, 1/8, ..., 1 (8-bit sRGB).
constexpr std::array<std::array<int, 3>, 9> kCoolWarm = {{{59, 76, 192},
                                                          {98, 130, 234},
                                                          {141, 176, 254},
                                                          {184, 208, 249},
                                                          {221, 221, 221},
                                                          {245, 196, 173},
                                                          {244, 154, 123},
                                                          {222, 96, 77},
                                                          {180, 4, 38}}};

std::array<double, 3> coolWarm(double t) {
    const double x = t * 8.0;
    const int i = std::clamp(int(std::floor(x)), 0, 7);
    const double f = x - i;
    std::array<double, 3> out{};
    for (int k = 0; k < 3; ++k)
        out[std::size_t(k)] = ((1.0 - f) * kCoolWarm[std::size_t(i)][std::size_t(k)] +
                               f * kCoolWarm[std::size_t(i) + 1][std::size_t(k)]) /
                              255.0;
    return out;
}

std::array<double, 3> evalPoly(const Poly& c, double t) {
    std::array<double, 3> out{};
    for (int k = 0; k < 3; ++k) {
        double v = c[6][k];
        for (int i = 5; i >= 0; --i) v = v * t + c[i][k];
        out[k] = std::clamp(v, 0.0, 1.0);
    }
    return out;
}

// Google's Turbo, polynomial approximation (Apache-2.0, Anton Mikhailov / Ruofei Du).
std::array<double, 3> turbo(double t) {
    const double t2 = t * t, t3 = t2 * t, t4 = t2 * t2, t5 = t4 * t;
    const double r =
        0.13572138 + 4.61539260 * t - 42.66032258 * t2 + 132.13108234 * t3 - 152.94239396 * t4 + 59.28637943 * t5;
    const double g =
        0.09140261 + 2.19418839 * t + 4.84296658 * t2 - 14.18503333 * t3 + 4.27729857 * t4 + 2.82956604 * t5;
    const double b =
        0.10667330 + 12.64194608 * t - 60.58204836 * t2 + 110.36276771 * t3 - 89.90310912 * t4 + 27.34824973 * t5;
    return {std::clamp(r, 0.0, 1.0), std::clamp(g, 0.0, 1.0), std::clamp(b, 0.0, 1.0)};
}

}  // namespace

std::array<double, 3> colorMapRgb(ColorMap map, double t) {
    t = t > 0.0 ? std::min(t, 1.0) : 0.0;  // NaN -> 0
    switch (map) {
        case ColorMap::Viridis:
            return evalPoly(kViridis, t);
        case ColorMap::Turbo:
            return turbo(t);
        case ColorMap::Diverging:
            return coolWarm(t);
        case ColorMap::Magma:
        default:
            return evalPoly(kMagma, t);
    }
}

QRgb colorMapColor(ColorMap map, double t) {
    const auto c = colorMapRgb(map, t);
    return qRgb(int(std::lround(c[0] * 255.0)), int(std::lround(c[1] * 255.0)), int(std::lround(c[2] * 255.0)));
}

const std::array<QRgb, 256>& colorMapTable(ColorMap map) {
    static const auto build = [](ColorMap m) {
        std::array<QRgb, 256> t{};
        for (int i = 0; i < 256; ++i) t[std::size_t(i)] = colorMapColor(m, i / 255.0);
        return t;
    };
    static const std::array<QRgb, 256> magma = build(ColorMap::Magma);
    static const std::array<QRgb, 256> viridis = build(ColorMap::Viridis);
    static const std::array<QRgb, 256> turboTable = build(ColorMap::Turbo);
    static const std::array<QRgb, 256> diverging = build(ColorMap::Diverging);
    switch (map) {
        case ColorMap::Diverging:
            return diverging;
        case ColorMap::Viridis:
            return viridis;
        case ColorMap::Turbo:
            return turboTable;
        case ColorMap::Magma:
        default:
            return magma;
    }
}

}  // namespace lmc
