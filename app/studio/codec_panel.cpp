#include "app/studio/codec_panel.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "app/studio/display_panel.h"
#include "app/studio/error_text.h"
#include "app/studio/param_editor.h"
#include "app/studio/workspace_model.h"
#include "codec/learned/torch_backend.h"

namespace lmc::studio {

CodecPanel::CodecPanel(WorkspaceModel& model, QWidget* parent) : QWidget(parent), model_(model) {
    setObjectName(QStringLiteral("codecPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 4, 8);
    layout->setSpacing(8);

    codecGroup_ = new QGroupBox(this);
    auto* top = new QVBoxLayout(codecGroup_);
    codecLabel_ = new QLabel(codecGroup_);
    codecCombo_ = new QComboBox(codecGroup_);
    codecCombo_->setObjectName(QStringLiteral("codecCombo"));
    codecLabel_->setBuddy(codecCombo_);
    for (const auto& s : model_.codecs()) codecCombo_->addItem(codecDisplayName(model_.registry(), s->id), s->key);
    auto* row = new QHBoxLayout;
    row->addWidget(codecLabel_);
    row->addWidget(codecCombo_, 1);
    top->addLayout(row);
    connect(codecCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int index) { emit selectionRequested(codecCombo_->itemData(index).toString().toStdString()); });

    // Device for learned codecs: a chooser only when there is a choice; the status bar always says which runs.
    deviceLabel_ = new QLabel(codecGroup_);
    deviceCombo_ = new QComboBox(codecGroup_);
    deviceCombo_->setObjectName(QStringLiteral("deviceCombo"));
    deviceLabel_->setBuddy(deviceCombo_);
    const auto devices = learned::availableTorchDevices();
    for (const auto& d : devices) deviceCombo_->addItem(QString::fromStdString(d.label), QString::fromStdString(d.id));
    auto* deviceRow = new QHBoxLayout;
    deviceRow->addWidget(deviceLabel_);
    deviceRow->addWidget(deviceCombo_, 1);
    top->addLayout(deviceRow);
    const bool choice = devices.size() > 1;
    deviceLabel_->setVisible(choice);
    deviceCombo_->setVisible(choice);
    deviceCombo_->setCurrentIndex(deviceCombo_->findData(defaultDevice()));
    connect(deviceCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int index) { emit deviceRequested(deviceCombo_->itemData(index).toString()); });
    layout->addWidget(codecGroup_);

    auto* cards = new QWidget;
    cardsLayout_ = new QVBoxLayout(cards);
    cardsLayout_->setContentsMargins(0, 0, 0, 0);
    cardsLayout_->setSpacing(8);
    for (const auto& s : model_.codecs()) addCard(s->id, cards);
    cardsLayout_->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(cards);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(scroll, 1);
    setMinimumWidth(210);

    auto status = [this](const QString& id) { updateStatus(id.toStdString()); };
    connect(&model_, &WorkspaceModel::codecBusyChanged, this, status);
    connect(&model_, &WorkspaceModel::codecResultChanged, this, status);
    connect(&model_, &WorkspaceModel::codecMetricsChanged, this, status);
    connect(&model_, &WorkspaceModel::codecFailed, this, status);
    connect(&model_, &WorkspaceModel::codecEnabledChanged, this, [this](const QString& id, bool on) {
        const auto it = cards_.find(id.toStdString());
        if (it == cards_.end() || it->second.box->isChecked() == on) return;
        QSignalBlocker block(it->second.box);
        it->second.box->setChecked(on);
    });
    auto sweep = [this](const QString& id) { updateSweep(id.toStdString()); };
    connect(&model_, &WorkspaceModel::sweepStateChanged, this, sweep);
    connect(&model_, &WorkspaceModel::sweepPointAdded, this, sweep);
    connect(&model_, &WorkspaceModel::codecParamsChanged, this, [this](const QString& id) {
        const auto it = cards_.find(id.toStdString());
        if (it != cards_.end()) it->second.editor->setValues(model_.state(it->first)->params);
    });
    connect(&model_, &WorkspaceModel::gpuFormatChanged, this, [this](const QString& id) {
        showGpuFormat(id.toStdString());
        updateStatus(id.toStdString());
    });
    connect(&model_, &WorkspaceModel::imageLoaded, this, [this] {
        for (const auto& s : model_.codecs()) {
            updateSweep(s->id);
            updateStatus(s->id);
        }
    });
}

void CodecPanel::addCard(const std::string& codecId, QWidget* parent) {
    const CodecState* s = model_.state(codecId);
    Card& c = cards_[codecId];
    c.box = new QGroupBox(parent);
    c.box->setObjectName(QStringLiteral("card_%1").arg(s->key));
    c.box->setCheckable(true);
    c.box->setChecked(s->enabled);
    auto* cl = new QVBoxLayout(c.box);
    cl->setSpacing(6);
    c.description = new QLabel(c.box);
    c.description->setWordWrap(true);
    QFont small = c.description->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    c.description->setFont(small);
    c.description->setStyleSheet(QStringLiteral("color: palette(dark);"));
    c.editor = new ParamEditor(c.box);
    c.editor->setObjectName(QStringLiteral("paramEditor_%1").arg(s->key));
    c.editor->setSchema(s->codec->schema(), s->params);
    const std::vector<std::string> formats = gpuFormatChoices(model_.registry(), *s->codec);
    QHBoxLayout* gpuRow = nullptr;
    if (!formats.empty()) {
        c.gpuLabel = new QLabel(c.box);
        c.gpuCombo = new QComboBox(c.box);
        c.gpuCombo->setObjectName(QStringLiteral("gpuFormatCombo_%1").arg(s->key));
        c.gpuLabel->setBuddy(c.gpuCombo);
        c.gpuCombo->addItem(QString(), QString());
        for (const std::string& f : formats) c.gpuCombo->addItem(QString(), QString::fromStdString(f));
        gpuRow = new QHBoxLayout;
        gpuRow->addWidget(c.gpuLabel);
        gpuRow->addWidget(c.gpuCombo, 1);
        QComboBox* combo = c.gpuCombo;
        connect(combo, qOverload<int>(&QComboBox::activated), this, [this, codecId, combo](int index) {
            model_.guarded(QT_TRANSLATE_NOOP("lmc::studio::WorkspaceModel", "choosing a GPU format"),
                           [&] { model_.setGpuFormat(codecId, combo->itemData(index).toString().toStdString()); });
        });
    }
    c.status = new QLabel(c.box);
    c.status->setObjectName(QStringLiteral("status_%1").arg(s->key));
    c.status->setWordWrap(true);
    auto* sweepRow = new QHBoxLayout;
    c.sweepBar = new QProgressBar(c.box);
    c.sweepBar->setRange(0, 1000);
    c.sweepBar->setTextVisible(true);
    c.sweepBar->setMaximumHeight(c.sweepBar->fontMetrics().height() + 6);
    c.sweepButton = new QToolButton(c.box);
    c.sweepButton->setObjectName(QStringLiteral("sweepButton_%1").arg(s->key));
    sweepRow->addWidget(c.sweepBar, 1);
    sweepRow->addWidget(c.sweepButton);
    cl->addWidget(c.description);
    cl->addWidget(c.editor);
    if (gpuRow) cl->addLayout(gpuRow);
    cl->addWidget(c.status);
    cl->addLayout(sweepRow);
    cardsLayout_->addWidget(c.box);
    c.sweepBar->setVisible(s->codec->rateParam().has_value());
    c.sweepButton->setVisible(s->codec->rateParam().has_value());
    connect(c.box, &QGroupBox::toggled, this, [this, codecId](bool on) {
        model_.guarded(QT_TRANSLATE_NOOP("lmc::studio::WorkspaceModel", "switching a codec"),
                       [&] { model_.setCodecEnabled(codecId, on); });
    });
    ParamEditor* editor = c.editor;
    connect(editor, &ParamEditor::valuesChanged, this, [this, codecId, editor] {
        model_.guarded(QT_TRANSLATE_NOOP("lmc::studio::WorkspaceModel", "changing a parameter"),
                       [&] { model_.setParams(codecId, editor->values()); });
    });
    connect(c.sweepButton, &QToolButton::clicked, this, [this, codecId] {
        model_.guarded(QT_TRANSLATE_NOOP("lmc::studio::WorkspaceModel", "starting a sweep"), [&] {
            if (model_.state(codecId)->sweepActive)
                model_.cancelSweep(codecId);
            else
                model_.startSweep(codecId);
        });
    });
}

QComboBox* CodecPanel::gpuFormatCombo(const std::string& codecId) const {
    const auto it = cards_.find(codecId);
    return it == cards_.end() ? nullptr : it->second.gpuCombo;
}

void CodecPanel::showGpuFormat(const std::string& codecId) {
    const auto it = cards_.find(codecId);
    const CodecState* s = model_.state(codecId);
    if (it == cards_.end() || !s || !it->second.gpuCombo) return;
    QComboBox* combo = it->second.gpuCombo;
    const int index = combo->findData(s->gpuFormat ? QString::fromStdString(s->gpuFormat->name) : QString());
    QSignalBlocker block(combo);
    combo->setCurrentIndex(std::max(0, index));
}

ParamEditor* CodecPanel::paramEditor(const std::string& codecId) const {
    const auto it = cards_.find(codecId);
    return it == cards_.end() ? nullptr : it->second.editor;
}

void CodecPanel::setSelected(const std::string& codecId) {
    const int index = codecCombo_->findData(QString::fromStdString(codecId));
    if (codecCombo_->currentIndex() != index) {
        QSignalBlocker block(codecCombo_);
        codecCombo_->setCurrentIndex(index);
    }
    for (auto& [id, c] : cards_) {
        QFont f = c.box->font();
        f.setBold(id == codecId);
        c.box->setFont(f);
        // The card's children keep the normal weight.
        for (QWidget* child : c.box->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly)) {
            QFont cf = child->font();
            cf.setBold(false);
            child->setFont(cf);
        }
    }
}

