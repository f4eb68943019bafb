#include "widgets/metrics_panel.h"

#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLocale>

#include <cmath>

namespace lmc {
namespace {

QString dash() {
    return QStringLiteral("–");
}

}  // namespace

MetricsPanel::MetricsPanel(QWidget* parent) : QWidget(parent) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(4);
    QFont valueFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    valueFont.setPointSizeF(font().pointSizeF());
    for (int row = 0; row < RowCount; ++row) {
        names_[row] = new QLabel(this);
        values_labels_[row] = new QLabel(this);
        values_labels_[row]->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        values_labels_[row]->setTextInteractionFlags(Qt::TextSelectableByMouse);
        values_labels_[row]->setFont(valueFont);
        names_[row]->setObjectName(QStringLiteral("metricName%1").arg(row));
        values_labels_[row]->setObjectName(QStringLiteral("metricValue%1").arg(row));
        grid->addWidget(names_[row], row, 0);
        grid->addWidget(values_labels_[row], row, 1);
    }
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #c62828;"));
    error_->hide();
    grid->addWidget(error_, RowCount, 0, 1, 2);
    grid->setColumnStretch(1, 1);
    retranslate();
    refreshValues();
}

void MetricsPanel::retranslate() {
    const char* names[RowCount] = {
        QT_TR_NOOP("Size"),      QT_TR_NOOP("Bitrate"),  QT_TR_NOOP("Ratio"),
        QT_TR_NOOP("mPSNR"),     QT_TR_NOOP("log-PSNR"), QT_TR_NOOP("PU21-PSNR"),
        QT_TR_NOOP("PU21-SSIM"), QT_TR_NOOP("Encode"),   QT_TR_NOOP("Decode"),
    };
    const char* tips[RowCount] = {
        QT_TR_NOOP("Size of the complete compressed stream, header included."),
        QT_TR_NOOP("Bits per texel: bytes × 8 / texels."),
        QT_TR_NOOP("Compression ratio against uncompressed half-float RGB (48 bits per texel)."),
        QT_TR_NOOP("Multi-exposure PSNR (Munkberg et al. 2006): PSNR of the gamma-encoded image averaged over the "
                   "exposures that span the lightmap's range."),
        QT_TR_NOOP("PSNR of log2(1 + x / E), E = median lit luminance: a given ratio of error weighs the same in "
                   "shadows and highlights."),
        QT_TR_NOOP("PSNR in PU21 perceptually uniform units (Mantiuk & Azimi 2021), the median lit surface shown at "
                   "50 cd/m²."),
        QT_TR_NOOP("Structural similarity (SSIM) of PU21-encoded luminance; 1 means identical."),
        QT_TR_NOOP("Wall time of the encoder on this machine."),
        QT_TR_NOOP("Wall time of the decoder on this machine."),
    };
    for (int row = 0; row < RowCount; ++row) {
        names_[row]->setText(tr(names[row]));
        names_[row]->setToolTip(tr(tips[row]));
        values_labels_[row]->setToolTip(tr(tips[row]));
    }
}

QString MetricsPanel::valueText(Row row) const {
    return values_labels_[row]->text();
}

void MetricsPanel::refreshValues() {
    const QLocale locale;
    auto number = [&](const std::optional<double>& v, int decimals, const QString& unit) {
        if (!v) return dash();
        if (std::isnan(*v)) return dash();
        QString text = locale.toString(*v, 'f', decimals);
        return unit.isEmpty() ? text : tr("%1 %2", "number and unit").arg(text, unit);
    };
    QString bytes = dash();
    if (values_.bytes) {
        const double kib = double(*values_.bytes) / 1024.0;
        bytes = kib < 1024.0 ? tr("%1 KiB").arg(locale.toString(kib, 'f', 1))
                             : tr("%1 MiB").arg(locale.toString(kib / 1024.0, 'f', 2));
        bytes = tr("%1 B (%2)").arg(locale.toString(qint64(*values_.bytes)), bytes);
    }
    QString ratio = dash();
    if (values_.bitsPerTexel && values_.referenceBitsPerTexel && *values_.bitsPerTexel > 0)
        ratio = tr("%1 : 1").arg(locale.toString(*values_.referenceBitsPerTexel / *values_.bitsPerTexel, 'f', 1));
    // PSNRs are capped at 999 dB for identical images (codec/metrics.h).
    auto psnr = [&](const std::optional<double>& v) {
        return v && *v >= 999.0 ? tr("identical") : number(v, 2, tr("dB"));
    };
    auto time = [&](const std::optional<double>& v) {
        const QString text = number(v, 1, tr("ms"));
        return v && values_.timesShared ? tr("≈%1", "approximate time").arg(text) : text;
    };
    QString bitrate = number(values_.bitsPerTexel, 3, tr("bpp"));
    if (values_.bitsPerTexel && values_.gpuBitsPerTexel)
        bitrate = tr("%1 (GPU memory: %2)").arg(bitrate, number(values_.gpuBitsPerTexel, 2, tr("bpp")));
    QString texts[RowCount] = {
        bytes,
        bitrate,
        ratio,
        psnr(values_.mPsnr),
        psnr(values_.logPsnr),
        psnr(values_.pu21Psnr),
        number(values_.ssim, 4, QString()),
        time(values_.encodeMs),
        time(values_.decodeMs),
    };
    for (int row = 0; row < RowCount; ++row) values_labels_[row]->setText(texts[row]);
    // The value's tooltip says how the time was taken (the name's tooltip says what it is).
    const QString how =
        values_.timesShared
            ? tr("Measured while other codecs or sweeps shared the CPU; measured again alone once the app is idle.")
            : tr("Measured with no other work running in the app.");
    for (int row : {EncodeTime, DecodeTime})
        values_labels_[row]->setToolTip(values_.encodeMs || values_.decodeMs ? how : names_[row]->toolTip());
    const QString colour = pending_ ? QStringLiteral("color: palette(mid);") : QString();
    for (auto* label : values_labels_) label->setStyleSheet(colour);
}

void MetricsPanel::setValues(const MetricsValues& values) {
    values_ = values;
    error_->hide();
    refreshValues();
}

void MetricsPanel::clear() {
    setValues({});
}

void MetricsPanel::setPending(bool pending) {
    if (pending == pending_) return;
    pending_ = pending;
    refreshValues();
}

void MetricsPanel::setError(const QString& message) {
    error_->setText(message);
    error_->setVisible(!message.isEmpty());
}

void MetricsPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        refreshValues();
    }
    QWidget::changeEvent(event);
}

}  // namespace lmc
