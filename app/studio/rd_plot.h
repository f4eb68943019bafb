// The RD plot of `lmstudio --rd-plot OUT.png [--rd-metric mpsnr|pu21psnr|both] CSV...`: rate-distortion curves of
// every codec in `lmc eval` CSVs, drawn with the app's own RdChartView (log2 bpp axis, no time bars) under a
// heading, rendered offscreen and saved as a PNG.
//
// Curves are mean curves (app/preset/eval_csv.h, the same reader `lmc report` uses): for each codec setting the bpp
// and the metric are averaged over the files that every codec in the CSVs has; settings missing or non-finite on
// any of them are left out, and notes() says what was left out. Codecs are keyed by id and named by their
// translated display name. Texts follow the installed language (tr(), LanguageChange).
//
// Threading: GUI thread. Errors: loadCsvs()/savePng() return false with a translated message (unreadable or
// malformed CSV, nothing to plot, the PNG could not be written); the PNG is written atomically (QSaveFile), so a
// failure never leaves a partial file. runRdPlot() prints and returns the exit status (0 ok, 1 bad input or write
// failure).
#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace lmc {
class RdChartView;
}

namespace lmc::studio {

struct CommandLine;

enum class RdPlotMetric { MPsnr, Pu21Psnr, Both };

// "mpsnr", "pu21psnr", "both"; false for anything else.
bool parseRdPlotMetric(const QString& text, RdPlotMetric& out);

class RdPlotWidget : public QWidget {
    Q_OBJECT
public:
    explicit RdPlotWidget(RdPlotMetric metric, QWidget* parent = nullptr);

    bool loadCsvs(const QStringList& paths, QString* error);
    // Lays the widget out at `size`, renders it and writes the PNG atomically.
    bool savePng(const QString& path, const QSize& size, QString* error);

    RdChartView* chartView() const { return chart_; }
    int fileCount() const { return files_; }
    QStringList notes() const { return notes_; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();

    RdChartView* chart_ = nullptr;
    QLabel* heading_ = nullptr;
    int files_ = 0;
    QStringList notes_;
};

int runRdPlot(const CommandLine& commandLine);

}  // namespace lmc::studio
