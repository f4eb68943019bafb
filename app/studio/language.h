// Language: which translation of lmstudio is installed. English ("en") and Simplified Chinese ("zh_CN") are
// compiled from translations/lmstudio_<code>.ts into .qm files embedded as resources (:/i18n/).
//
// The default follows the system locale (any Chinese UI language -> zh_CN, else en); the user's choice from the
// Language menu is stored in QSettings by the main window. Installing a language sends QEvent::LanguageChange to
// every widget, which retranslates itself; QLocale's default follows so numbers are formatted to match. Qt's own
// strings (standard dialogs) are translated too when Qt's translations are installed (Debian:
// qt6-translations-l10n); without them those few strings stay English.
//
// Threading: GUI thread only (QCoreApplication::installTranslator). Errors: apply() returns false for an unknown
// code or a missing .qm and leaves the current language installed.
#pragma once

#include <QString>
#include <QStringList>

namespace lmc::studio {

QStringList availableLanguages();                  // {"en", "zh_CN"}
QString languageDisplayName(const QString& code);  // in the language itself: "English", "简体中文"
QString systemDefaultLanguage();
QString normalizeLanguage(const QString& code);  // "zh", "zh-CN", "zh_CN" -> "zh_CN"; unknown -> ""
// Installs the translation for `code` (replacing the previous one).
bool applyLanguage(const QString& code);
QString currentLanguage();

}  // namespace lmc::studio
