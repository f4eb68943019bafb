// ChartsPanel: lmstudio's Charts view. The RD charts of every enabled codec (RdChartView: each codec's sweep with
// its settings as point labels, its current result as a marker, its times) beside what a tech lead reads off them: a
// target bitrate or quality with each codec's reading at it and the setting that gets there, sorted best first, and a
// Bjøntegaard table (BD-rate, BD-PSNR and the overlap used) against a reference codec the user picks (AVIF by default),
// for the metric the user picks (mPSNR or PU21-SSIM in dB). The numbers come from rd_summary.h over the workspace's
// sweep points; a click on a chart point applies that point's setting to its codec (WorkspaceModel::applySweepPoint)
// and asks for the codec to be selected.
//
// Threading: GUI thread only; the tables are recomputed synchronously when sweep points arrive (at most a few dozen
// points: microseconds), or when the panel is shown if they arrived while it was hidden. Errors: a reading or BD number
// that cannot be made shows "n/a" with the reason in its tooltip; an exception from applying a point becomes the
// model's unexpectedError.
#pragma once

#include <QVariantMap>
#include <QWidget>

#include <string>
#include <vector>

#include "app/studio/rd_summary.h"
#include "widgets/rd_chart.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTableWidget;

namespace lmc {
struct ParamSpec;
}

namespace lmc::studio {

struct CodecState;
struct SweepPoint;
class WorkspaceModel;

class ChartsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ChartsPanel(WorkspaceModel& model, QWidget* parent = nullptr);

    RdChartView* chartView() const { return chart_; }
    QTableWidget* targetTable() const { return targetTable_; }
    QTableWidget* bdTable() const { return bdTable_; }

    void setLogRateAxis(bool on);
    // The metric the target and the BD table read: MPsnr or Ssim (in dB).
    void setReadoutMetric(RdChartView::Metric metric);
    RdChartView::Metric readoutMetric() const { return metric_; }
    void setTarget(RdChartView::Target::Kind kind, double value);
    void setReference(const std::string& codecId);
    const std::string& reference() const { return reference_; }

    // The user's choices (log axis, metric, target, reference) as settings values ("logAxis": bool, "metric":
    // "mpsnr"|"ssim", "target": "none"|"rate"|"quality", "rate", "quality": numbers, "reference": codec id), and
    // back; unknown or missing values keep the current choice.
    QVariantMap saveChoices() const;
    void restoreChoices(const QVariantMap& choices);

    struct TargetRow {
        std::string codecId;
        TargetReading reading;
    };
    struct BdRow {
        std::string codecId;
        BdComparison bd;
    };
    // What the tables show, in their order (tests). They are brought up to date while the panel is shown.
    const std::vector<TargetRow>& targetRows() const { return targetRows_; }
    const std::vector<BdRow>& bdRows() const { return bdRows_; }

    // A codec's sweep as readout samples for a metric (index: the sweep point).
    static std::vector<RdSample> samples(const CodecState& state, RdChartView::Metric metric);
    // "Quality 50": a sweep point's rate setting as the tooltip and tables name it (translated).
    static QString settingLabel(const CodecState& state, const SweepPoint& point);
    // Why a BD figure is n/a (translated; empty when its status is Ok): of BD-rate (`rateSide`) or of BD-quality.
    // The multi-map window says it in the same words.
    static QString bdReason(const BdComparison& comparison, bool rateSide);

    void refresh();
    void retranslate();

signals:
    // A chart point's setting was applied to this codec.
    void pointApplied(const std::string& codecId);

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void connectModel();
    void updateCurrent(const std::string& codecId);
    void updateCurve(const std::string& codecId);
    void updateReferenceCombo();
    void updateTargetSpin();
    void fillTargetTable();
    void fillBdTable();
    QString metricName() const;

    WorkspaceModel& model_;
    RdChartView* chart_ = nullptr;
    RdChartView::Metric metric_ = RdChartView::Metric::MPsnr;
    RdChartView::Target::Kind targetKind_ = RdChartView::Target::Kind::Rate;
    double targetRate_ = 1.0;
    double targetQuality_ = 40.0;
    std::string reference_ = "avif";
    std::vector<TargetRow> targetRows_;
    std::vector<BdRow> bdRows_;
    bool stale_ = false;  // model changes arrived while hidden

    QCheckBox* logAxisCheck_ = nullptr;
    QLabel* metricLabel_ = nullptr;
    QComboBox* metricCombo_ = nullptr;
    QLabel* targetLabel_ = nullptr;
    QComboBox* targetKindCombo_ = nullptr;
    QDoubleSpinBox* targetSpin_ = nullptr;
    QLabel* targetCaption_ = nullptr;
    QTableWidget* targetTable_ = nullptr;
    QLabel* referenceLabel_ = nullptr;
    QComboBox* referenceCombo_ = nullptr;
    QLabel* bdCaption_ = nullptr;
    QTableWidget* bdTable_ = nullptr;
};

}  // namespace lmc::studio
