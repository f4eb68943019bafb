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

QString StudioSettings::lastOpenDir() const {
    return existingDir(settings_->value(kLastOpenDir).toString());
}
void StudioSettings::setLastOpenDir(const QString& dir) {
    settings_->setValue(kLastOpenDir, dir);
}

QString StudioSettings::lastExportDir() const {
    QString dir = existingDir(settings_->value(kLastExportDir).toString());
    if (dir.isEmpty()) dir = lastOpenDir();
    return dir.isEmpty() ? QDir::homePath() : dir;
}
void StudioSettings::setLastExportDir(const QString& dir) {
    settings_->setValue(kLastExportDir, dir);
}

QString StudioSettings::lastPresetDir() const {
    QString dir = existingDir(settings_->value(kLastPresetDir).toString());
    if (dir.isEmpty()) dir = lastOpenDir();
    return dir.isEmpty() ? QDir::homePath() : dir;
}
void StudioSettings::setLastPresetDir(const QString& dir) {
    settings_->setValue(kLastPresetDir, dir);
}

}  // namespace lmc::studio
