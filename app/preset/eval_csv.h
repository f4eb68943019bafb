// Reading `lmc eval` CSVs back (file,codec,params,bytes,bpp,mpsnr,logpsnr,pu21psnr,ssim,... as metrics_csv.h and
// cmd_eval.cpp write them) and turning them into rate-quality curves: per codec and file, and averaged over files.
// Shared by `lmc report` (BD-rate tables) and `lmstudio --rd-plot` (RD chart PNG), so both see the same curves.
//
// Columns are found by header name (extra columns and any order are fine); fields may be RFC 4180 quoted. Empty
// metric fields read as NaN (not computed), "inf"/"-inf"/"nan" as such. A curve's points are its settings (the
// `params` column) in the order they first appear. Mean curves average bpp and the metric per setting over a set of
// files and keep only settings present, with a finite value, for every one of those files; what was left out is
// listed so callers can say so.
//
// Threading: pure functions and a read-only value type. Errors: CorruptData with the source name and line for a
// missing column, an unparsable number or a ragged row; IoError/TooLarge from reading; InvalidArgument for the same
// (file, codec, params) given twice.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codec/result.h"

namespace lmc::preset {

enum class EvalMetric { MPsnr, LogPsnr, Pu21Psnr, Ssim };

const char* evalMetricColumn(EvalMetric metric);  // "mpsnr", "logpsnr", "pu21psnr", "ssim"
const char* evalMetricLabel(EvalMetric metric);   // "mPSNR", "log-PSNR", "PU21-PSNR", "PU21-SSIM"
bool parseEvalMetric(const std::string& column, EvalMetric& out);

struct EvalRow {
    std::string file, codec, params;
    double bpp = 0;
    double mPsnr = 0, logPsnr = 0, pu21Psnr = 0, ssim = 0;  // NaN where the CSV left the field empty
    std::string mask = "covered";                           // texels measured (CSVs without the column: covered)
    std::string source;                                     // the CSV it came from
    int line = 0;                                           // 1-based line in that CSV
    double metric(EvalMetric m) const;
};

Result<std::vector<EvalRow>> parseEvalCsv(const std::string& text, const std::string& sourceName);
Result<std::vector<EvalRow>> readEvalCsv(const std::string& path);
// A CSV argument of `lmc report` and `lmstudio --rd-plot`: a path, or SERIES=PATH (as benchstat labels its inputs;
// SERIES of letters, digits and - _ . +). The rows of a CSV given with a series form curves named SERIES instead of
// their codec id (EvalRow::codec holds the series), so two runs of one codec (a parameter range held apart, another
// build) stand side by side in the tables and the plot. An argument that names an existing file is a plain path.
struct EvalCsvInput {
    std::string path, series;  // series empty: the rows keep their codec ids
};
EvalCsvInput parseEvalCsvInput(const std::string& argument);
// Reads every argument (parseEvalCsvInput) in order; refuses a (file, codec, params) that appears twice (naming both
// places) and rows measured over different texel sets (the `mask` column).
Result<std::vector<EvalRow>> readEvalCsvs(const std::vector<std::string>& arguments);

struct RdSample {
    std::string params;
    double bpp = 0;
    double value = 0;
};

struct MeanCurve {
    std::vector<RdSample> points;                 // averaged over `files`
    std::vector<std::string> files;               // what was averaged
    std::vector<std::string> incompleteSettings;  // left out: missing for some of the files
    std::vector<std::string> nonFiniteSettings;   // left out: bpp or metric not finite on some file
};

class EvalSet {
public:
    explicit EvalSet(std::vector<EvalRow> rows);

    const std::vector<EvalRow>& rows() const { return rows_; }
    const std::vector<std::string>& codecs() const { return codecs_; }  // order of first appearance
    bool hasCodec(const std::string& codec) const;
    std::vector<std::string> files() const;                          // every file, order of first appearance
    std::vector<std::string> files(const std::string& codec) const;  // files with rows of `codec`
    // Files for which every listed codec has at least one row (order of first appearance).
    std::vector<std::string> commonFiles(const std::vector<std::string>& codecs) const;

    // The codec's settings on one file as (bpp, metric), in order of first appearance; non-finite values kept.
    std::vector<RdSample> curve(const std::string& codec, const std::string& file, EvalMetric metric) const;
    MeanCurve meanCurve(const std::string& codec, const std::vector<std::string>& files, EvalMetric metric) const;

private:
    std::vector<EvalRow> rows_;
    std::vector<std::string> codecs_;
};

}  // namespace lmc::preset
