#include "app/studio/command_line.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include "app/studio/language.h"

namespace lmc::studio {

CommandLine parseCommandLine(const QStringList& arguments) {
    CommandLine out;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("lmc::studio::CommandLine", "Compare HDR lightmap codecs interactively."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QCoreApplication::translate("lmc::studio::CommandLine",
                                    "Save a PNG of the window once the first result is shown, then exit."),
        QStringLiteral("OUT.png"));
    const QCommandLineOption lang(
        QStringLiteral("lang"),
        QCoreApplication::translate("lmc::studio::CommandLine", "User interface language: en or zh_CN."),
        QStringLiteral("CODE"));
    parser.addOption(screenshot);
    parser.addOption(lang);
    parser.addPositionalArgument(
        QStringLiteral("FILE"),
        QCoreApplication::translate("lmc::studio::CommandLine", "OpenEXR lightmap to open (default: the sample)."),
        QStringLiteral("[FILE]"));
    out.helpText = parser.helpText();
    if (!parser.parse(arguments)) {
        out.ok = false;
        out.error = parser.errorText();
        return out;
    }
    out.showHelp = parser.isSet(help);
    out.showVersion = parser.isSet(version);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        out.ok = false;
        out.error = QCoreApplication::translate("lmc::studio::CommandLine", "Only one file can be opened: %1")
                        .arg(positional.join(QLatin1Char(' ')));
        return out;
    }
    if (!positional.isEmpty()) out.file = positional.front();
    out.screenshotPath = parser.value(screenshot);
    if (parser.isSet(screenshot) && out.screenshotPath.isEmpty()) {
        out.ok = false;
        out.error = QCoreApplication::translate("lmc::studio::CommandLine", "--screenshot needs a file name.");
        return out;
    }
    if (parser.isSet(lang)) {
        out.language = normalizeLanguage(parser.value(lang));
        if (out.language.isEmpty()) {
            out.ok = false;
            out.error =
                QCoreApplication::translate("lmc::studio::CommandLine", "Unknown language '%1' (use en or zh_CN).")
                    .arg(parser.value(lang));
        }
    }
    return out;
}

QString findSampleLightmap() {
    const QString name = QStringLiteral("sample_lightmap.exr");
    QStringList candidates;
    if (QCoreApplication::instance()) {
        const QString appDir = QCoreApplication::applicationDirPath();
        candidates << QDir(appDir).filePath(name)
                   << QDir(appDir).filePath(QStringLiteral("../share/lightmap-codec-studio/") + name);
    }
#ifdef LMC_SOURCE_DIR
    candidates << QDir(QStringLiteral(LMC_SOURCE_DIR)).filePath(QStringLiteral("resources/") + name);
#endif
    for (const QString& c : candidates)
        if (QFileInfo(c).isFile()) return QDir::cleanPath(QFileInfo(c).absoluteFilePath());
    return {};
}

}  // namespace lmc::studio
