#include "app/studio/inspector_panel.h"

#include <QDir>
#include <QFileInfo>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>

#include "app/studio/comparison_service.h"
#include "app/studio/display_panel.h"
#include "app/studio/error_text.h"
#include "app/studio/workspace_model.h"

namespace lmc::studio {
namespace {

QString formatRgb(const float* p) {
    return QStringLiteral("%1, %2, %3")
        .arg(QString::number(p[0], 'g', 4), QString::number(p[1], 'g', 4), QString::number(p[2], 'g', 4));
}

}  // namespace

InspectorPanel::InspectorPanel(WorkspaceModel& model, ComparisonService& comparison, QWidget* parent)
    : QWidget(parent), model_(model), comparison_(comparison) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);

    inspectorGroup_ = new QGroupBox(this);
    auto* inspectorLayout = new QVBoxLayout(inspectorGroup_);
    inspector_ = new QLabel(inspectorGroup_);
    inspector_->setObjectName(QStringLiteral("inspector"));
    inspector_->setTextFormat(Qt::RichText);
    inspector_->setWordWrap(true);
    inspector_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    inspector_->setMinimumHeight(inspector_->fontMetrics().height() * 4);
    inspector_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    inspectorLayout->addWidget(inspector_);

    regionGroup_ = new QGroupBox(this);
    auto* regionLayout = new QVBoxLayout(regionGroup_);
    regionLabel_ = new QLabel(regionGroup_);
    regionLabel_->setObjectName(QStringLiteral("regionLabel"));
    regionLabel_->setWordWrap(true);
    regionTable_ = new QTableWidget(0, 4, regionGroup_);
    regionTable_->setObjectName(QStringLiteral("regionTable"));
    regionTable_->verticalHeader()->hide();
    regionTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    regionTable_->horizontalHeader()->setStretchLastSection(true);
    regionTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    regionTable_->verticalHeader()->setDefaultSectionSize(regionTable_->fontMetrics().height() + 4);
    regionTable_->setMaximumHeight(regionTable_->fontMetrics().height() * 8);
    regionTable_->hide();
    regionLayout->addWidget(regionLabel_);
    regionLayout->addWidget(regionTable_);

    imageGroup_ = new QGroupBox(this);
    auto* imageLayout = new QVBoxLayout(imageGroup_);
    imageInfo_ = new QLabel(imageGroup_);
    imageInfo_->setObjectName(QStringLiteral("imageInfo"));
    imageInfo_->setWordWrap(true);
    imageInfo_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    imageLayout->addWidget(imageInfo_);

    layout->addWidget(inspectorGroup_);
    layout->addWidget(regionGroup_);
    layout->addWidget(imageGroup_);

    auto refresh = [this] {
        if (texel_.x() >= 0) inspect(texel_);
    };
    connect(&model_, &WorkspaceModel::codecMetricsChanged, this, refresh);
    connect(&model_, &WorkspaceModel::maskModeChanged, this, refresh);
    connect(&comparison_, &ComparisonService::scalesChanged, this, refresh);
    connect(&model_, &WorkspaceModel::imageLoaded, this, [this] { showImageInfo(); });
    connect(
        &comparison_, &ComparisonService::regionMeasured, this,
        [this](const QRect& r, const std::vector<RegionRow>& rows) {
            if (r.isEmpty()) {
                regionTable_->hide();
                regionLabel_->setText(tr("Shift+drag in the grid or heatmap to measure a region."));
                emit regionShown(r);
                return;
            }
            regionLabel_->setText(tr("%1 × %2 texels at %3, %4").arg(r.width()).arg(r.height()).arg(r.x()).arg(r.y()));
            regionTable_->setRowCount(int(rows.size()));
            const QLocale locale;
            for (int i = 0; i < int(rows.size()); ++i) {
                const RegionRow& row = rows[std::size_t(i)];
                auto set = [&](int c, const QString& text) {
                    auto* item = new QTableWidgetItem(text);
                    item->setTextAlignment((c == 0 ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter);
                    regionTable_->setItem(i, c, item);
                };
                set(0, codecDisplayName(model_.registry(), row.codecId));
                if (row.metrics) {
                    set(1, psnrText(row.metrics->mPsnr));
                    set(2, locale.toString(row.metrics->pu21Ssim, 'f', 4));
                    set(3, locale.toString(row.metrics->maxAbsError, 'g', 4));
                } else {
                    set(1, row.error ? errorSummary(row.error->code) : QString());
                    set(2, QString());
                    set(3, QString());
                }
            }
            regionTable_->setVisible(!rows.empty());
            emit regionShown(r);
        });
}

QString InspectorPanel::text() const {
    return inspector_->text();
}

