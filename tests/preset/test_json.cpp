// The strict JSON reader/writer: every value type, escapes and UTF-8, round trips, and each malformed input gives
// a CorruptData error naming the right line and column.
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
    return v.error().message;
}

TEST(Json, ParsesEveryValueType) {
    Value v = parseOk(R"({"n": null, "t": true, "f": false, "i": -12, "x": 2.5e-3, "s": "hi",
                         "a": [1, [2], {}], "o": {"k": []}})");
    ASSERT_TRUE(v.isObject());
    ASSERT_EQ(v.asObject().size(), 8u);
    EXPECT_TRUE(v.find("n")->isNull());
    EXPECT_TRUE(v.find("t")->asBool());
    EXPECT_TRUE(v.find("f")->isBool());
    EXPECT_FALSE(v.find("f")->asBool());
    EXPECT_EQ(v.find("i")->asNumber(), -12.0);
    EXPECT_DOUBLE_EQ(v.find("x")->asNumber(), 0.0025);
    EXPECT_EQ(v.find("s")->asString(), "hi");
    ASSERT_EQ(v.find("a")->asArray().size(), 3u);
    EXPECT_EQ(v.find("a")->asArray()[1].asArray()[0].asNumber(), 2.0);
    EXPECT_TRUE(v.find("o")->find("k")->isArray());
    EXPECT_EQ(v.find("missing"), nullptr);
    // Members keep file order.
    EXPECT_EQ(v.asObject().front().first, "n");
    EXPECT_EQ(v.asObject().back().first, "o");
}

TEST(Json, DecodesEscapesAndUtf8) {
    Value v = parseOk(R"(["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u4e2d", "\ud83d\ude00", "中文 ✓", "\u0000x"])");
    const auto& a = v.asArray();
    ASSERT_EQ(a.size(), 5u);
    EXPECT_EQ(a[0].asString(), "a\"b\\c/d\b\f\n\r\t");
    EXPECT_EQ(a[1].asString(), "\xC3\xA9\xE4\xB8\xAD");  // é中
    EXPECT_EQ(a[2].asString(), "\xF0\x9F\x98\x80");      // U+1F600 from a surrogate pair
    EXPECT_EQ(a[3].asString(), "\xE4\xB8\xAD\xE6\x96\x87 \xE2\x9C\x93");
    EXPECT_EQ(a[4].asString(), std::string("\0x", 2));
}

TEST(Json, RoundTripKeepsValuesExactly) {
    Value root = Value::object();
    root.set("pi", 3.141592653589793);
    root.set("tiny", 4.9406564584124654e-324);
    root.set("big", 1.7976931348623157e308);
    root.set("int", 123456789012345.0);
    root.set("neg", -0.1);
    root.set("text", "line\nbreak \"quoted\" 中 \x01");
    Value arr = Value::array();
    arr.push(true);
    arr.push(nullptr);
    arr.push(Value::object());
    arr.push(Value::array());
    root.set("arr", arr);
    for (bool pretty : {true, false}) {
        const std::string text = write(root, {pretty});
        auto back = parse(text);
        ASSERT_TRUE(back.ok()) << back.error().message << "\n" << text;
        EXPECT_EQ(*back, root) << text;
        EXPECT_EQ(write(*back, {pretty}), text);
    }
    EXPECT_EQ(write(root, {false}).find('\n'), std::string::npos);
    EXPECT_NE(write(root, {false}).find(R"("int":123456789012345)"), std::string::npos);
}

TEST(Json, WriterProducesValidJsonFromBadInput) {
    Value v = Value::array();
    v.push(std::nan(""));
    v.push(HUGE_VAL);
    v.push(std::string("bad\xFF\xC3"));  // invalid UTF-8 bytes
    const std::string text = write(v, {false});
    EXPECT_EQ(text, "[null,null,\"bad\xEF\xBF\xBD\xEF\xBF\xBD\"]");
    EXPECT_TRUE(parse(text).ok());
}

