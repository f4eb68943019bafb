#include "codec/bd_rate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>

namespace lmc {

namespace {

Error invalid(std::string message) {
    return makeError(ErrorCode::InvalidArgument, std::move(message));
}

std::string fmt(const char* format, double a) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, a);
    return buf;
}

std::string qualityRange(double lo, double hi) {
    return fmt("%.1f", lo) + "\u2013" + fmt("%.1f", hi) + " dB";
}

std::string rateRange(double lo, double hi) {
    return fmt("%.4g", lo) + "\u2013" + fmt("%.4g", hi) + " bpp";
}

// Validated points sorted by rate, exact duplicates dropped (the same setting listed twice is harmless; two
// qualities at one rate make the curve ambiguous and are refused).
Result<std::vector<BdPoint>> cleanCurve(const std::vector<BdPoint>& in, const char* role) {
    for (const BdPoint& p : in) {
        if (!std::isfinite(p.bitsPerTexel) || !std::isfinite(p.quality))
            return invalid(std::string(role) + " curve has a non-finite value (rate " + fmt("%g", p.bitsPerTexel) +
                           ", quality " + fmt("%g", p.quality) + ")");
        if (p.bitsPerTexel <= 0)
            return invalid(std::string(role) + " curve has a rate of " + fmt("%g", p.bitsPerTexel) +
                           " bpp; rates must be positive");
    }
    std::vector<BdPoint> pts = in;
    std::sort(pts.begin(), pts.end(), [](const BdPoint& a, const BdPoint& b) {
        return a.bitsPerTexel != b.bitsPerTexel ? a.bitsPerTexel < b.bitsPerTexel : a.quality < b.quality;
    });
    std::vector<BdPoint> out;
    for (const BdPoint& p : pts) {
        if (!out.empty() && out.back().bitsPerTexel == p.bitsPerTexel) {
            if (out.back().quality == p.quality) continue;
            return invalid(std::string(role) + " curve has two qualities at " + fmt("%g", p.bitsPerTexel) + " bpp (" +
                           fmt("%g", out.back().quality) + " and " + fmt("%g", p.quality) + ")");
        }
        out.push_back(p);
    }
    if (out.size() < 2)
        return invalid(std::string(role) + " curve has " + std::to_string(out.size()) +
                       " distinct point(s); BD needs at least 2 rates");
    return out;
}

// An interpolant y(x) over [x.front(), x.back()] that can be integrated exactly over any sub-interval.
class Interpolant {
public:
    virtual ~Interpolant() = default;
    virtual double integrate(double a, double b) const = 0;
};

// Slopes of scipy.interpolate.PchipInterpolator (Fritsch–Carlson monotone, Fritsch–Butland harmonic mean).
class Pchip final : public Interpolant {
public:
    Pchip(std::vector<double> x, std::vector<double> y) : x_(std::move(x)), y_(std::move(y)), m_(x_.size()) {
        const std::size_t n = x_.size();
        std::vector<double> h(n - 1), delta(n - 1);
        for (std::size_t k = 0; k + 1 < n; ++k) {
            h[k] = x_[k + 1] - x_[k];
            delta[k] = (y_[k + 1] - y_[k]) / h[k];
        }
        if (n == 2) {  // a straight line
            m_[0] = m_[1] = delta[0];
            return;
        }
        for (std::size_t k = 1; k + 1 < n; ++k) {
            const double d0 = delta[k - 1], d1 = delta[k];
            if (d0 == 0 || d1 == 0 || std::signbit(d0) != std::signbit(d1)) {
                m_[k] = 0;  // a local extremum or a flat piece: a flat tangent keeps the curve monotone
            } else {
                const double w1 = 2 * h[k] + h[k - 1], w2 = h[k] + 2 * h[k - 1];
                m_[k] = (w1 + w2) / (w1 / d0 + w2 / d1);
            }
        }
        m_[0] = edgeSlope(h[0], h[1], delta[0], delta[1]);
        m_[n - 1] = edgeSlope(h[n - 2], h[n - 3], delta[n - 2], delta[n - 3]);
    }

    double integrate(double a, double b) const override {
        double sum = 0;
        for (std::size_t k = 0; k + 1 < x_.size(); ++k) {
            const double lo = std::max(a, x_[k]), hi = std::min(b, x_[k + 1]);
            if (hi <= lo) continue;
            const double h = x_[k + 1] - x_[k], d = (y_[k + 1] - y_[k]) / h;
            const double m0 = m_[k], m1 = m_[k + 1];
            // y(s) = y0 + m0 s + c2 s^2 + c3 s^3 with s = x - x_k (Hermite form expanded).
            const double c2 = (3 * d - 2 * m0 - m1) / h, c3 = (m0 + m1 - 2 * d) / (h * h);
            auto antiderivative = [&](double s) { return s * (y_[k] + s * (m0 / 2 + s * (c2 / 3 + s * c3 / 4))); };
            sum += antiderivative(hi - x_[k]) - antiderivative(lo - x_[k]);
        }
        return sum;
    }

private:
    // scipy's three-point end formula, clipped so the end piece stays shape preserving.
    static double edgeSlope(double h0, double h1, double d0, double d1) {
        double m = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1);
        const auto sign = [](double v) { return (v > 0) - (v < 0); };
        if (sign(m) != sign(d0))
            m = 0;
        else if (sign(d0) != sign(d1) && std::abs(m) > 3 * std::abs(d0))
            m = 3 * d0;
        return m;
    }

    std::vector<double> x_, y_, m_;
};

