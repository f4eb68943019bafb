#include "app/preset/preset.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <limits>
#include <new>
#include <type_traits>

#include "codec/evaluate.h"
#include "codec/file_io.h"

#ifndef LMC_VERSION
#define LMC_VERSION "unknown"
#endif

namespace lmc::preset {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Integers beyond 2^53 are not exact in a double; no preset field needs them.
constexpr double kMaxExactInteger = 9007199254740992.0;

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// Short form for messages: "150", "0.25", "1e+300".
std::string shortNumber(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

std::string describeRange(const ParamSpec& spec) {
    if (spec.type == ParamType::Enum) {
        std::string s;
        for (std::size_t i = 0; i < spec.choices.size(); ++i) s += (i ? ", " : "") + ("\"" + spec.choices[i] + "\"");
        return "one of " + s;
    }
    if (spec.type == ParamType::Bool) return "true or false";
    return formatParamValue(spec, spec.minValue) + ".." + formatParamValue(spec, spec.maxValue);
}

std::string knownIds(const ParamSchema& schema) {
    std::string s;
    for (const auto& spec : schema) s += (s.empty() ? "" : ", ") + spec.id;
    return s;
}

std::string knownCodecs(const CodecRegistry& registry) {
    std::string s;
    for (const auto& id : registry.ids()) s += (s.empty() ? "" : ", ") + id;
    return s;
}

// Reads one parameter value from JSON, typed by its spec.
Result<double> readParam(const ParamSpec& spec, const json::Value& v) {
    const std::string where = "params." + spec.id + ": ";
    auto typeError = [&](const char* expected) {
        return makeError(ErrorCode::InvalidArgument, where + "expected " + expected + ", found a JSON " +
                                                         v.type_name() + " (allowed: " + describeRange(spec) + ")");
    };
    switch (spec.type) {
        case ParamType::Bool:
            if (!v.is_boolean()) return typeError("true or false");
            return v.get<bool>() ? 1.0 : 0.0;
        case ParamType::Enum: {
            if (!v.is_string()) return typeError("a string");
            const std::string& choice = v.get_ref<const std::string&>();
            for (std::size_t i = 0; i < spec.choices.size(); ++i)
                if (spec.choices[i] == choice) return double(i);
            return makeError(ErrorCode::InvalidArgument,
                             where + "\"" + choice + "\" is not a choice (allowed: " + describeRange(spec) + ")");
        }
        case ParamType::Int:
        case ParamType::Float: {
            if (!v.is_number()) return typeError(spec.type == ParamType::Int ? "an integer" : "a number");
            const double x = v.get<double>();
            if (spec.type == ParamType::Int && std::floor(x) != x)
                return makeError(ErrorCode::InvalidArgument, where + shortNumber(x) + " is not an integer");
            if (x < spec.minValue || x > spec.maxValue)
                return makeError(ErrorCode::InvalidArgument,
                                 where + shortNumber(x) + " is out of range " + describeRange(spec));
            return x;
        }
    }
    return makeError(ErrorCode::Internal, where + "unknown parameter type");
}

json::Value writeParam(const ParamSpec& spec, double value) {
    switch (spec.type) {
        case ParamType::Bool:
            return json::Value(value != 0);
        case ParamType::Enum:
            return json::Value(formatParamValue(spec, value));
        case ParamType::Int:
            return json::Value(std::llround(value));
        case ParamType::Float:
            return json::number(value);
    }
    return json::number(value);
}

// Metrics are informational: anything malformed is dropped with a warning instead of refusing the preset.
std::optional<MetricsSnapshot> readMetrics(const json::Value& v, std::vector<std::string>& warnings) {
    if (v.is_null()) return std::nullopt;
    if (!v.is_object()) {
        warnings.push_back(std::string("\"metrics\" is a JSON ") + v.type_name() +
                           ", not an object; the metrics snapshot was ignored");
        return std::nullopt;
    }
    MetricsSnapshot m;
    auto real = [&](const std::string& key, const json::Value& field, double& out) {
        if (field.is_number()) {
            out = field.get<double>();
        } else if (!field.is_null()) {
            warnings.push_back("metrics." + key + " is not a number; ignored");
        }
    };
    auto integer = [&](const std::string& key, const json::Value& field, double lo, double hi, auto& out) {
        const double x = field.is_number() ? field.get<double>() : kNaN;
        if (std::floor(x) == x && x >= lo && x <= hi) {
            out = static_cast<std::remove_reference_t<decltype(out)>>(x);
        } else if (!field.is_null()) {
            warnings.push_back("metrics." + key + " is not an integer in " + shortNumber(lo) + ".." + shortNumber(hi) +
                               "; ignored");
        }
    };
    for (const auto& [key, field] : v.items()) {
        if (key == "bpp")
            real(key, field, m.bpp);
        else if (key == "mpsnr")
            real(key, field, m.mpsnr);
        else if (key == "logpsnr")
            real(key, field, m.logpsnr);
        else if (key == "pu21psnr")
            real(key, field, m.pu21psnr);
        else if (key == "ssim")
            real(key, field, m.ssim);
        else if (key == "bytes")
            integer(key, field, 0, kMaxExactInteger, m.bytes);
        else if (key == "width")
            integer(key, field, 1, kMaxImageSide, m.width);
        else if (key == "height")
            integer(key, field, 1, kMaxImageSide, m.height);
        else if (key == "source_file") {
            if (field.is_string())
                m.sourceFile = std::filesystem::path(field.get<std::string>()).filename().string();
            else if (!field.is_null())
                warnings.push_back("metrics.source_file is not a string; ignored");
        } else {
            warnings.push_back("unknown key metrics." + key + " ignored");
        }
    }
    return m;
}

json::Value writeMetrics(const MetricsSnapshot& m) {
    json::Value o = json::Value::object();
    auto real = [&](const char* key, double v) {
        if (std::isfinite(v)) o[key] = json::number(v);
    };
    real("bpp", m.bpp);
    real("mpsnr", m.mpsnr);
    real("logpsnr", m.logpsnr);
    real("pu21psnr", m.pu21psnr);
    real("ssim", m.ssim);
    if (m.bytes > 0) o["bytes"] = m.bytes;
    if (!m.sourceFile.empty()) o["source_file"] = std::filesystem::path(m.sourceFile).filename().string();
    if (m.width > 0) o["width"] = m.width;
    if (m.height > 0) o["height"] = m.height;
    return o;
}

Status checkSolvable(const Codec& codec, const SolveTarget& solve) {
    if (!codec.rateParam())
        return makeError(ErrorCode::Unsupported,
                         "codec '" + codec.id() + "' has no rate parameter, so a quality target cannot be solved");
    if (!std::isfinite(solve.value) || solve.value <= 0)
        return makeError(ErrorCode::InvalidArgument,
                         "solve.target: " + shortNumber(solve.value) + " must be a finite number above 0");
    return {};
}

// An empty text is no chain; anything else must be a GPU format of `registry` (parseGpuFormat).
Status checkGpuFormat(const CodecRegistry& registry, const std::string& text) {
    if (text.empty()) return {};
    auto parsed = parseGpuFormat(registry, text);
    if (!parsed) return makeError(ErrorCode::InvalidArgument, "gpu_format: " + parsed.error().message);
    return {};
}

Result<SolveTarget> readSolve(const json::Value& v, std::vector<std::string>& warnings) {
    const auto invalid = [](const std::string& message) { return makeError(ErrorCode::InvalidArgument, message); };
    if (!v.is_object()) return invalid(std::string("\"solve\" must be an object, found a JSON ") + v.type_name());
    SolveTarget solve;
    const json::Value* metric = json::find(v, "metric");
    if (!metric) return invalid("solve.metric is missing (mpsnr, pu21psnr, logpsnr or bpp)");
    if (!metric->is_string() || !parseSolveMetric(metric->get<std::string>(), solve.metric))
        return invalid("solve.metric must be one of \"mpsnr\", \"pu21psnr\", \"logpsnr\", \"bpp\"");
    const json::Value* target = json::find(v, "target");
    if (!target) return invalid("solve.target is missing");
    if (!target->is_number())
        return invalid(std::string("solve.target: expected a number, found a JSON ") + target->type_name());
    solve.value = target->get<double>();
    if (!std::isfinite(solve.value) || solve.value <= 0)
        return invalid("solve.target: " + shortNumber(solve.value) + " must be a finite number above 0");
    for (const auto& member : v.items())
        if (member.key() != "metric" && member.key() != "target")
            warnings.push_back("unknown key solve." + member.key() + " ignored");
    return solve;
}

}  // namespace

MetricsSnapshot::MetricsSnapshot() : bpp(kNaN), mpsnr(kNaN), logpsnr(kNaN), pu21psnr(kNaN), ssim(kNaN) {}

MetricsSnapshot makeMetricsSnapshot(const QualityMetrics* metrics, std::uint64_t bytes, int width, int height,
                                    const std::string& sourcePath) {
    MetricsSnapshot m;
    m.bytes = bytes;
    m.width = width;
    m.height = height;
    m.bpp = bitsPerTexel(std::size_t(bytes), std::int64_t{width} * height);
    if (metrics) {
        m.mpsnr = metrics->mPsnr;
        m.logpsnr = metrics->logPsnr;
        m.pu21psnr = metrics->pu21Psnr;
        m.ssim = metrics->pu21Ssim;
    }
    if (!sourcePath.empty()) m.sourceFile = std::filesystem::path(sourcePath).filename().string();
    return m;
}

const char* appVersion() {
    return LMC_VERSION;
}

std::string isoTimeNow() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    if (gmtime_r(&now, &utc) == nullptr) return {};
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
}

