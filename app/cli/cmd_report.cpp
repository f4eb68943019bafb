// lmc report: Bjøntegaard BD-rate and BD-quality tables from `lmc eval` CSVs (codec/bd_rate.h).
//
// Rows are grouped by codec (column `codec`) and setting (`params`); a codec's curve on one file is its settings'
// (bpp, metric) points. For each reference (the --anchor, then every --versus) and every other codec the report
// gives, on the files both codecs have:
//   * per file: BD-rate and BD-quality of the codec against the reference;
//   * "mean of files": the arithmetic mean of the per-file values that are defined (as the JVET/JCT-VC common test
//     conditions average over sequences), with how many files contributed;
//   * "mean curve": BD between the two mean curves (bpp and metric averaged per setting over those files, only
//     settings present and finite for every file; eval_csv.h).
// --pareto fits each curve's Pareto front instead (codec/bd_rate.h paretoFront: settings that another setting
// beats with no more bits are left out), per file and for the mean curves.
// Where BD is undefined (no overlap or one narrower than codec/bd_rate.h's minimum, a single-rate curve, quality
// falling with rate, a non-finite score) the cell says "n/a" with a numbered note giving the reason; no number is
// made up. Exit status: 0 when the tables were written (even with n/a cells), 1 for usage errors, 2 for unreadable
// or malformed CSVs.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/cli/cli.h"
#include "app/preset/eval_csv.h"
#include "app/preset/metrics_csv.h"
#include "codec/bd_rate.h"
#include "codec/file_io.h"

