#include "app/preset/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <new>
#include <set>

namespace lmc::json {

const char* typeName(Type type) {
    switch (type) {
        case Type::Null:
            return "null";
        case Type::Bool:
            return "boolean";
        case Type::Number:
            return "number";
        case Type::String:
            return "string";
        case Type::Array:
            return "array";
        case Type::Object:
            return "object";
    }
    return "?";
}

const std::string& Value::asString() const {
    static const std::string empty;
    return type_ == Type::String ? string_ : empty;
}

const Value::Array& Value::asArray() const {
    static const Array empty;
    return type_ == Type::Array ? array_ : empty;
}

const Value::Object& Value::asObject() const {
    static const Object empty;
    return type_ == Type::Object ? object_ : empty;
}

const Value* Value::find(std::string_view key) const {
    if (type_ != Type::Object) return nullptr;
    for (const auto& member : object_)
        if (member.first == key) return &member.second;
    return nullptr;
}

Value& Value::set(std::string key, Value value) {
    if (type_ == Type::Null) type_ = Type::Object;
    if (type_ != Type::Object) return *this;
    for (auto& member : object_)
        if (member.first == key) {
            member.second = std::move(value);
            return *this;
        }
    object_.emplace_back(std::move(key), std::move(value));
    return *this;
}

void Value::push(Value value) {
    if (type_ == Type::Null) type_ = Type::Array;
    if (type_ == Type::Array) array_.push_back(std::move(value));
}

bool Value::operator==(const Value& other) const {
    if (type_ != other.type_) return false;
    switch (type_) {
        case Type::Null:
            return true;
        case Type::Bool:
            return bool_ == other.bool_;
        case Type::Number:
            return number_ == other.number_;
        case Type::String:
            return string_ == other.string_;
        case Type::Array:
            return array_ == other.array_;
        case Type::Object:
            return object_ == other.object_;
    }
    return false;
}

namespace {

// Length of the well-formed UTF-8 sequence starting at s[i] (Unicode 15, table 3-7), or 0 when it is not one.
std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) -> unsigned { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
    const unsigned b0 = byte(i);
    const auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
        const unsigned b = byte(k);
        return k < s.size() && b >= lo && b <= hi;
    };
    if (b0 < 0x80) return 1;
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(i + 1) ? 2 : 0;
    if (b0 == 0xE0) return cont(i + 1, 0xA0, 0xBF) && cont(i + 2) ? 3 : 0;
    if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) return cont(i + 1) && cont(i + 2) ? 3 : 0;
    if (b0 == 0xED) return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : 0;  // no UTF-16 surrogates
    if (b0 == 0xF0) return cont(i + 1, 0x90, 0xBF) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    if (b0 >= 0xF1 && b0 <= 0xF3) return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    if (b0 == 0xF4) return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    return 0;
}

void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

class Parser {
public:
    Parser(std::string_view text, const ParseOptions& options) : text_(text), options_(options) {}

    Result<Value> run() {
        if (text_.size() > options_.maxBytes)
            return makeError(ErrorCode::TooLarge, "the JSON document is " + std::to_string(text_.size()) +
                                                      " bytes; at most " + std::to_string(options_.maxBytes) +
                                                      " are accepted");
        if (startsWith("\x00\x00\xFE\xFF", 4) || startsWith("\xFF\xFE\x00\x00", 4))
            return makeError(ErrorCode::CorruptData, "the file is UTF-32 encoded; save it as UTF-8");
        if (startsWith("\xFE\xFF", 2) || startsWith("\xFF\xFE", 2))
            return makeError(ErrorCode::CorruptData, "the file is UTF-16 encoded; save it as UTF-8");
        if (startsWith("\xEF\xBB\xBF", 3)) pos_ = 3;  // UTF-8 byte-order mark
        skipSpace();
        if (pos_ >= text_.size()) return fail(pos_, "the document is empty (no JSON value)");
        Value root;
        if (!parseValue(root, 0)) return error_;
        skipSpace();
        if (pos_ < text_.size()) return fail(pos_, "unexpected " + describe(pos_) + " after the end of the JSON value");
        return root;
    }

private:
    bool startsWith(const char* bytes, std::size_t n) const {
        return text_.size() >= n && text_.compare(0, n, std::string_view(bytes, n)) == 0;
    }

