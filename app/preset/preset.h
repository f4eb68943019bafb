// Presets: a codec id plus its parameter values, saved as a small JSON file that lmstudio writes (File > Save
// Preset) and `lmc apply --preset` / `lmc preset show` read. No Qt, so the CLI can use it.
//
// File format (UTF-8 JSON, see json.h for the strict syntax rules), version 1, or 2 for a solving preset:
//   {
//     "format": "lmc-preset",            required, exactly this string
//     "version": 1,                      required integer; files from a newer version are refused. Writers use 2
//                                        only when "solve" is present, so programs that predate it refuse a
//                                        solving preset instead of applying its starting knob as a fixed one
//                                        (and keep reading fixed-knob presets)
//     "app_version": "0.1.0",            the lmc/lmstudio version that wrote the file (informational)
//     "target": "mobile",                free text naming what the setting is for ("PC high", "mobile", ...)
//     "codec": "jpeg",                   required registry id (`lmc codecs` lists them)
//     "schema_version": "9f2c...",       fingerprint of the codec's parameter schema (schemaFingerprint below)
//     "params": {                        required object, one member per parameter id, typed by the schema:
//       "quality": 75,                   Int: an integral number; Float: a number; both within the schema range
//       "chroma": "420"                  Enum: the choice's name (stable if choices are reordered); Bool: true/false
//     },
//     "solve": {                         optional: a quality-targeted preset (codec/rate_solve.h). `lmc apply` and the
//       "metric": "mpsnr",               app search the codec's rate parameter per map: mpsnr, pu21psnr, logpsnr
//       "target": 45.0                   (dB, reach at least) or bpp (bits per texel, at most); the rate value in
//     },                                 "params" is only where the search starts, the other params stay fixed
//     "gpu_format": "bc6h:normal",       optional: the GPU format a game transcodes the stored stream to at load time
//                                        (parseGpuFormat text in codec/evaluate.h: bc6h[:LEVEL] or astc[:BLOCK]);
//                                        `lmc apply --metrics` then reports that chain's quality. A program that
//                                        predates it warns about an unknown key and writes the same stream
//     "metrics": {                       optional snapshot of what the setting gave on one image when it was saved
//       "bpp": 2.31, "mpsnr": 41.2, "logpsnr": 48.0, "pu21psnr": 39.9, "ssim": 0.987, "bytes": 302113,
//       "source_file": "atrium.exr", "width": 1024, "height": 1024
//     },
//     "created": "2025-01-31T12:00:00Z"  ISO 8601 UTC time of saving
//   }
//
// Validation on load, against the codec registry. Errors (the preset is refused): not JSON or not valid UTF-8 /
// too deep (CorruptData, with line and column), "format" missing or different, "version" missing or not a
// positive integer (CorruptData), a newer "version" or a codec this program does not have (Unsupported), an
// unknown parameter, a parameter of the wrong JSON type, out of range, or a non-integral Int (InvalidArgument),
// "target" not a string (CorruptData), "solve" not an object, its "metric" not one of the four names, its "target"
// not a finite number above 0 (InvalidArgument), "solve" for a codec without a rate parameter (Unsupported), or a
// "gpu_format" that is not a string parseGpuFormat accepts (InvalidArgument).
// Warnings (the preset loads; the caller shows them): a parameter missing
// from "params" (its default is used), a "schema_version" different from the codec's current schema (the values
// were still checked against the current schema), unknown top-level keys, and malformed informational fields
// ("metrics" members, "app_version", "created"), which are dropped; unknown keys inside "solve".
//
// Threading: plain functions and values; no shared state. Errors: Result/Status, messages name the JSON member
// ("params.quality: 150 is out of range 1..100"); loadPreset prefixes the file path. Writes are atomic
// (writeFileAtomic) and never replace `protectedSource`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/preset/json.h"
#include "codec/codec.h"
#include "codec/metrics.h"
#include "codec/rate_solve.h"

namespace lmc::preset {

constexpr const char* kPresetFormat = "lmc-preset";
constexpr int kPresetVersion = 2;       // the newest version this program reads
constexpr int kFixedPresetVersion = 1;  // what it writes for a preset without "solve"
constexpr const char* kPresetExtension = ".json";
// Presets are tiny; anything bigger is not one of ours, and refusing early keeps a wrong pick in a file dialog cheap.
constexpr std::uint64_t kMaxPresetBytes = std::uint64_t{1} << 20;

// Optional measurements saved with a preset. Fields that were not recorded are NaN (numbers) / 0 / empty.
struct MetricsSnapshot {
    double bpp;
    double mpsnr;
    double logpsnr;
    double pu21psnr;
    double ssim;
    std::uint64_t bytes = 0;
    std::string sourceFile;  // file name only, never a full path (presets are shared between machines)
    int width = 0;
    int height = 0;
    MetricsSnapshot();
};

// A snapshot from one measured result: bpp from `bytes` over width x height texels, the quality metrics when given
// (null: left NaN), and the file name of `sourcePath` (never the folders).
MetricsSnapshot makeMetricsSnapshot(const QualityMetrics* metrics, std::uint64_t bytes, int width, int height,
                                    const std::string& sourcePath);

struct Preset {
    std::string appVersion;
    std::string target;
    std::string codecId;
    std::string schemaVersion;
    ParamSet params;  // complete and validated against the codec's schema
    std::optional<MetricsSnapshot> metrics;
    std::optional<SolveTarget> solve;  // set: the rate parameter is searched per map for this target
    std::string gpuFormat;             // the chain's GPU format (parseGpuFormat text); empty: none
    std::string created;
};

struct LoadedPreset {
    Preset preset;
    std::vector<std::string> warnings;  // English, one sentence each
};

// The version of lmc/lmstudio this library was built with ("0.1.0").
const char* appVersion();
// Current UTC time as ISO 8601 ("2025-01-31T12:00:00Z").
std::string isoTimeNow();
// 16 hex digits identifying a schema's meaning: parameter ids, types, ranges and enum choices (sorted by id), but
// not labels, descriptions or defaults, which can change without changing what a stored value means.
std::string schemaFingerprint(const ParamSchema& schema);

// A preset for `codecId` with `params` (validated and completed with defaults), stamped with the app version,
// schema fingerprint and current time. Unsupported for an unknown codec, or a `solve` target for a codec without a
// rate parameter; InvalidArgument for bad params, a target value that is not finite and above 0, or a `gpuFormat`
// parseGpuFormat refuses.
Result<Preset> makePreset(const CodecRegistry& registry, const std::string& codecId, const ParamSet& params,
                          const std::string& target, const std::optional<SolveTarget>& solve = std::nullopt,
                          const std::string& gpuFormat = {});

// The JSON object for a preset (its codec must be in the registry: enum values are written by name).
Result<json::Value> presetToJson(const Preset& preset, const CodecRegistry& registry);
Result<std::string> serializePreset(const Preset& preset, const CodecRegistry& registry);
Status savePreset(const std::string& path, const Preset& preset, const CodecRegistry& registry,
                  const std::string& protectedSource = {});

Result<LoadedPreset> presetFromJson(const json::Value& root, const CodecRegistry& registry);
Result<LoadedPreset> parsePreset(std::string_view text, const CodecRegistry& registry);
Result<LoadedPreset> loadPreset(const std::string& path, const CodecRegistry& registry);

// Multi-line English description for `lmc preset show` (one "key  value" line each).
std::string describePreset(const Preset& preset, const CodecRegistry& registry);

}  // namespace lmc::preset