QString CodecPanel::defaultDevice() const {
    const int n = deviceCombo_->count();
    return n == 0 ? QString() : deviceCombo_->itemData(n > 1 ? 1 : 0).toString();
}

QString CodecPanel::showDevice(const QString& device) {
    const int index = deviceCombo_->findData(device);
    if (index >= 0 && deviceCombo_->currentIndex() != index) {
        QSignalBlocker block(deviceCombo_);
        deviceCombo_->setCurrentIndex(index);
    }
    return index >= 0 ? deviceCombo_->itemText(index) : QString();
}

void CodecPanel::syncFromModel() {
    for (auto& [id, c] : cards_) {
        const CodecState* s = model_.state(id);
        c.editor->setValues(s->params);
        if (!(c.editor->values() == s->params)) model_.setParams(id, c.editor->values());
        QSignalBlocker block(c.box);
        c.box->setChecked(s->enabled);
        showGpuFormat(id);
    }
}

void CodecPanel::updateStatus(const std::string& codecId) {
    const auto it = cards_.find(codecId);
    const CodecState* s = model_.state(codecId);
    if (it == cards_.end() || !s || !s->enabled) return;
    const QLocale locale;
    QString status;
    const QString error = s->error ? tr("Compression failed: %1").arg(errorSummary(s->error->code)) : QString();
    if (!error.isEmpty())
        status = error;
    else if (s->result && s->result->hasMetrics && s->result->loadMs >= 0)
        status = tr("%1 bytes · %2 bpp on disk · %3 bpp in VRAM · mPSNR %4 dB after transcoding")
                     .arg(locale.toString(qint64(s->result->bytes)), locale.toString(s->result->bitsPerTexel, 'f', 2),
                          locale.toString(s->result->vramBitsPerTexel, 'g', 3), psnrText(s->result->metrics.mPsnr));
    else if (s->result && s->result->hasMetrics)
        status = tr("%1 bytes · %2 bpp · mPSNR %3 dB")
                     .arg(locale.toString(qint64(s->result->bytes)), locale.toString(s->result->bitsPerTexel, 'f', 2),
                          psnrText(s->result->metrics.mPsnr));
    else if (s->busy)
        status = tr("Encoding…");
    // A codec that optimises for minutes shows its stream so far; the final one replaces it.
    if (error.isEmpty() && s->result && s->result->interim && s->result->hasMetrics)
        status = tr("So far, still optimising: %1").arg(status);
    it->second.status->setText(status);
    it->second.status->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("color: #c62828;"));
}