std::string schemaFingerprint(const ParamSchema& schema) {
    std::vector<const ParamSpec*> specs;
    for (const auto& spec : schema) specs.push_back(&spec);
    std::sort(specs.begin(), specs.end(), [](const ParamSpec* a, const ParamSpec* b) { return a->id < b->id; });
    std::string canonical;
    for (const ParamSpec* spec : specs) {
        canonical += spec->id + '\x1f' + paramTypeName(spec->type) + '\x1f' + number(spec->minValue) + '\x1f' +
                     number(spec->maxValue);
        for (const auto& choice : spec->choices) canonical += '\x1f' + choice;
        canonical += '\x1e';
    }
    std::uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a, 64 bit
    for (unsigned char c : canonical) {
        hash ^= c;
        hash *= 0x100000001b3ull;
    }
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
    return buf;
}

Result<Preset> makePreset(const CodecRegistry& registry, const std::string& codecId, const ParamSet& params,
                          const std::string& target, const std::optional<SolveTarget>& solve,
                          const std::string& gpuFormat) {
    const Codec* codec = registry.find(codecId);
    if (!codec)
        return makeError(ErrorCode::Unsupported,
                         "unknown codec '" + codecId + "' (available: " + knownCodecs(registry) + ")");
    const ParamSchema schema = codec->schema();
    auto validated = validateParams(schema, params);
    if (!validated) return validated.error();
    if (solve)
        if (auto s = checkSolvable(*codec, *solve); !s) return s.error();
    if (auto s = checkGpuFormat(registry, gpuFormat); !s) return s.error();
    Preset p;
    p.appVersion = appVersion();
    p.target = target;
    p.codecId = codecId;
    p.schemaVersion = schemaFingerprint(schema);
    p.params = *validated;
    p.solve = solve;
    p.gpuFormat = gpuFormat;
    p.created = isoTimeNow();
    return p;
}

