#include "app/studio/studio_app.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPixmap>
#include <QSettings>
#include <QStringList>
#include <QTimer>

#include <cstdio>
#include <exception>

#include "app/studio/command_line.h"
#include "app/studio/language.h"
#include "app/studio/main_window.h"
#include "app/studio/rd_plot.h"

#ifndef LMC_VERSION
#define LMC_VERSION "0.0.0"
#endif

namespace lmc::studio {
namespace {

void printLine(FILE* stream, const QString& text) {
    std::fprintf(stream, "%s\n", text.toLocal8Bit().constData());
    std::fflush(stream);
}

// QApplication consumes its own options (-platform offscreen, -style fusion, ...) from argv; the console pass runs
// before it exists, so it drops them itself to avoid calling them unknown.
QStringList withoutQtOptions(const QStringList& arguments) {
    static const QStringList withValue = {QStringLiteral("-platform"),
                                          QStringLiteral("-platformpluginpath"),
                                          QStringLiteral("-platformtheme"),
                                          QStringLiteral("-plugin"),
                                          QStringLiteral("-style"),
                                          QStringLiteral("-stylesheet"),
                                          QStringLiteral("-display"),
                                          QStringLiteral("-geometry"),
                                          QStringLiteral("-qwindowgeometry"),
                                          QStringLiteral("-qwindowtitle"),
                                          QStringLiteral("-qwindowicon"),
                                          QStringLiteral("-session"),
                                          QStringLiteral("-title"),
                                          QStringLiteral("-name"),
                                          QStringLiteral("-font"),
                                          QStringLiteral("-fn"),
                                          QStringLiteral("-qwindowopacity")};
    static const QStringList flags = {QStringLiteral("-reverse"), QStringLiteral("-widgetcount"),
                                      QStringLiteral("-nograb"), QStringLiteral("-dograb"), QStringLiteral("-sync")};
    QStringList out;
    for (int i = 0; i < arguments.size(); ++i) {
        const QString& a = arguments[i];
        if (i > 0 && withValue.contains(a)) {
            ++i;
            continue;
        }
        if (i > 0 && (flags.contains(a) || a.startsWith(QLatin1String("-style=")) ||
                      a.startsWith(QLatin1String("-stylesheet=")) || a.startsWith(QLatin1String("-qmljsdebugger="))))
            continue;
        out << a;
    }
    return out;
}

}  // namespace

StudioApplication::StudioApplication(int& argc, char** argv) : QApplication(argc, argv) {}

bool StudioApplication::notify(QObject* receiver, QEvent* event) {
    try {
        return QApplication::notify(receiver, event);
    } catch (const std::exception& e) {
        printLine(stderr, QStringLiteral("lmstudio: unhandled exception: %1").arg(QString::fromUtf8(e.what())));
    } catch (...) {
        printLine(stderr, QStringLiteral("lmstudio: unhandled unknown exception"));
    }
    return false;
}

int runStudio(int& argc, char** argv) {
    QCoreApplication::setOrganizationName(QStringLiteral("LightmapCodecStudio"));
    QCoreApplication::setApplicationName(QStringLiteral("lmstudio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LMC_VERSION));
    // Command-line mistakes, --help and --version are answered without a GUI (no display needed).
    bool rdPlot = false, platformGiven = false;
    {
        QCoreApplication console(argc, argv);
        const CommandLine cl = parseCommandLine(withoutQtOptions(QCoreApplication::arguments()));
        if (!cl.ok) {
            printLine(stderr, QStringLiteral("lmstudio: %1\n\n%2").arg(cl.error, cl.helpText));
            return 2;
        }
        if (cl.showHelp) {
            printLine(stdout, cl.helpText);
            return 0;
        }
        if (cl.showVersion) {
            printLine(stdout, QStringLiteral("lmstudio %1").arg(QStringLiteral(LMC_VERSION)));
            return 0;
        }
        rdPlot = !cl.rdPlotPath.isEmpty();
        platformGiven = QCoreApplication::arguments().contains(QStringLiteral("-platform"));
    }
    // The RD plot is drawn offscreen: it needs no display unless the user picked a platform.
    if (rdPlot && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && !platformGiven)
        qputenv("QT_QPA_PLATFORM", "offscreen");
    StudioApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("Lightmap Codec Studio"));
    const CommandLine cl = parseCommandLine(QCoreApplication::arguments());

    QString language = cl.language;
    if (language.isEmpty()) language = normalizeLanguage(QSettings().value(QStringLiteral("language")).toString());
    if (language.isEmpty()) language = systemDefaultLanguage();
    if (!applyLanguage(language)) applyLanguage(QStringLiteral("en"));
    if (rdPlot) return runRdPlot(cl);

    const bool screenshot = !cl.screenshotPath.isEmpty();
    MainWindow::Options options;
    options.persistState = !screenshot;
    if (screenshot)
        options.errorPresenter = [](QWidget*, const QString& title, const QString& text) {
            printLine(stderr, QStringLiteral("lmstudio: %1: %2").arg(title, text));
        };
    MainWindow window(options);

    if (screenshot) {
        const QString out = QFileInfo(cl.screenshotPath).absoluteFilePath();
        auto done = std::make_shared<bool>(false);
        // Every enabled codec's first result (or failure) is awaited, so the screenshot shows all tiles.
        auto pending = std::make_shared<QStringList>();
        auto grab = [&window, out, done] {
            if (*done) return;
            *done = true;
            // One more turn of the event loop so pending paints and layout changes have landed.
            QTimer::singleShot(100, &window, [&window, out] {
                const QImage shot = window.grab().toImage();
                if (shot.isNull() || !shot.save(out, "PNG")) {
                    printLine(stderr, QStringLiteral("lmstudio: could not save the screenshot to %1").arg(out));
                    QCoreApplication::exit(1);
                    return;
                }
                printLine(stdout, QStringLiteral("lmstudio: screenshot saved to %1 (%2 x %3)")
                                      .arg(out)
                                      .arg(shot.width())
                                      .arg(shot.height()));
                QCoreApplication::exit(0);
            });
        };
        QObject::connect(&window, &MainWindow::imageLoaded, &window, [&window, pending, grab] {
            pending->clear();
            for (const auto& id : window.enabledCodecs()) *pending << QString::fromStdString(id);
            if (pending->isEmpty()) grab();
        });
        auto settle = [pending, grab](const QString& id) {
            if (pending->removeAll(id) > 0 && pending->isEmpty()) grab();
        };
        QObject::connect(&window, &MainWindow::codecMetricsShown, &window,
                         [settle](const QString& id, quint64) { settle(id); });
        QObject::connect(&window, &MainWindow::codecFailed, &window, [settle](const QString& id, const QString& text) {
            printLine(stderr, QStringLiteral("lmstudio: %1: %2").arg(id, text));
            settle(id);
        });
        QObject::connect(&window, &MainWindow::loadFailed, &window, [done] {
            if (*done) return;
            *done = true;
            QCoreApplication::exit(1);
        });
        QTimer::singleShot(120000, &window, [] {
            printLine(stderr, QStringLiteral("lmstudio: timed out waiting for the first result"));
            QCoreApplication::exit(3);
        });
    }

    window.show();
    QString file = cl.file;
    if (file.isEmpty()) file = findSampleLightmap();
    if (!file.isEmpty()) {
        window.openFile(file);
    } else if (screenshot) {
        printLine(stderr, QStringLiteral("lmstudio: no file given and the sample lightmap was not found"));
        return 1;
    }
    return app.exec();
}

}  // namespace lmc::studio
