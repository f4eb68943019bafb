#include "app/studio/studio_settings.h"

#include <QDir>
#include <QFileInfo>

namespace lmc::studio {

namespace {
const QString kRecentFiles = QStringLiteral("recentFiles");
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kSplitter = QStringLiteral("window/splitter");
const QString kLanguage = QStringLiteral("language");
const QString kLastOpenDir = QStringLiteral("lastDirectory");
const QString kLastExportDir = QStringLiteral("export/lastDirectory");
const QString kLastPresetDir = QStringLiteral("presets/lastDirectory");
const QString kCentreSplitter = QStringLiteral("window/centreSplitter");
const QString kSelectedCodec = QStringLiteral("codec");
const QString kViewMode = QStringLiteral("view/mode");
const QString kMaskMode = QStringLiteral("metrics/mask");
const QString kDimUncovered = QStringLiteral("view/dimUncovered");
const QString kFastPreview = QStringLiteral("view/fastPreview");
const QString kChartChoices = QStringLiteral("view/charts");
const QString kHistogramsShown = QStringLiteral("view/histograms");

QString codecKey(const QString& codecId, const char* what) {
    return QStringLiteral("codecs/%1/%2").arg(codecId, QLatin1String(what));
}

QString existingDir(const QString& dir) {
    return !dir.isEmpty() && QFileInfo(dir).isDir() ? dir : QString();
}
}  // namespace

StudioSettings::StudioSettings() : owned_(std::make_unique<QSettings>()), settings_(owned_.get()) {}

StudioSettings::StudioSettings(const QString& iniFile)
    : owned_(iniFile.isEmpty() ? std::make_unique<QSettings>()
                               : std::make_unique<QSettings>(iniFile, QSettings::IniFormat)),
      settings_(owned_.get()) {}

StudioSettings::StudioSettings(QSettings* shared) : settings_(shared) {}

QStringList StudioSettings::recentFiles() const {
    QStringList out;
    for (const QString& path : settings_->value(kRecentFiles).toStringList())
        if (!path.isEmpty() && !out.contains(path)) out.append(path);
    while (out.size() > kMaxRecentFiles) out.removeLast();
    return out;
}

void StudioSettings::setRecentFiles(const QStringList& files) {
    settings_->setValue(kRecentFiles, files);
}

void StudioSettings::addRecentFile(const QString& path) {
    if (path.isEmpty()) return;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList recent = recentFiles();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecentFiles) recent.removeLast();
    setRecentFiles(recent);
}

void StudioSettings::removeRecentFile(const QString& path) {
    QStringList recent = recentFiles();
    recent.removeAll(path);
    recent.removeAll(QFileInfo(path).absoluteFilePath());
    setRecentFiles(recent);
}

void StudioSettings::clearRecentFiles() {
    setRecentFiles({});
}

QStringList StudioSettings::pruneMissingRecentFiles() {
    QStringList kept, removed;
    for (const QString& path : recentFiles()) (QFileInfo::exists(path) ? kept : removed).append(path);
    if (!removed.isEmpty()) setRecentFiles(kept);
    return removed;
}

QByteArray StudioSettings::windowGeometry() const {
    return settings_->value(kGeometry).toByteArray();
}
void StudioSettings::setWindowGeometry(const QByteArray& geometry) {
    settings_->setValue(kGeometry, geometry);
}
QByteArray StudioSettings::windowState() const {
    return settings_->value(kState).toByteArray();
}
void StudioSettings::setWindowState(const QByteArray& state) {
    settings_->setValue(kState, state);
}
QByteArray StudioSettings::splitterState() const {
    return settings_->value(kSplitter).toByteArray();
}
void StudioSettings::setSplitterState(const QByteArray& state) {
    settings_->setValue(kSplitter, state);
}

QString StudioSettings::language() const {
    return settings_->value(kLanguage).toString();
}
void StudioSettings::setLanguage(const QString& code) {
    settings_->setValue(kLanguage, code);
}

namespace {
const QString& folderKey(StudioSettings::Folder folder) {
    switch (folder) {
        case StudioSettings::Folder::Export:
            return kLastExportDir;
        case StudioSettings::Folder::Preset:
            return kLastPresetDir;
        case StudioSettings::Folder::Open:
            break;
    }
    return kLastOpenDir;
}
}  // namespace

QString StudioSettings::lastDir(Folder folder) const {
    QString dir = existingDir(settings_->value(folderKey(folder)).toString());
    if (folder == Folder::Open) return dir;
    if (dir.isEmpty()) dir = lastDir(Folder::Open);
    return dir.isEmpty() ? QDir::homePath() : dir;
}
void StudioSettings::setLastDir(Folder folder, const QString& dir) {
    settings_->setValue(folderKey(folder), dir);
}

QByteArray StudioSettings::centreSplitterState() const {
    return settings_->value(kCentreSplitter).toByteArray();
}
void StudioSettings::setCentreSplitterState(const QByteArray& state) {
    settings_->setValue(kCentreSplitter, state);
}

QString StudioSettings::codecParams(const QString& codecId) const {
    return settings_->value(codecKey(codecId, "params")).toString();
}
void StudioSettings::setCodecParams(const QString& codecId, const QString& params) {
    settings_->setValue(codecKey(codecId, "params"), params);
}
bool StudioSettings::codecEnabled(const QString& codecId, bool fallback) const {
    return settings_->value(codecKey(codecId, "enabled"), fallback).toBool();
}
void StudioSettings::setCodecEnabled(const QString& codecId, bool enabled) {
    settings_->setValue(codecKey(codecId, "enabled"), enabled);
}
QString StudioSettings::codecGpuFormat(const QString& codecId) const {
    return settings_->value(codecKey(codecId, "gpu_format")).toString();
}
void StudioSettings::setCodecGpuFormat(const QString& codecId, const QString& format) {
    settings_->setValue(codecKey(codecId, "gpu_format"), format);
}

QString StudioSettings::selectedCodec() const {
    return settings_->value(kSelectedCodec).toString();
}
void StudioSettings::setSelectedCodec(const QString& codecId) {
    settings_->setValue(kSelectedCodec, codecId);
}
int StudioSettings::viewMode() const {
    return settings_->value(kViewMode, 0).toInt();
}
void StudioSettings::setViewMode(int mode) {
    settings_->setValue(kViewMode, mode);
}
QString StudioSettings::maskMode() const {
    return settings_->value(kMaskMode, QStringLiteral("visible")).toString();
}
void StudioSettings::setMaskMode(const QString& mode) {
    settings_->setValue(kMaskMode, mode);
}
QVariantMap StudioSettings::chartChoices() const {
    return settings_->value(kChartChoices).toMap();
}
void StudioSettings::setChartChoices(const QVariantMap& choices) {
    settings_->setValue(kChartChoices, choices);
}
namespace {
const QString& viewFlagKey(StudioSettings::ViewFlag flag) {
    switch (flag) {
        case StudioSettings::ViewFlag::FastPreview:
            return kFastPreview;
        case StudioSettings::ViewFlag::Histograms:
            return kHistogramsShown;
        case StudioSettings::ViewFlag::DimUncovered:
            break;
    }
    return kDimUncovered;
}
}  // namespace

bool StudioSettings::viewFlag(ViewFlag flag) const {
    return settings_->value(viewFlagKey(flag), true).toBool();
}
void StudioSettings::setViewFlag(ViewFlag flag, bool on) {
    settings_->setValue(viewFlagKey(flag), on);
}

}  // namespace lmc::studio