Result<json::Value> presetToJson(const Preset& preset, const CodecRegistry& registry) {
    const Codec* codec = registry.find(preset.codecId);
    if (!codec)
        return makeError(ErrorCode::Unsupported,
                         "unknown codec '" + preset.codecId + "' (available: " + knownCodecs(registry) + ")");
    const ParamSchema schema = codec->schema();
    auto params = validateParams(schema, preset.params);
    if (!params) return params.error();
    json::Value root = json::Value::object();
    root["format"] = kPresetFormat;
    if (preset.solve)
        if (auto s = checkSolvable(*codec, *preset.solve); !s) return s.error();
    root["version"] = preset.solve ? kPresetVersion : kFixedPresetVersion;
    root["app_version"] = preset.appVersion.empty() ? std::string(appVersion()) : preset.appVersion;
    root["target"] = preset.target;
    root["codec"] = preset.codecId;
    root["schema_version"] = preset.schemaVersion.empty() ? schemaFingerprint(schema) : preset.schemaVersion;
    json::Value p = json::Value::object();
    for (const auto& spec : schema) p[spec.id] = writeParam(spec, params->get(spec.id));
    root["params"] = std::move(p);
    if (preset.solve) {
        json::Value solve = json::Value::object();
        solve["metric"] = solveMetricName(preset.solve->metric);
        solve["target"] = json::number(preset.solve->value);
        root["solve"] = std::move(solve);
    }
    if (!preset.gpuFormat.empty()) {
        if (auto s = checkGpuFormat(registry, preset.gpuFormat); !s) return s.error();
        root["gpu_format"] = preset.gpuFormat;
    }
    if (preset.metrics) root["metrics"] = writeMetrics(*preset.metrics);
    root["created"] = preset.created.empty() ? isoTimeNow() : preset.created;
    return root;
}

