// The strict JSON wrapper around nlohmann-json: every value type, escapes and UTF-8, round trips, member order, and
// each malformed input gives a CorruptData error naming the right line and column (nothing throws).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "app/preset/json.h"

namespace lmc::json {
namespace {

Value parseOk(const std::string& text) {
    auto v = parse(text);
    EXPECT_TRUE(v.ok()) << text << " -> " << (v.ok() ? "" : v.error().message);
    return v.ok() ? *v : Value();
}

std::string parseError(const std::string& text, const ParseOptions& options = {}) {
    auto v = parse(text, options);
    EXPECT_FALSE(v.ok()) << "accepted: " << text;
    if (v.ok()) return {};
    EXPECT_EQ(v.error().code, ErrorCode::CorruptData) << text;
    return v.error().message;
}

std::string writeOk(const Value& value, bool pretty) {
    auto text = write(value, {pretty});
    EXPECT_TRUE(text.ok());
    return text.ok() ? *text : std::string();
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

TEST(Json, ParsesEveryValueType) {
    Value v = parseOk(R"({"n": null, "t": true, "f": false, "i": -12, "x": 2.5e-3, "s": "hi",
                         "a": [1, [2], {}], "o": {"k": []}})");
    ASSERT_TRUE(v.is_object());
    ASSERT_EQ(v.size(), 8u);
    EXPECT_TRUE(find(v, "n")->is_null());
    EXPECT_TRUE(find(v, "t")->get<bool>());
    EXPECT_TRUE(find(v, "f")->is_boolean());
    EXPECT_FALSE(find(v, "f")->get<bool>());
    EXPECT_EQ(find(v, "i")->get<double>(), -12.0);
    EXPECT_DOUBLE_EQ(find(v, "x")->get<double>(), 0.0025);
    EXPECT_EQ(find(v, "s")->get<std::string>(), "hi");
    ASSERT_EQ(find(v, "a")->size(), 3u);
    EXPECT_EQ((*find(v, "a"))[1][0].get<double>(), 2.0);
    EXPECT_TRUE(find(*find(v, "o"), "k")->is_array());
    EXPECT_EQ(find(v, "missing"), nullptr);
    EXPECT_EQ(find(*find(v, "a"), "k"), nullptr);  // not an object
    // Members keep file order.
    EXPECT_EQ(v.begin().key(), "n");
    EXPECT_EQ(v.items().begin().key(), "n");
    EXPECT_EQ((--v.end()).key(), "o");
}

TEST(Json, DecodesEscapesAndUtf8) {
    Value v = parseOk(R"(["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u4e2d", "\ud83d\ude00", "中文 ✓", "\u0000x"])");
    ASSERT_EQ(v.size(), 5u);
    EXPECT_EQ(v[0].get<std::string>(), "a\"b\\c/d\b\f\n\r\t");
    EXPECT_EQ(v[1].get<std::string>(), "\xC3\xA9\xE4\xB8\xAD");  // é中
    EXPECT_EQ(v[2].get<std::string>(), "\xF0\x9F\x98\x80");      // U+1F600 from a surrogate pair
    EXPECT_EQ(v[3].get<std::string>(), "\xE4\xB8\xAD\xE6\x96\x87 \xE2\x9C\x93");
    EXPECT_EQ(v[4].get<std::string>(), std::string("\0x", 2));
}

TEST(Json, RoundTripKeepsValuesExactly) {
    Value root = Value::object();
    root["pi"] = 3.141592653589793;
    root["tiny"] = 4.9406564584124654e-324;
    root["big"] = 1.7976931348623157e308;
    root["int"] = number(123456789012345.0);
    root["neg"] = -0.1;
    root["text"] = "line\nbreak \"quoted\" 中 \x01";
    Value arr = Value::array();
    arr.push_back(true);
    arr.push_back(nullptr);
    arr.push_back(Value::object());
    arr.push_back(Value::array());
    root["arr"] = arr;
    for (bool pretty : {true, false}) {
        const std::string text = writeOk(root, pretty);
        auto back = parse(text);
        ASSERT_TRUE(back.ok()) << back.error().message << "\n" << text;
        EXPECT_EQ(*back, root) << text;
        EXPECT_EQ(writeOk(*back, pretty), text);
    }
    const std::string compact = writeOk(root, false);
    EXPECT_EQ(compact.find('\n'), std::string::npos);
    EXPECT_TRUE(contains(compact, R"("int":123456789012345,)")) << compact;
    EXPECT_TRUE(contains(compact, R"("text":"line\nbreak \"quoted\" 中 \u0001")")) << compact;
    EXPECT_EQ(writeOk(Value::object(), true), "{}\n");
}

TEST(Json, NumberKeepsIntegersIntegral) {
    Value a = Value::array();
    a.push_back(number(2));
    a.push_back(number(-75));
    a.push_back(number(0.25));
    a.push_back(number(1e300));  // integral but beyond 2^53: stays a double
    a.push_back(2.0);            // a plain double prints with its fraction
    EXPECT_EQ(writeOk(a, false), "[2,-75,0.25,1e+300,2.0]");
}

TEST(Json, WriterProducesValidJsonFromBadInput) {
    Value v = Value::array();
    v.push_back(std::nan(""));
    v.push_back(HUGE_VAL);
    v.push_back(std::string("bad\xFF\xC3"));  // invalid UTF-8 bytes
    const std::string text = writeOk(v, false);
    EXPECT_EQ(text, "[null,null,\"bad\xEF\xBF\xBD\xEF\xBF\xBD\"]");
    EXPECT_TRUE(parse(text).ok());
}

TEST(Json, ReplacingAMemberKeepsItsPlace) {
    Value o = Value::object();
    o["a"] = 1;
    o["b"] = 2;
    o["a"] = 3;
    ASSERT_EQ(o.size(), 2u);
    EXPECT_EQ(writeOk(o, false), R"({"a":3,"b":2})");
}

TEST(Json, ErrorsNameLineAndColumn) {
    EXPECT_EQ(
        parseError("{\n  \"a\": 1,\n  \"b\" 2\n}"),
        "line 3, column 7: syntax error while parsing object separator - unexpected number literal; expected ':'");
    // Columns count characters: the two Chinese characters are one column each.
    EXPECT_EQ(parseError("[\"中文\", x]"), "line 1, column 8: syntax error while parsing value - invalid literal");
    // An unexpected token is placed at its first character (nlohmann gives its last).
    EXPECT_EQ(parseError("{\n  \"format\": \"lmc-preset\"\n  \"codec\": \"jpeg\"\n}"),
              "line 3, column 3: syntax error while parsing object - unexpected string literal; expected '}'");
    EXPECT_EQ(parseError("[\"a\" \"b\\\"c\\\\\"]"),  // ["a" "b\"c\\"]
              "line 1, column 6: syntax error while parsing array - unexpected string literal; expected ']'");
    // Refusals made on top of nlohmann's parser are placed too: a duplicate key and a too-large number at their
    // first character, too deep nesting at the bracket.
    EXPECT_EQ(parseError("{\"x\": {\"a\": 1,\n \"é\": {}, \"a\": 2}}"), "line 2, column 11: duplicate key \"a\"");
    EXPECT_EQ(parseError("[1,\n   1e400]"), "line 2, column 4: number overflow parsing '1e400'");
    ParseOptions shallow;
    shallow.maxDepth = 2;
    EXPECT_EQ(parseError("[\n [[1]]]", shallow), "line 2, column 3: nesting deeper than 2 levels");
}

TEST(Json, RefusesTruncatedDocuments) {
    const std::string full = R"({"format": "lmc-preset", "params": {"quality": [1, 2]}, "s": "text"})";
    ASSERT_TRUE(parse(full).ok());
    for (std::size_t n = 0; n < full.size(); ++n) {
        auto v = parse(full.substr(0, n));
        ASSERT_FALSE(v.ok()) << "prefix of " << n << " bytes accepted";
        EXPECT_EQ(v.error().code, ErrorCode::CorruptData);
        EXPECT_EQ(v.error().message.rfind("line 1, column ", 0), 0u) << v.error().message;
    }
    EXPECT_TRUE(contains(parseError(R"({"a": "abc)"), "missing closing quote"));
    EXPECT_TRUE(contains(parseError(R"({"a": [1, 2)"), "unexpected end of input"));
    EXPECT_TRUE(contains(parseError(""), "empty"));
    EXPECT_TRUE(contains(parseError("   \n "), "empty"));
}

TEST(Json, RefusesNonStandardSyntax) {
    EXPECT_TRUE(contains(parseError("[1, 2,]"), "unexpected ']'"));  // trailing commas
    EXPECT_TRUE(contains(parseError(R"({"a": 1,})"), "unexpected '}'"));
    EXPECT_TRUE(contains(parseError("[01]"), "unexpected number literal"));  // leading zeros
    EXPECT_TRUE(contains(parseError("[NaN]"), "invalid literal"));
    EXPECT_TRUE(contains(parseError("[Infinity]"), "invalid literal"));
    EXPECT_TRUE(contains(parseError("[-]"), "expected digit after '-'"));
    EXPECT_TRUE(contains(parseError("[1.]"), "expected digit after '.'"));
    EXPECT_TRUE(contains(parseError("[1e]"), "after exponent"));
    EXPECT_TRUE(contains(parseError("[+1]"), "invalid literal"));
    EXPECT_TRUE(contains(parseError("['a']"), "invalid literal"));
    EXPECT_TRUE(contains(parseError("{a: 1}"), "expected string literal"));
    EXPECT_TRUE(contains(parseError("// c\n{}"), "line 1, column 1: "));  // no comments
    EXPECT_TRUE(contains(parseError("/* c */ {}"), "line 1, column 1: "));
    EXPECT_TRUE(contains(parseError("{} {}"), "expected end of input"));
    EXPECT_TRUE(contains(parseError("[tru]"), "invalid literal"));
    EXPECT_TRUE(contains(parseError(R"({"a": 1, "a": 2})"), "duplicate key \"a\""));
    EXPECT_TRUE(contains(parseError(R"({"a": {}, "b": {"a": 1, "c": 2, "a": 3}})"), "duplicate key \"a\""));
    EXPECT_TRUE(contains(parseError("[\"tab\there\"]"), "control character U+0009"));
    EXPECT_TRUE(contains(parseError(R"(["\x"])"), "forbidden character after backslash"));
    EXPECT_TRUE(contains(parseError(R"(["\u12G4"])"), "4 hex digits"));
    EXPECT_TRUE(contains(parseError(R"(["\ud83d"])"), "must be followed by U+DC00..U+DFFF"));
    EXPECT_TRUE(contains(parseError(R"(["\ud83dx"])"), "must be followed by U+DC00..U+DFFF"));
    EXPECT_TRUE(contains(parseError(R"(["\ude00"])"), "must follow U+D800..U+DBFF"));
    // The same key in sibling objects is no duplicate.
    EXPECT_TRUE(parse(R"([{"a": 1}, {"a": 2}, {"b": {"a": 3}}])").ok());
}

TEST(Json, HugeNumbersAreErrorsTinyOnesUnderflowToZero) {
    EXPECT_TRUE(contains(parseError("[1e400]"), "overflow"));
    EXPECT_TRUE(contains(parseError("[-1e309]"), "overflow"));
    EXPECT_TRUE(contains(parseError("[" + std::string(400, '9') + "]"), "overflow"));
    Value v = parseOk(
        "[1e-400, -0.0000000000000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000001, 1e308, 123456789012345678901234567890]");
    ASSERT_EQ(v.size(), 4u);
    EXPECT_EQ(v[0].get<double>(), 0.0);
    EXPECT_EQ(v[1].get<double>(), 0.0);
    EXPECT_TRUE(std::signbit(v[1].get<double>()));
    EXPECT_EQ(v[2].get<double>(), 1e308);
    EXPECT_DOUBLE_EQ(v[3].get<double>(), 1.2345678901234568e29);
}

TEST(Json, DepthLimit) {
    ParseOptions options;
    options.maxDepth = 8;
    EXPECT_TRUE(parse(std::string(8, '[') + std::string(8, ']'), options).ok());
    EXPECT_TRUE(contains(parseError(std::string(9, '[') + std::string(9, ']'), options), "nesting deeper than 8"));
    // The default limit holds against a hostile file.
    const std::string deep(200000, '[');
    EXPECT_TRUE(contains(parseError(deep), "nesting deeper than 64"));
    std::string objects;
    for (int i = 0; i < 100; ++i) objects += "{\"a\":";
    EXPECT_TRUE(contains(parseError(objects), "nesting"));
}

TEST(Json, SizeLimit) {
    ParseOptions options;
    options.maxBytes = 10;
    auto v = parse("[1,2,3,4,5,6]", options);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().code, ErrorCode::TooLarge);
}

TEST(Json, RefusesInvalidUtf8) {
    EXPECT_TRUE(contains(parseError("[\"\xFF\"]"), "ill-formed UTF-8"));
    EXPECT_TRUE(contains(parseError("[\"\xC0\xAF\"]"), "ill-formed UTF-8"));          // overlong '/'
    EXPECT_TRUE(contains(parseError("[\"\xE0\x80\xAF\"]"), "ill-formed UTF-8"));      // overlong
    EXPECT_TRUE(contains(parseError("[\"\xED\xA0\x80\"]"), "ill-formed UTF-8"));      // surrogate
    EXPECT_TRUE(contains(parseError("[\"\xF4\x90\x80\x80\"]"), "ill-formed UTF-8"));  // > U+10FFFF
    EXPECT_TRUE(contains(parseError("[\"\xE4\xB8\"]"), "ill-formed UTF-8"));          // truncated
    EXPECT_TRUE(contains(parseError("[\"\x80\"]"), "ill-formed UTF-8"));              // lone continuation
    EXPECT_TRUE(contains(parseError("[\xC3\xA9]"), "invalid literal"));               // outside a string
    // Messages never quote the raw bytes, so they stay valid UTF-8.
    EXPECT_FALSE(contains(parseError("[\"\xFF\"]"), "\xFF"));
}

TEST(Json, ByteOrderMarks) {
    Value v = parseOk("\xEF\xBB\xBF{\"a\": 1}");
    EXPECT_EQ(find(v, "a")->get<double>(), 1.0);
    EXPECT_TRUE(contains(parseError(std::string("\xFF\xFE{\0\"\0", 6)), "UTF-16"));
    EXPECT_TRUE(contains(parseError(std::string("\xFE\xFF\0{", 4)), "UTF-16"));
    EXPECT_TRUE(contains(parseError(std::string("\xFF\xFE\0\0{\0\0\0", 8)), "UTF-32"));
    EXPECT_TRUE(contains(parseError("\xEF\xBB\xBF"), "empty"));
    // A BOM anywhere but the start is just an unexpected byte.
    EXPECT_TRUE(contains(parseError("{}\xEF\xBB\xBF"), "expected end of input"));
}

}  // namespace
}  // namespace lmc::json