namespace lmc::cli {

namespace {

using preset::EvalMetric;
using preset::EvalSet;

struct Cell {
    std::optional<double> value;
    std::vector<int> notes;  // 1-based note numbers
};

struct FileRow {
    std::string file;
    Cell rate, quality;
};

struct Pair {
    std::string reference, codec;
    std::vector<FileRow> files;
    Cell meanRate, meanQuality;
    int rateFiles = 0, qualityFiles = 0;  // files that contributed to the means
    Cell curveRate, curveQuality;
    int curveFiles = 0;
};

class Notes {
public:
    int add(const std::string& text) {
        auto it = std::find(texts_.begin(), texts_.end(), text);
        if (it != texts_.end()) return int(it - texts_.begin()) + 1;
        texts_.push_back(text);
        return int(texts_.size());
    }
    const std::vector<std::string>& texts() const { return texts_; }

private:
    std::vector<std::string> texts_;
};

std::vector<BdPoint> toBd(const std::vector<preset::RdSample>& samples) {
    std::vector<BdPoint> out;
    for (const auto& s : samples) out.push_back({s.bpp, s.value});
    return out;
}

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string joinList(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// Fills both cells of a BD comparison; a failure becomes a note (one note when both fail for the same reason).
// Overlaps narrower than codec/bd_rate.h's minimum are refused like a missing overlap, as in the app's tables.
void compare(const std::vector<BdPoint>& ref, const std::vector<BdPoint>& test, BdMethod method,
             const std::string& where, Notes& notes, Cell& rate, Cell& quality) {
    const BdOverlap overlap = bdOverlap(ref, test);
    auto sliver = [](const std::string& what, const std::string& shared, const std::string& least) {
        return Result<double>(makeError(
            ErrorCode::InvalidArgument,
            "the curves share only " + shared + " of " + what + " (at least " + least + " needed for a BD figure)"));
    };
    Result<double> r = overlap.qualityHi > overlap.qualityLo && !overlap.qualityEnough()
                           ? sliver("quality", fmt("%.2f", overlap.qualityLo) + fmt("\u2013%.2f dB", overlap.qualityHi),
                                    fmt("%.1f dB", kMinBdQualityOverlapDb))
                           : bdRate(ref, test, method);
    Result<double> q = overlap.rateHi > overlap.rateLo && !overlap.rateEnough()
                           ? sliver("rate", fmt("%.4g", overlap.rateLo) + fmt("\u2013%.4g bpp", overlap.rateHi),
                                    fmt("a ratio of %.2f", kMinBdRateOverlapRatio))
                           : bdQuality(ref, test, method);
    if (r) rate.value = *r;
    if (q) quality.value = *q;
    if (!r && !q && r.error().message == q.error().message) {
        const int n = notes.add(where + ": " + r.error().message);
        rate.notes.push_back(n);
        quality.notes.push_back(n);
        return;
    }
    if (!r) rate.notes.push_back(notes.add(where + ": BD-rate: " + r.error().message));
    if (!q) quality.notes.push_back(notes.add(where + ": BD-quality: " + q.error().message));
}

void meanOf(const std::vector<FileRow>& rows, Cell FileRow::*member, Cell& out, int& count, const std::string& where,
            Notes& notes) {
    double sum = 0;
    count = 0;
    for (const FileRow& row : rows)
        if ((row.*member).value) {
            sum += *(row.*member).value;
            ++count;
        }
    if (count > 0)
        out.value = sum / count;
    else
        out.notes.push_back(notes.add(where + ": undefined on every file (see the per-file notes)"));
}

std::string noteRefs(const Cell& c) {
    std::string out;
    for (int n : c.notes) out += " [" + std::to_string(n) + "]";
    return out;
}

std::string rateText(const Cell& c) {
    return (c.value ? fmt("%+.1f%%", *c.value) : std::string("n/a")) + noteRefs(c);
}

std::string qualityText(const Cell& c) {
    return (c.value ? fmt("%+.2f dB", *c.value) : std::string("n/a")) + noteRefs(c);
}

// A mean over fewer files than the pair has says over how many.
std::string ofFiles(std::string text, const Cell& c, int used, std::size_t total) {
    if (c.value && std::size_t(used) < total) text += " (" + std::to_string(used) + "/" + std::to_string(total) + ")";
    return text;
}

// A plain-text table: the first `leftColumns` columns left-aligned, the rest right-aligned.
std::string textTable(const std::vector<std::vector<std::string>>& rows, std::size_t leftColumns) {
    std::vector<std::size_t> width;
    auto displayWidth = [](const std::string& s) {  // UTF-8 aware enough for names and "–"
        std::size_t n = 0;
        for (unsigned char c : s) n += (c & 0xC0) != 0x80;
        return n;
    };
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (width.size() <= c) width.push_back(0);
            width[c] = std::max(width[c], displayWidth(row[c]));
        }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string pad(width[c] - displayWidth(row[c]), ' ');
            if (c > 0) line += "  ";
            line += c < leftColumns ? row[c] + pad : pad + row[c];
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

std::string markdownTable(const std::vector<std::vector<std::string>>& rows, std::size_t leftColumns) {
    std::string out;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        out += "|";
        for (const auto& cell : rows[r]) {
            std::string escaped;
            for (char ch : cell) escaped += ch == '|' ? std::string("\\|") : std::string(1, ch);
            out += " " + escaped + " |";
        }
        out += "\n";
        if (r == 0) {
            out += "|";
            for (std::size_t c = 0; c < rows[r].size(); ++c) out += c < leftColumns ? " --- |" : " ---: |";
            out += "\n";
        }
    }
    return out;
}

std::string csvNumber(const std::optional<double>& v) {
    return v ? fmt("%.4f", *v) : std::string();
}

std::string csvNotes(const Cell& a, const Cell& b, const Notes& notes) {
    std::vector<int> all = a.notes;
    for (int n : b.notes)
        if (std::find(all.begin(), all.end(), n) == all.end()) all.push_back(n);
    std::string out;
    for (int n : all) out += (out.empty() ? "" : "; ") + notes.texts()[std::size_t(n - 1)];
    return out;
}

struct ReportArgs {
    std::string anchor = "bc6h", metric = "mpsnr", method, outCsv, markdown;
    std::vector<std::string> versus, inputs;
    bool pareto = false;
};

int runReport(const ReportArgs& a) {
    EvalMetric metric = EvalMetric::MPsnr;
    if (!preset::parseEvalMetric(a.metric, metric) || metric == EvalMetric::Ssim)
        return usageError("--metric must be mpsnr, pu21psnr or logpsnr (BD needs a dB metric)");
    BdMethod method = BdMethod::Pchip;
    if (!a.method.empty() && !parseBdMethod(a.method, method)) return usageError("--method must be pchip or poly3");
    const bool pareto = a.pareto;
    auto curve = [pareto](const std::vector<preset::RdSample>& samples) {
        return pareto ? paretoFront(toBd(samples)) : toBd(samples);
    };
    const std::string &outCsv = a.outCsv, &outMd = a.markdown;
    for (const std::string& in : a.inputs)
        for (const std::string& out : {outCsv, outMd})
            if (!out.empty() && sameFile(preset::parseEvalCsvInput(in).path, out))
                return usageError("refusing to overwrite the input " + in);
    if (!outCsv.empty() && outCsv == outMd) return usageError("--out-csv and --markdown name the same file");

    auto rows = preset::readEvalCsvs(a.inputs);
    if (!rows) return failure(rows.error().message);
    if (rows->empty()) return failure("the CSVs hold no measurements");
    const EvalSet set(std::move(*rows));

    std::vector<std::string> references = {a.anchor};
    for (const std::string& v : a.versus)
        if (std::find(references.begin(), references.end(), v) == references.end()) references.push_back(v);
    for (const std::string& ref : references)
        if (!set.hasCodec(ref))
            return failure("no rows of codec '" + ref + "' in the CSVs (codecs found: " + joinList(set.codecs()) +
                           "; choose one with --anchor)");
    if (set.codecs().size() < 2)
        return failure("only codec '" + set.codecs().front() + "' in the CSVs: nothing to compare");

    // Short names when they are unambiguous: the tables stay readable with long data paths.
    const std::vector<std::string> allFiles = set.files();
    std::map<std::string, std::string> shortName;
    {
        std::map<std::string, int> count;
        for (const auto& f : allFiles) ++count[std::filesystem::path(f).filename().string()];
        bool unique = true;
        for (const auto& [name, n] : count) unique = unique && n == 1;
        for (const auto& f : allFiles) shortName[f] = unique ? std::filesystem::path(f).filename().string() : f;
    }

    Notes notes;
    std::vector<Pair> pairs;
    for (const std::string& ref : references) {
        for (const std::string& codec : set.codecs()) {
            if (codec == ref) continue;
            Pair pair;
            pair.reference = ref;
            pair.codec = codec;
            const std::vector<std::string> files = set.commonFiles({ref, codec});
            if (files.empty()) {
                const int n = notes.add(codec + " vs " + ref + ": no file has rows of both codecs");
                for (Cell* c : {&pair.meanRate, &pair.meanQuality, &pair.curveRate, &pair.curveQuality})
                    c->notes.push_back(n);
                pairs.push_back(std::move(pair));
                continue;
            }
            for (const std::string& f : files) {
                FileRow row;
                row.file = f;
                compare(curve(set.curve(ref, f, metric)), curve(set.curve(codec, f, metric)), method,
                        codec + " vs " + ref + ", " + shortName[f], notes, row.rate, row.quality);
                pair.files.push_back(std::move(row));
            }
            const std::string where = codec + " vs " + ref;
            meanOf(pair.files, &FileRow::rate, pair.meanRate, pair.rateFiles, where + ", mean of files", notes);
            meanOf(pair.files, &FileRow::quality, pair.meanQuality, pair.qualityFiles, where + ", mean of files",
                   notes);
            const preset::MeanCurve refCurve = set.meanCurve(ref, files, metric);
            const preset::MeanCurve testCurve = set.meanCurve(codec, files, metric);
            pair.curveFiles = int(files.size());
            compare(curve(refCurve.points), curve(testCurve.points), method, where + ", mean curves", notes,
                    pair.curveRate, pair.curveQuality);
            for (const preset::MeanCurve* mc : {&refCurve, &testCurve}) {
                const std::string& name = mc == &refCurve ? ref : codec;
                std::vector<int> dropped;
                if (!mc->incompleteSettings.empty())
                    dropped.push_back(notes.add(
                        "mean curve of " + name + " over " + std::to_string(files.size()) +
                        " file(s) leaves out settings missing on some file: " + joinList(mc->incompleteSettings)));
                if (!mc->nonFiniteSettings.empty())
                    dropped.push_back(notes.add(
                        "mean curve of " + name + " over " + std::to_string(files.size()) +
                        " file(s) leaves out settings with a non-finite score: " + joinList(mc->nonFiniteSettings)));
                for (int n : dropped) {
                    pair.curveRate.notes.push_back(n);
                    pair.curveQuality.notes.push_back(n);
                }
            }
            pairs.push_back(std::move(pair));
        }
    }

    const std::string label = preset::evalMetricLabel(metric);
    const std::string bdq = "BD-" + label;
    const std::string methodText =
        method == BdMethod::Pchip ? "PCHIP (piecewise cubic Hermite)" : "cubic polynomial fit";
    std::string text, md;
    md += "# BD-rate report\n\nMetric " + label + ", " + methodText +
          " interpolation, Bjøntegaard (VCEG-M33). Negative BD-rate: fewer bits than the reference at equal quality; "
          "positive " +
          bdq + ": higher quality at equal rate.\n";
    if (pareto)
        md +=
            "\nCurves: each codec's Pareto front (a setting that another setting beats with no more bits is left "
            "out).\n";
    for (const std::string& ref : references) {
        std::vector<std::vector<std::string>> summary = {{"codec", "BD-rate (mean of files)", bdq + " (mean of files)",
                                                          "files", "BD-rate (mean curve)", bdq + " (mean curve)"}};
        std::vector<std::vector<std::string>> detail = {{"codec", "file", "BD-rate", bdq}};
        for (const Pair& pair : pairs) {
            if (pair.reference != ref) continue;
            summary.push_back(
                {pair.codec, ofFiles(rateText(pair.meanRate), pair.meanRate, pair.rateFiles, pair.files.size()),
                 ofFiles(qualityText(pair.meanQuality), pair.meanQuality, pair.qualityFiles, pair.files.size()),
                 std::to_string(pair.files.size()), rateText(pair.curveRate), qualityText(pair.curveQuality)});
            for (const FileRow& row : pair.files)
                detail.push_back({pair.codec, shortName[row.file], rateText(row.rate), qualityText(row.quality)});
        }
        const std::string heading =
            "BD against " + ref + " (" + label + ", " + bdMethodName(method) + (pareto ? ", Pareto fronts" : "") + ")";
        text += "\n" + heading + "\n" + textTable(summary, 1) + "\nper file:\n" + textTable(detail, 2);
        md += "\n## Against " + ref + "\n\n" + markdownTable(summary, 1) + "\n### Per file\n\n" +
              markdownTable(detail, 2);
    }
    text +=
        "\nfiles: files with rows of both codecs; a mean of fewer files says (used/files). mean curve: BD between "
        "the curves averaged per setting over those files.\n";
    if (!notes.texts().empty()) {
        text += "\nnotes (anchor = the reference codec, test = the codec of the row):\n";
        md += "\n## Notes\n\nAnchor = the reference codec, test = the codec of the row.\n\n";
        for (std::size_t i = 0; i < notes.texts().size(); ++i) {
            text += "[" + std::to_string(i + 1) + "] " + notes.texts()[i] + "\n";
            md += std::to_string(i + 1) + ". " + notes.texts()[i] + "\n";
        }
    }
    std::fputs(text.c_str() + 1, stdout);  // without the leading blank line

    if (!outCsv.empty()) {
        // files: the files behind the row; *_files: how many of them gave a defined value (means of files).
        std::string csv =
            "reference,codec,metric,method,scope,file,files,bd_rate_percent,bd_rate_files,"
            "bd_quality_db,bd_quality_files,note\n";
        auto line = [&](const Pair& pair, const char* scope, const std::string& file, int files, const Cell& rate,
                        int rateFiles, const Cell& quality, int qualityFiles) {
            csv += preset::csvField(pair.reference) + "," + preset::csvField(pair.codec) + "," +
                   preset::evalMetricColumn(metric) + "," + bdMethodName(method) + (pareto ? "+pareto" : "") + "," +
                   scope + "," + preset::csvField(file) + "," + std::to_string(files) + "," + csvNumber(rate.value) +
                   "," + std::to_string(rateFiles) + "," + csvNumber(quality.value) + "," +
                   std::to_string(qualityFiles) + "," + preset::csvField(csvNotes(rate, quality, notes)) + "\n";
        };
        for (const Pair& pair : pairs) {
            const int n = int(pair.files.size());
            for (const FileRow& row : pair.files)
                line(pair, "file", row.file, 1, row.rate, row.rate.value ? 1 : 0, row.quality,
                     row.quality.value ? 1 : 0);
            line(pair, "mean_of_files", "", n, pair.meanRate, pair.rateFiles, pair.meanQuality, pair.qualityFiles);
            line(pair, "mean_curve", "", pair.curveFiles, pair.curveRate, pair.curveRate.value ? n : 0,
                 pair.curveQuality, pair.curveQuality.value ? n : 0);
        }
        if (auto s = writeFileAtomic(outCsv, reinterpret_cast<const std::uint8_t*>(csv.data()), csv.size()); !s)
            return failure(s.error().message);
    }
    if (!outMd.empty()) {
        if (auto s = writeFileAtomic(outMd, reinterpret_cast<const std::uint8_t*>(md.data()), md.size()); !s)
            return failure(s.error().message);
    }
    return kExitOk;
}

}  // namespace

Run declareReport(CLI::App& command) {
    auto a = std::make_shared<ReportArgs>();
    command.add_option("--anchor", a->anchor, "reference codec")->type_name("CODEC")->capture_default_str();
    command.add_option("--versus", a->versus, "more references")->type_name("CODEC");
    command.add_option("--metric", a->metric, "in dB")->type_name("mpsnr|pu21psnr|logpsnr")->capture_default_str();
    command.add_option("--method", a->method, "interpolation (default: pchip)")->type_name("pchip|poly3");
    command.add_flag("--pareto", a->pareto, "fit each codec's Pareto front");
    command.add_option("--out-csv", a->outCsv, "write the tables as CSV")->type_name("BD.csv");
    command.add_option("--markdown", a->markdown, "write the tables as Markdown")->type_name("BD.md");
    command
        .add_option("EVAL.csv", a->inputs,
                    "CSVs written by lmc eval; SERIES=EVAL.csv names that CSV's curves SERIES instead of their codec "
                    "(two runs of one codec side by side)")
        ->type_name("[SERIES=]EVAL.csv")
        ->required();
    return [a] { return runReport(*a); };
}

}  // namespace lmc::cli