Result<std::string> serializePreset(const Preset& preset, const CodecRegistry& registry) {
    try {
        auto root = presetToJson(preset, registry);
        if (!root) return root.error();
        return json::write(*root);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while writing a preset");
    }
}

Status savePreset(const std::string& path, const Preset& preset, const CodecRegistry& registry,
                  const std::string& protectedSource) {
    auto text = serializePreset(preset, registry);
    if (!text) return text.error();
    return writeFileAtomic(path, reinterpret_cast<const std::uint8_t*>(text->data()), text->size(), protectedSource);
}

Result<LoadedPreset> presetFromJson(const json::Value& root, const CodecRegistry& registry) {
    auto corrupt = [](const std::string& message) { return makeError(ErrorCode::CorruptData, message); };
    if (!root.is_object())
        return corrupt(std::string("not an lmc preset: the file holds a JSON ") + root.type_name() + ", not an object");
    LoadedPreset out;
    Preset& p = out.preset;
    auto& warnings = out.warnings;

    const json::Value* format = json::find(root, "format");
    if (!format) return corrupt("not an lmc preset: no \"format\": \"lmc-preset\" member");
    if (!format->is_string() || *format != kPresetFormat)
        return corrupt("not an lmc preset: \"format\" is " +
                       (format->is_string() ? "\"" + format->get<std::string>() + "\"" : std::string("not a string")) +
                       ", expected \"lmc-preset\"");

    const json::Value* version = json::find(root, "version");
    if (!version) return corrupt("\"version\" is missing");
    const double v = version->is_number() ? version->get<double>() : 0.0;
    if (!version->is_number() || std::floor(v) != v || v < 1) return corrupt("\"version\" must be a positive integer");
    if (v > kPresetVersion)
        return makeError(ErrorCode::Unsupported, "the preset has format version " + shortNumber(v) +
                                                     ", made by a newer program; this one reads version " +
                                                     std::to_string(kPresetVersion));

    const json::Value* codecId = json::find(root, "codec");
    if (!codecId) return corrupt("\"codec\" is missing");
    if (!codecId->is_string()) return corrupt("\"codec\" must be a string");
    const Codec* codec = registry.find(codecId->get<std::string>());
    if (!codec)
        return makeError(ErrorCode::Unsupported, "unknown codec '" + codecId->get<std::string>() +
                                                     "' (available: " + knownCodecs(registry) + ")");
    p.codecId = codec->id();
    const ParamSchema schema = codec->schema();

    const json::Value* params = json::find(root, "params");
    if (!params) return corrupt("\"params\" is missing");
    if (!params->is_object())
        return corrupt(std::string("\"params\" must be an object, found a JSON ") + params->type_name());
    for (const auto& [key, value] : params->items()) {
        const ParamSpec* spec = findParam(schema, key);
        if (!spec)
            return makeError(ErrorCode::InvalidArgument, "params." + key + ": codec '" + p.codecId +
                                                             "' has no such parameter (known: " + knownIds(schema) +
                                                             ")");
        auto x = readParam(*spec, value);
        if (!x) return x.error();
        p.params.set(key, *x);
    }
    for (const auto& spec : schema)
        if (!p.params.has(spec.id)) {
            warnings.push_back("parameter '" + spec.id + "' is not in the preset; using its default " +
                               formatParamValue(spec, spec.defaultValue));
            p.params.set(spec.id, spec.defaultValue);
        }
    auto validated = validateParams(schema, p.params);
    if (!validated) return validated.error();
    p.params = *validated;

    const std::string fingerprint = schemaFingerprint(schema);
    if (const json::Value* sv = json::find(root, "schema_version")) {
        p.schemaVersion = sv->is_string()   ? sv->get<std::string>()
                          : sv->is_number() ? shortNumber(sv->get<double>())
                                            : "";
        if (p.schemaVersion != fingerprint)
            warnings.push_back("the preset was made for another version of codec '" + p.codecId +
                               "' parameters (schema " + (p.schemaVersion.empty() ? "?" : p.schemaVersion) +
                               ", this program has " + fingerprint +
                               "); its values were checked against the current parameters");
    } else {
        warnings.push_back("\"schema_version\" is missing; the values were checked against the current parameters");
    }
    p.schemaVersion = fingerprint;

    if (const json::Value* target = json::find(root, "target")) {
        if (!target->is_string() && !target->is_null()) return corrupt("\"target\" must be a string");
        if (target->is_string()) p.target = target->get<std::string>();
    }
    if (const json::Value* app = json::find(root, "app_version")) {
        if (app->is_string())
            p.appVersion = app->get<std::string>();
        else if (!app->is_null())
            warnings.push_back("\"app_version\" is not a string; ignored");
    }
    if (const json::Value* created = json::find(root, "created")) {
        if (created->is_string())
            p.created = created->get<std::string>();
        else if (!created->is_null())
            warnings.push_back("\"created\" is not a string; ignored");
    }
    if (const json::Value* metrics = json::find(root, "metrics")) p.metrics = readMetrics(*metrics, warnings);
    if (const json::Value* solve = json::find(root, "solve"); solve && !solve->is_null()) {
        auto target = readSolve(*solve, warnings);
        if (!target) return target.error();
        if (auto s = checkSolvable(*codec, *target); !s) return s.error();
        p.solve = *target;
    }
    if (const json::Value* gpu = json::find(root, "gpu_format"); gpu && !gpu->is_null()) {
        if (!gpu->is_string())
            return makeError(ErrorCode::InvalidArgument,
                             std::string("gpu_format: expected a string, found a JSON ") + gpu->type_name());
        if (gpu->get<std::string>().empty())
            return makeError(ErrorCode::InvalidArgument, "gpu_format: empty (leave the member out for no GPU format)");
        if (auto s = checkGpuFormat(registry, gpu->get<std::string>()); !s) return s.error();
        p.gpuFormat = gpu->get<std::string>();
    }

    static const char* const kKnown[] = {"format", "version", "app_version", "target", "codec",     "schema_version",
                                         "params", "metrics", "created",     "solve",  "gpu_format"};
    for (const auto& member : root.items())
        if (std::find_if(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return member.key() == k; }) ==
            std::end(kKnown))
            warnings.push_back("unknown key \"" + member.key() + "\" ignored");
    return out;
}

