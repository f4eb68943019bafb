// MultiMapEvaluation: the rate-quality sweeps of several codecs over several lightmaps (a level's or a game's maps),
// so a tech lead decides on all of them rather than the one open in the workspace. For every map and codec it runs
// the codec's RD sweep (SweepRunner::sweepValues over the rate parameter, the other parameters as given: production
// effort) through evaluate(), the app's one measurement pipeline, and keeps each point as a preset::EvalRow and the
// `lmc eval` CSV line it corresponds to, so the curves, the per-map and overall BD figures (preset::EvalSet,
// codec/bd_rate.h; the window's table through rd_summary.h compareBd, which also refuses overlaps too small for a
// figure) and an exported CSV all come from the same numbers.
//
// Work: one Normal-priority job per (map, codec) on the given JobScheduler (the workspace's: live slider work
// still comes first), single-threaded codecs and metrics so the cores run different jobs; each map is read once
// (loadLightmap: its normalisation and texel mask as the workspace uses them) and released when its jobs are done.
// Progress counts finished points; cancel() stops queued jobs and the running points (their CancelToken) and ends
// with finished(cancelled = true). A map that cannot be read, or a codec that fails on it, is reported
// (mapFailed) and skipped; the others go on.
//
// Threading: API and signals on the GUI thread; jobs post back with queued calls; the destructor cancels and waits.
// Errors: per map through mapFailed (lmc::Error); nothing throws out of a job.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <string>
#include <vector>

#include "app/preset/eval_csv.h"
#include "app/studio/job_scheduler.h"
#include "codec/codec.h"
#include "codec/metrics.h"

namespace lmc::studio {

class MultiMapEvaluation : public QObject {
    Q_OBJECT
public:
    struct CodecSetup {
        std::string id;
        ParamSet params;  // the non-rate parameters (the rate parameter is swept)
    };

    MultiMapEvaluation(const CodecRegistry& registry, std::shared_ptr<JobScheduler> scheduler,
                       QObject* parent = nullptr);
    ~MultiMapEvaluation() override;

    // EXR files under `paths` (files as given, folders searched recursively for *.exr, any case), sorted.
    static QStringList collectMaps(const QStringList& paths);

    // Starts a new run (cancelling one still going). Codecs without a rate parameter get their one setting.
    // `pointsPerCodec`: the sweep's steps (at most). False when there is nothing to do.
    bool start(const QStringList& maps, const std::vector<CodecSetup>& codecs, MaskMode mask, int pointsPerCodec = 6);
    void cancel();
    bool isRunning() const { return running_; }

    int donePoints() const { return done_; }
    int totalPoints() const { return total_; }
    const QStringList& maps() const { return maps_; }
    // The measured points so far, in arrival order; `file` is the map's file name.
    const std::vector<preset::EvalRow>& rows() const { return rows_; }
    // `lmc eval` CSV (header and one line per point, with the mask column) of what was measured.
    std::string csv() const;
    // Replaces the results with points measured elsewhere (an `lmc eval` CSV read back with preset::parseEvalCsv;
    // tests), cancelling a run still going; csv() then has no lines for them. rowsAdded and finished(false) follow.
    void setRows(std::vector<preset::EvalRow> rows);

signals:
    void progressChanged(int done, int total);
    void rowsAdded();
    // A map could not be read (codecId empty: reported once for the map) or a codec failed on it.
    void mapFailed(const QString& map, const QString& codecId, const lmc::Error& error);
    void finished(bool cancelled);

private:
    struct Run;
    void deliver(quint64 runId, std::vector<preset::EvalRow> rows, std::vector<std::string> lines, int points);
    void fail(quint64 runId, const QString& map, const QString& codecId, const Error& error, int points);
    void checkDone();

    const CodecRegistry& registry_;
    std::shared_ptr<JobScheduler> scheduler_;
    std::shared_ptr<JobScheduler::Group> group_;
    std::shared_ptr<CancelToken> token_;
    quint64 runId_ = 0;
    bool running_ = false;
    int done_ = 0;
    int total_ = 0;
    QStringList maps_;
    std::vector<preset::EvalRow> rows_;
    std::vector<std::string> csvLines_;
};

}  // namespace lmc::studio
