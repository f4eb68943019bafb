// The lmstudio application: QApplication with an exception barrier, command-line handling, language selection
// and the --screenshot mode. main.cpp only calls runStudio().
//
// --screenshot OUT.png opens the file (or the sample), waits until the first reconstruction and its metrics are
// on screen, saves the window as PNG and exits: 0 on success, 1 when loading, compressing or saving failed,
// 3 after a 120 s timeout. It reads the user's settings but never writes them, and reports errors on stderr
// instead of in dialogs.
//
// --rd-plot OUT.png [--rd-metric mpsnr|pu21psnr|both] CSV... draws the RD curves of `lmc eval` CSVs (rd_plot.h)
// offscreen (QT_QPA_PLATFORM defaults to offscreen for it), saves the PNG and exits without opening the window:
// 0 on success, 1 for unreadable CSVs, nothing to plot or a failed write.
//
// Threading: GUI thread. Errors: exit codes as above; 2 for a bad command line.
#pragma once

#include <QApplication>

namespace lmc::studio {

class StudioApplication : public QApplication {
    Q_OBJECT
public:
    StudioApplication(int& argc, char** argv);
    // Exceptions must never unwind through Qt's event loop (undefined behaviour); this is the last barrier.
    bool notify(QObject* receiver, QEvent* event) override;
};

int runStudio(int& argc, char** argv);

}  // namespace lmc::studio
