#include "app/studio/exporter.h"

#include <QBuffer>
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "app/preset/metrics_csv.h"
#include "codec/file_io.h"

namespace lmc::studio {

std::string toNativePath(const QString& path) {
    return QFile::encodeName(path).toStdString();
}

namespace {

bool wanted(const ExportRequest& r, ExportItem item) {
    return (r.items & item) != 0;
}

QString cleanAbsolute(const QString& path) {
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

Result<QByteArray> encodePng(const QImage& image, const QString& what) {
    QByteArray png;
    QBuffer buffer(&png);
    if (!buffer.open(QIODevice::WriteOnly) || !image.save(&buffer, "PNG"))
        return makeError(ErrorCode::Internal, "could not encode the " + what.toStdString() + " as PNG");
    return png;
}

}  // namespace

Result<std::vector<ExportedFile>> Exporter::plan(const ExportRequest& r) const {
    const Codec* codec = registry_.find(r.codecId);
    if (!codec) return makeError(ErrorCode::InvalidArgument, "unknown codec '" + r.codecId + "'");
    if (r.outputDir.isEmpty()) return makeError(ErrorCode::InvalidArgument, "no output folder given");
    QString base = r.baseName;
    if (base.isEmpty()) {
        const QString stem = QFileInfo(r.sourcePath).completeBaseName();
        base =
            (stem.isEmpty() ? QStringLiteral("lightmap") : stem) + QLatin1Char('_') + QString::fromStdString(r.codecId);
    }
    if (base.contains(QLatin1Char('/')) || base == QLatin1String(".") || base == QLatin1String(".."))
        return makeError(ErrorCode::InvalidArgument, "the export name must not contain folders");
    const QDir dir(r.outputDir);
    std::vector<ExportedFile> files;
    auto add = [&](ExportItem item, const QString& suffix) { files.push_back({item, dir.filePath(base + suffix)}); };
    if (wanted(r, kExportCompressed) && !r.encoded.empty())
        add(kExportCompressed, QString::fromStdString(codec->traits(r.params).fileExtension));
    if (wanted(r, kExportReconstruction) && r.reconstruction && !r.reconstruction->empty())
        add(kExportReconstruction, QStringLiteral("_reconstructed.exr"));
    if (wanted(r, kExportHeatmap) && !r.heatmap.isNull()) add(kExportHeatmap, QStringLiteral("_heatmap.png"));
    if (wanted(r, kExportChart) && !r.chart.isNull()) add(kExportChart, QStringLiteral("_chart.png"));
    if (wanted(r, kExportMetricsCsv) && !r.encoded.empty()) add(kExportMetricsCsv, QStringLiteral("_metrics.csv"));
    if (files.empty()) return makeError(ErrorCode::InvalidArgument, "there is nothing to export");
    return files;
}

std::vector<QString> Exporter::existingFiles(const ExportRequest& request) const {
    std::vector<QString> out;
    auto files = plan(request);
    if (!files) return out;
    for (const auto& f : *files)
        if (QFileInfo::exists(f.path) || QFileInfo(f.path).isSymLink()) out.push_back(f.path);
    return out;
}

Result<std::vector<ExportedFile>> Exporter::run(const ExportRequest& r) const {
    auto files = plan(r);
    if (!files) return files.error();
    const Codec* codec = registry_.find(r.codecId);
    const std::string source = toNativePath(r.sourcePath);
    const QString sourceClean = r.sourcePath.isEmpty() ? QString() : cleanAbsolute(r.sourcePath);
    for (const auto& f : *files) {
        const std::string path = toNativePath(f.path);
        if ((!sourceClean.isEmpty() && cleanAbsolute(f.path) == sourceClean) ||
            (!source.empty() && sameFile(path, source)))
            return makeError(ErrorCode::InvalidArgument, path + ": refusing to overwrite the source lightmap");
        if (!r.overwrite && (QFileInfo::exists(f.path) || QFileInfo(f.path).isSymLink()))
            return makeError(ErrorCode::IoError, path + ": the file already exists");
    }
    if (!QFileInfo(r.outputDir).isDir())
        return makeError(ErrorCode::IoError, toNativePath(r.outputDir) + ": folder does not exist");

    std::vector<ExportedFile> written;
    QString compressedPath;
    for (const auto& f : *files) {
        const std::string path = toNativePath(f.path);
        Status status;
        switch (f.item) {
            case kExportCompressed:
                status = writeFileAtomic(path, r.encoded, source);
                compressedPath = f.path;
                break;
            case kExportReconstruction: {
                ImageView view = r.reconstruction->view();
                // Carry the source's coverage mask along so the EXR compares like the original in any tool.
                if (r.source && r.source->hasMask() && r.source->width() == view.width &&
                    r.source->height() == view.height) {
                    const ImageView sourceView = r.source->view();
                    view.mask = sourceView.mask;
                    view.maskStride = sourceView.maskStride;
                }
                ExrWriteOptions options;
                options.pixelType = r.reconstructionPixelType;
                options.protectedSource = source;
                status = writeExr(path, view, options);
                break;
            }
            case kExportHeatmap:
            case kExportChart: {
                const bool heat = f.item == kExportHeatmap;
                auto png =
                    encodePng(heat ? r.heatmap : r.chart, heat ? QStringLiteral("heatmap") : QStringLiteral("chart"));
                if (!png) return png.error();
                status = writeFileAtomic(path, reinterpret_cast<const std::uint8_t*>(png->constData()),
                                         std::size_t(png->size()), source);
                break;
            }
            case kExportMetricsCsv: {
                preset::MetricsCsvRow row;
                row.file = source;
                row.codec = r.codecId;
                row.params = formatParamSet(codec->schema(), r.params);
                row.bytes = r.encoded.size();
                const int width = r.reconstruction ? r.reconstruction->width() : r.source ? r.source->width() : 0;
                const int height = r.reconstruction ? r.reconstruction->height() : r.source ? r.source->height() : 0;
                row.bpp = bitsPerTexel(r.encoded.size(), std::int64_t{width} * height);
                row.metrics = r.metrics ? &*r.metrics : nullptr;
                row.encodeMs = r.encodeMs;
                row.decodeMs = r.decodeMs;
                row.width = width;
                row.height = height;
                row.coveredFraction = r.source ? computeStats(r.source->view()).coveredFraction : 1.0;
                row.mask = maskModeName(r.mask);
                row.vramBpp = codec->traits(r.params).gpuBitsPerTexel;
                row.output = toNativePath(compressedPath);
                const std::string csv = preset::metricsCsvHeader() + preset::metricsCsvRow(row);
                status = writeFileAtomic(path, reinterpret_cast<const std::uint8_t*>(csv.data()), csv.size(), source);
                break;
            }
            default:
                status = makeError(ErrorCode::Internal, "unknown export item");
        }
        if (!status) return status.error();
        written.push_back(f);
    }
    return written;
}

}  // namespace lmc::studio
