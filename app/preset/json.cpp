#include "app/preset/json.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <new>
#include <set>
#include <vector>

namespace lmc::json {

namespace {

// Thrown by the parser callback for what nlohmann accepts but we refuse.
struct Refusal {
    std::size_t offset;
    std::string message;
};

// Feeds the text to nlohmann's lexer and records how far it has read: the parser callback gets no position, and
// number overflow is reported without one, so those errors are placed from this.
class TrackingIterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    TrackingIterator(const char* at, const char** read) : at_(at), read_(read) {}
    reference operator*() const { return *at_; }
    TrackingIterator& operator++() {
        *read_ = ++at_;
        return *this;
    }
    TrackingIterator operator++(int) {
        TrackingIterator before = *this;
        ++*this;
        return before;
    }
    bool operator==(const TrackingIterator& other) const { return at_ == other.at_; }
    bool operator!=(const TrackingIterator& other) const { return at_ != other.at_; }

private:
    const char* at_;
    const char** read_;
};

Error corrupt(std::string_view text, std::size_t offset, const std::string& message) {
    // Columns count characters (UTF-8 lead bytes), so editors point at the same place.
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n')
            ++line, column = 1;
        else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            ++column;
    }
    return makeError(ErrorCode::CorruptData,
                     "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message);
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix (its
// column counts bytes; ours counts characters) and without "; last read: '...'", which quotes raw input bytes (maybe
// not UTF-8) that the line and column already point at.
std::string plainMessage(const std::exception& e) {
    std::string_view s = e.what();
    if (const auto close = s.find("] "); !s.empty() && s.front() == '[' && close != s.npos) s.remove_prefix(close + 2);
    if (const auto colon = s.find(": "); s.rfind("parse error", 0) == 0 && colon != s.npos) s.remove_prefix(colon + 2);
    std::string message(s);
    if (const auto quoted = message.find("; last read: '"); quoted != message.npos) {
        const auto expected = message.rfind("'; expected ");  // the only text nlohmann appends after the quote
        message.erase(quoted,
                      (expected != message.npos && expected > quoted ? expected : message.size() - 1) + 1 - quoted);
    }
    return message;
}

bool inWord(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.';
}

// Where the token whose last character is at `last` starts: nlohmann places an unexpected token at its end, editors
// want its beginning. A string goes back to the first quote not escaped by an odd run of backslashes.
std::size_t tokenStart(std::string_view text, std::size_t last) {
    if (last >= text.size()) return last;
    if (text[last] == '"') {
        for (std::size_t i = last; i-- > 0;) {
            if (text[i] != '"') continue;
            std::size_t slashes = 0;
            while (slashes < i && text[i - 1 - slashes] == '\\') ++slashes;
            if (slashes % 2 == 0) return i;
        }
        return last;
    }
    std::size_t at = last;
    while (at > 0 && inWord(text[at]) && inWord(text[at - 1])) --at;
    return at;
}

// The one place where nlohmann's exceptions (and our refusals) become Errors; call it from a catch block.
Error currentError(std::string_view text, std::size_t read) {
    try {
        throw;
    } catch (const Refusal& r) {
        return corrupt(text, r.offset, r.message);
    } catch (const Value::parse_error& e) {
        // e.byte: 1-based, the last byte read. A lexer error ("; last read: '...'") is at that byte; a grammar error
        // is about the whole token that ends there.
        const std::size_t last = e.byte > 0 ? e.byte - 1 : 0;
        const bool lexer = std::string_view(e.what()).find("; last read: '") != std::string_view::npos;
        return corrupt(text, lexer ? last : tokenStart(text, last), plainMessage(e));
    } catch (const Value::out_of_range& e) {  // 406: a number beyond a double's range; the lexer read one byte past
        std::size_t last = std::min(read, text.size()) - 1;
        if (last > 0 && !inWord(text[last])) --last;
        return corrupt(text, tokenStart(text, last), plainMessage(e));
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while handling JSON");
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("JSON library failed: ") + e.what());
    } catch (...) {
        return makeError(ErrorCode::Internal, "JSON library failed");
    }
}

}  // namespace

Result<Value> parse(std::string_view text, const ParseOptions& options) {
    if (text.size() > options.maxBytes)
        return makeError(ErrorCode::TooLarge, "the JSON document is " + std::to_string(text.size()) +
                                                  " bytes; at most " + std::to_string(options.maxBytes) +
                                                  " are accepted");
    using namespace std::string_view_literals;
    const auto startsWith = [&](std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; };
    if (startsWith("\x00\x00\xFE\xFF"sv) || startsWith("\xFF\xFE\x00\x00"sv))
        return makeError(ErrorCode::CorruptData, "the file is UTF-32 encoded; save it as UTF-8");
    if (startsWith("\xFE\xFF"sv) || startsWith("\xFF\xFE"sv))
        return makeError(ErrorCode::CorruptData, "the file is UTF-16 encoded; save it as UTF-8");
    if (text.find_first_not_of(" \t\r\n", startsWith("\xEF\xBB\xBF"sv) ? 3 : 0) == text.npos)
        return corrupt(text, text.size(), "the document is empty (no JSON value)");

    const char* read = text.data();
    std::vector<std::set<std::string>> keys;  // one entry per open container (arrays' stay empty)
    const auto callback = [&](int depth, Value::parse_event_t event, Value& parsed) {
        const std::size_t last = std::size_t(read - text.data()) - 1;  // '{', '[' or a key's closing quote
        switch (event) {
            case Value::parse_event_t::object_start:
            case Value::parse_event_t::array_start:
                if (depth >= options.maxDepth)
                    throw Refusal{last, "nesting deeper than " + std::to_string(options.maxDepth) + " levels"};
                keys.emplace_back();
                break;
            case Value::parse_event_t::object_end:
            case Value::parse_event_t::array_end:
                keys.pop_back();
                break;
            case Value::parse_event_t::key:
                if (!keys.back().insert(parsed.get_ref<const std::string&>()).second)
                    throw Refusal{tokenStart(text, last), "duplicate key " + parsed.dump()};
                break;
            case Value::parse_event_t::value:
                break;
        }
        return true;
    };
    try {
        const char* end = text.data() + text.size();
        return Value::parse(TrackingIterator(text.data(), &read), TrackingIterator(end, &read), callback);
    } catch (...) {
        return currentError(text, std::size_t(read - text.data()));
    }
}

Result<std::string> write(const Value& value, const WriteOptions& options) {
    try {
        std::string out = value.dump(options.pretty ? 2 : -1, ' ', false, Value::error_handler_t::replace);
        if (options.pretty) out += '\n';
        return out;
    } catch (...) {
        return currentError({}, 0);
    }
}

Value number(double v) {
    constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53
    if (std::floor(v) == v && std::fabs(v) <= kMaxExactInteger) return Value(std::int64_t(v));
    return Value(v);
}

const Value* find(const Value& object, std::string_view key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

}  // namespace lmc::json
