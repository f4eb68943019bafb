// JSON for presets and other settings files the lmc CLI and lmstudio exchange: nlohmann-json's ordered_json (object
// members keep insertion order, which keeps written files stable and diff-friendly) behind one parse() and one
// write() that turn every exception of the library into a Result. No Qt.
//
// Reading is strict. nlohmann's parser (comments off) follows RFC 8259: no comments, trailing commas, leading zeros,
// NaN/Infinity, unescaped control characters or unknown escapes; \uXXXX surrogates must pair; strings must be valid
// UTF-8 (no overlong forms, no UTF-16 surrogates, nothing above U+10FFFF); a number whose magnitude does not fit a
// double (1e400) is an error rather than infinity (tiny ones become 0). On top of that, parse() refuses duplicate
// object keys and nesting deeper than ParseOptions::maxDepth (through nlohmann's parser callback). A UTF-8
// byte-order mark at the very start is skipped (editors on Windows write one); UTF-16/UTF-32 files are refused with a
// message saying so. Errors name the line and column (1-based; the column counts characters, not bytes) of the
// offending character, or of the first character of an unexpected token, duplicate key or too-large number, followed
// by nlohmann's description without the raw bytes it quotes.
//
// Writing produces UTF-8 with only the mandatory escapes (plus control characters); invalid UTF-8 in a string is
// replaced by U+FFFD so the output is always valid JSON; non-finite numbers, which JSON cannot hold, are written as
// null. Numbers print in a round-trip form, so write(parse(x)) keeps every value exactly. A double that is integral
// prints as "2.0": store integers as integers (number() picks the integer form when it is exact).
//
// Threading: plain values, no shared state. Errors: Result with CorruptData (syntax, encoding, depth, duplicate key,
// number overflow) or TooLarge (input above ParseOptions::maxBytes); no exception leaves parse() or write()
// (allocation failure is reported as Internal).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codec/result.h"

namespace lmc::json {

using Value = nlohmann::ordered_json;

struct ParseOptions {
    int maxDepth = 64;                             // nested arrays/objects; deeper input is refused
    std::size_t maxBytes = std::size_t{16} << 20;  // whole document
};

Result<Value> parse(std::string_view text, const ParseOptions& options = {});

struct WriteOptions {
    bool pretty = true;  // two-space indentation and a trailing newline; false: one compact line
};

Result<std::string> write(const Value& value, const WriteOptions& options = {});

// `v` as a JSON integer when it is one exactly (|v| <= 2^53), so it is written "2" rather than "2.0"; else a double.
Value number(double v);

// Object member lookup; nullptr when absent or when `object` is not an object.
const Value* find(const Value& object, std::string_view key);

}  // namespace lmc::json