    Error fail(std::size_t at, const std::string& message) {
        // Line and column of `at`: columns count characters (UTF-8 lead bytes), so editors point at the same place.
        std::size_t line = 1, lineStart = 0;
        for (std::size_t i = 0; i < at && i < text_.size(); ++i)
            if (text_[i] == '\n') ++line, lineStart = i + 1;
        std::size_t column = 1;
        for (std::size_t i = lineStart; i < at && i < text_.size(); ++i)
            if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
        error_ = makeError(ErrorCode::CorruptData,
                           "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message);
        return error_;
    }

    std::string describe(std::size_t at) const {
        if (at >= text_.size()) return "end of file";
        const unsigned char c = static_cast<unsigned char>(text_[at]);
        if (c >= 0x21 && c < 0x7F) return std::string("character '") + char(c) + "'";
        char buf[32];
        if (c < 0x80) {
            std::snprintf(buf, sizeof buf, "character U+%04X", c);
        } else {
            std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
        }
        return buf;
    }

    void skipSpace() {
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            ++pos_;
        }
    }

    bool literal(std::string_view word) {
        if (text_.compare(pos_, word.size(), word) != 0) {
            fail(pos_, "unexpected " + describe(pos_) + " (expected a JSON value)");
            return false;
        }
        pos_ += word.size();
        return true;
    }

    bool parseValue(Value& out, int depth) {
        skipSpace();
        if (pos_ >= text_.size()) {
            fail(pos_, "unexpected end of file (expected a JSON value; is the file truncated?)");
            return false;
        }
        const char c = text_[pos_];
        switch (c) {
            case '{':
                return parseObject(out, depth + 1);
            case '[':
                return parseArray(out, depth + 1);
            case '"': {
                std::string s;
                if (!parseString(s)) return false;
                out = Value(std::move(s));
                return true;
            }
            case 't':
                if (!literal("true")) return false;
                out = Value(true);
                return true;
            case 'f':
                if (!literal("false")) return false;
                out = Value(false);
                return true;
            case 'n':
                if (!literal("null")) return false;
                out = Value();
                return true;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return parseNumber(out);
                if (c == 'N' || c == 'I')
                    fail(pos_, "NaN and Infinity are not JSON numbers");
                else
                    fail(pos_, "unexpected " + describe(pos_) + " (expected a JSON value)");
                return false;
        }
    }

    bool enterContainer(int depth) {
        if (depth > options_.maxDepth) {
            fail(pos_, "nesting deeper than " + std::to_string(options_.maxDepth) + " levels");
            return false;
        }
        return true;
    }