TEST(Json, SetReplacesAndKeepsOrder) {
    Value o;
    o.set("a", 1);
    o.set("b", 2);
    o.set("a", 3);
    ASSERT_EQ(o.asObject().size(), 2u);
    EXPECT_EQ(o.asObject()[0].first, "a");
    EXPECT_EQ(o.find("a")->asNumber(), 3.0);
}

TEST(Json, ErrorsNameLineAndColumn) {
    EXPECT_EQ(parseError("{\n  \"a\": 1,\n  \"b\" 2\n}"),
              "line 3, column 7: unexpected character '2' (expected ':' after the key \"b\")");
    // Columns count characters: the two Chinese characters are one column each.
    EXPECT_EQ(parseError("[\"中文\", x]"), "line 1, column 8: unexpected character 'x' (expected a JSON value)");
}

TEST(Json, RefusesTruncatedDocuments) {
    const std::string full = R"({"format": "lmc-preset", "params": {"quality": [1, 2]}, "s": "text"})";
    ASSERT_TRUE(parse(full).ok());
    for (std::size_t n = 0; n < full.size(); ++n) {
        auto v = parse(full.substr(0, n));
        ASSERT_FALSE(v.ok()) << "prefix of " << n << " bytes accepted";
        EXPECT_EQ(v.error().code, ErrorCode::CorruptData);
    }
    EXPECT_NE(parseError(R"({"a": "abc)").find("missing closing"), std::string::npos);
    EXPECT_NE(parseError(R"({"a": [1, 2)").find("truncated"), std::string::npos);
    EXPECT_NE(parseError("").find("empty"), std::string::npos);
    EXPECT_NE(parseError("   \n ").find("empty"), std::string::npos);
}

TEST(Json, RefusesNonStandardSyntax) {
    EXPECT_NE(parseError("[1, 2,]").find("trailing comma"), std::string::npos);
    EXPECT_NE(parseError(R"({"a": 1,})").find("trailing comma"), std::string::npos);
    EXPECT_NE(parseError("[01]").find("leading zeros"), std::string::npos);
    EXPECT_NE(parseError("[NaN]").find("NaN"), std::string::npos);
    EXPECT_NE(parseError("[Infinity]").find("NaN and Infinity"), std::string::npos);
    EXPECT_NE(parseError("[-]").find("digit"), std::string::npos);
    EXPECT_NE(parseError("[1.]").find("decimal point"), std::string::npos);
    EXPECT_NE(parseError("[1e]").find("exponent"), std::string::npos);
    EXPECT_NE(parseError("[+1]").find("'+'"), std::string::npos);
    EXPECT_NE(parseError("['a']").find("'''"), std::string::npos);
    EXPECT_NE(parseError("{a: 1}").find("expected a \"key\" string"), std::string::npos);
    EXPECT_NE(parseError("// c\n{}").find("'/'"), std::string::npos);
    EXPECT_NE(parseError("{} {}").find("after the end"), std::string::npos);
    EXPECT_NE(parseError("[tru]").find("expected a JSON value"), std::string::npos);
    EXPECT_NE(parseError(R"({"a": 1, "a": 2})").find("duplicate key \"a\""), std::string::npos);
    EXPECT_NE(parseError("[\"tab\there\"]").find("control character U+0009"), std::string::npos);
    EXPECT_NE(parseError(R"(["\x"])").find("unknown escape"), std::string::npos);
    EXPECT_NE(parseError(R"(["\u12G4"])").find("hexadecimal"), std::string::npos);
    EXPECT_NE(parseError(R"(["\ud83d"])").find("low surrogate"), std::string::npos);
    EXPECT_NE(parseError(R"(["\ud83dx"])").find("low surrogate"), std::string::npos);
    EXPECT_NE(parseError(R"(["\ude00"])").find("unpaired"), std::string::npos);
}

TEST(Json, HugeNumbersAreErrorsTinyOnesUnderflowToZero) {
    EXPECT_NE(parseError("[1e400]").find("too large"), std::string::npos);
    EXPECT_NE(parseError("[-1e309]").find("too large"), std::string::npos);
    EXPECT_NE(parseError("[" + std::string(400, '9') + "]").find("too large"), std::string::npos);
    Value v = parseOk(
        "[1e-400, -0.0000000000000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000001, 1e308, 123456789012345678901234567890]");
    ASSERT_EQ(v.asArray().size(), 4u);
    EXPECT_EQ(v.asArray()[0].asNumber(), 0.0);
    EXPECT_EQ(v.asArray()[1].asNumber(), 0.0);
    EXPECT_TRUE(std::signbit(v.asArray()[1].asNumber()));
    EXPECT_EQ(v.asArray()[2].asNumber(), 1e308);
    EXPECT_DOUBLE_EQ(v.asArray()[3].asNumber(), 1.2345678901234568e29);
}

TEST(Json, DepthLimit) {
    ParseOptions options;
    options.maxDepth = 8;
    EXPECT_TRUE(parse(std::string(8, '[') + std::string(8, ']'), options).ok());
    EXPECT_NE(parseError(std::string(9, '[') + std::string(9, ']'), options).find("nesting deeper than 8"),
              std::string::npos);
    // The default limit holds against a hostile file without exhausting the stack.
    const std::string deep(200000, '[');
    EXPECT_NE(parseError(deep).find("nesting deeper than 64"), std::string::npos);
    std::string objects;
    for (int i = 0; i < 100; ++i) objects += "{\"a\":";
    EXPECT_NE(parseError(objects).find("nesting"), std::string::npos);
}

TEST(Json, SizeLimit) {
    ParseOptions options;
    options.maxBytes = 10;
    auto v = parse("[1,2,3,4,5,6]", options);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().code, ErrorCode::TooLarge);
}

