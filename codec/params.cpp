#include "codec/params.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace lmc {

namespace {

std::string trim(const std::string& s) {
    std::size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    std::size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::string formatNumber(double v) {
    if (std::floor(v) == v && std::fabs(v) < 1e15) {
        std::ostringstream os;
        os << static_cast<long long>(v);
        return os.str();
    }
    std::ostringstream os;
    os.precision(6);
    os << v;
    return os.str();
}

Error rangeError(const ParamSpec& spec, const std::string& text) {
    std::string allowed;
    if (spec.type == ParamType::Enum) {
        for (std::size_t i = 0; i < spec.choices.size(); ++i) allowed += (i ? "|" : "") + spec.choices[i];
    } else if (spec.type == ParamType::Bool) {
        allowed = "true|false";
    } else {
        allowed = formatNumber(spec.minValue) + ".." + formatNumber(spec.maxValue);
    }
    return makeError(ErrorCode::InvalidArgument,
                     "parameter '" + spec.id + "': '" + text + "' is not allowed (expected " + allowed + ")");
}

}  // namespace

const char* paramTypeName(ParamType type) {
    switch (type) {
        case ParamType::Int: return "int";
        case ParamType::Float: return "float";
        case ParamType::Enum: return "enum";
        case ParamType::Bool: return "bool";
    }
    return "?";
}

ParamSpec floatParam(std::string id, std::string label, std::string description, double minValue, double maxValue,
                     double defaultValue, double step) {
    ParamSpec spec;
    spec.id = std::move(id);
    spec.label = std::move(label);
    spec.description = std::move(description);
    spec.type = ParamType::Float;
    spec.minValue = minValue;
    spec.maxValue = maxValue;
    spec.defaultValue = defaultValue;
    spec.step = step;
    return spec;
}

ParamSpec intParam(std::string id, std::string label, std::string description, int minValue, int maxValue,
                   int defaultValue) {
    ParamSpec spec;
    spec.id = std::move(id);
    spec.label = std::move(label);
    spec.description = std::move(description);
    spec.type = ParamType::Int;
    spec.minValue = minValue;
    spec.maxValue = maxValue;
    spec.defaultValue = defaultValue;
    spec.step = 1;
    return spec;
}

ParamSpec enumParam(std::string id, std::string label, std::string description, std::vector<std::string> choices,
                    int defaultIndex) {
    ParamSpec spec;
    spec.id = std::move(id);
    spec.label = std::move(label);
    spec.description = std::move(description);
    spec.type = ParamType::Enum;
    spec.minValue = 0;
    spec.maxValue = choices.empty() ? 0 : double(choices.size() - 1);
    spec.defaultValue = defaultIndex;
    spec.choices = std::move(choices);
    return spec;
}

ParamSet ParamSet::defaults(const ParamSchema& schema) {
    ParamSet set;
    for (const auto& spec : schema) set.set(spec.id, spec.defaultValue);
    return set;
}

double ParamSet::get(const std::string& id, double fallback) const {
    auto it = values_.find(id);
    return it == values_.end() ? fallback : it->second;
}

int ParamSet::getInt(const std::string& id, int fallback) const {
    return static_cast<int>(std::lround(get(id, fallback)));
}

const ParamSpec* findParam(const ParamSchema& schema, const std::string& id) {
    for (const auto& spec : schema)
        if (spec.id == id) return &spec;
    return nullptr;
}

Result<double> parseParamValue(const ParamSpec& spec, const std::string& rawText) {
    const std::string text = trim(rawText);
    if (spec.type == ParamType::Enum) {
        for (std::size_t i = 0; i < spec.choices.size(); ++i)
            if (spec.choices[i] == text) return double(i);
        return rangeError(spec, text);
    }
    if (spec.type == ParamType::Bool) {
        if (text == "true" || text == "1" || text == "on" || text == "yes") return 1.0;
        if (text == "false" || text == "0" || text == "off" || text == "no") return 0.0;
        return rangeError(spec, text);
    }
    if (text.empty()) return rangeError(spec, text);
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(v)) return rangeError(spec, text);
    if (spec.type == ParamType::Int && std::floor(v) != v) return rangeError(spec, text);
    if (v < spec.minValue || v > spec.maxValue) return rangeError(spec, text);
    return v;
}

std::string formatParamValue(const ParamSpec& spec, double value) {
    if (spec.type == ParamType::Enum) {
        long i = std::lround(value);
        if (i >= 0 && std::size_t(i) < spec.choices.size()) return spec.choices[std::size_t(i)];
        return formatNumber(value);
    }
    if (spec.type == ParamType::Bool) return value != 0 ? "true" : "false";
    return formatNumber(value);
}

Result<ParamSet> parseParamAssignments(const ParamSchema& schema, const std::vector<std::string>& assignments) {
    ParamSet set = ParamSet::defaults(schema);
    for (const auto& a : assignments) {
        auto eq = a.find('=');
        if (eq == std::string::npos)
            return makeError(ErrorCode::InvalidArgument, "parameter '" + a + "' must be written key=value");
        std::string key = trim(a.substr(0, eq));
        const ParamSpec* spec = findParam(schema, key);
        if (!spec) {
            std::string known;
            for (const auto& s : schema) known += (known.empty() ? "" : ", ") + s.id;
            return makeError(ErrorCode::InvalidArgument, "unknown parameter '" + key + "' (known: " + known + ")");
        }
        auto v = parseParamValue(*spec, a.substr(eq + 1));
        if (!v) return v.error();
        set.set(key, *v);
    }
    return set;
}

Result<ParamSet> validateParams(const ParamSchema& schema, const ParamSet& params) {
    for (const auto& [key, value] : params.values())
        if (!findParam(schema, key)) return makeError(ErrorCode::InvalidArgument, "unknown parameter '" + key + "'");
    ParamSet out;
    for (const auto& spec : schema) {
        double v = params.get(spec.id, spec.defaultValue);
        if (!std::isfinite(v)) return rangeError(spec, "non-finite");
        if (spec.type != ParamType::Float) v = std::round(v);
        double lo = spec.type == ParamType::Enum ? 0.0 : spec.minValue;
        double hi = spec.type == ParamType::Enum ? double(spec.choices.size()) - 1 : spec.maxValue;
        if (spec.type == ParamType::Bool) lo = 0, hi = 1;
        if (v < lo || v > hi) return rangeError(spec, formatNumber(v));
        out.set(spec.id, v);
    }
    return out;
}

std::string formatParamSet(const ParamSchema& schema, const ParamSet& params) {
    std::string out;
    for (const auto& spec : schema) {
        if (!params.has(spec.id)) continue;
        if (!out.empty()) out += ';';
        out += spec.id + "=" + formatParamValue(spec, params.get(spec.id));
    }
    return out;
}

Result<ParamSet> parseParamSet(const ParamSchema& schema, const std::string& text) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : text) {
        if (c == ';' || c == ',') {
            if (!trim(cur).empty()) parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!trim(cur).empty()) parts.push_back(cur);
    return parseParamAssignments(schema, parts);
}

}  // namespace lmc
