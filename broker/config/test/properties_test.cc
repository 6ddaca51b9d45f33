#include "broker/config/properties.h"

#include <gtest/gtest.h>

namespace samsa::broker::config {
namespace {

properties parse(std::string_view text) {
  auto p = parse_properties(text);
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message);
  return p ? *p : properties{};
}

std::string value_of(const properties& p, std::string_view key) {
  auto v = p.get(key);
  EXPECT_TRUE(v.has_value()) << "missing key " << key;
  return v ? std::string(*v) : std::string();
}

TEST(Properties, EqualsColonAndWhitespaceAllSeparateKeyFromValue) {
  auto p = parse("a=1\nb:2\nc 3\nd = 4\ne\t:\t5\nf   =   6\n");
  EXPECT_EQ(value_of(p, "a"), "1");
  EXPECT_EQ(value_of(p, "b"), "2");
  EXPECT_EQ(value_of(p, "c"), "3");
  EXPECT_EQ(value_of(p, "d"), "4");
  EXPECT_EQ(value_of(p, "e"), "5");
  EXPECT_EQ(value_of(p, "f"), "6");
}

TEST(Properties, OnlyTheFirstSeparatorSplitsTheLine) {
  auto p = parse("url=http://host:9092/x=y\nkey value with spaces\nk = = v\n");
  EXPECT_EQ(value_of(p, "url"), "http://host:9092/x=y");
  EXPECT_EQ(value_of(p, "key"), "value with spaces");
  EXPECT_EQ(value_of(p, "k"), "= v");
}

TEST(Properties, HashAndBangLinesAreCommentsAndBlankLinesAreSkipped) {
  auto p = parse("# comment\n! also a comment\n   # indented comment\n\n   \n\tkey=value\n");
  EXPECT_EQ(p.size(), 1u);
  EXPECT_EQ(value_of(p, "key"), "value");
}

TEST(Properties, HashInsideAValueIsNotAComment) {
  auto p = parse("key=value # not a comment\n");
  EXPECT_EQ(value_of(p, "key"), "value # not a comment");
}

TEST(Properties, LeadingWhitespaceIsTrimmedButTrailingWhitespaceOfTheValueIsKept) {
  auto p = parse("   key=value   \n");
  EXPECT_EQ(value_of(p, "key"), "value   ");
}

TEST(Properties, TrailingBackslashContinuesTheLineWithoutItsLeadingWhitespace) {
  auto p = parse("listeners=PLAINTEXT://a:1,\\\n          SSL://b:2\nnext=1\n");
  EXPECT_EQ(value_of(p, "listeners"), "PLAINTEXT://a:1,SSL://b:2");
  EXPECT_EQ(value_of(p, "next"), "1");
}

TEST(Properties, AnEvenNumberOfTrailingBackslashesIsAnEscapedBackslash) {
  auto p = parse("path=C:\\\\dir\\\\\nnext=1\n");
  EXPECT_EQ(value_of(p, "path"), "C:\\dir\\");
  EXPECT_EQ(value_of(p, "next"), "1");
}

TEST(Properties, ABackslashAtTheEndOfTheFileIsDropped) {
  auto p = parse("key=value\\");
  EXPECT_EQ(value_of(p, "key"), "value");
}

TEST(Properties, ACommentEndingInBackslashDoesNotContinue) {
  auto p = parse("# comment \\\nkey=value\n");
  EXPECT_EQ(value_of(p, "key"), "value");
  EXPECT_EQ(p.size(), 1u);
}

TEST(Properties, CarriageReturnAndCrLfEndLines) {
  auto p = parse("a=1\r\nb=2\rc=3\\\r\n  4\n");
  EXPECT_EQ(value_of(p, "a"), "1");
  EXPECT_EQ(value_of(p, "b"), "2");
  EXPECT_EQ(value_of(p, "c"), "34");
}

TEST(Properties, EscapesBecomeTheCharactersTheyName) {
  auto p = parse("a=tab\\there\nb=nl\\nx\nc=\\r\\f\nd=\\q\\\\\n");
  EXPECT_EQ(value_of(p, "a"), "tab\there");
  EXPECT_EQ(value_of(p, "b"), "nl\nx");
  EXPECT_EQ(value_of(p, "c"), "\r\f");
  EXPECT_EQ(value_of(p, "d"), "q\\");
}

TEST(Properties, EscapedSeparatorsBelongToTheKey) {
  auto p = parse("my\\=key=1\nmy\\:key:2\nmy\\ key 3\n");
  EXPECT_EQ(value_of(p, "my=key"), "1");
  EXPECT_EQ(value_of(p, "my:key"), "2");
  EXPECT_EQ(value_of(p, "my key"), "3");
}

TEST(Properties, UnicodeEscapesAreEncodedAsUtf8) {
  auto p = parse("a=\\u0041\\u00e9\nb=\\uD83D\\uDE00\nc=\\u20AC\n");
  EXPECT_EQ(value_of(p, "a"), "A\xC3\xA9");
  EXPECT_EQ(value_of(p, "b"), "\xF0\x9F\x98\x80");  // a surrogate pair is one code point
  EXPECT_EQ(value_of(p, "c"), "\xE2\x82\xAC");
}

TEST(Properties, AMalformedUnicodeEscapeIsAnError) {
  auto p = parse_properties("ok=1\nbad=\\u12G4\n");
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(p.error().message.find("Malformed \\uxxxx encoding"), std::string::npos);
  EXPECT_FALSE(parse_properties("bad=\\u12").has_value());
}

TEST(Properties, AKeyWithoutValueHasTheEmptyValue) {
  auto p = parse("lonely\nalso=\n");
  EXPECT_EQ(value_of(p, "lonely"), "");
  EXPECT_EQ(value_of(p, "also"), "");
}

TEST(Properties, ADuplicateKeyKeepsTheLastValueAndItsFirstPosition) {
  auto p = parse("a=1\nb=2\na=3\n");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p.entries()[0].first, "a");
  EXPECT_EQ(value_of(p, "a"), "3");
}

TEST(Properties, AnOverrideSplitsAtTheFirstEquals) {
  auto e = parse_override("listeners=PLAINTEXT://:9092,x=y");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->first, "listeners");
  EXPECT_EQ(e->second, "PLAINTEXT://:9092,x=y");
}

TEST(Properties, AnOverrideWithoutValueMeansTheEmptyString) {
  auto e = parse_override("log.dirs");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->second, "");
  EXPECT_FALSE(parse_override("=v").has_value());
}

TEST(Properties, AMissingFileIsAnErrorNamingThePath) {
  auto p = load_properties_file("/nonexistent/samsa/server.properties");
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(p.error().message.find("/nonexistent/samsa/server.properties"), std::string::npos);
}

}  // namespace
}  // namespace samsa::broker::config
