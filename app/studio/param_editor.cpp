#include "app/studio/param_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSlider>
#include <QSpinBox>
#include <QStringList>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace lmc::studio {
namespace {

constexpr const char* kCodecContext = "lmc::studio::CodecText";

// Schema strings of the built-in codecs, listed so lupdate extracts them into the .ts files. The codec library is
// English-only; a codec added later shows its English strings until its strings are added here (then run the
// update_translations target and translate them in translations/*.ts).
[[maybe_unused]] const char* const kKnownCodecStrings[] = {
    // jpeg
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "JPEG-HDR"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Log-luminance and log-chroma-ratio planes in an 8-bit JPEG (libjpeg-turbo), ranges in the "
                      "header."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Quality"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "JPEG quality (1 = smallest, 100 = best); higher spends more bits."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Chroma"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Colour resolution: 444 keeps every texel's colour, 420 halves it in both directions."),
    // bc6h
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "BC6H"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "DirectX BC6H block compression (8 bits per stored texel): a DDS file GPUs load directly, or a "
                      "half- or quarter-resolution texture that the GPU's bilinear filter upsamples."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Resolution"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Stored resolution: full (8 bits per texel, a DDS file), or half / quarter per axis (about 2 / "
                      "0.5 bits per texel, an .lmc file) upsampled bilinearly like a GPU does."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Encoder effort: how many modes, partitions and endpoint refinements are searched (it does not "
                      "change the bitrate)."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Format"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "BC6H_UF16 (unsigned, negative values clamp to 0) or BC6H_SF16 (signed)."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "none, or zstd (level 19) over the DDS file as a game package ships it (.dds.zst); the GPU still "
                      "loads 8 bits per stored texel."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Rate-distortion"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "0 (off) to 1: trade a bounded loss of quality for blocks that zstd and other package "
                      "compressors code in fewer bits; the texture stays standard BC6H."),
    // astc
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "ASTC HDR"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "GPU-native ASTC with the HDR profile (libastcenc), 0.89 to 8 bits per texel by block "
                      "footprint."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Block footprint"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Texels per 128-bit block: 12x12 = 0.89 bpp up to 4x4 = 8 bpp; smaller blocks keep more."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Effort"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Encoder search effort: slower presets find better blocks at the same bitrate."),
    // jxl
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "JPEG XL"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "JPEG XL (libjxl), lossy XYB on linear float input with an intensity target taken from the map; "
                      "negative values are clamped to 0."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Butteraugli distance as cjxl -d: lower keeps more (1 = visually lossless on a display); "
                      "negative texel values are clamped to 0."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Encoder effort as cjxl -e: higher searches longer for fewer bits."),
    // avif
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "AVIF"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "AVIF (libavif + libaom), 12-bit 4:4:4 PQ of the map scaled so its peak is at 10000 nits; "
                      "negative values are clamped to 0."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "0..100 as avifenc 1.x -q: one AV1 quantizer ((100 - quality) * 63 + 50) / 100; negative texel "
                      "values are clamped to 0 (PQ cannot carry them)."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Encoder speed as avifenc -s: 0 slowest and smallest, 10 fastest."),
    // exr
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "OpenEXR DWAB"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "A standard half-float OpenEXR file with lossy DWAB compression (level = rate) or lossless PIZ; "
                      "keeps negative values, clamps beyond 65504."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "DWAB: lossy DCT compression of the half values (DWA level sets the rate); PIZ: lossless wavelet "
                      "compression of the half values (a reference point; the level is ignored)."),
    QT_TRANSLATE_NOOP(
        "lmc::studio::CodecText",
        "DWA compression level: higher quantises more coarsely and spends fewer bits (OpenEXR's default is 45)."),
    // j2k
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "JPEG 2000"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "JPEG 2000 (OpenJPEG, 9/7 wavelet) on 16-bit PQ-encoded planes scaled to the map's peak; "
                      "negative values clamp to 0."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Target bits per texel of the whole stream (OpenJPEG's rate allocation; simple maps may come out "
                      "smaller). Negative input values clamp to 0 (PQ has no negatives)."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Distance"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Speed"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Supercompression"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Compression"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "DWA level"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Bits per texel"),
    // ae, vae, gan (codec/learned)
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Learned autoencoder"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Learned VAE (hyperprior)"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Learned GAN"),
    QT_TRANSLATE_NOOP(
        "lmc::studio::CodecText",
        "Convolutional autoencoder with a factorized entropy model, rANS-coded; variable rate via gains."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Scale-hyperprior VAE (Balle 2018) with deterministic integer entropy tables, rANS-coded."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "The hyperprior codec with a decoder trained adversarially for sharper, artifact-free texels."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Rate"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Bitrate control from 0 (smallest) to 1 (near-lossless): up to 0.2 it sets the networks' own "
                      "rate, above it a residual refinement layer adds quality."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Decoder precision"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Arithmetic of the decoder's networks: fp32, or int8 (post-training quantised integer kernels, "
                      "identical on every CPU, a little quality lost). Stored in the stream."),
    // overfit (codec/learned/overfit)
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Overfitted neural (per map)"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Per-map optimised neural codec (Cool-chic style latent grids, tiny synthesis MLP and context "
                      "model, all in the stream); negative values are clamped to 0."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Rate-distortion trade-off from 0 (smallest) to 1 (largest): lambda = 10^(-4 rate) in the "
                      "training loss."),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Iterations"),
    QT_TRANSLATE_NOOP("lmc::studio::CodecText",
                      "Optimisation steps, each on a quarter of the map's texel rows: encode time grows linearly, "
                      "quality with it."),
};

