// StudioSettings: lmstudio's persistent state in one place, over QSettings: recent files (most recent first, at
// most kMaxRecentFiles, missing files pruned on request), main-window geometry, window state (toolbars, docks) and
// splitter state, the UI language, and the folders last used for opening, exporting and presets; the workspace's
// state: each codec's last parameters (as formatParamSet text) and whether it is switched on, the selected codec,
// the view mode, the texels the metrics count, the view switches (dimmed texels, fast preview, histograms) and the
// Charts view's choices. It is the one owner of
// these keys: MainWindow and WorkspaceModel read and write them only through this class.
//
// The keys are the ones MainWindow has always used ("recentFiles", "window/geometry", "window/splitter",
// "language", "lastDirectory", "codecs/<id>/params", "codecs/<id>/enabled", "codec", "view/mode", "metrics/mask",
// "view/dimUncovered", "window/centreSplitter"), so existing users keep their settings; new keys: "window/state",
// "export/lastDirectory", "presets/lastDirectory", "view/fastPreview", "view/histograms", "view/charts". QSettings
// objects on the same store share one in-process cache, so a StudioSettings and the window's own QSettings see each
// other's writes immediately.
//
// Construction: default = the user's settings (organisation/application names set by StudioApplication); an INI
// path = that file (tests, --screenshot runs that must not touch the user's settings); or an existing QSettings
// that the caller keeps owning.
//
// Threading: GUI thread (or any single thread; QSettings itself is reentrant, not shared). Errors: none; values
// that cannot be read come back empty.
#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <memory>

namespace lmc::studio {

class StudioSettings {
public:
    static constexpr int kMaxRecentFiles = 10;

    StudioSettings();                                 // the user's settings
    explicit StudioSettings(const QString& iniFile);  // empty: the user's settings
    explicit StudioSettings(QSettings* shared);       // not owned; must outlive this object

    QSettings& store() { return *settings_; }

    // Most recent first, absolute paths, no duplicates.
    QStringList recentFiles() const;
    // Moves (or adds) `path` to the front and trims the list to kMaxRecentFiles.
    void addRecentFile(const QString& path);
    void removeRecentFile(const QString& path);
    void clearRecentFiles();
    // Removes entries whose file no longer exists; returns them (for a "removed from the list" message).
    QStringList pruneMissingRecentFiles();

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    QByteArray splitterState() const;
    void setSplitterState(const QByteArray& state);

    QString language() const;  // as stored: "en", "zh_CN" or empty (follow the system)
    void setLanguage(const QString& code);

    // The folder the user last chose, per kind of file dialog (same keys as before: "lastDirectory",
    // "export/lastDirectory", "presets/lastDirectory"); a folder that no longer exists counts as none. Export and
    // preset folders fall back to the folder files were last opened from, then the home folder; Open gives empty.
    enum class Folder { Open, Export, Preset };
    QString lastDir(Folder folder) const;
    void setLastDir(Folder folder, const QString& dir);

    QByteArray centreSplitterState() const;
    void setCentreSplitterState(const QByteArray& state);

    // A codec's stored parameters (formatParamSet text; empty when none) and whether it is switched on (default on).
    QString codecParams(const QString& codecId) const;
    void setCodecParams(const QString& codecId, const QString& params);
    bool codecEnabled(const QString& codecId, bool fallback = true) const;
    void setCodecEnabled(const QString& codecId, bool enabled);
    // The GPU format a codec's result is transcoded to (parseGpuFormat text; empty: none).
    QString codecGpuFormat(const QString& codecId) const;
    void setCodecGpuFormat(const QString& codecId, const QString& format);
    // The selected codec (empty when none stored), the view mode index, the metrics' texels ("visible" when none)
    // and whether uncounted texels are dimmed (default on).
    QString selectedCodec() const;
    void setSelectedCodec(const QString& codecId);
    int viewMode() const;
    void setViewMode(int mode);
    QString maskMode() const;
    void setMaskMode(const QString& mode);
    // View switches, each on by default: uncounted texels dimmed, the live view's fast preview, the histograms.
    enum class ViewFlag { DimUncovered, FastPreview, Histograms };
    bool viewFlag(ViewFlag flag) const;
    void setViewFlag(ViewFlag flag, bool on);
    // The Charts view's choices (ChartsPanel::saveChoices).
    QVariantMap chartChoices() const;
    void setChartChoices(const QVariantMap& choices);

    void sync() { settings_->sync(); }

private:
    void setRecentFiles(const QStringList& files);

    std::unique_ptr<QSettings> owned_;
    QSettings* settings_ = nullptr;
};

}  // namespace lmc::studio
