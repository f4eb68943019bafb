// MetricsPanel: the numbers of one compression result (size, bitrate, quality metrics, timings) as a compact
// two-column table with explanatory tooltips.
//
// It only displays what it is given (MetricsValues: plain numbers; an unset optional shows as a dash), so the
// grid and heatmap workspaces can reuse it for any codec. While a newer result is being computed the old numbers
// stay visible but greyed (setPending), so the panel never flickers to empty during slider drags.
//
// Threading: GUI thread only. Errors: setError() shows a message in place of the numbers until the next values.
#pragma once

#include <QLabel>
#include <QString>
#include <QWidget>

#include <array>
#include <cstdint>
#include <optional>

namespace lmc {

struct MetricsValues {
    std::optional<std::int64_t> bytes;
    std::optional<double> bitsPerTexel;
    std::optional<double> gpuBitsPerTexel;        // GPU block formats: what the texture takes in GPU memory
    std::optional<double> referenceBitsPerTexel;  // to show a ratio, e.g. 48 for half-float RGB
    std::optional<double> mPsnr;
    std::optional<double> logPsnr;
    std::optional<double> pu21Psnr;
    std::optional<double> ssim;  // PU21-SSIM
    std::optional<double> encodeMs;
    std::optional<double> decodeMs;
    std::optional<double> metricsMs;
    // The times are wall-clock times of work that shared the CPU (shown as approximate until measured alone).
    bool timesShared = false;
};

class MetricsPanel : public QWidget {
    Q_OBJECT
public:
    enum Row { Bytes, Bitrate, Ratio, MPsnr, LogPsnr, Pu21Psnr, Ssim, EncodeTime, DecodeTime, RowCount };

    explicit MetricsPanel(QWidget* parent = nullptr);

    void setValues(const MetricsValues& values);
    const MetricsValues& values() const { return values_; }
    void clear();
    void setPending(bool pending);
    bool isPending() const { return pending_; }
    void setError(const QString& message);
    // The text currently shown for a row (for tests and accessibility).
    QString valueText(Row row) const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void refreshValues();

    std::array<QLabel*, RowCount> names_{};
    std::array<QLabel*, RowCount> values_labels_{};
    QLabel* error_ = nullptr;
    MetricsValues values_;
    bool pending_ = false;
};

}  // namespace lmc
