// DisplayPanel: the upper right of lmstudio: how images are shown (exposure as spin box and slider with an Auto
// button, tone curve, the channel: colour, R, G, B or luminance as grey, false colour) and the quality of the selected
// codec (the Texels choice, i.e. which texels every metric counts, above a MetricsPanel with its size, bitrate, ratio,
// PSNRs, SSIM and times).
//
// Display changes are emitted as displayChanged (the window gives the tone-map options to every view); the Texels
// choice as maskModeRequested. The quality part follows the WorkspaceModel for the codec set with setSelected():
// the shown result, greyed while a newer one is computed, and the error of a failed job.
//
// Threading: GUI thread only. Errors: none of its own.
#pragma once

#include <QWidget>

#include <string>

#include "codec/image.h"
#include "widgets/tone_map.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QSlider;
class QToolButton;

namespace lmc {
class MetricsPanel;
}

namespace lmc::studio {

class WorkspaceModel;

// A PSNR for display: "–" when unknown, "∞" at the cap (identical texels), else two decimals.
QString psnrText(double db);

class DisplayPanel : public QWidget {
    Q_OBJECT
public:
    explicit DisplayPanel(WorkspaceModel& model, QWidget* parent = nullptr);

    QDoubleSpinBox* exposureSpin() const { return exposureSpin_; }
    QComboBox* toneCurveCombo() const { return toneCurveCombo_; }
    QCheckBox* falseColourCheck() const { return falseColourCheck_; }
    QComboBox* channelCombo() const { return channelCombo_; }
    QComboBox* maskCombo() const { return maskCombo_; }
    QToolButton* autoExposureButton() const { return autoExposureButton_; }
    MetricsPanel* metricsPanel() const { return metrics_; }

    // Rounded to 0.1 EV and clamped to ±20 EV; emits displayChanged.
    void setExposure(double ev);
    // The options every view tone-maps with (`dimUncovered` comes from the window's View menu).
    ToneMapOptions toneMapOptions(bool dimUncovered) const;
    void setSelected(const std::string& codecId);
    void retranslate();

signals:
    void displayChanged();
    void maskModeRequested(lmc::MaskMode mode);

private:
    void showResult();

    WorkspaceModel& model_;
    std::string selected_;
    QGroupBox* viewGroup_ = nullptr;
    QLabel* exposureLabel_ = nullptr;
    QDoubleSpinBox* exposureSpin_ = nullptr;
    QSlider* exposureSlider_ = nullptr;
    QToolButton* autoExposureButton_ = nullptr;
    QLabel* toneCurveLabel_ = nullptr;
    QComboBox* toneCurveCombo_ = nullptr;
    QCheckBox* falseColourCheck_ = nullptr;
    QLabel* channelLabel_ = nullptr;
    QComboBox* channelCombo_ = nullptr;
    QGroupBox* metricsGroup_ = nullptr;
    QLabel* maskLabel_ = nullptr;
    QComboBox* maskCombo_ = nullptr;
    MetricsPanel* metrics_ = nullptr;
};

}  // namespace lmc::studio