// Least-squares cubic in a centred, scaled variable t = (x - centre) / scale, so the normal equations stay well
// conditioned whether x is in dB (30..50) or log10(bpp) (-1..1).
class Polynomial3 final : public Interpolant {
public:
    static Result<std::unique_ptr<Polynomial3>> fit(const std::vector<double>& x, const std::vector<double>& y) {
        auto p = std::unique_ptr<Polynomial3>(new Polynomial3);
        p->centre_ = (x.front() + x.back()) / 2;
        p->scale_ = (x.back() - x.front()) / 2;
        double a[4][5] = {};
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double t = (x[i] - p->centre_) / p->scale_;
            const double pw[4] = {1, t, t * t, t * t * t};
            for (int r = 0; r < 4; ++r) {
                for (int c = 0; c < 4; ++c) a[r][c] += pw[r] * pw[c];
                a[r][4] += pw[r] * y[i];
            }
        }
        for (int col = 0; col < 4; ++col) {  // Gaussian elimination with partial pivoting
            int pivot = col;
            for (int r = col + 1; r < 4; ++r)
                if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
            if (!(std::abs(a[pivot][col]) > 1e-300)) return invalid("cubic fit is singular");
            for (int c = 0; c < 5; ++c) std::swap(a[col][c], a[pivot][c]);
            for (int r = col + 1; r < 4; ++r) {
                const double f = a[r][col] / a[col][col];
                for (int c = col; c < 5; ++c) a[r][c] -= f * a[col][c];
            }
        }
        for (int r = 3; r >= 0; --r) {
            double s = a[r][4];
            for (int c = r + 1; c < 4; ++c) s -= a[r][c] * p->coef_[c];
            p->coef_[r] = s / a[r][r];
        }
        for (double c : p->coef_)
            if (!std::isfinite(c)) return invalid("cubic fit did not converge");
        return p;
    }

    double integrate(double a, double b) const override {
        auto antiderivative = [&](double x) {
            const double t = (x - centre_) / scale_;
            return scale_ * t * (coef_[0] + t * (coef_[1] / 2 + t * (coef_[2] / 3 + t * coef_[3] / 4)));
        };
        return antiderivative(b) - antiderivative(a);
    }

private:
    Polynomial3() = default;
    double centre_ = 0, scale_ = 1;
    std::array<double, 4> coef_{};
};

Result<std::unique_ptr<Interpolant>> makeInterpolant(BdMethod method, std::vector<double> x, std::vector<double> y,
                                                     const char* role) {
    if (method == BdMethod::Polynomial3) {
        if (x.size() < 4)
            return invalid(std::string(role) + " curve has " + std::to_string(x.size()) +
                           " distinct point(s); the cubic polynomial fit needs at least 4");
        auto p = Polynomial3::fit(x, y);
        if (!p) return p.error();
        return std::unique_ptr<Interpolant>(std::move(*p));
    }
    return std::unique_ptr<Interpolant>(new Pchip(std::move(x), std::move(y)));
}

// Mean of test - anchor over [lo, hi] of the curves y(x), each fitted with `method`.
Result<double> meanDifference(BdMethod method, const std::vector<double> (&x)[2], const std::vector<double> (&y)[2],
                              double lo, double hi) {
    auto fa = makeInterpolant(method, x[0], y[0], "anchor");
    if (!fa) return fa.error();
    auto ft = makeInterpolant(method, x[1], y[1], "test");
    if (!ft) return ft.error();
    return ((*ft)->integrate(lo, hi) - (*fa)->integrate(lo, hi)) / (hi - lo);
}

}  // namespace