    bool parseObject(Value& out, int depth) {
        if (!enterContainer(depth)) return false;
        ++pos_;  // '{'
        out = Value::object();
        std::set<std::string> keys;
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] == '}') {
            ++pos_;
            return true;
        }
        for (;;) {
            skipSpace();
            if (pos_ >= text_.size() || text_[pos_] != '"') {
                fail(pos_, pos_ >= text_.size() ? "unexpected end of file inside an object (is the file truncated?)"
                                                : "unexpected " + describe(pos_) + " (expected a \"key\" string)");
                return false;
            }
            const std::size_t keyAt = pos_;
            std::string key;
            if (!parseString(key)) return false;
            if (!keys.insert(key).second) {
                fail(keyAt, "duplicate key \"" + key + "\"");
                return false;
            }
            skipSpace();
            if (pos_ >= text_.size() || text_[pos_] != ':') {
                fail(pos_, "unexpected " + describe(pos_) + " (expected ':' after the key \"" + key + "\")");
                return false;
            }
            ++pos_;
            Value member;
            if (!parseValue(member, depth)) return false;
            out.set(std::move(key), std::move(member));
            skipSpace();
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
                skipSpace();
                if (pos_ < text_.size() && text_[pos_] == '}') {
                    fail(pos_, "trailing comma before '}'");
                    return false;
                }
                continue;
            }
            if (pos_ < text_.size() && text_[pos_] == '}') {
                ++pos_;
                return true;
            }
            fail(pos_, pos_ >= text_.size() ? "unexpected end of file inside an object (is the file truncated?)"
                                            : "unexpected " + describe(pos_) + " (expected ',' or '}')");
            return false;
        }
    }

    bool parseArray(Value& out, int depth) {
        if (!enterContainer(depth)) return false;
        ++pos_;  // '['
        out = Value::array();
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] == ']') {
            ++pos_;
            return true;
        }
        for (;;) {
            Value element;
            if (!parseValue(element, depth)) return false;
            out.push(std::move(element));
            skipSpace();
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
                skipSpace();
                if (pos_ < text_.size() && text_[pos_] == ']') {
                    fail(pos_, "trailing comma before ']'");
                    return false;
                }
                continue;
            }
            if (pos_ < text_.size() && text_[pos_] == ']') {
                ++pos_;
                return true;
            }
            fail(pos_, pos_ >= text_.size() ? "unexpected end of file inside an array (is the file truncated?)"
                                            : "unexpected " + describe(pos_) + " (expected ',' or ']')");
            return false;
        }
    }

    bool hex4(std::size_t at, std::uint32_t& out) {
        if (at + 4 > text_.size()) {
            fail(text_.size(), "unexpected end of file inside a \\u escape");
            return false;
        }
        out = 0;
        for (std::size_t i = at; i < at + 4; ++i) {
            const char c = text_[i];
            unsigned d;
            if (c >= '0' && c <= '9')
                d = unsigned(c - '0');
            else if (c >= 'a' && c <= 'f')
                d = unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                d = unsigned(c - 'A' + 10);
            else {
                fail(i, "\\u must be followed by four hexadecimal digits");
                return false;
            }
            out = out * 16 + d;
        }
        return true;
    }

    bool parseString(std::string& out) {
        ++pos_;  // opening quote
        for (;;) {
            if (pos_ >= text_.size()) {
                fail(pos_, "unexpected end of file inside a string (missing closing '\"')");
                return false;
            }
            const unsigned char c = static_cast<unsigned char>(text_[pos_]);
            if (c == '"') {
                ++pos_;
                return true;
            }
            if (c < 0x20) {
                fail(pos_, "control " + describe(pos_) + " inside a string (it must be escaped)");
                return false;
            }
            if (c == '\\') {
                if (!parseEscape(out)) return false;
                continue;
            }
            const std::size_t n = utf8SequenceLength(text_, pos_);
            if (n == 0) {
                fail(pos_, "invalid UTF-8 (" + describe(pos_) + ") inside a string");
                return false;
            }
            out.append(text_.data() + pos_, n);
            pos_ += n;
        }
    }

    bool parseEscape(std::string& out) {
        const std::size_t at = pos_;
        ++pos_;  // backslash
        if (pos_ >= text_.size()) {
            fail(pos_, "unexpected end of file inside a string escape");
            return false;
        }
        const char e = text_[pos_++];
        switch (e) {
            case '"':
                out += '"';
                return true;
            case '\\':
                out += '\\';
                return true;
            case '/':
                out += '/';
                return true;
            case 'b':
                out += '\b';
                return true;
            case 'f':
                out += '\f';
                return true;
            case 'n':
                out += '\n';
                return true;
            case 'r':
                out += '\r';
                return true;
            case 't':
                out += '\t';
                return true;
            case 'u':
                break;
            default:
                fail(at, "unknown escape '\\" + std::string(1, e) + "' in a string");
                return false;
        }
        std::uint32_t cp = 0;
        if (!hex4(pos_, cp)) return false;
        pos_ += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail(at, "unpaired UTF-16 low surrogate in a \\u escape");
            return false;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            if (pos_ + 1 >= text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u' || !hex4(pos_ + 2, low) ||
                low < 0xDC00 || low > 0xDFFF) {
                fail(at, "UTF-16 high surrogate in a \\u escape is not followed by a low surrogate");
                return false;
            }
            pos_ += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        appendUtf8(out, cp);
        return true;
    }

    bool parseNumber(Value& out) {
        const std::size_t start = pos_;
        auto digit = [&](std::size_t i) { return i < text_.size() && text_[i] >= '0' && text_[i] <= '9'; };
        if (text_[pos_] == '-') ++pos_;
        if (!digit(pos_)) {
            fail(pos_, "a digit must follow '-'");
            return false;
        }
        // The decimal magnitude (position of the first significant digit) tells overflow from underflow below.
        long magnitude = 0;
        bool significant = false;
        if (text_[pos_] == '0') {
            ++pos_;
            if (digit(pos_)) {
                fail(start, "numbers must not have leading zeros");
                return false;
            }
        } else {
            significant = true;
            while (digit(pos_)) ++pos_, ++magnitude;
            --magnitude;
        }
        if (pos_ < text_.size() && text_[pos_] == '.') {
            ++pos_;
            if (!digit(pos_)) {
                fail(pos_, "a digit must follow the decimal point");
                return false;
            }
            long position = -1;
            while (digit(pos_)) {
                if (!significant && text_[pos_] != '0') significant = true, magnitude = position;
                ++pos_, --position;
            }
        }
        if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
            ++pos_;
            bool negative = false;
            if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) negative = text_[pos_++] == '-';
            if (!digit(pos_)) {
                fail(pos_, "a digit must follow the exponent marker");
                return false;
            }
            long exponent = 0;
            while (digit(pos_)) {
                if (exponent < 100000000) exponent = exponent * 10 + (text_[pos_] - '0');
                ++pos_;
            }
            magnitude += negative ? -exponent : exponent;
        }
        double value = 0;
        const char* first = text_.data() + start;
        const char* last = text_.data() + pos_;
        const auto [ptr, ec] = std::from_chars(first, last, value);
        if (ec == std::errc::result_out_of_range && significant && magnitude < 0) {
            value = text_[start] == '-' ? -0.0 : 0.0;  // underflow: closer to zero than any double
        } else if (ec == std::errc::result_out_of_range || !std::isfinite(value)) {
            fail(start, "the number " + std::string(first, std::min<std::size_t>(last - first, 40)) +
                            " is too large to represent");
            return false;
        } else if (ec != std::errc() || ptr != last) {
            fail(start, "malformed number");
            return false;
        }
        out = Value(value);
        return true;
    }

    std::string_view text_;
    ParseOptions options_;
    std::size_t pos_ = 0;
    Error error_;
};

