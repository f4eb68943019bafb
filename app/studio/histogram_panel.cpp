#include "app/studio/histogram_panel.h"

#include <QGroupBox>
#include <QVBoxLayout>

#include <algorithm>

#include "app/studio/comparison_service.h"
#include "app/studio/error_text.h"
#include "app/studio/workspace_model.h"
#include "widgets/histogram.h"

namespace lmc::studio {

HistogramPanel::HistogramPanel(WorkspaceModel& model, ComparisonService& comparison, QWidget* parent)
    : QWidget(parent), model_(model), comparison_(comparison) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    group_ = new QGroupBox(this);
    group_->setObjectName(QStringLiteral("histogramGroup"));
    group_->setCheckable(true);
    group_->setChecked(true);
    auto* inner = new QVBoxLayout(group_);
    inner->setContentsMargins(4, 4, 4, 4);
    luminance_ = new HistogramView(group_);
    luminance_->setObjectName(QStringLiteral("luminanceHistogram"));
    error_ = new HistogramView(group_);
    error_->setObjectName(QStringLiteral("errorHistogram"));
    inner->addWidget(luminance_);
    inner->addWidget(error_);
    layout->addWidget(group_);

    connect(group_, &QGroupBox::toggled, this, [this](bool on) {
        luminance_->setVisible(on);
        error_->setVisible(on);
        comparison_.setHistogramsActive(on);
    });
    connect(&comparison_, &ComparisonService::luminanceHistogramReady, this,
            [this](const Histogram& h) { luminance_->setHistogram(h); });
    connect(&comparison_, &ComparisonService::errorHistogramReady, this,
            [this](const QString& id, ErrorMapKind kind, const Histogram& h) {
                if (id.toStdString() != selected_) return;
                shownKind_ = kind;
                error_->setHistogram(h);
                updateTitles();
            });
    connect(&comparison_, &ComparisonService::errorHistogramFailed, this, [this](const QString& id, const Error& e) {
        if (id.toStdString() == selected_) error_->setMessage(errorText(e));
    });
    connect(&model_, &WorkspaceModel::imageLoaded, this, [this] {
        luminance_->clear();
        error_->clear();
    });
    comparison_.setHistogramsActive(true);
}

void HistogramPanel::setSelected(const std::string& codecId) {
    if (codecId == selected_) return;
    selected_ = codecId;
    error_->clear();
    updateTitles();
    comparison_.setHistogramCodec(codecId);
}

void HistogramPanel::updateTitles() {
    luminance_->setTitle(tr("Luminance of the original"));
    luminance_->setUnit(tr("linear image units, log axis"));
    // Indexed by ErrorMapKind.
    const QString kinds[5] = {tr("Absolute error"), tr("Relative error"), tr("Log ratio"), tr("PU21 difference"),
                              tr("Signed error")};
    const QString units[5] = {tr("linear image units"), tr("fraction of the original value"), tr("stops"),
                              tr("PU21 units"), tr("stops, − darker, + brighter")};
    const int k = std::clamp(int(shownKind_), 0, 4);
    const CodecState* s = model_.state(selected_);
    error_->setTitle(s ? tr("%1, %2").arg(kinds[k], codecDisplayName(model_.registry(), s->id)) : kinds[k]);
    error_->setUnit(units[k]);
}

void HistogramPanel::retranslate() {
    group_->setTitle(tr("Histograms"));
    group_->setToolTip(tr("Uncheck to stop computing histograms"));
    updateTitles();
}

}  // namespace lmc::studio