Result<LoadedPreset> parsePreset(std::string_view text, const CodecRegistry& registry) {
    try {
        json::ParseOptions options;
        options.maxBytes = kMaxPresetBytes;
        options.maxDepth = 16;  // a preset nests three levels; anything deep is not one
        auto root = json::parse(text, options);
        if (!root) return root.error();
        return presetFromJson(*root, registry);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while reading a preset");
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("reading a preset failed: ") + e.what());
    }
}

Result<LoadedPreset> loadPreset(const std::string& path, const CodecRegistry& registry) {
    auto bytes = readFileBytes(path, kMaxPresetBytes);
    if (!bytes) {
        Error e = bytes.error();
        if (e.code == ErrorCode::TooLarge)
            e.message = path + ": larger than " + std::to_string(kMaxPresetBytes >> 10) + " KiB, not a preset";
        return e;
    }
    auto loaded = parsePreset(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()), registry);
    if (!loaded) return makeError(loaded.error().code, path + ": " + loaded.error().message);
    return loaded;
}

std::string describePreset(const Preset& p, const CodecRegistry& registry) {
    std::string out;
    auto line = [&](const char* key, const std::string& value) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "%-10s ", key);
        out += buf + value + "\n";
    };
    const Codec* codec = registry.find(p.codecId);
    line("target", p.target.empty() ? "(none)" : p.target);
    line("codec", codec ? p.codecId + " (" + codec->name() + ", writes " + codec->traits(p.params).fileExtension + ")"
                        : p.codecId);
    if (codec) line("params", formatParamSet(codec->schema(), p.params));
    if (p.solve) {
        const auto rate = codec ? codec->rateParam() : std::nullopt;
        const bool budget = p.solve->metric == SolveMetric::Bpp;
        line("solve",
             formatSolveTarget(*p.solve) +
                 (budget ? " (the best quality within this bitrate, " : " (the fewest bytes reaching this quality, ") +
                 (rate ? rate->id : std::string("the rate")) + " searched per file)");
    }
    if (!p.gpuFormat.empty()) line("gpu format", p.gpuFormat + " (the stored stream transcoded to it at load time)");
    line("schema", p.schemaVersion);
    line("app", p.appVersion.empty() ? "(unknown)" : p.appVersion);
    line("created", p.created.empty() ? "(unknown)" : p.created);
    if (p.metrics) {
        const MetricsSnapshot& m = *p.metrics;
        std::string s;
        auto add = [&](const char* label, double v, const char* unit, int precision) {
            if (!std::isfinite(v)) return;
            char buf[64];
            std::snprintf(buf, sizeof buf, "%s%s %.*f%s", s.empty() ? "" : ", ", label, precision, v, unit);
            s += buf;
        };
        add("bpp", m.bpp, "", 4);
        add("mPSNR", m.mpsnr, " dB", 2);
        add("log-PSNR", m.logpsnr, " dB", 2);
        add("PU21-PSNR", m.pu21psnr, " dB", 2);
        add("SSIM", m.ssim, "", 4);
        if (m.bytes) s += (s.empty() ? "" : ", ") + std::to_string(m.bytes) + " bytes";
        if (!m.sourceFile.empty()) s += (s.empty() ? "on " : " on ") + m.sourceFile;
        if (m.width > 0 && m.height > 0) s += " (" + std::to_string(m.width) + " x " + std::to_string(m.height) + ")";
        line("metrics", s.empty() ? "(empty)" : s);
    }
    return out;
}

}  // namespace lmc::preset