// Enum choices are short ids ("420", "fast"); these give them readable names.
struct ChoiceName {
    const char* choice;
    const char* text;
};
const ChoiceName kChoiceNames[] = {
    {"444", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "4:4:4 (full colour)")},
    {"420", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "4:2:0 (half colour)")},
    {"fastest", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Fastest")},
    {"fast", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Fast")},
    {"medium", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Medium")},
    {"thorough", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Thorough")},
    {"exhaustive", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Exhaustive")},
    {"normal", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Normal")},
    {"high", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "High")},
    {"max", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Maximum")},
    {"uf16", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "UF16 (unsigned)")},
    {"sf16", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "SF16 (signed)")},
    {"quarter", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Quarter (1/4 per axis)")},
    {"half", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Half (1/2 per axis)")},
    {"full", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "Full")},
    {"none", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "None")},
    {"zstd", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "zstd (package compression)")},
    {"dwab", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "DWAB (lossy)")},
    {"piz", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "PIZ (lossless)")},
    {"fp32", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "FP32 (float)")},
    {"int8", QT_TRANSLATE_NOOP("lmc::studio::CodecText", "INT8 (quantised)")},
};

QString translateCodecText(const std::string& text) {
    if (text.empty()) return {};
    return QCoreApplication::translate(kCodecContext, text.c_str());
}

int decimalsForStep(double step) {
    if (!(step > 0)) return 2;
    return std::clamp(int(std::ceil(-std::log10(step) - 1e-9)), 0, 6);
}

}  // namespace

ParamEditor::ParamEditor(QWidget* parent) : QWidget(parent) {
    layout_ = new QVBoxLayout(this);
    layout_->setContentsMargins(0, 0, 0, 0);
}

QString ParamEditor::translatedLabel(const ParamSpec& spec) {
    return spec.label.empty() ? QString::fromStdString(spec.id) : translateCodecText(spec.label);
}

QString ParamEditor::translatedDescription(const ParamSpec& spec) {
    return translateCodecText(spec.description);
}

QString ParamEditor::choiceText(const ParamSpec& spec, int choice) {
    if (choice < 0 || choice >= int(spec.choices.size())) return {};
    const std::string& id = spec.choices[std::size_t(choice)];
    for (const auto& known : kChoiceNames)
        if (id == known.choice) return QCoreApplication::translate(kCodecContext, known.text);
    return translateCodecText(id);
}

QString ParamEditor::settingsText(const ParamSchema& schema, const ParamSet& values) {
    QStringList parts;
    for (const ParamSpec& spec : schema) {
        const double v = values.get(spec.id, spec.defaultValue);
        QString value;
        switch (spec.type) {
            case ParamType::Int:
                value = QLocale().toString(qlonglong(std::llround(v)));
                break;
            case ParamType::Float:
                value = QLocale().toString(v, 'f', decimalsForStep(spec.step));
                break;
            case ParamType::Enum:
                value = choiceText(spec, int(std::lround(v)));
                break;
            case ParamType::Bool:
                value = v != 0 ? tr("on") : tr("off");
                break;
        }
        parts << tr("%1 %2", "parameter label, then its value").arg(translatedLabel(spec), value);
    }
    return parts.join(QStringLiteral(" · "));
}

void ParamEditor::setSchema(const ParamSchema& schema, const ParamSet& values) {
    schema_ = schema;
    values_ = ParamSet::defaults(schema);
    for (const auto& [id, value] : values.values())
        if (findParam(schema_, id)) values_.set(id, value);
    rebuild();
}

