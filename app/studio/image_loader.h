// Image loading for the workspace: everything lmstudio needs to know about a lightmap before it can compress it,
// computed in one pass on a worker thread (the tev pattern: the loader produces a complete, immutable image
// record; the UI thread only swaps it in).
//
// loadLightmap() reads the EXR and derives its facts: EXR header info, value statistics, the metrics
// normalisation (from the covered texels; computed once per image instead of once per job), the suggested display
// exposure (0.1 EV steps) and the shown mask: the texels the chosen MaskMode counts, which every view dims the rest
// of. shownMaskFor() recomputes that mask alone when the mode changes (tens of ms on a 16 MP map, so also on a
// worker).
//
// Threading: both functions are reentrant and may run on any thread; their inputs and outputs are immutable shared
// data. Errors: loadLightmap never throws; a failed read (or an exception such as std::bad_alloc) is returned in
// LoadedImage::error with no image.
#pragma once

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "codec/exr_io.h"
#include "codec/image.h"
#include "codec/metrics.h"
#include "widgets/tone_map.h"

namespace lmc::studio {

using ShownMask = std::shared_ptr<const std::vector<std::uint8_t>>;

struct LoadedImage {
    QString path;  // as given to loadLightmap
    std::optional<Error> error;
    std::shared_ptr<const Image> image;
    std::shared_ptr<const ExrInfo> info;
    std::shared_ptr<const MetricsNormalization> normalization;  // null when the image has no usable texel
    ImageStats stats;
    double exposure = 0.0;  // suggested display exposure, EV
    MaskMode maskMode = MaskMode::Visible;
    ShownMask shownMask;  // null: every texel is counted (no mask, or MaskMode::All)
};

std::shared_ptr<const LoadedImage> loadLightmap(const QString& path, MaskMode mask);

// The texels `mode` counts in `image` (null when that is all of them).
ShownMask shownMaskFor(const Image& image, MaskMode mode);

// A view of an Image's RGB (and mask) for the widgets' tone mapper; it keeps the Image alive.
FloatRgbImage floatView(const std::shared_ptr<const Image>& image);

}  // namespace lmc::studio
