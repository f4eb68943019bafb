#include "app/cli/cli.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace lmc::cli {

int usageError(const std::string& message) {
    std::fprintf(stderr, "lmc: %s (see 'lmc help')\n", message.c_str());
    return kExitUsage;
}

int failure(const std::string& message) {
    std::fprintf(stderr, "lmc: %s\n", message.c_str());
    return kExitFailure;
}

int failure(const Error& error) {
    if (error.code == ErrorCode::InvalidArgument) {
        std::fprintf(stderr, "lmc: %s\n", error.message.c_str());
        return kExitUsage;
    }
    return failure(error.message);
}

void ArgParser::option(const std::string& name, bool takesValue, const std::string& alias) {
    specs_.push_back({name, alias, takesValue});
}

const ArgParser::Spec* ArgParser::find(const std::string& token) const {
    for (const auto& s : specs_)
        if (token == s.name || (!s.alias.empty() && token == s.alias)) return &s;
    return nullptr;
}

bool ArgParser::parse() {
    bool onlyPositionals = false;
    for (std::size_t i = 0; i < args_.size(); ++i) {
        const std::string& a = args_[i];
        if (onlyPositionals || a.size() < 2 || a[0] != '-') {
            positionals_.push_back(a);
            continue;
        }
        if (a == "--") {
            onlyPositionals = true;
            continue;
        }
        std::string name = a, inlineValue;
        bool hasInline = false;
        if (a.rfind("--", 0) == 0) {
            auto eq = a.find('=');
            if (eq != std::string::npos) {
                name = a.substr(0, eq);
                inlineValue = a.substr(eq + 1);
                hasInline = true;
            }
        }
        const Spec* spec = find(name);
        if (!spec) {
            error_ = "unknown option '" + name + "'";
            return false;
        }
        if (!spec->takesValue) {
            if (hasInline) {
                error_ = "option '" + name + "' takes no value";
                return false;
            }
            found_.push_back({spec->name, "1"});
            continue;
        }
        if (!hasInline) {
            if (i + 1 >= args_.size()) {
                error_ = "option '" + name + "' needs a value";
                return false;
            }
            inlineValue = args_[++i];
        }
        found_.push_back({spec->name, inlineValue});
    }
    return true;
}

bool ArgParser::has(const std::string& name) const {
    return std::any_of(found_.begin(), found_.end(), [&](const auto& f) { return f.first == name; });
}

std::string ArgParser::value(const std::string& name, const std::string& fallback) const {
    for (auto it = found_.rbegin(); it != found_.rend(); ++it)
        if (it->first == name) return it->second;
    return fallback;
}

std::vector<std::string> ArgParser::values(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& f : found_)
        if (f.first == name) out.push_back(f.second);
    return out;
}

std::vector<std::string> expandInputs(const std::vector<std::string>& inputs) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    for (const auto& in : inputs) {
        std::error_code ec;
        if (fs::is_directory(in, ec)) {
            std::vector<std::string> found;
            for (const auto& entry : fs::directory_iterator(in, ec)) {
                std::string ext = entry.path().extension().string();
                std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
                if (entry.is_regular_file(ec) && ext == ".exr") found.push_back(entry.path().string());
            }
            std::sort(found.begin(), found.end());
            out.insert(out.end(), found.begin(), found.end());
        } else {
            out.push_back(in);
        }
    }
    return out;
}

bool parseDouble(const std::string& text, double& out) {
    if (text.empty()) return false;
    char* end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return end != text.c_str() && *end == '\0' && std::isfinite(out);
}

bool parseInt(const std::string& text, long& out) {
    if (text.empty()) return false;
    char* end = nullptr;
    out = std::strtol(text.c_str(), &end, 10);
    return end != text.c_str() && *end == '\0';
}

bool parseThreadsOption(const ArgParser& parser, int& threads) {
    long t = 0;
    if (!parser.has("--threads")) return true;
    if (!parseInt(parser.value("--threads"), t) || t < 1 || t > 256) return false;
    threads = int(t);
    return true;
}

}  // namespace lmc::cli
