#include "app/studio/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <memory>

namespace lmc::studio {
namespace {

struct State {
    std::unique_ptr<QTranslator> translator;
    std::unique_ptr<QTranslator> qtTranslator;  // Qt's own strings (file dialog, context menus), when installed
    QString code;
};

State& state() {
    static State s;
    return s;
}

}  // namespace

QStringList availableLanguages() {
    return {QStringLiteral("en"), QStringLiteral("zh_CN")};
}

QString languageDisplayName(const QString& code) {
    if (code == QLatin1String("zh_CN")) return QStringLiteral("简体中文");
    if (code == QLatin1String("en")) return QStringLiteral("English");
    return code;
}

QString normalizeLanguage(const QString& code) {
    const QString c = code.trimmed().toLower().replace(QLatin1Char('-'), QLatin1Char('_'));
    if (c == QLatin1String("en") || c.startsWith(QLatin1String("en_"))) return QStringLiteral("en");
    if (c == QLatin1String("zh") || c == QLatin1String("zh_cn") || c == QLatin1String("zh_hans") ||
        c.startsWith(QLatin1String("zh_hans")) || c == QLatin1String("zh_sg"))
        return QStringLiteral("zh_CN");
    return {};
}

QString systemDefaultLanguage() {
    for (const QString& ui : QLocale::system().uiLanguages()) {
        // Traditional Chinese users would rather read Simplified Chinese than English.
        if (ui.startsWith(QLatin1String("zh"), Qt::CaseInsensitive)) return QStringLiteral("zh_CN");
        if (ui.startsWith(QLatin1String("en"), Qt::CaseInsensitive)) return QStringLiteral("en");
    }
    return QStringLiteral("en");
}

bool applyLanguage(const QString& requested) {
    const QString code = normalizeLanguage(requested);
    if (code.isEmpty()) return false;
    auto translator = std::make_unique<QTranslator>();
    if (!translator->load(QStringLiteral(":/i18n/lmstudio_%1.qm").arg(code))) return false;
    State& s = state();
    if (s.qtTranslator) QCoreApplication::removeTranslator(s.qtTranslator.get());
    s.qtTranslator.reset();
    // Debian ships Qt's own translations separately (qt6-translations-l10n); use them when present.
    auto qtTranslator = std::make_unique<QTranslator>();
    if (code != QLatin1String("en") &&
        qtTranslator->load(QStringLiteral("qtbase_") + code, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qtTranslator.get());
        s.qtTranslator = std::move(qtTranslator);
    }
    if (s.translator) QCoreApplication::removeTranslator(s.translator.get());
    QCoreApplication::installTranslator(translator.get());
    s.translator = std::move(translator);
    s.code = code;
    QLocale::setDefault(QLocale(code == QLatin1String("zh_CN") ? QLocale::Chinese : QLocale::English,
                                code == QLatin1String("zh_CN") ? QLocale::China : QLocale::UnitedStates));
    return true;
}

QString currentLanguage() {
    return state().code;
}

}  // namespace lmc::studio
