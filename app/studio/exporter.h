// Exporter: writes what the user sees for one codec setting to a folder: the compressed stream in the codec's own
// container (.dds / .astc / our .lmc: exactly the bytes that were measured), the reconstruction as OpenEXR, the
// heatmap and chart as PNG, and a one-row metrics CSV in `lmc eval`'s columns (app/preset/metrics_csv.h).
//
// Files are named <base><suffix> in ExportRequest::outputDir, base defaulting to "<source stem>_<codec id>":
//   <base>.lmc|.dds|.astc, <base>_reconstructed.exr, <base>_heatmap.png, <base>_chart.png, <base>_metrics.csv.
// Safety: every path is planned and checked before the first write. The source lightmap is never written (compared
// by path and, through writeFileAtomic's protectedSource, by identity, so links are caught); existing files are
// refused unless `overwrite`; each file is written atomically (temporary file + rename), so an interrupted export
// never leaves a half-written file and never damages an existing one. If a later file fails, the earlier complete
// ones stay and the error names the failing file.
//
// Threading: no Qt GUI objects are touched (QImage is reentrant), so run() may be called from a worker thread.
// Errors: Result with InvalidArgument (nothing to export, would overwrite the source), IoError (existing files
// without `overwrite`, unwritable folder) or the EXR/PNG writer's error.
#pragma once

#include <QImage>
#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/exr_io.h"
#include "codec/metrics.h"

namespace lmc::studio {

enum ExportItem : unsigned {
    kExportCompressed = 1u << 0,
    kExportReconstruction = 1u << 1,
    kExportHeatmap = 1u << 2,
    kExportChart = 1u << 3,
    kExportMetricsCsv = 1u << 4,
    kExportAll = 0x1Fu,
};

struct ExportRequest {
    QString sourcePath;  // the lightmap the result was made from; never overwritten
    QString outputDir;
    QString baseName;  // empty: "<source stem>_<codec id>"
    std::string codecId;
    ParamSet params;
    Bytes encoded;  // the compressed stream, exactly as measured
    std::shared_ptr<const Image> reconstruction;
    // Optional: the source image, whose coverage mask is written as the reconstruction's alpha (codecs compress RGB
    // only) and whose covered fraction goes to the CSV.
    std::shared_ptr<const Image> source;
    std::optional<QualityMetrics> metrics;
    MaskMode mask = MaskMode::Visible;  // the texels `metrics` counted
    double encodeMs = 0;
    double decodeMs = -1;                                        // negative: unknown (empty CSV field)
    QImage heatmap;                                              // null: no heatmap file
    QImage chart;                                                // null: no chart file
    ExrPixelType reconstructionPixelType = ExrPixelType::Float;  // float keeps exactly what the metrics measured
    unsigned items = kExportAll;  // items without data (null image, no reconstruction) are skipped
    bool overwrite = false;
};

struct ExportedFile {
    ExportItem item;
    QString path;
};

class Exporter {
public:
    explicit Exporter(const CodecRegistry& registry = CodecRegistry::builtin()) : registry_(registry) {}

    // The files run() would write, in order; no I/O beyond looking up the codec.
    Result<std::vector<ExportedFile>> plan(const ExportRequest& request) const;
    // Files among plan() that already exist.
    std::vector<QString> existingFiles(const ExportRequest& request) const;
    // Checks the plan, then writes every file. Returns the files written.
    Result<std::vector<ExportedFile>> run(const ExportRequest& request) const;

private:
    const CodecRegistry& registry_;
};

// Native-encoded path for the codec library's std::string APIs.
std::string toNativePath(const QString& path);

}  // namespace lmc::studio
