// MultiMapWindow: the multi-map evaluation a tech lead runs before choosing settings for a whole level or game.
// The user adds maps (files or folders, searched recursively) and ticks codecs; Run sweeps every ticked codec over
// every map (MultiMapEvaluation, on the workspace's scheduler, with each codec's current setting at production
// effort), with progress and Cancel. Results: RD curves (mPSNR and PU21-PSNR against a log bpp axis) of the mean over
// all maps or of one map, and a BD-rate table against a reference codec the user picks (default AVIF): one column
// per map and one for the mean curve, in the chosen metric; "n/a" where the curves share too little to compare
// (rd_summary.h compareBd, as the Charts view), with the reason in the Charts view's words in a tooltip. Export CSV
// writes the points as `lmc eval` does, so `lmc report` reads them.
//
// The window lays out and wires; the run's state lives in MultiMapEvaluation. Threading: GUI thread. Errors: a map
// that cannot be read or a codec that fails is listed under the progress bar; a CSV that cannot be written is
// reported in a message box (atomic write: nothing half-written).
#pragma once

#include <QWidget>

#include <memory>
#include <string>
#include <vector>

#include "app/studio/multi_map_evaluation.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTimer;
QT_END_NAMESPACE

namespace lmc {
class RdChartView;
}

namespace lmc::studio {

class MultiMapWindow : public QWidget {
    Q_OBJECT
public:
    struct Setup {
        std::string id;
        QString name;  // translated display name
        ParamSet params;
        bool checked = true;
    };
    MultiMapWindow(const CodecRegistry& registry, std::shared_ptr<JobScheduler> scheduler, QWidget* parent = nullptr);

    // The codecs offered (in order) with the settings to sweep; keeps the user's ticks for codecs already listed.
    void setCodecs(const std::vector<Setup>& codecs);
    void setMaskMode(MaskMode mode) { mask_ = mode; }
    void addMaps(const QStringList& paths);
    QStringList mapPaths() const;

    MultiMapEvaluation* evaluation() const { return evaluation_; }
    RdChartView* chartView() const { return chart_; }
    QTableWidget* bdTable() const { return bdTable_; }
    QComboBox* referenceCombo() const { return reference_; }
    QComboBox* mapCombo() const { return mapView_; }
    // Starts the run (what the Run button does); false when there is nothing to run.
    bool run();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void refreshResults();
    void refreshChart(const preset::EvalSet& set);
    void refreshBdTable(const preset::EvalSet& set);
    void exportCsv();
    QString codecName(const std::string& id) const;

    const CodecRegistry& registry_;
    MultiMapEvaluation* evaluation_ = nullptr;
    std::vector<Setup> codecs_;
    MaskMode mask_ = MaskMode::Visible;
    QListWidget* mapList_ = nullptr;
    QListWidget* codecList_ = nullptr;
    QPushButton* addFiles_ = nullptr;
    QPushButton* addFolder_ = nullptr;
    QPushButton* clear_ = nullptr;
    QPushButton* run_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* export_ = nullptr;
    QSpinBox* points_ = nullptr;
    QLabel* pointsLabel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* problems_ = nullptr;
    QLabel* mapsLabel_ = nullptr;
    QLabel* codecsLabel_ = nullptr;
    QLabel* mapViewLabel_ = nullptr;
    QLabel* metricLabel_ = nullptr;
    QLabel* referenceLabel_ = nullptr;
    QComboBox* mapView_ = nullptr;
    QComboBox* metric_ = nullptr;
    QComboBox* reference_ = nullptr;
    RdChartView* chart_ = nullptr;
    QTableWidget* bdTable_ = nullptr;
    QLabel* bdNote_ = nullptr;
    QTimer* refresh_ = nullptr;
    QStringList problemLines_;
};

}  // namespace lmc::studio