TEST(Json, RefusesInvalidUtf8) {
    EXPECT_NE(parseError("[\"\xFF\"]").find("invalid UTF-8"), std::string::npos);
    EXPECT_NE(parseError("[\"\xC0\xAF\"]").find("invalid UTF-8"), std::string::npos);          // overlong '/'
    EXPECT_NE(parseError("[\"\xE0\x80\xAF\"]").find("invalid UTF-8"), std::string::npos);      // overlong
    EXPECT_NE(parseError("[\"\xED\xA0\x80\"]").find("invalid UTF-8"), std::string::npos);      // surrogate
    EXPECT_NE(parseError("[\"\xF4\x90\x80\x80\"]").find("invalid UTF-8"), std::string::npos);  // > U+10FFFF
    EXPECT_NE(parseError("[\"\xE4\xB8\"]").find("invalid UTF-8"), std::string::npos);          // truncated
    EXPECT_NE(parseError("[\"\x80\"]").find("invalid UTF-8"), std::string::npos);              // lone continuation
    EXPECT_NE(parseError("[\xC3\xA9]").find("byte 0xC3"), std::string::npos);                  // outside a string
    EXPECT_TRUE(isValidUtf8("\xF0\x9F\x98\x80 \xE4\xB8\xAD"));
    EXPECT_FALSE(isValidUtf8("\xF0\x9F\x98"));
}

TEST(Json, ByteOrderMarks) {
    Value v = parseOk("\xEF\xBB\xBF{\"a\": 1}");
    EXPECT_EQ(v.find("a")->asNumber(), 1.0);
    EXPECT_NE(parseError(std::string("\xFF\xFE{\0\"\0", 6)).find("UTF-16"), std::string::npos);
    EXPECT_NE(parseError("\xFE\xFF\0{").find("UTF-16"), std::string::npos);
    EXPECT_NE(parseError(std::string("\xFF\xFE\0\0{\0\0\0", 8)).find("UTF-32"), std::string::npos);
    // A BOM anywhere but the start is just an unexpected byte.
    EXPECT_NE(parseError("{}\xEF\xBB\xBF").find("after the end"), std::string::npos);
}

}  // namespace
}  // namespace lmc::json