void CodecPanel::updateSweep(const std::string& codecId) {
    const auto it = cards_.find(codecId);
    const CodecState* s = model_.state(codecId);
    if (it == cards_.end() || !s) return;
    const Card& c = it->second;
    const auto rate = s->codec->rateParam();
    const int total = rate ? int(SweepRunner::sweepValues(*rate).size()) : 0;
    c.sweepBar->setValue(int(std::lround((s->sweepActive ? s->sweepProgress : (s->sweep.empty() ? 0.0 : 1.0)) * 1000)));
    if (s->sweepActive)
        c.sweepBar->setFormat(tr("RD sweep %1/%2").arg(s->sweep.size()).arg(total));
    else if (!s->sweep.empty())
        c.sweepBar->setFormat(tr("RD curve: %1 points").arg(s->sweep.size()));
    else
        c.sweepBar->setFormat(tr("No RD curve yet"));
    c.sweepButton->setText(s->sweepActive ? tr("Cancel") : tr("Sweep"));
    c.sweepButton->setToolTip(s->sweepActive ? tr("Stop this codec's RD sweep")
                                             : tr("Measure this codec over its rate range in the background"));
}

void CodecPanel::retranslate() {
    codecGroup_->setTitle(tr("Codecs"));
    codecLabel_->setText(tr("Selected"));
    codecCombo_->setToolTip(tr("The codec the split view, the quality panel and exports refer to"));
    deviceLabel_->setText(tr("Device"));
    deviceCombo_->setToolTip(tr("Where learned codecs run"));
    for (auto& [id, c] : cards_) {
        const CodecState* s = model_.state(id);
        const QString name = codecDisplayName(model_.registry(), id);
        c.box->setTitle(name);
        c.box->setToolTip(tr("Switch %1 on or off").arg(name));
        c.description->setText(QCoreApplication::translate(kCodecTextContext, s->codec->description().c_str()));
        if (c.gpuCombo) {
            c.gpuLabel->setText(tr("Then on the GPU"));
            c.gpuCombo->setToolTip(
                tr("What a game hands the GPU after loading this codec's file: the decoded map transcoded to a GPU "
                   "block format. The tile, metrics and RD curve then show that end of the chain; the bitrate stays "
                   "the file's."));
            c.gpuCombo->setItemText(0, tr("None (decoded map)"));
            for (int i = 1; i < c.gpuCombo->count(); ++i)
                c.gpuCombo->setItemText(
                    i, gpuFormatDisplayName(model_.registry(), c.gpuCombo->itemData(i).toString().toStdString()));
        }
        updateSweep(id);
        updateStatus(id);
    }
    for (int i = 0; i < codecCombo_->count(); ++i)
        codecCombo_->setItemText(
            i, codecDisplayName(model_.registry(), codecCombo_->itemData(i).toString().toStdString()));
    // Device names are ours to translate (the codec library's labels are English); learned-codec inference runs
    // on our CPU kernels with the worker's thread count, so no torch thread count is shown.
    for (int i = 0; i < deviceCombo_->count(); ++i) {
        const QString id = deviceCombo_->itemData(i).toString();
        deviceCombo_->setItemText(
            i, id == QLatin1String("cpu") ? tr("CPU") : tr("CUDA GPU %1").arg(id.section(QLatin1Char(':'), 1)));
    }
}

}  // namespace lmc::studio
