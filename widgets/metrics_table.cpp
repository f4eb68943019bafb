#include "widgets/metrics_table.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>
#include <QPalette>
#include <QSortFilterProxyModel>

#include <cmath>

namespace lmc {
namespace {

QString dash() {
    return QStringLiteral("–");
}

// Numeric sort with missing values last in either direction is not expressible with one key; missing values sort
// as +inf, i.e. last ascending (the usual "best first" for bytes, bitrate and times).
class NumericProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override {
        const QVariant a = left.data(MetricsTableModel::SortRole), b = right.data(MetricsTableModel::SortRole);
        if (a.typeId() == QMetaType::QString || b.typeId() == QMetaType::QString)
            return QString::localeAwareCompare(a.toString(), b.toString()) < 0;
        const bool aValid = a.isValid(), bValid = b.isValid();
        if (aValid != bValid) return aValid;
        if (!aValid) return false;
        return a.toDouble() < b.toDouble();
    }
};

}  // namespace

MetricsTableModel::MetricsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int MetricsTableModel::rowOf(const QString& key) const {
    for (int i = 0; i < int(rows_.size()); ++i)
        if (rows_[std::size_t(i)].key == key) return i;
    return -1;
}

void MetricsTableModel::setRow(const MetricsTableRow& row) {
    const int i = rowOf(row.key);
    if (i < 0) {
        beginInsertRows(QModelIndex(), int(rows_.size()), int(rows_.size()));
        rows_.push_back(row);
        endInsertRows();
        return;
    }
    rows_[std::size_t(i)] = row;
    emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
}

void MetricsTableModel::setPending(const QString& key, bool pending) {
    const int i = rowOf(key);
    if (i < 0 || rows_[std::size_t(i)].pending == pending) return;
    rows_[std::size_t(i)].pending = pending;
    emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
}

void MetricsTableModel::removeRow(const QString& key) {
    const int i = rowOf(key);
    if (i < 0) return;
    beginRemoveRows(QModelIndex(), i, i);
    rows_.erase(rows_.begin() + i);
    endRemoveRows();
}

void MetricsTableModel::clearRows() {
    beginResetModel();
    rows_.clear();
    endResetModel();
}

int MetricsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}

int MetricsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<double> MetricsTableModel::number(const MetricsTableRow& r, int column) {
    switch (column) {
        case Bytes:
            return r.bytes ? std::optional<double>(double(*r.bytes)) : std::nullopt;
        case Bitrate:
            return r.bitsPerTexel;
        case MPsnr:
            return r.mPsnr;
        case LogPsnr:
            return r.logPsnr;
        case Pu21Psnr:
            return r.pu21Psnr;
        case Ssim:
            return r.ssim;
        case MaxError:
            return r.maxError;
        case EncodeMs:
            return r.encodeMs;
        case DecodeMs:
            return r.decodeMs;
        case VramBpp:
            return r.vramBitsPerTexel;
        case LoadMs:
            return r.loadMs;
        default:
            return std::nullopt;
    }
}

QString MetricsTableModel::exportText(const MetricsTableRow& r, int column) {
    if (column == Codec) return r.codec;
    if (column == Settings) return r.settings;
    const auto v = number(r, column);
    if (!v || !std::isfinite(*v)) return {};
    if (column == Bytes) return QString::number(qint64(*v));
    return QString::number(*v, 'g', 8);
}

QVariant MetricsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(rows_.size())) return {};
    const MetricsTableRow& r = rows_[std::size_t(index.row())];
    const int c = index.column();
    if (role == Qt::DisplayRole) {
        if (c == Codec) return r.codec;
        if (c == Settings) return r.settings;
        const auto v = number(r, c);
        if (!v || !std::isfinite(*v)) return dash();
        const QLocale locale;
        switch (c) {
            case Bytes:
                return locale.toString(qint64(*v));
            case Bitrate:
            case VramBpp:
                return locale.toString(*v, 'f', 3);
            case MPsnr:
            case LogPsnr:
            case Pu21Psnr:
                return locale.toString(*v, 'f', 2);
            case Ssim:
                return locale.toString(*v, 'f', 4);
            case MaxError:
                return locale.toString(*v, 'g', 4);
            default: {
                const QString time = locale.toString(*v, 'f', *v < 10 ? 1 : 0);
                return r.timesShared ? tr("≈%1", "approximate time").arg(time) : time;
            }
        }
    }
    if (role == Qt::ToolTipRole && (c == EncodeMs || c == DecodeMs || c == LoadMs) && number(r, c))
        return r.timesShared ? tr("Measured while other codecs or sweeps shared the CPU; measured again alone once the "
                                  "app is idle.")
                             : tr("Measured with no other work running in the app.");
    if (role == SortRole) {
        if (c == Codec) return r.codec;
        if (c == Settings) return r.settings;
        const auto v = number(r, c);
        return v && std::isfinite(*v) ? QVariant(*v) : QVariant();
    }
    if (role == Qt::TextAlignmentRole)
        return int(c <= Settings ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && r.pending)
        return QApplication::palette().brush(QPalette::Disabled, QPalette::Text);
    return {};
}

