// CodecCache: slots, types, hits and the source binding that keeps one image's work from reaching another.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "codec/codec_cache.h"

namespace lmc {
namespace {

TEST(CodecCache, ReturnsWhatWasPutUnderTheSlotAndCountsHits) {
    CodecCache cache;
    EXPECT_EQ(cache.get<int>("a.x"), nullptr);
    cache.put("a.x", std::make_shared<const int>(7));
    auto v = cache.get<int>("a.x");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(*v, 7);
    EXPECT_EQ(cache.hits("a.x"), 1);
    EXPECT_EQ(cache.get<double>("a.x"), nullptr);  // another type is a miss, not a reinterpretation
    EXPECT_EQ(cache.hits("a.x"), 1);
    cache.put("a.x", std::make_shared<const int>(8));
    EXPECT_EQ(*v, 7);  // a reader keeps its entry
    EXPECT_EQ(*cache.get<int>("a.x"), 8);
    cache.clear();
    EXPECT_EQ(cache.get<int>("a.x"), nullptr);
}

TEST(CodecCache, AnotherSourceDropsEveryEntry) {
    Image a = *Image::create(4, 3), b = *Image::create(4, 3);
    CodecCache cache;
    cache.bindSource(a.view());
    cache.put("a.x", std::make_shared<const std::string>("a's"));
    cache.bindSource(a.view());  // the same source keeps its work
    EXPECT_NE(cache.get<std::string>("a.x"), nullptr);
    cache.bindSource(a.view().crop(0, 0, 2, 2));  // same texel buffer, other size
    EXPECT_EQ(cache.get<std::string>("a.x"), nullptr);
    cache.put("a.x", std::make_shared<const std::string>("a crop's"));
    cache.bindSource(b.view());  // same size, other texels
    EXPECT_EQ(cache.get<std::string>("a.x"), nullptr);
}

}  // namespace
}  // namespace lmc
