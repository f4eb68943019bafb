// Parameter schemas and parameter values: how a codec describes its knobs to the UI (sliders, combo boxes) and to
// the CLI (`-p key=value`, `--sweep key=FROM:TO:STEP`).
//
// Every value is stored as a double: integers and booleans exactly, enum choices as their index into `choices`.
// Text forms ("quality=75", "chroma=420") are parsed and printed through the schema so that the CLI, presets and
// the container header all use the same spelling. Plain value types; no threading concerns.
// Errors: parsing and validation return InvalidArgument with a message naming the parameter and its allowed range.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "codec/result.h"

namespace lmc {

enum class ParamType { Int, Float, Enum, Bool };

struct ParamSpec {
    std::string id;           // stable key: CLI flags, presets and containers use it
    std::string label;        // English label; the UI translates it
    std::string description;  // one English sentence for tooltips and `lmc codecs`
    ParamType type = ParamType::Int;
    double minValue = 0;      // Int/Float range (inclusive); Enum: 0..choices-1; Bool: 0..1
    double maxValue = 1;
    double defaultValue = 0;
    double step = 1;          // slider step for Int/Float
    std::vector<std::string> choices;  // Enum only
    bool isRate = false;      // the one parameter that drives the bitrate; the UI makes it the prominent slider
    bool higherIsMoreBits = true;  // direction of the rate parameter
};

using ParamSchema = std::vector<ParamSpec>;

// Builders for the kinds of parameter codecs have, so schemas read as one line per knob and the enum range
// is always derived from its choices.
ParamSpec intParam(std::string id, std::string label, std::string description, int minValue, int maxValue,
                   int defaultValue);
ParamSpec enumParam(std::string id, std::string label, std::string description, std::vector<std::string> choices,
                    int defaultIndex);
ParamSpec floatParam(std::string id, std::string label, std::string description, double minValue, double maxValue,
                     double defaultValue, double step);
// Marks a parameter as the codec's rate knob.
inline ParamSpec asRate(ParamSpec spec, bool higherIsMoreBits = true) {
    spec.isRate = true;
    spec.higherIsMoreBits = higherIsMoreBits;
    return spec;
}

class ParamSet {
public:
    ParamSet() = default;
    // Defaults of every parameter in the schema.
    static ParamSet defaults(const ParamSchema& schema);

    bool has(const std::string& id) const { return values_.count(id) != 0; }
    double get(const std::string& id, double fallback = 0) const;
    int getInt(const std::string& id, int fallback = 0) const;
    void set(const std::string& id, double value) { values_[id] = value; }
    const std::map<std::string, double>& values() const { return values_; }
    bool operator==(const ParamSet& other) const { return values_ == other.values_; }
    bool operator!=(const ParamSet& other) const { return !(*this == other); }

private:
    std::map<std::string, double> values_;
};

const ParamSpec* findParam(const ParamSchema& schema, const std::string& id);

// Parses one value as text ("75", "0.5", "420", "true") for `spec`; range-checked.
Result<double> parseParamValue(const ParamSpec& spec, const std::string& text);
// Prints a value the way parseParamValue reads it.
std::string formatParamValue(const ParamSpec& spec, double value);

// Applies "key=value" assignments on top of the schema's defaults. Unknown keys and out-of-range values fail.
Result<ParamSet> parseParamAssignments(const ParamSchema& schema, const std::vector<std::string>& assignments);

// Fills missing values with defaults, rounds Int/Enum/Bool values, and fails on unknown keys or out-of-range values.
Result<ParamSet> validateParams(const ParamSchema& schema, const ParamSet& params);

// "quality=75;chroma=420" in schema order: the form used by CSV rows, presets' display and container headers.
std::string formatParamSet(const ParamSchema& schema, const ParamSet& params);
// Reads formatParamSet's form (';' or ',' separated) back.
Result<ParamSet> parseParamSet(const ParamSchema& schema, const std::string& text);

const char* paramTypeName(ParamType type);

}  // namespace lmc