QWidget* ParamEditor::control(const std::string& id) const {
    for (const auto& e : entries_)
        if (e.spec.id == id) return e.control;
    return nullptr;
}

void ParamEditor::rebuild() {
    entries_.clear();
    rateSlider_ = nullptr;
    if (content_) {
        layout_->removeWidget(content_);
        delete content_;
    }
    content_ = new QWidget(this);
    auto* contentLayout = new QVBoxLayout(content_);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->setSpacing(8);
    layout_->addWidget(content_);

    // The rate parameter first, then the others in schema order.
    std::vector<const ParamSpec*> order;
    for (const auto& s : schema_)
        if (s.isRate) order.push_back(&s);
    for (const auto& s : schema_)
        if (!s.isRate) order.push_back(&s);
    entries_.reserve(order.size());
    for (const ParamSpec* spec : order) addEntry(*spec, spec->isRate);
    setValues(values_);
    retranslate();
}

void ParamEditor::addEntry(const ParamSpec& spec, bool prominent) {
    Entry entry;
    entry.spec = spec;
    auto* row = new QWidget(content_);
    auto* rowLayout = new QVBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    rowLayout->setSpacing(2);
    entry.label = new QLabel(row);
    if (prominent) {
        QFont f = entry.label->font();
        f.setBold(true);
        f.setPointSizeF(f.pointSizeF() * 1.15);
        entry.label->setFont(f);
    }
    const std::string id = spec.id;
    const QString objectName = QString::fromStdString(spec.id);

    switch (spec.type) {
        case ParamType::Int:
        case ParamType::Float: {
            const bool isInt = spec.type == ParamType::Int;
            const double step = spec.step > 0 ? spec.step : (isInt ? 1.0 : (spec.maxValue - spec.minValue) / 100.0);
            // The slider works in steps from minValue; the spin box holds the exact value.
            const int steps = std::max(1, int(std::lround((spec.maxValue - spec.minValue) / step)));
            auto* slider = new QSlider(Qt::Horizontal, row);
            slider->setObjectName(objectName + QStringLiteral("Slider"));
            slider->setRange(0, steps);
            slider->setPageStep(std::max(1, steps / 10));
            QAbstractSpinBox* spinBase = nullptr;
            if (isInt) {
                auto* spin = new QSpinBox(row);
                spin->setRange(int(spec.minValue), int(spec.maxValue));
                spin->setSingleStep(std::max(1, int(step)));
                spinBase = spin;
                connect(spin, qOverload<int>(&QSpinBox::valueChanged), this, [this, id](int v) { userChanged(id, v); });
            } else {
                auto* spin = new QDoubleSpinBox(row);
                spin->setDecimals(decimalsForStep(step));
                spin->setRange(spec.minValue, spec.maxValue);
                spin->setSingleStep(step);
                spinBase = spin;
                connect(spin, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
                        [this, id](double v) { userChanged(id, v); });
            }
            spinBase->setObjectName(objectName + QStringLiteral("Spin"));
            spinBase->setMinimumWidth(70);
            spinBase->setAlignment(Qt::AlignRight);
            const double minValue = spec.minValue;
            connect(slider, &QSlider::valueChanged, this,
                    [this, id, minValue, step](int s) { userChanged(id, minValue + s * step); });
            entry.control = slider;
            entry.spin = spinBase;
            entry.show = [slider, spinBase, minValue, step, isInt](double v) {
                QSignalBlocker b1(slider), b2(spinBase);
                slider->setValue(int(std::lround((v - minValue) / step)));
                if (isInt)
                    static_cast<QSpinBox*>(spinBase)->setValue(int(std::lround(v)));
                else
                    static_cast<QDoubleSpinBox*>(spinBase)->setValue(v);
            };
            if (prominent) {
                rateSlider_ = slider;
                auto* header = new QHBoxLayout;
                header->addWidget(entry.label, 1);
                header->addWidget(spinBase);
                rowLayout->addLayout(header);
                rowLayout->addWidget(slider);
            } else {
                rowLayout->addWidget(entry.label);
                auto* line = new QHBoxLayout;
                line->addWidget(slider, 1);
                line->addWidget(spinBase);
                rowLayout->addLayout(line);
            }
            break;
        }
        case ParamType::Enum: {
            if (prominent && spec.choices.size() > 1) {
                // The rate knob is a slider even when it is a list (ASTC footprints, BC6H effort levels), ordered
                // from fewest to most bits, with the choice's name beside it.
                const int n = int(spec.choices.size());
                auto* slider = new QSlider(Qt::Horizontal, row);
                slider->setObjectName(objectName + QStringLiteral("Slider"));
                slider->setRange(0, n - 1);
                slider->setPageStep(1);
                slider->setTickPosition(QSlider::TicksBelow);
                slider->setTickInterval(1);
                auto* valueLabel = new QLabel(row);
                valueLabel->setObjectName(objectName + QStringLiteral("Value"));
                valueLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
                const bool reversed = !spec.higherIsMoreBits;
                auto toChoice = [n, reversed](int position) { return reversed ? n - 1 - position : position; };
                connect(slider, &QSlider::valueChanged, this,
                        [this, id, toChoice](int position) { userChanged(id, toChoice(position)); });
                const ParamSpec specCopy = spec;
                entry.control = slider;
                entry.spin = valueLabel;
                entry.show = [slider, valueLabel, specCopy, toChoice](double v) {
                    QSignalBlocker b(slider);
                    const int choice = int(std::lround(v));
                    slider->setValue(toChoice(choice));  // the mapping is its own inverse
                    valueLabel->setText(choiceText(specCopy, choice));
                };
                rateSlider_ = slider;
                auto* header = new QHBoxLayout;
                header->addWidget(entry.label, 1);
                header->addWidget(valueLabel);
                rowLayout->addLayout(header);
                rowLayout->addWidget(slider);
                break;
            }
            auto* combo = new QComboBox(row);
            combo->setObjectName(objectName + QStringLiteral("Combo"));
            for (std::size_t i = 0; i < spec.choices.size(); ++i) combo->addItem(QString());
            connect(combo, qOverload<int>(&QComboBox::currentIndexChanged), this,
                    [this, id](int index) { userChanged(id, index); });
            entry.control = combo;
            entry.show = [combo](double v) {
                QSignalBlocker b(combo);
                combo->setCurrentIndex(int(std::lround(v)));
            };
            rowLayout->addWidget(entry.label);
            rowLayout->addWidget(combo);
            break;
        }
        case ParamType::Bool: {
            auto* check = new QCheckBox(row);
            check->setObjectName(objectName + QStringLiteral("Check"));
            connect(check, &QCheckBox::toggled, this, [this, id](bool on) { userChanged(id, on ? 1.0 : 0.0); });
            entry.control = check;
            entry.show = [check](double v) {
                QSignalBlocker b(check);
                check->setChecked(v != 0.0);
            };
            entry.label->hide();  // the check box carries the label text
            rowLayout->addWidget(check);
            break;
        }
    }
    content_->layout()->addWidget(row);
    entries_.push_back(std::move(entry));
}