QVariant MetricsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
            case Codec:
                return tr("Codec");
            case Settings:
                return tr("Settings");
            case Bytes:
                return tr("Bytes");
            case Bitrate:
                return tr("bpp");
            case MPsnr:
                return tr("mPSNR (dB)");
            case LogPsnr:
                return tr("log-PSNR (dB)");
            case Pu21Psnr:
                return tr("PU21-PSNR (dB)");
            case Ssim:
                return tr("PU21-SSIM");
            case MaxError:
                return tr("Max error");
            case EncodeMs:
                return tr("Encode (ms)");
            case DecodeMs:
                return tr("Decode (ms)");
            case VramBpp:
                return tr("VRAM bpp");
            case LoadMs:
                return tr("Load (ms)");
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
            case Bitrate:
                return tr("Bits per texel: bytes × 8 / texels, header included.");
            case MaxError:
                return tr("Largest absolute difference of any channel, in the image's own units.");
            case VramBpp:
                return tr(
                    "Bits per texel the texture takes in GPU memory: its GPU block format's, for a codec "
                    "followed by one.");
            case LoadMs:
                return tr(
                    "Load time of a codec followed by a GPU format: decoding the stored stream plus "
                    "transcoding it to the GPU format.");
            default:
                return {};
        }
    }
    return {};
}

// ---- view ---------------------------------------------------------------------------------------------------

MetricsTable::MetricsTable(QWidget* parent) : QTableView(parent) {
    model_ = new MetricsTableModel(this);
    proxy_ = new NumericProxy(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(MetricsTableModel::SortRole);
    proxy_->setDynamicSortFilter(true);
    setModel(proxy_);
    setSortingEnabled(true);
    sortByColumn(-1, Qt::AscendingOrder);  // insertion order until the user picks a column
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(false);
    horizontalHeader()->setSortIndicatorShown(true);
    setContextMenuPolicy(Qt::DefaultContextMenu);
}

QStringList MetricsTable::keysInViewOrder() const {
    QStringList keys;
    for (int r = 0; r < proxy_->rowCount(); ++r) {
        const QModelIndex source = proxy_->mapToSource(proxy_->index(r, 0));
        keys << model_->rows()[std::size_t(source.row())].key;
    }
    return keys;
}

QString MetricsTable::toTsv() const {
    QStringList lines;
    QStringList header;
    for (int c = 0; c < MetricsTableModel::ColumnCount; ++c)
        header << model_->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
    lines << header.join(QLatin1Char('\t'));
    const QModelIndexList selected = selectionModel() ? selectionModel()->selectedRows() : QModelIndexList();
    for (int r = 0; r < proxy_->rowCount(); ++r) {
        const QModelIndex viewIndex = proxy_->index(r, 0);
        if (!selected.isEmpty() && !selected.contains(viewIndex)) continue;
        const MetricsTableRow& row = model_->rows()[std::size_t(proxy_->mapToSource(viewIndex).row())];
        QStringList cells;
        for (int c = 0; c < MetricsTableModel::ColumnCount; ++c) {
            QString text = MetricsTableModel::exportText(row, c);
            text.replace(QLatin1Char('\t'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
            cells << text;
        }
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void MetricsTable::copyToClipboard() const {
    QApplication::clipboard()->setText(toTsv());
}

void MetricsTable::keyPressEvent(QKeyEvent* event) {
    if (event->matches(QKeySequence::Copy)) {
        copyToClipboard();
        event->accept();
        return;
    }
    QTableView::keyPressEvent(event);
}

void MetricsTable::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    QAction* copy = menu.addAction(tr("Copy as TSV"));
    copy->setShortcut(QKeySequence::Copy);
    QAction* copyAll = menu.addAction(tr("Copy All Rows"));
    QAction* chosen = menu.exec(event->globalPos());
    if (chosen == copy) {
        copyToClipboard();
    } else if (chosen == copyAll) {
        clearSelection();
        copyToClipboard();
    }
}

}  // namespace lmc
