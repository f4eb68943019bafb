// InspectorPanel: the lower right of lmstudio: the pixel inspector (the hovered texel's original and
// reconstructed RGB with each codec's error of the heatmap's kind), the region table (mPSNR, PU21-SSIM and the
// largest error of every codec over a Shift+drag rectangle) and the image facts (file, size, pixel type,
// channels, compression, range, coverage, non-finite values).
//
// It formats what the ComparisonService computes (inspect(), regionMeasured) and what the WorkspaceModel holds
// (the LoadedImage); the texel shown is refreshed when results, the mask or the error kind change.
//
// Threading: GUI thread only. Errors: a codec whose region could not be measured shows the error's summary in its
// row.
#pragma once

#include <QPoint>
#include <QWidget>

class QGroupBox;
class QLabel;
class QTableWidget;

namespace lmc::studio {

class ComparisonService;
class WorkspaceModel;

class InspectorPanel : public QWidget {
    Q_OBJECT
public:
    InspectorPanel(WorkspaceModel& model, ComparisonService& comparison, QWidget* parent = nullptr);

    // Shows `texel` (negative: none) and keeps it as the inspected texel.
    void inspect(const QPoint& texel);
    QString text() const;
    QTableWidget* regionTable() const { return regionTable_; }
    void retranslate();

signals:
    // The region table shows `texels` (empty: no region).
    void regionShown(const QRect& texels);

private:
    void showImageInfo();
    // Lines about negative values in covered texels and what the codecs do with them (none without any).
    QStringList negativeValuesText() const;

    WorkspaceModel& model_;
    ComparisonService& comparison_;
    QPoint texel_{-1, -1};
    QGroupBox* inspectorGroup_ = nullptr;
    QLabel* inspector_ = nullptr;
    QGroupBox* regionGroup_ = nullptr;
    QLabel* regionLabel_ = nullptr;
    QTableWidget* regionTable_ = nullptr;
    QGroupBox* imageGroup_ = nullptr;
    QLabel* imageInfo_ = nullptr;
};

}  // namespace lmc::studio
