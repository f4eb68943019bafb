// MetricsTable: one row per codec with its size, bitrate, quality metrics and timings; sortable by any column
// (numerically), copyable as tab-separated values (Ctrl+C or the context menu) for spreadsheets.
//
// Rows are addressed by key (a codec id). Cells show localised, rounded numbers; sorting uses the exact values and
// rows without a value sort last. The TSV has a header row and the rows in the view's current order (the selected
// rows, or all when none is selected), numbers unrounded in C locale so a spreadsheet reads them as numbers.
// A row can be marked pending (greyed) while a newer result is computed, so numbers never flicker to empty.
//
// Threading: GUI thread only. Errors: none; missing values show as a dash and copy as an empty cell.
#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <QTableView>

#include <cstdint>
#include <optional>
#include <vector>

class QSortFilterProxyModel;

namespace lmc {

struct MetricsTableRow {
    QString key;
    QString codec;     // display name
    QString settings;  // as the user reads it, e.g. "Quality 75 · Chroma 4:2:0"
    std::optional<std::int64_t> bytes;
    std::optional<double> bitsPerTexel;
    std::optional<double> mPsnr;
    std::optional<double> logPsnr;
    std::optional<double> pu21Psnr;
    std::optional<double> ssim;
    std::optional<double> maxError;
    std::optional<double> encodeMs;
    std::optional<double> decodeMs;
    // GPU memory bits per texel (a GPU format, or the end of a storage -> GPU chain) and the chain's load time
    // (storage decode + transcode).
    std::optional<double> vramBitsPerTexel;
    std::optional<double> loadMs;
    bool timesShared = false;  // the times include waiting for cores other work used: shown as approximate
    bool pending = false;
};

class MetricsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Codec,
        Settings,
        Bytes,
        Bitrate,
        MPsnr,
        LogPsnr,
        Pu21Psnr,
        Ssim,
        MaxError,
        EncodeMs,
        DecodeMs,
        VramBpp,
        LoadMs,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit MetricsTableModel(QObject* parent = nullptr);

    // Inserts or replaces the row with this key.
    void setRow(const MetricsTableRow& row);
    void setPending(const QString& key, bool pending);
    void removeRow(const QString& key);
    void clearRows();
    const std::vector<MetricsTableRow>& rows() const { return rows_; }
    int rowOf(const QString& key) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The unrounded C-locale text of a cell for TSV ("" when missing).
    static QString exportText(const MetricsTableRow& row, int column);
    static std::optional<double> number(const MetricsTableRow& row, int column);

private:
    std::vector<MetricsTableRow> rows_;
};

class MetricsTable : public QTableView {
    Q_OBJECT
public:
    explicit MetricsTable(QWidget* parent = nullptr);

    MetricsTableModel* metricsModel() const { return model_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
    // TSV of the selected rows (all rows when nothing is selected), in view order, with a header line.
    QString toTsv() const;
    // Puts toTsv() on the clipboard.
    void copyToClipboard() const;
    // Keys in the current view order.
    QStringList keysInViewOrder() const;

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    MetricsTableModel* model_ = nullptr;
    QSortFilterProxyModel* proxy_ = nullptr;
};

}  // namespace lmc
