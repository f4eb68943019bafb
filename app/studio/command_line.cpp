#include "app/studio/command_line.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include "app/studio/language.h"
#include "codec/install_paths.h"

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
    const QCommandLineOption rdPlot(
        QStringLiteral("rd-plot"),
        QCoreApplication::translate("lmc::studio::CommandLine",
                                    "Draw the rate-distortion curves of the `lmc eval` CSVs given as arguments "
                                    "(mean over the lightmaps) to a PNG, then exit."),
        QStringLiteral("OUT.png"));
    const QCommandLineOption rdMetric(
        QStringLiteral("rd-metric"),
        QCoreApplication::translate("lmc::studio::CommandLine",
                                    "Quality metric of --rd-plot: mpsnr, pu21psnr or both (default both)."),
        QStringLiteral("METRIC"));
    parser.addOption(screenshot);
    parser.addOption(lang);
    parser.addOption(rdPlot);
    parser.addOption(rdMetric);
    parser.addPositionalArgument(
        QStringLiteral("FILE"),
        QCoreApplication::translate("lmc::studio::CommandLine",
                                    "OpenEXR lightmap to open (default: the sample); with --rd-plot, the eval CSVs "
                                    "(SERIES=CSV names that CSV's curves SERIES)."),
        QStringLiteral("[FILE | CSV...]"));
    out.helpText = parser.helpText();
    if (!parser.parse(arguments)) {
        out.ok = false;
        out.error = parser.errorText();
        return out;
    }
    out.showHelp = parser.isSet(help);
    out.showVersion = parser.isSet(version);
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(rdPlot)) {
        out.rdPlotPath = parser.value(rdPlot);
        out.rdMetric = parser.isSet(rdMetric) ? parser.value(rdMetric) : QStringLiteral("both");
        out.csvFiles = positional;
        if (out.rdPlotPath.isEmpty()) {
            out.ok = false;
            out.error = QCoreApplication::translate("lmc::studio::CommandLine", "--rd-plot needs a file name.");
        } else if (parser.isSet(screenshot)) {
            out.ok = false;
            out.error = QCoreApplication::translate("lmc::studio::CommandLine",
                                                    "--rd-plot and --screenshot cannot be combined.");
        } else if (positional.isEmpty()) {
            out.ok = false;
            out.error = QCoreApplication::translate("lmc::studio::CommandLine",
                                                    "--rd-plot needs at least one CSV written by `lmc eval`.");
        } else if (out.rdMetric != QLatin1String("mpsnr") && out.rdMetric != QLatin1String("pu21psnr") &&
                   out.rdMetric != QLatin1String("both")) {
            out.ok = false;
            out.error = QCoreApplication::translate("lmc::studio::CommandLine",
                                                    "Unknown --rd-metric '%1' (use mpsnr, pu21psnr or both).")
                            .arg(out.rdMetric);
        }
        if (!out.ok) return out;
    } else if (parser.isSet(rdMetric)) {
        out.ok = false;
        out.error = QCoreApplication::translate("lmc::studio::CommandLine", "--rd-metric needs --rd-plot.");
        return out;
    }
    if (out.rdPlotPath.isEmpty() && positional.size() > 1) {
        out.ok = false;
        out.error = QCoreApplication::translate("lmc::studio::CommandLine", "Only one file can be opened: %1")
                        .arg(positional.join(QLatin1Char(' ')));
        return out;
    }
    if (!positional.isEmpty() && out.rdPlotPath.isEmpty()) out.file = positional.front();
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
    if (QCoreApplication::instance()) candidates << QDir(QCoreApplication::applicationDirPath()).filePath(name);
    for (const std::string& dir : dataDirectories()) candidates << QDir(QString::fromStdString(dir)).filePath(name);
    for (const QString& c : candidates)
        if (QFileInfo(c).isFile()) return QDir::cleanPath(QFileInfo(c).absoluteFilePath());
    return {};
}

}  // namespace lmc::studio