Result<double> bdRate(const std::vector<BdPoint>& anchorIn, const std::vector<BdPoint>& testIn, BdMethod method) {
    auto anchor = cleanCurve(anchorIn, "anchor");
    if (!anchor) return anchor.error();
    auto test = cleanCurve(testIn, "test");
    if (!test) return test.error();
    // x = quality, y = log10(rate): quality has to be a function of rate that can be inverted.
    std::vector<double> x[2], y[2];
    const std::vector<BdPoint>* curves[2] = {&*anchor, &*test};
    const char* roles[2] = {"anchor", "test"};
    for (int c = 0; c < 2; ++c) {
        const auto& pts = *curves[c];
        for (std::size_t i = 0; i < pts.size(); ++i) {
            if (i > 0 && !(pts[i].quality > pts[i - 1].quality))
                return invalid(std::string(roles[c]) + " curve: BD-rate needs quality rising with rate, but " +
                               fmt("%.4g", pts[i - 1].bitsPerTexel) + " bpp gives " + fmt("%.4f", pts[i - 1].quality) +
                               " and " + fmt("%.4g", pts[i].bitsPerTexel) + " bpp gives " +
                               fmt("%.4f", pts[i].quality));
            x[c].push_back(pts[i].quality);
            y[c].push_back(std::log10(pts[i].bitsPerTexel));
        }
    }
    const double lo = std::max(x[0].front(), x[1].front()), hi = std::min(x[0].back(), x[1].back());
    if (!(hi > lo))
        return invalid("curves do not overlap in quality: anchor " + qualityRange(x[0].front(), x[0].back()) +
                       ", test " + qualityRange(x[1].front(), x[1].back()));
    auto meanLogDiff = meanDifference(method, x, y, lo, hi);
    if (!meanLogDiff) return meanLogDiff.error();
    const double result = (std::pow(10.0, *meanLogDiff) - 1) * 100;
    if (!std::isfinite(result)) return invalid("BD-rate is not finite (the curves are too far apart)");
    return result;
}

Result<double> bdQuality(const std::vector<BdPoint>& anchorIn, const std::vector<BdPoint>& testIn, BdMethod method) {
    auto anchor = cleanCurve(anchorIn, "anchor");
    if (!anchor) return anchor.error();
    auto test = cleanCurve(testIn, "test");
    if (!test) return test.error();
    // x = log10(rate) (strictly increasing after cleanCurve), y = quality (need not be monotone).
    std::vector<double> x[2], y[2];
    const std::vector<BdPoint>* curves[2] = {&*anchor, &*test};
    for (int c = 0; c < 2; ++c)
        for (const BdPoint& p : *curves[c]) {
            x[c].push_back(std::log10(p.bitsPerTexel));
            y[c].push_back(p.quality);
        }
    const double lo = std::max(x[0].front(), x[1].front()), hi = std::min(x[0].back(), x[1].back());
    if (!(hi > lo))
        return invalid("curves do not overlap in rate: anchor " +
                       rateRange(anchor->front().bitsPerTexel, anchor->back().bitsPerTexel) + ", test " +
                       rateRange(test->front().bitsPerTexel, test->back().bitsPerTexel));
    return meanDifference(method, x, y, lo, hi);
}

std::vector<BdPoint> paretoFront(const std::vector<BdPoint>& points) {
    std::vector<BdPoint> finite, rest;
    for (const BdPoint& p : points)
        (std::isfinite(p.bitsPerTexel) && std::isfinite(p.quality) ? finite : rest).push_back(p);
    std::sort(finite.begin(), finite.end(), [](const BdPoint& a, const BdPoint& b) {
        return a.bitsPerTexel != b.bitsPerTexel ? a.bitsPerTexel < b.bitsPerTexel : a.quality > b.quality;
    });
    std::vector<BdPoint> front;
    for (const BdPoint& p : finite)
        if (front.empty() || p.quality > front.back().quality) front.push_back(p);
    front.insert(front.end(), rest.begin(), rest.end());
    return front;
}

BdOverlap bdOverlap(const std::vector<BdPoint>& anchor, const std::vector<BdPoint>& test) {
    auto range = [](const std::vector<BdPoint>& curve, double BdPoint::*member, double& lo, double& hi) {
        lo = std::numeric_limits<double>::infinity();
        hi = -std::numeric_limits<double>::infinity();
        for (const BdPoint& p : curve)
            if (std::isfinite(p.bitsPerTexel) && std::isfinite(p.quality)) {
                lo = std::min(lo, p.*member);
                hi = std::max(hi, p.*member);
            }
    };
    BdOverlap o;
    double aLo, aHi, tLo, tHi;
    range(anchor, &BdPoint::quality, aLo, aHi);
    range(test, &BdPoint::quality, tLo, tHi);
    o.qualityLo = std::max(aLo, tLo);
    o.qualityHi = std::min(aHi, tHi);
    range(anchor, &BdPoint::bitsPerTexel, aLo, aHi);
    range(test, &BdPoint::bitsPerTexel, tLo, tHi);
    o.rateLo = std::max(aLo, tLo);
    o.rateHi = std::min(aHi, tHi);
    return o;
}

const char* bdMethodName(BdMethod method) {
    return method == BdMethod::Polynomial3 ? "poly3" : "pchip";
}

bool parseBdMethod(const std::string& text, BdMethod& out) {
    if (text == "pchip") {
        out = BdMethod::Pchip;
        return true;
    }
    if (text == "poly3" || text == "cubic") {
        out = BdMethod::Polynomial3;
        return true;
    }
    return false;
}

}  // namespace lmc
