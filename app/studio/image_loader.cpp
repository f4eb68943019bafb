#include "app/studio/image_loader.h"

#include <QFile>

#include <cmath>
#include <exception>

namespace lmc::studio {

FloatRgbImage floatView(const std::shared_ptr<const Image>& image) {
    FloatRgbImage out;
    if (!image || image->empty()) return out;
    out.width = image->width();
    out.height = image->height();
    out.rowStride = 3 * std::ptrdiff_t(image->width());
    out.rgb = std::shared_ptr<const float>(image, image->data());  // aliases: keeps the Image alive
    if (image->hasMask()) out.mask = std::shared_ptr<const std::uint8_t>(image, image->maskData());
    return out;
}

ShownMask shownMaskFor(const Image& image, MaskMode mode) {
    if (!image.hasMask() || mode == MaskMode::All) return nullptr;
    std::vector<std::uint8_t> mask;
    if (mode == MaskMode::Visible)
        mask = visibleMask(image.view());
    else
        mask.assign(image.maskData(), image.maskData() + image.texelCount());
    return std::make_shared<const std::vector<std::uint8_t>>(std::move(mask));
}

std::shared_ptr<const LoadedImage> loadLightmap(const QString& path, MaskMode mask) {
    auto out = std::make_shared<LoadedImage>();
    out->path = path;
    out->maskMode = mask;
    try {
        auto loaded = readExr(QFile::encodeName(path).toStdString());
        if (!loaded) {
            out->error = loaded.error();
            return out;
        }
        auto image = std::make_shared<const Image>(std::move(loaded->image));
        out->info = std::make_shared<const ExrInfo>(loaded->info);
        out->stats = computeStats(image->view());
        auto normalization = computeNormalization(image->view());
        if (normalization) out->normalization = std::make_shared<const MetricsNormalization>(*normalization);
        const double ev = suggestExposure(floatView(image));
        out->exposure = std::isfinite(ev) ? std::round(ev * 10.0) / 10.0 : 0.0;
        out->shownMask = shownMaskFor(*image, mask);
        out->image = std::move(image);
    } catch (const std::exception& e) {
        out->error = makeError(ErrorCode::Internal, e.what());
        out->image.reset();
    } catch (...) {
        out->error = makeError(ErrorCode::Internal, "unknown exception while loading");
        out->image.reset();
    }
    return out;
}

}  // namespace lmc::studio