void ParamEditor::setValues(const ParamSet& values) {
    for (const auto& [id, value] : values.values())
        if (const ParamSpec* spec = findParam(schema_, id))
            values_.set(id, std::clamp(value, spec->minValue, spec->maxValue));
    updating_ = true;
    for (auto& e : entries_)
        if (e.show) e.show(values_.get(e.spec.id, e.spec.defaultValue));
    updating_ = false;
}

void ParamEditor::userChanged(const std::string& id, double value) {
    if (updating_) return;
    const ParamSpec* spec = findParam(schema_, id);
    if (!spec) return;
    value = std::clamp(value, spec->minValue, spec->maxValue);
    if (spec->type != ParamType::Float) value = std::round(value);
    if (values_.has(id) && values_.get(id) == value) return;
    values_.set(id, value);
    // Keep the sibling control (slider <-> spin box) in step.
    updating_ = true;
    for (auto& e : entries_)
        if (e.spec.id == id && e.show) e.show(value);
    updating_ = false;
    emit valuesChanged();
}

void ParamEditor::retranslate() {
    for (auto& e : entries_) {
        const QString label = translatedLabel(e.spec);
        const QString tip = translatedDescription(e.spec);
        e.label->setText(label);
        e.label->setToolTip(tip);
        e.control->setToolTip(tip);
        if (e.spin) e.spin->setToolTip(tip);
        if (auto* check = qobject_cast<QCheckBox*>(e.control)) check->setText(label);
        if (auto* combo = qobject_cast<QComboBox*>(e.control))
            for (int i = 0; i < combo->count(); ++i) combo->setItemText(i, choiceText(e.spec, i));
        if (e.spec.type == ParamType::Enum && e.show) e.show(values_.get(e.spec.id, e.spec.defaultValue));
    }
}

void ParamEditor::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

}  // namespace lmc::studio
