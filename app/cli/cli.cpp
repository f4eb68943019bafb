#include "app/cli/cli.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "codec/codec.h"

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

namespace {
bool parseInt(const std::string& text, long long& out) {
    if (text.empty()) return false;
    char* end = nullptr;
    errno = 0;
    out = std::strtoll(text.c_str(), &end, 10);
    return end != text.c_str() && *end == '\0' && errno == 0;
}
}  // namespace

CLI::Validator integerIn(long long lo, long long hi) {
    const std::string range =
        "[" + std::to_string(lo) + (hi == LLONG_MAX ? ", 2^63)" : ", " + std::to_string(hi) + "]");
    return CLI::Validator(
        [lo, hi, range](std::string& text) -> std::string {
            long long v = 0;
            if (!parseInt(text, v) || v < lo || v > hi) return "must be an integer in " + range;
            text = std::to_string(v);
            return {};
        },
        "in " + range);
}

CLI::Validator numberIn(double lo, double hi) {
    char range[64];
    std::snprintf(range, sizeof range, "[%g, %g]", lo, hi);
    return CLI::Validator(
        [lo, hi, text = std::string(range)](std::string& value) -> std::string {
            double v = 0;
            if (!parseDouble(value, v) || v < lo || v > hi) return "must be a number in " + text;
            return {};
        },
        "in " + std::string(range));
}

void addThreadsOption(CLI::App& command, int& threads) {
    command.add_option("--threads", threads, "worker threads (default: automatic)")
        ->type_name("N")
        ->check(integerIn(1, 256));
}

void addCodecOptions(CLI::App& command, CodecChoice& choice) {
    command.add_option("-c,--codec", choice.id, "codec id (see 'lmc codecs')")
        ->type_name("CODEC")
        ->required()
        ->check(CLI::Validator(
            [](const std::string& id) -> std::string {
                if (CodecRegistry::builtin().find(id)) return {};
                return "unknown codec '" + id + "' (see 'lmc codecs')";
            },
            ""));
    command.add_option("-p,--param", choice.params, "codec parameter, repeatable (see 'lmc codecs')")
        ->type_name("key=value");
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

}  // namespace lmc::cli
