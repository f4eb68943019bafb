// Image (owning) and ImageView (non-owning): the texel containers every part of lmc_codec works on.
//
// Texels are linear-light float32 RGB, interleaved, row-major, top row first. A lightmap may also carry a coverage
// mask (one byte per texel, 1 = covered by a UV chart, 0 = gutter/empty) taken from a 0/1 alpha channel; metrics
// restrict themselves to covered texels when a mask exists. Codecs compress RGB only: a decoded image has no mask,
// and comparisons use the original's mask.
//
// Threading: an Image is a plain value; concurrent reads are safe, writes need external synchronisation.
// ImageView never owns memory: it must not outlive the Image (or buffer) it points into.
// Errors: Image::create refuses sizes above kMaxImageSide / kMaxImageTexels before allocating.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "codec/result.h"

namespace lmc {

// Largest image we accept anywhere (files, decoders, generators). 16384 x 8192 float RGB is 1.6 GB; real
// lightmaps top out at 2048 x 8192 or 8192 x 8192. Checked before any allocation so a hostile header cannot make us
// allocate terabytes.
constexpr int kMaxImageSide = 16384;
constexpr std::int64_t kMaxImageTexels = std::int64_t{1} << 27;

// Ok when 1 <= width, height <= kMaxImageSide and width * height <= kMaxImageTexels.
Status checkImageSize(std::int64_t width, std::int64_t height);

struct ImageView {
    int width = 0;
    int height = 0;
    const float* rgb = nullptr;          // 3 floats per texel
    std::ptrdiff_t rowStride = 0;        // floats between the starts of consecutive rows (>= 3 * width)
    const std::uint8_t* mask = nullptr;  // optional; 1 byte per texel, nonzero = covered
    std::ptrdiff_t maskStride = 0;       // bytes between mask rows

    bool empty() const { return width <= 0 || height <= 0 || rgb == nullptr; }
    bool hasMask() const { return mask != nullptr; }
    std::int64_t texelCount() const { return std::int64_t{width} * height; }
    const float* row(int y) const { return rgb + y * rowStride; }
    const float* texel(int x, int y) const { return rgb + y * rowStride + 3 * x; }
    bool covered(int x, int y) const { return mask == nullptr || mask[y * maskStride + x] != 0; }
    // Sub-rectangle; the caller guarantees it lies inside this view.
    ImageView crop(int x, int y, int w, int h) const;
};

class Image {
public:
    Image() = default;
    // Zero-filled image without a mask. Fails (without allocating) for sizes checkImageSize refuses.
    static Result<Image> create(int width, int height);

    int width() const { return width_; }
    int height() const { return height_; }
    bool empty() const { return width_ == 0 || height_ == 0; }
    std::int64_t texelCount() const { return std::int64_t{width_} * height_; }

    float* data() { return rgb_.data(); }
    const float* data() const { return rgb_.data(); }
    float* texel(int x, int y) { return rgb_.data() + (std::size_t(y) * width_ + x) * 3; }
    const float* texel(int x, int y) const { return rgb_.data() + (std::size_t(y) * width_ + x) * 3; }

    bool hasMask() const { return !mask_.empty(); }
    // Adds an all-covered mask if there is none.
    void ensureMask();
    void dropMask() {
        mask_.clear();
        mask_.shrink_to_fit();
    }
    std::uint8_t* maskData() { return mask_.empty() ? nullptr : mask_.data(); }
    const std::uint8_t* maskData() const { return mask_.empty() ? nullptr : mask_.data(); }

    ImageView view() const;
    Image clone() const { return *this; }
    // Copies a view (and its mask) into a new owning image.
    static Result<Image> fromView(const ImageView& view);

private:
    int width_ = 0;
    int height_ = 0;
    std::vector<float> rgb_;
    std::vector<std::uint8_t> mask_;
};

// Which texels a comparison counts and a codec must code faithfully. A bilinear lookup at any point inside a
// covered texel reads the 2x2 texel centres around that point, which can be any texel of the 3x3 neighbourhood:
// so the texels a game can show are the covered ones plus the one-texel ring around each chart (Visible, the
// default everywhere). Covered counts only the charts (what lightmap tools usually report); All counts every texel.
// Without a mask every mode counts every texel.
enum class MaskMode { Visible, Covered, All };
const char* maskModeName(MaskMode mode);  // "visible", "covered", "all": CLI, CSV and settings spelling
bool parseMaskMode(const std::string& text, MaskMode& out);

// The coverage mask dilated by one texel in the 8-neighbourhood (1 = visible), row-major with stride width. Empty
// when the image has no mask.
std::vector<std::uint8_t> visibleMask(const ImageView& image);

// `image` with the mask that selects `mode`'s texels: Covered returns the view as it is, All drops the mask,
// Visible points the mask at `storage` (filled with visibleMask; it must outlive the returned view).
ImageView withMaskMode(const ImageView& image, MaskMode mode, std::vector<std::uint8_t>& storage);

// Rec. 709 / sRGB-primaries relative luminance of linear RGB.
inline float luminance(const float* rgb) {
    return 0.2126f * rgb[0] + 0.7152f * rgb[1] + 0.0722f * rgb[2];
}

// Statistics `lmc info` and the UI show, over finite texels.
struct ImageStats {
    float minValue = 0, maxValue = 0;       // over all channels of all texels
    double meanValue = 0;                   // mean over channels and texels
    double coveredFraction = 1.0;           // fraction of texels the mask marks covered (1 without a mask)
    std::int64_t nonFiniteCount = 0;        // NaN / Inf channel values
    std::int64_t negativeCount = 0;         // negative channel values
    std::int64_t coveredNegativeCount = 0;  // of those, in covered texels (empty-texel markers such as -1 excluded)
    float coveredMinValue = 0;              // the lowest finite value in covered texels
};
ImageStats computeStats(const ImageView& view);

// Replaces NaN with 0 and +-Inf with +-65504 (the largest half), the clean-up every codec applies on input so one
// bad texel cannot poison a block or a network. Returns the number of values changed.
std::int64_t sanitizeNonFinite(Image& image);

}  // namespace lmc
