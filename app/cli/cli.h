// Shared pieces of the `lmc` command line: the command table, shared options and checks, exit codes.
//
// Arguments are parsed by CLI11: each command declares its options on its own CLI::App (bound to state that the
// returned Run reads) and is listed once in main.cpp's table; `lmc help` and `lmc COMMAND --help` are generated
// from those declarations. Values are checked while parsing where the check needs no other option.
// Exit status: 0 success, 1 usage error (unknown command/option, missing or bad argument), 2 bad input or a failed
// codec. Every failure prints exactly one line "lmc: ..." on stderr (main turns CLI11's errors into one line).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "codec/result.h"

namespace lmc::cli {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitFailure = 2;

// Runs a parsed command and returns the exit status.
using Run = std::function<int()>;

struct Command {
    const char* name;
    const char* summary;                // one line for `lmc help`
    Run (*declare)(CLI::App& command);  // declares options and positionals
};

// Prints "lmc: message" to stderr and returns the exit code, for `return fail(...)` in commands.
int usageError(const std::string& message);
int failure(const std::string& message);
int failure(const Error& error);

// A decimal integer in [lo, hi], rewritten to plain decimal (CLI11 alone would read "010" as octal).
CLI::Validator integerIn(long long lo, long long hi);
// A finite number in [lo, hi].
CLI::Validator numberIn(double lo, double hi);

// --threads N (1..256); `threads` is left unchanged when the option is absent.
void addThreadsOption(CLI::App& command, int& threads);

struct CodecChoice {
    std::string id;
    std::vector<std::string> params;  // "key=value", checked against the codec's schema by the command
};
// -c/--codec CODEC (required, a registered codec) and -p/--param key=value (repeatable).
void addCodecOptions(CLI::App& command, CodecChoice& choice);

// Expands folders into their .exr files (sorted); plain files pass through.
std::vector<std::string> expandInputs(const std::vector<std::string>& inputs);

// Parses "12.5" strictly.
bool parseDouble(const std::string& text, double& out);

}  // namespace lmc::cli
