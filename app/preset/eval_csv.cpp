#include "app/preset/eval_csv.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "codec/file_io.h"

namespace lmc::preset {

namespace {

Error corrupt(const std::string& source, int line, const std::string& what) {
    return makeError(ErrorCode::CorruptData, source + ": line " + std::to_string(line) + ": " + what);
}

// Splits RFC 4180 records. Quoted fields may hold commas, quotes ("") and line breaks; CRLF and LF both end a
// record. `lines` gets each record's first line number.
Result<std::vector<std::vector<std::string>>> splitRecords(const std::string& text, const std::string& source,
                                                           std::vector<int>& lines) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false, fieldStarted = false, afterQuote = false;
    int line = 1, recordLine = 1;
    std::size_t i = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // a UTF-8 BOM from spreadsheet exports
    auto endRecord = [&] {
        record.push_back(std::move(field));
        field.clear();
        const bool blank = record.size() == 1 && record[0].empty() && !fieldStarted;
        if (!blank) {
            records.push_back(std::move(record));
            lines.push_back(recordLine);
        }
        record.clear();
        fieldStarted = afterQuote = false;
    };
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                    afterQuote = true;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
            fieldStarted = true;
            afterQuote = false;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            endRecord();
            ++line;
            recordLine = line;
        } else if (c == '"' && field.empty() && !afterQuote) {
            quoted = true;
            fieldStarted = true;
        } else {
            if (afterQuote) return corrupt(source, line, "text after a closing quote");
            if (c == '"') return corrupt(source, line, "a quote inside an unquoted field");
            field += c;
            fieldStarted = true;
        }
    }
    if (quoted) return corrupt(source, recordLine, "a quoted field is never closed");
    if (fieldStarted || !field.empty() || !record.empty()) endRecord();
    return records;
}

bool parseNumber(const std::string& text, double& out) {
    if (text.empty()) {
        out = std::nan("");
        return true;
    }
    if (text == "inf" || text == "+inf") {
        out = HUGE_VAL;
        return true;
    }
    if (text == "-inf") {
        out = -HUGE_VAL;
        return true;
    }
    if (text == "nan") {
        out = std::nan("");
        return true;
    }
    char* end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() && std::isfinite(out);
}

}  // namespace

const char* evalMetricColumn(EvalMetric metric) {
    switch (metric) {
        case EvalMetric::MPsnr:
            return "mpsnr";
        case EvalMetric::LogPsnr:
            return "logpsnr";
        case EvalMetric::Pu21Psnr:
            return "pu21psnr";
        case EvalMetric::Ssim:
            return "ssim";
    }
    return "mpsnr";
}

const char* evalMetricLabel(EvalMetric metric) {
    switch (metric) {
        case EvalMetric::MPsnr:
            return "mPSNR";
        case EvalMetric::LogPsnr:
            return "log-PSNR";
        case EvalMetric::Pu21Psnr:
            return "PU21-PSNR";
        case EvalMetric::Ssim:
            return "PU21-SSIM";
    }
    return "mPSNR";
}

bool parseEvalMetric(const std::string& column, EvalMetric& out) {
    for (EvalMetric m : {EvalMetric::MPsnr, EvalMetric::LogPsnr, EvalMetric::Pu21Psnr, EvalMetric::Ssim})
        if (column == evalMetricColumn(m)) {
            out = m;
            return true;
        }
    return false;
}

double EvalRow::metric(EvalMetric m) const {
    switch (m) {
        case EvalMetric::MPsnr:
            return mPsnr;
        case EvalMetric::LogPsnr:
            return logPsnr;
        case EvalMetric::Pu21Psnr:
            return pu21Psnr;
        case EvalMetric::Ssim:
            return ssim;
    }
    return mPsnr;
}

Result<std::vector<EvalRow>> parseEvalCsv(const std::string& text, const std::string& sourceName) {
    std::vector<int> lines;
    auto records = splitRecords(text, sourceName, lines);
    if (!records) return records.error();
    if (records->empty())
        return makeError(ErrorCode::CorruptData, sourceName + ": empty file, expected an `lmc eval` CSV header");
    const std::vector<std::string>& header = records->front();
    static const char* const kNeeded[] = {"file", "codec", "params", "bpp", "mpsnr", "logpsnr", "pu21psnr", "ssim"};
    std::map<std::string, std::size_t> column;
    for (std::size_t c = 0; c < header.size(); ++c) column.emplace(header[c], c);
    for (const char* name : kNeeded)
        if (!column.count(name))
            return corrupt(sourceName, lines.front(),
                           std::string("no '") + name + "' column; is this an `lmc eval` CSV?");
    std::vector<EvalRow> rows;
    for (std::size_t r = 1; r < records->size(); ++r) {
        const auto& rec = (*records)[r];
        const int line = lines[r];
        if (rec.size() != header.size())
            return corrupt(sourceName, line,
                           std::to_string(rec.size()) + " fields, the header has " + std::to_string(header.size()));
        EvalRow row;
        row.file = rec[column["file"]];
        row.codec = rec[column["codec"]];
        row.params = rec[column["params"]];
        row.source = sourceName;
        row.line = line;
        // CSVs written before the mask column measured the covered texels.
        row.mask = column.count("mask") ? rec[column["mask"]] : std::string("covered");
        if (row.mask != "visible" && row.mask != "covered" && row.mask != "all")
            return corrupt(sourceName, line, "mask '" + row.mask + "' is not visible, covered or all");
        if (row.file.empty() || row.codec.empty()) return corrupt(sourceName, line, "empty file or codec field");
        struct Number {
            const char* name;
            double* target;
        };
        const Number numbers[] = {{"bpp", &row.bpp},
                                  {"mpsnr", &row.mPsnr},
                                  {"logpsnr", &row.logPsnr},
                                  {"pu21psnr", &row.pu21Psnr},
                                  {"ssim", &row.ssim}};
        for (const Number& n : numbers) {
            const std::string& field = rec[column[n.name]];
            if (!parseNumber(field, *n.target))
                return corrupt(sourceName, line, std::string(n.name) + " '" + field + "' is not a number");
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<std::vector<EvalRow>> readEvalCsv(const std::string& path) {
    auto bytes = readFileBytes(path, std::uint64_t{256} << 20);
    if (!bytes) return bytes.error();
    return parseEvalCsv(std::string(bytes->begin(), bytes->end()), path);
}

EvalCsvInput parseEvalCsvInput(const std::string& argument) {
    const std::size_t eq = argument.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == argument.size()) return {argument, {}};
    const std::string name = argument.substr(0, eq);
    const bool isName = std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '+';
    });
    std::error_code ec;
    if (!isName || std::filesystem::exists(argument, ec)) return {argument, {}};
    return {argument.substr(eq + 1), name};
}