void writeString(std::string& out, const std::string& s) {
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
                case '"':
                    out += "\\\"";
                    break;
                case '\\':
                    out += "\\\\";
                    break;
                case '\b':
                    out += "\\b";
                    break;
                case '\f':
                    out += "\\f";
                    break;
                case '\n':
                    out += "\\n";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                default:
                    if (c < 0x20) {
                        char buf[8];
                        std::snprintf(buf, sizeof buf, "\\u%04x", c);
                        out += buf;
                    } else {
                        out += char(c);
                    }
            }
            ++i;
            continue;
        }
        const std::size_t n = utf8SequenceLength(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not valid UTF-8
            ++i;
        } else {
            out.append(s, i, n);
            i += n;
        }
    }
    out += '"';
}

void writeNumber(std::string& out, double v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[64];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    if (ec != std::errc()) {
        out += "null";
        return;
    }
    out.append(buf, ptr);
}

void writeValue(std::string& out, const Value& v, bool pretty, int indent) {
    const auto newline = [&](int level) {
        if (!pretty) return;
        out += '\n';
        out.append(std::size_t(level) * 2, ' ');
    };
    switch (v.type()) {
        case Type::Null:
            out += "null";
            return;
        case Type::Bool:
            out += v.asBool() ? "true" : "false";
            return;
        case Type::Number:
            writeNumber(out, v.asNumber());
            return;
        case Type::String:
            writeString(out, v.asString());
            return;
        case Type::Array: {
            const auto& a = v.asArray();
            if (a.empty()) {
                out += "[]";
                return;
            }
            out += '[';
            for (std::size_t i = 0; i < a.size(); ++i) {
                if (i) out += ',';
                newline(indent + 1);
                writeValue(out, a[i], pretty, indent + 1);
            }
            newline(indent);
            out += ']';
            return;
        }
        case Type::Object: {
            const auto& o = v.asObject();
            if (o.empty()) {
                out += "{}";
                return;
            }
            out += '{';
            for (std::size_t i = 0; i < o.size(); ++i) {
                if (i) out += ',';
                newline(indent + 1);
                writeString(out, o[i].first);
                out += pretty ? ": " : ":";
                writeValue(out, o[i].second, pretty, indent + 1);
            }
            newline(indent);
            out += '}';
            return;
        }
    }
}

}  // namespace

Result<Value> parse(std::string_view text, const ParseOptions& options) {
    try {
        return Parser(text, options).run();
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while reading JSON");
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("JSON reader failed: ") + e.what());
    }
}

std::string write(const Value& value, const WriteOptions& options) {
    std::string out;
    writeValue(out, value, options.pretty, 0);
    if (options.pretty) out += '\n';
    return out;
}

bool isValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8SequenceLength(text, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

}  // namespace lmc::json
