// HistogramPanel: lmstudio's histograms, in the side panel under the display settings: the open map's luminance
// (log bins over the texels the metrics count) and the error of the selected codec, of the heatmap's kind (signed
// errors around 0). A checkable group: unchecked, nothing is computed.
//
// It shows what the ComparisonService computes on its jobs (luminanceHistogramReady, errorHistogramReady) and
// tells it which codec and whether it is wanted; it computes nothing itself.
//
// Threading: GUI thread only. Errors: a failed error map shows its summary in place of the bars.
#pragma once

#include <QWidget>

#include <string>

#include "codec/metrics.h"

class QGroupBox;

namespace lmc {
class HistogramView;
}

namespace lmc::studio {

class ComparisonService;
class WorkspaceModel;

class HistogramPanel : public QWidget {
    Q_OBJECT
public:
    HistogramPanel(WorkspaceModel& model, ComparisonService& comparison, QWidget* parent = nullptr);

    HistogramView* luminanceView() const { return luminance_; }
    HistogramView* errorView() const { return error_; }
    QGroupBox* group() const { return group_; }
    void setSelected(const std::string& codecId);
    void retranslate();

private:
    void updateTitles();

    WorkspaceModel& model_;
    ComparisonService& comparison_;
    std::string selected_;
    ErrorMapKind shownKind_ = ErrorMapKind::Relative;
    QGroupBox* group_ = nullptr;
    HistogramView* luminance_ = nullptr;
    HistogramView* error_ = nullptr;
};

}  // namespace lmc::studio
