// Shared pieces of the `lmc` command line: the command table, argument helpers and exit codes.
//
// Exit status: 0 success, 1 usage error (unknown command/option, missing argument), 2 bad input or a failed codec.
// Every failure prints exactly one line "lmc: ..." on stderr. Each command lives in its own cmd_*.cpp and is listed
// once in main.cpp's table.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "codec/result.h"

namespace lmc::cli {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitFailure = 2;

using Args = std::vector<std::string>;

struct Command {
    const char* name;
    const char* usage;    // e.g. "encode -c CODEC [-p key=value]... IN.exr OUT"
    const char* summary;  // one line for `lmc help`
    int (*run)(const Args& args);
};

// Prints "lmc: message" to stderr and returns the exit code, for `return fail(...)` in commands.
int usageError(const std::string& message);
int failure(const std::string& message);
int failure(const Error& error);

// Minimal option scanner: flags with values ("-c jpeg", "--csv=out.csv" or "--csv out.csv"), repeated options,
// boolean switches, and positionals. Unknown options are reported by name.
class ArgParser {
public:
    explicit ArgParser(const Args& args) : args_(args) {}
    // Declares options before parse(); `takesValue` false for switches.
    void option(const std::string& name, bool takesValue, const std::string& alias = {});
    // False on an unknown option or a missing value; error() says which.
    bool parse();
    const std::string& error() const { return error_; }

    bool has(const std::string& name) const;
    std::string value(const std::string& name, const std::string& fallback = {}) const;
    std::vector<std::string> values(const std::string& name) const;
    const std::vector<std::string>& positionals() const { return positionals_; }

private:
    struct Spec {
        std::string name, alias;
        bool takesValue;
    };
    const Spec* find(const std::string& token) const;
    Args args_;
    std::vector<Spec> specs_;
    std::vector<std::pair<std::string, std::string>> found_;
    std::vector<std::string> positionals_;
    std::string error_;
};

// Expands folders into their .exr files (sorted); plain files pass through.
std::vector<std::string> expandInputs(const std::vector<std::string>& inputs);

// Parses "12.5" strictly.
bool parseDouble(const std::string& text, double& out);
bool parseInt(const std::string& text, long& out);
// `--threads N` (1..256) when given; false on a bad value (threads is left unchanged when the option is absent).
bool parseThreadsOption(const ArgParser& parser, int& threads);

}  // namespace lmc::cli
