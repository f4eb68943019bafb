// A small, strict JSON (RFC 8259) reader and writer for presets and other settings files the lmc CLI and lmstudio
// exchange. No Qt, no third-party dependency.
//
// Reading is strict: no comments, no trailing commas, no leading zeros, no NaN/Infinity, no control characters in
// strings, no duplicate object keys, valid UTF-8 only (no overlong forms, no UTF-16 surrogates, nothing above
// U+10FFFF), \uXXXX escapes with surrogate pairs properly paired, and a nesting depth limit so a hostile file
// cannot exhaust the stack. A UTF-8 byte-order mark at the very start is skipped (editors on Windows write one);
// UTF-16/UTF-32 files are refused with a message saying so. Numbers are parsed locale-independently into doubles;
// a number whose magnitude does not fit a double (1e400) is an error rather than silently becoming infinity.
// Errors name the line and column (1-based; the column counts characters, not bytes) of the offending character.
//
// Writing produces UTF-8 with only the mandatory escapes (plus control characters); invalid UTF-8 in a string is
// replaced by U+FFFD so the output is always valid JSON; non-finite numbers, which JSON cannot hold, are written as
// null. Numbers are printed in their shortest round-trip form, so write(parse(x)) keeps every double exactly.
// Object members keep their insertion order, which keeps written files stable and diff-friendly.
//
// Threading: plain values, no shared state. Errors: Result with CorruptData (syntax, encoding, depth) or TooLarge
// (input above ParseOptions::maxBytes); nothing throws (allocation failure is caught and reported as Internal).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codec/result.h"

namespace lmc::json {

enum class Type { Null, Bool, Number, String, Array, Object };

const char* typeName(Type type);  // "null", "boolean", "number", "string", "array", "object"

class Value {
public:
    using Array = std::vector<Value>;
    using Member = std::pair<std::string, Value>;
    using Object = std::vector<Member>;

    Value() = default;  // null
    Value(std::nullptr_t) {}
    Value(bool b) : type_(Type::Bool), bool_(b) {}
    Value(double n) : type_(Type::Number), number_(n) {}
    Value(int n) : type_(Type::Number), number_(n) {}
    Value(long long n) : type_(Type::Number), number_(double(n)) {}
    Value(unsigned long long n) : type_(Type::Number), number_(double(n)) {}
    Value(std::string s) : type_(Type::String), string_(std::move(s)) {}
    Value(const char* s) : type_(Type::String), string_(s) {}
    Value(Array a) : type_(Type::Array), array_(std::move(a)) {}
    static Value array() { return Value(Array{}); }
    static Value object() {
        Value v;
        v.type_ = Type::Object;
        return v;
    }

    Type type() const { return type_; }
    bool isNull() const { return type_ == Type::Null; }
    bool isBool() const { return type_ == Type::Bool; }
    bool isNumber() const { return type_ == Type::Number; }
    bool isString() const { return type_ == Type::String; }
    bool isArray() const { return type_ == Type::Array; }
    bool isObject() const { return type_ == Type::Object; }

    // Accessors return the stored value, or a neutral one (false, 0, empty) when the type differs.
    bool asBool() const { return type_ == Type::Bool && bool_; }
    double asNumber() const { return type_ == Type::Number ? number_ : 0.0; }
    const std::string& asString() const;
    const Array& asArray() const;
    const Object& asObject() const;

    // Object member lookup; nullptr when absent or when this is not an object.
    const Value* find(std::string_view key) const;
    // Sets (replacing) an object member; turns a null value into an object first. No-op on other types.
    Value& set(std::string key, Value value);
    // Appends to an array; turns a null value into an array first. No-op on other types.
    void push(Value value);

    bool operator==(const Value& other) const;
    bool operator!=(const Value& other) const { return !(*this == other); }

private:
    Type type_ = Type::Null;
    bool bool_ = false;
    double number_ = 0;
    std::string string_;
    Array array_;
    Object object_;
};

struct ParseOptions {
    int maxDepth = 64;                             // nested arrays/objects; deeper input is refused
    std::size_t maxBytes = std::size_t{16} << 20;  // whole document
};

Result<Value> parse(std::string_view text, const ParseOptions& options = {});

struct WriteOptions {
    bool pretty = true;  // two-space indentation and a trailing newline; false: one compact line
};

std::string write(const Value& value, const WriteOptions& options = {});

// Checks that `text` is well-formed UTF-8 (the same rules parse() applies to strings).
bool isValidUtf8(std::string_view text);

}  // namespace lmc::json