void InspectorPanel::inspect(const QPoint& texel) {
    texel_ = texel;
    const TexelReport report = comparison_.inspect(texel);
    if (!report.valid) {
        inspector_->setText(tr("Hover over an image to inspect a texel."));
        return;
    }
    const QString kinds[5] = {tr("abs"), tr("rel"), tr("stops"), tr("PU21"), tr("± stops")};
    const int k = std::clamp(int(comparison_.kind()), 0, 4);
    QString html = QStringLiteral("<b>%1</b>").arg(tr("Texel %1, %2").arg(texel.x()).arg(texel.y()));
    if (!report.covered) html += QStringLiteral(" <i>%1</i>").arg(tr("(not covered)"));
    html += QStringLiteral(
                "<table cellspacing='0' cellpadding='1'><tr><th align='left'></th><th align='left'>RGB</th>"
                "<th align='right'>%1</th></tr>")
                .arg(tr("Error (%1)").arg(kinds[k]));
    html += QStringLiteral("<tr><td>%1&nbsp;</td><td>%2</td><td></td></tr>")
                .arg(tr("Original"), formatRgb(report.original));
    for (const TexelReport::Row& row : report.rows) {
        const QString errorText = std::isfinite(row.error) ? QString::number(row.error, 'g', 3) : QStringLiteral("–");
        html +=
            QStringLiteral("<tr><td>%1&nbsp;</td><td>%2</td><td align='right'>&nbsp;%3</td></tr>")
                .arg(codecDisplayName(model_.registry(), row.codecId).toHtmlEscaped(), formatRgb(row.rgb), errorText);
    }
    html += QStringLiteral("</table>");
    inspector_->setText(html);
}

void InspectorPanel::showImageInfo() {
    const auto image = model_.image();
    if (!image || !image->info) {
        imageInfo_->setText(tr("No image"));
        return;
    }
    const QLocale locale;
    const ExrInfo& info = *image->info;
    const ImageStats& stats = image->stats;
    const QString file = QFileInfo(image->path).absoluteFilePath();
    QStringList lines;
    lines << imageInfo_->fontMetrics().elidedText(QFileInfo(file).fileName(), Qt::ElideMiddle, 260);
    imageInfo_->setToolTip(QDir::toNativeSeparators(file));
    QStringList channels;
    for (const auto& ch : info.channels) channels << QString::fromStdString(ch);
    lines << tr("%1 × %2 texels, %3 %4, %5")
                 .arg(image->image->width())
                 .arg(image->image->height())
                 .arg(QString::fromStdString(info.pixelType))
                 .arg(channels.join(QLatin1Char(',')))
                 .arg(QString::fromStdString(info.compression));
    lines << tr("Range %1 … %2").arg(QString::number(stats.minValue, 'g', 4), QString::number(stats.maxValue, 'g', 4));
    if (image->image->hasMask())
        lines << tr("Covered texels: %1%").arg(locale.toString(stats.coveredFraction * 100.0, 'f', 1));
    const qlonglong nonFinite = stats.nonFiniteCount;
    if (nonFinite > 0) lines << tr("%n non-finite value(s)", "", int(std::min<qlonglong>(nonFinite, INT_MAX)));
    lines << negativeValuesText();
    imageInfo_->setText(lines.join(QLatin1Char('\n')));
}

QStringList InspectorPanel::negativeValuesText() const {
    const auto image = model_.image();
    if (!image || image->stats.coveredNegativeCount <= 0) return {};
    const auto names = [this](const std::vector<std::string>& ids) {
        QStringList list;
        for (const std::string& id : ids) list << codecDisplayName(model_.registry(), id);
        return list.join(tr(", ", "list separator"));
    };
    const WorkspaceModel::NegativeValues& negatives = model_.negativeValues();
    QStringList lines;
    lines << tr("%n negative value(s) in covered texels, lowest %1", "",
                int(std::min<qlonglong>(image->stats.coveredNegativeCount, INT_MAX)))
                 .arg(QString::number(image->stats.coveredMinValue, 'g', 4));
    if (!negatives.switched.empty()) lines << tr("Signed mode chosen for: %1").arg(names(negatives.switched));
    if (!negatives.clamping.empty()) lines << tr("Clamp them to 0: %1").arg(names(negatives.clamping));
    return lines;
}

void InspectorPanel::retranslate() {
    inspectorGroup_->setTitle(tr("Pixel inspector"));
    regionGroup_->setTitle(tr("Region"));
    regionTable_->setHorizontalHeaderLabels({tr("Codec"), tr("mPSNR"), tr("PU21-SSIM"), tr("Max error")});
    imageGroup_->setTitle(tr("Image"));
    showImageInfo();
    inspect(texel_);
    // A region is measured again so its codec names follow the language; without one the hint is shown.
    comparison_.setRegion(comparison_.region());
}

}  // namespace lmc::studio