Result<std::vector<EvalRow>> readEvalCsvs(const std::vector<std::string>& arguments) {
    std::vector<EvalRow> all;
    std::map<std::tuple<std::string, std::string, std::string>, std::size_t> seen;
    for (const std::string& argument : arguments) {
        const EvalCsvInput input = parseEvalCsvInput(argument);
        auto rows = readEvalCsv(input.path);
        if (!rows) return rows.error();
        for (EvalRow& row : *rows) {
            if (!input.series.empty()) row.codec = input.series;
            // Numbers over different texel sets do not belong on one curve or in one BD table.
            if (!all.empty() && row.mask != all.front().mask)
                return makeError(ErrorCode::InvalidArgument,
                                 "metrics over different texels: " + all.front().source + " line " +
                                     std::to_string(all.front().line) + " counts " + all.front().mask + " texels, " +
                                     row.source + " line " + std::to_string(row.line) + " " + row.mask +
                                     " texels; evaluate every codec with the same --mask");
            auto [it, fresh] = seen.emplace(std::make_tuple(row.file, row.codec, row.params), all.size());
            if (!fresh) {
                const EvalRow& first = all[it->second];
                return makeError(ErrorCode::InvalidArgument,
                                 "the same measurement twice: " + row.file + ", " + row.codec + " " + row.params +
                                     " (" + first.source + " line " + std::to_string(first.line) + " and " +
                                     row.source + " line " + std::to_string(row.line) + ")");
            }
            all.push_back(std::move(row));
        }
    }
    return all;
}

EvalSet::EvalSet(std::vector<EvalRow> rows) : rows_(std::move(rows)) {
    for (const EvalRow& r : rows_)
        if (std::find(codecs_.begin(), codecs_.end(), r.codec) == codecs_.end()) codecs_.push_back(r.codec);
}

bool EvalSet::hasCodec(const std::string& codec) const {
    return std::find(codecs_.begin(), codecs_.end(), codec) != codecs_.end();
}

std::vector<std::string> EvalSet::files() const {
    std::vector<std::string> out;
    for (const EvalRow& r : rows_)
        if (std::find(out.begin(), out.end(), r.file) == out.end()) out.push_back(r.file);
    return out;
}

std::vector<std::string> EvalSet::files(const std::string& codec) const {
    std::vector<std::string> out;
    for (const EvalRow& r : rows_)
        if (r.codec == codec && std::find(out.begin(), out.end(), r.file) == out.end()) out.push_back(r.file);
    return out;
}

std::vector<std::string> EvalSet::commonFiles(const std::vector<std::string>& codecs) const {
    std::vector<std::string> out;
    for (const std::string& f : files()) {
        bool all = true;
        for (const std::string& c : codecs) {
            const bool has =
                std::any_of(rows_.begin(), rows_.end(), [&](const EvalRow& r) { return r.codec == c && r.file == f; });
            if (!has) {
                all = false;
                break;
            }
        }
        if (all) out.push_back(f);
    }
    return out;
}

std::vector<RdSample> EvalSet::curve(const std::string& codec, const std::string& file, EvalMetric metric) const {
    std::vector<RdSample> out;
    for (const EvalRow& r : rows_)
        if (r.codec == codec && r.file == file) out.push_back({r.params, r.bpp, r.metric(metric)});
    return out;
}

MeanCurve EvalSet::meanCurve(const std::string& codec, const std::vector<std::string>& files, EvalMetric metric) const {
    MeanCurve out;
    out.files = files;
    if (files.empty()) return out;
    std::vector<std::string> settings;
    for (const EvalRow& r : rows_)
        if (r.codec == codec && std::find(settings.begin(), settings.end(), r.params) == settings.end())
            settings.push_back(r.params);
    for (const std::string& setting : settings) {
        double bpp = 0, value = 0;
        std::size_t found = 0;
        bool finite = true;
        for (const std::string& f : files) {
            auto it = std::find_if(rows_.begin(), rows_.end(), [&](const EvalRow& r) {
                return r.codec == codec && r.file == f && r.params == setting;
            });
            if (it == rows_.end()) break;
            ++found;
            const double v = it->metric(metric);
            if (!std::isfinite(it->bpp) || !std::isfinite(v)) finite = false;
            bpp += it->bpp;
            value += v;
        }
        if (found < files.size()) {
            out.incompleteSettings.push_back(setting);
        } else if (!finite) {
            out.nonFiniteSettings.push_back(setting);
        } else {
            out.points.push_back({setting, bpp / double(files.size()), value / double(files.size())});
        }
    }
    return out;
}

}  // namespace lmc::preset
