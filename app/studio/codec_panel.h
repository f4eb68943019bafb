// CodecPanel: lmstudio's left panel. The selected-codec combo, the device row for learned codecs (shown only when
// there is a choice) and one card per registered codec: a check box title that switches it on or off, its
// description, a ParamEditor generated from its schema, the GPU format the codec's result is transcoded to at load
// time (storage codecs only: none, a BC6H level or an ASTC block size), a status line (size, bitrate, mPSNR, or the
// error) and, for codecs with a rate parameter, the RD sweep bar with its Sweep/Cancel button.
//
// It follows the WorkspaceModel's signals and changes it directly for what belongs to one codec (enabled,
// parameters, its sweep); what concerns the whole window is emitted as an intent: selectionRequested (the
// combo) and deviceRequested (the device combo).
//
// Threading: GUI thread only. Errors: none of its own; codec errors are shown as the model holds them.
#pragma once

#include <QWidget>

#include <map>
#include <string>

class QComboBox;
class QGroupBox;
class QLabel;
class QProgressBar;
class QToolButton;
class QVBoxLayout;

namespace lmc::studio {

class ParamEditor;
class WorkspaceModel;

class CodecPanel : public QWidget {
    Q_OBJECT
public:
    explicit CodecPanel(WorkspaceModel& model, QWidget* parent = nullptr);

    QComboBox* codecCombo() const { return codecCombo_; }
    QComboBox* deviceCombo() const { return deviceCombo_; }
    ParamEditor* paramEditor(const std::string& codecId) const;
    // The card's GPU format combo (null for an unknown codec or a GPU block codec); item data: parseGpuFormat text.
    QComboBox* gpuFormatCombo(const std::string& codecId) const;
    // Bold card and combo entry for the selected codec.
    void setSelected(const std::string& codecId);
    // Shows `device` in the device combo (without announcing it); returns its display text (empty if unknown).
    QString showDevice(const QString& device);
    // The device chosen by default: a GPU when there is one.
    QString defaultDevice() const;
    // Puts the model's parameters and enabled flags into the cards (after settings were restored); the editors'
    // clamped values go back to the model.
    void syncFromModel();
    void retranslate();

signals:
    void selectionRequested(const std::string& codecId);
    void deviceRequested(const QString& device);

private:
    struct Card {
        QGroupBox* box = nullptr;
        QLabel* description = nullptr;
        ParamEditor* editor = nullptr;
        QLabel* gpuLabel = nullptr;
        QComboBox* gpuCombo = nullptr;
        QLabel* status = nullptr;
        QProgressBar* sweepBar = nullptr;
        QToolButton* sweepButton = nullptr;
    };
    void addCard(const std::string& codecId, QWidget* parent);
    void updateStatus(const std::string& codecId);
    void updateSweep(const std::string& codecId);
    void showGpuFormat(const std::string& codecId);

    WorkspaceModel& model_;
    std::map<std::string, Card> cards_;
    QGroupBox* codecGroup_ = nullptr;
    QLabel* codecLabel_ = nullptr;
    QComboBox* codecCombo_ = nullptr;
    QLabel* deviceLabel_ = nullptr;
    QComboBox* deviceCombo_ = nullptr;
    QVBoxLayout* cardsLayout_ = nullptr;
};

}  // namespace lmc::studio
