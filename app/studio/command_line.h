// The lmstudio command line: `lmstudio [FILE] [--screenshot OUT.png] [--lang en|zh_CN]`, or
// `lmstudio --rd-plot OUT.png [--rd-metric mpsnr|pu21psnr|both] CSV...` (rd_plot.h), and where the bundled sample
// lightmap lives.
//
// Threading: any thread. Errors: parseCommandLine() returns ok = false with a translated message for unknown
// options, surplus arguments or an unknown language; --help and --version set the matching flag.
#pragma once

#include <QString>
#include <QStringList>

namespace lmc::studio {

struct CommandLine {
    QString file;            // empty: open the sample
    QString screenshotPath;  // non-empty: grab the window after the first result and exit
    QString language;        // normalised code, empty = settings / system default
    QString rdPlotPath;      // non-empty: draw the RD plot of csvFiles to this PNG and exit
    QString rdMetric;        // "mpsnr", "pu21psnr" or "both" (empty = both)
    QStringList csvFiles;    // the eval CSVs of --rd-plot
    bool showHelp = false;
    bool showVersion = false;
    bool ok = true;
    QString error;
    QString helpText;
};

// `arguments` includes the program name first, as QCoreApplication::arguments().
CommandLine parseCommandLine(const QStringList& arguments);

// The sample lightmap: next to the executable, then in codec/install_paths.h dataDirectories(); empty
// when none exists.
QString findSampleLightmap();

}  // namespace lmc::studio
