// Tests for codec/exr_io.h. Every fixture is generated here with the OpenEXR C++ API (scanline, tiled, multi-part,
// deep, luminance, uint, odd data windows), then damaged in code where a test needs a bad file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>

#include <unistd.h>

#include <ImfChannelList.h>
#include <ImfDeepFrameBuffer.h>
#include <ImfDeepScanLineOutputFile.h>
#include <ImfFrameBuffer.h>
#include <ImfHeader.h>
#include <ImfInputFile.h>
#include <ImfMultiPartOutputFile.h>
#include <ImfOutputFile.h>
#include <ImfOutputPart.h>
#include <ImfPartType.h>
#include <ImfRgbaFile.h>
#include <ImfTiledOutputFile.h>
#include <half.h>

#include "codec/exr_io.h"
#include "codec/file_io.h"

using namespace lmc;
namespace fs = std::filesystem;

namespace {

// One channel of a fixture: values in row-major order over the channel's own samples.
struct FixtureChannel {
    std::string name;
    Imf::PixelType type = Imf::HALF;
    std::vector<float> values;
    int xSampling = 1, ySampling = 1;
};

// Typed copies of the channel values, kept alive while OpenEXR writes them.
struct FixtureBuffers {
    std::vector<std::vector<char>> storage;

    Imf::FrameBuffer frame(const Imath::Box2i& dw, const std::vector<FixtureChannel>& channels) {
        Imf::FrameBuffer fb;
        const int w = dw.max.x - dw.min.x + 1;
        for (const auto& ch : channels) {
            const std::size_t elem = ch.type == Imf::HALF ? 2 : 4;
            std::vector<char> bytes(ch.values.size() * elem);
            for (std::size_t i = 0; i < ch.values.size(); ++i) {
                if (ch.type == Imf::HALF) {
                    half h(ch.values[i]);
                    std::memcpy(bytes.data() + i * elem, &h, elem);
                } else if (ch.type == Imf::FLOAT) {
                    std::memcpy(bytes.data() + i * elem, &ch.values[i], elem);
                } else {
                    std::uint32_t u = std::uint32_t(ch.values[i]);
                    std::memcpy(bytes.data() + i * elem, &u, elem);
                }
            }
            storage.push_back(std::move(bytes));
            const std::size_t planeW = std::size_t(w / ch.xSampling);
            fb.insert(ch.name, Imf::Slice::Make(ch.type, storage.back().data(), dw, elem, elem * planeW, ch.xSampling,
                                                ch.ySampling));
        }
        return fb;
    }
};

Imf::Header fixtureHeader(const Imath::Box2i& dw, const std::vector<FixtureChannel>& channels,
                          Imf::Compression compression) {
    Imf::Header header(dw, dw);
    header.compression() = compression;
    for (const auto& ch : channels)
        header.channels().insert(ch.name, Imf::Channel(ch.type, ch.xSampling, ch.ySampling));
    return header;
}

void writeScanline(const std::string& path, const Imath::Box2i& dw, const std::vector<FixtureChannel>& channels,
                   Imf::Compression compression = Imf::ZIP_COMPRESSION) {
    FixtureBuffers buffers;
    Imf::OutputFile file(path.c_str(), fixtureHeader(dw, channels, compression));
    file.setFrameBuffer(buffers.frame(dw, channels));
    file.writePixels(dw.max.y - dw.min.y + 1);
}

void writeTiled(const std::string& path, const Imath::Box2i& dw, const std::vector<FixtureChannel>& channels,
                int tileSize, Imf::LevelMode levels, Imf::Compression compression = Imf::PIZ_COMPRESSION) {
    FixtureBuffers buffers;
    Imf::Header header = fixtureHeader(dw, channels, compression);
    header.setTileDescription(Imf::TileDescription(tileSize, tileSize, levels));
    Imf::TiledOutputFile file(path.c_str(), header);
    file.setFrameBuffer(buffers.frame(dw, channels));
    // Lower mip levels read the top-left corner of the same buffer: valid data, content irrelevant here.
    for (int level = 0; level < file.numLevels(); ++level)
        file.writeTiles(0, file.numXTiles(level) - 1, 0, file.numYTiles(level) - 1, level);
}

Imath::Box2i box(int w, int h, int x0 = 0, int y0 = 0) {
    return Imath::Box2i(Imath::V2i(x0, y0), Imath::V2i(x0 + w - 1, y0 + h - 1));
}

std::vector<float> ramp(int n, float scale, float offset = 0.0f) {
    std::vector<float> v(std::size_t(n), 0.0f);
    for (int i = 0; i < n; ++i) v[std::size_t(i)] = offset + scale * float(i);
    return v;
}

float halfRound(float v) {
    return float(half(v));
}

std::vector<std::uint8_t> readBytes(const std::string& path) {
    auto bytes = readFileBytes(path);
    EXPECT_TRUE(bytes.ok()) << path;
    return bytes.ok() ? bytes.value() : std::vector<std::uint8_t>{};
}

// A test image with values spanning several magnitudes, some zeros and a checkered mask.
Image sampleImage(int w, int h, bool withMask) {
    Image image = Image::create(w, h).value();
    std::mt19937 rng(1234u + unsigned(w * 31 + h));
    std::uniform_real_distribution<float> exponent(-6.0f, 8.0f);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) image.texel(x, y)[c] = ((x + c) % 7 == 0) ? 0.0f : std::exp2(exponent(rng));
    if (withMask) {
        image.ensureMask();
        for (int i = 0; i < w * h; ++i) image.maskData()[i] = (i % 3 == 0) ? 0 : 1;
    }
    return image;
}

class ExrIo : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               ("lmc_exr_" + std::to_string(::getpid()) + "_" + info->test_suite_name() + "_" + info->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    fs::path dir_;
};

}  // namespace

TEST_F(ExrIo, RoundTripsEveryTypeAndCompressionWithMask) {
    const Image original = sampleImage(37, 21, true);
    const std::pair<ExrPixelType, const char*> types[] = {{ExrPixelType::Half, "half"}, {ExrPixelType::Float, "float"}};
    const std::pair<ExrCompression, const char*> compressions[] = {
        {ExrCompression::None, "none"}, {ExrCompression::Zip, "zip"}, {ExrCompression::Piz, "piz"}};
    for (const auto& [type, typeName] : types) {
        for (const auto& [compression, compressionName] : compressions) {
            SCOPED_TRACE(std::string(typeName) + "/" + compressionName);
            ExrWriteOptions options;
            options.pixelType = type;
            options.compression = compression;
            const std::string file = path(std::string("rt_") + typeName + "_" + compressionName + ".exr");
            ASSERT_TRUE(writeExr(file, original.view(), options).ok());
            auto loaded = readExr(file);
            ASSERT_TRUE(loaded.ok()) << loaded.error().message;
            const ExrInfo& info = loaded->info;
            EXPECT_EQ(info.width, 37);
            EXPECT_EQ(info.height, 21);
            EXPECT_EQ(info.channels, (std::vector<std::string>{"A", "B", "G", "R"}));
            EXPECT_EQ(info.pixelType, typeName);
            EXPECT_EQ(info.compression, compressionName);
            EXPECT_FALSE(info.tiled);
            EXPECT_EQ(info.partCount, 1);
            EXPECT_EQ(info.partUsed, 0);
            EXPECT_FALSE(info.luminanceOnly);
            EXPECT_TRUE(info.alphaIsMask);
            EXPECT_EQ(info.emptyMarkerTexels, 0);
            const Image& image = loaded->image;
            ASSERT_TRUE(image.hasMask());
            for (int y = 0; y < 21; ++y) {
                for (int x = 0; x < 37; ++x) {
                    for (int c = 0; c < 3; ++c) {
                        const float want =
                            type == ExrPixelType::Half ? halfRound(original.texel(x, y)[c]) : original.texel(x, y)[c];
                        ASSERT_EQ(image.texel(x, y)[c], want) << x << "," << y << " c" << c;
                    }
                    ASSERT_EQ(image.maskData()[y * 37 + x], original.maskData()[y * 37 + x]);
                }
            }
            // The memory path produces the same bytes as the file path.
            auto memory = writeExrToMemory(original.view(), options);
            ASSERT_TRUE(memory.ok());
            EXPECT_EQ(memory.value(), readBytes(file));
        }
    }
}

TEST_F(ExrIo, WritesWithoutAlphaWhenAskedOrWithoutMask) {
    Image image = sampleImage(5, 4, true);
    ExrWriteOptions options;
    options.writeMaskAsAlpha = false;
    auto bytes = writeExrToMemory(image.view(), options);
    ASSERT_TRUE(bytes.ok());
    auto loaded = readExrFromMemory(bytes->data(), bytes->size());
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(loaded->info.channels, (std::vector<std::string>{"B", "G", "R"}));
    EXPECT_FALSE(loaded->image.hasMask());
    EXPECT_FALSE(loaded->info.alphaIsMask);
}

TEST_F(ExrIo, SmallestImagesRoundTrip) {
    for (auto [w, h] : {std::pair{1, 1}, std::pair{3, 5}}) {
        Image image = sampleImage(w, h, false);
        image.texel(0, 0)[0] = 2.5f;
        for (auto type : {ExrPixelType::Half, ExrPixelType::Float}) {
            for (auto compression : {ExrCompression::None, ExrCompression::Zip, ExrCompression::Piz}) {
                ExrWriteOptions options;
                options.pixelType = type;
                options.compression = compression;
                auto bytes = writeExrToMemory(image.view(), options);
                ASSERT_TRUE(bytes.ok());
                auto loaded = readExrFromMemory(bytes->data(), bytes->size());
                ASSERT_TRUE(loaded.ok()) << loaded.error().message;
                ASSERT_EQ(loaded->image.width(), w);
                ASSERT_EQ(loaded->image.height(), h);
                EXPECT_FALSE(loaded->image.hasMask());
                EXPECT_EQ(loaded->image.texel(0, 0)[0], 2.5f);
                for (int y = 0; y < h; ++y)
                    for (int x = 0; x < w; ++x)
                        for (int c = 0; c < 3; ++c) {
                            const float v = image.texel(x, y)[c];
                            EXPECT_EQ(loaded->image.texel(x, y)[c], type == ExrPixelType::Half ? halfRound(v) : v);
                        }
            }
        }
    }
}

TEST_F(ExrIo, WritesFromAStridedView) {
    Image big = sampleImage(10, 8, true);
    ImageView view = big.view().crop(3, 2, 4, 5);
    ExrWriteOptions options;
    options.pixelType = ExrPixelType::Float;
    auto bytes = writeExrToMemory(view, options);
    ASSERT_TRUE(bytes.ok());
    auto loaded = readExrFromMemory(bytes->data(), bytes->size());
    ASSERT_TRUE(loaded.ok());
    ASSERT_EQ(loaded->image.width(), 4);
    ASSERT_EQ(loaded->image.height(), 5);
    for (int y = 0; y < 5; ++y)
        for (int x = 0; x < 4; ++x) {
            EXPECT_EQ(loaded->image.texel(x, y)[1], big.texel(x + 3, y + 2)[1]);
            EXPECT_EQ(loaded->image.maskData()[y * 4 + x], big.maskData()[(y + 2) * 10 + x + 3]);
        }
}

TEST_F(ExrIo, NonFiniteAndNegativeValuesSurviveFloat) {
    Image image = Image::create(4, 1).value();
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    const float values[12] = {nan, inf, -inf, -3.5f, -1e-30f, 1e30f, 0.0f, -0.0f, 7.0f, -1.0f, -1.0f, -2.0f};
    std::copy(values, values + 12, image.data());
    ExrWriteOptions options;
    options.pixelType = ExrPixelType::Float;
    options.compression = ExrCompression::Piz;
    auto bytes = writeExrToMemory(image.view(), options);
    ASSERT_TRUE(bytes.ok());
    auto loaded = readExrFromMemory(bytes->data(), bytes->size());
    ASSERT_TRUE(loaded.ok());
    const float* got = loaded->image.data();
    EXPECT_TRUE(std::isnan(got[0]));
    for (int i = 1; i < 12; ++i) EXPECT_EQ(std::memcmp(&got[i], &values[i], 4), 0) << i << ": " << got[i];
    EXPECT_FALSE(loaded->image.hasMask());  // (-1, -1, -2) is not the empty marker
}

TEST_F(ExrIo, HalfOutputClampsInsteadOfOverflowing) {
    Image image = Image::create(3, 2).value();
    const float values[18] = {
        1e6f, -1e6f, 65519.0f, 70000.0f, 3e38f, -65600.0f, 65504.0f, 1.0f, 0.5f, std::numeric_limits<float>::infinity(),
        0,    0,     0,        0,        0,     0,         0,        0};
    std::copy(values, values + 18, image.data());
    auto bytes = writeExrToMemory(image.view());
    ASSERT_TRUE(bytes.ok());
    auto loaded = readExrFromMemory(bytes->data(), bytes->size());
    ASSERT_TRUE(loaded.ok());
    const float* got = loaded->image.data();
    EXPECT_EQ(got[0], 65504.0f);
    EXPECT_EQ(got[1], -65504.0f);
    EXPECT_EQ(got[2], 65504.0f);
    EXPECT_EQ(got[3], 65504.0f);
    EXPECT_EQ(got[4], 65504.0f);
    EXPECT_EQ(got[5], -65504.0f);
    EXPECT_EQ(got[6], 65504.0f);
    EXPECT_EQ(got[8], 0.5f);
    EXPECT_TRUE(std::isinf(got[9]));  // a real infinity stays one
}

TEST_F(ExrIo, FindsChannelsByNameInAnyStoredOrder) {
    // Godot stores B,G,R; extra channels (AO, Z) sit between them alphabetically and must be skipped.
    const int w = 6, h = 3;
    std::vector<FixtureChannel> channels = {{"B", Imf::HALF, ramp(w * h, 0.25f, 300.0f)},
                                            {"G", Imf::HALF, ramp(w * h, 0.5f, 200.0f)},
                                            {"R", Imf::HALF, ramp(w * h, 1.0f, 100.0f)},
                                            {"AO", Imf::HALF, ramp(w * h, 0.0f, 0.5f)},
                                            {"Z", Imf::FLOAT, ramp(w * h, 3.0f)}};
    writeScanline(path("bgr.exr"), box(w, h), channels, Imf::PIZ_COMPRESSION);
    auto loaded = readExr(path("bgr.exr"));
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->info.channels, (std::vector<std::string>{"AO", "B", "G", "R", "Z"}));
    EXPECT_EQ(loaded->info.pixelType, "mixed");
    EXPECT_EQ(loaded->info.compression, "piz");
    EXPECT_FALSE(loaded->image.hasMask());
    for (int i = 0; i < w * h; ++i) {
        const float* t = loaded->image.data() + 3 * i;
        EXPECT_EQ(t[0], halfRound(100.0f + float(i)));
        EXPECT_EQ(t[1], halfRound(200.0f + 0.5f * float(i)));
        EXPECT_EQ(t[2], halfRound(300.0f + 0.25f * float(i)));
    }
}

TEST_F(ExrIo, MissingColourChannelsLoadAsZero) {
    writeScanline(path("rg.exr"), box(2, 2), {{"R", Imf::FLOAT, {1, 2, 3, 4}}, {"G", Imf::FLOAT, {5, 6, 7, 8}}});
    auto loaded = readExr(path("rg.exr"));
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(loaded->image.texel(1, 1)[0], 4.0f);
    EXPECT_EQ(loaded->image.texel(1, 1)[1], 8.0f);
    EXPECT_EQ(loaded->image.texel(1, 1)[2], 0.0f);
}

TEST_F(ExrIo, DecodesEveryCompressionLikeTheCppLibrary) {
    // Reference: the OpenEXR C++ reader on the same file. This also covers the compressions our reader hands to the
    // C++ library (B44/B44A/DWAA/DWAB) and uint channels, with a data window off the origin and partial blocks.
    const int w = 45, h = 39;
    const Imath::Box2i window = box(w, h, -3, 5);
    std::mt19937 rng(99);
    std::uniform_real_distribution<float> value(0.0f, 8.0f);
    std::vector<float> r(std::size_t(w * h)), g(r.size()), b(r.size());
    for (std::size_t i = 0; i < r.size(); ++i)
        r[i] = value(rng), g[i] = value(rng), b[i] = std::floor(value(rng) * 100);
    const Imf::Compression compressions[] = {Imf::NO_COMPRESSION,  Imf::RLE_COMPRESSION,  Imf::ZIPS_COMPRESSION,
                                             Imf::ZIP_COMPRESSION, Imf::PIZ_COMPRESSION,  Imf::PXR24_COMPRESSION,
                                             Imf::B44_COMPRESSION, Imf::B44A_COMPRESSION, Imf::DWAA_COMPRESSION,
                                             Imf::DWAB_COMPRESSION};
    for (Imf::Compression compression : compressions) {
        for (Imf::PixelType type : {Imf::HALF, Imf::FLOAT}) {
            SCOPED_TRACE(std::to_string(int(compression)) + (type == Imf::HALF ? " half" : " float"));
            const std::string file =
                path("c" + std::to_string(int(compression)) + "_" + std::to_string(int(type)) + ".exr");
            writeScanline(file, window, {{"R", type, r}, {"G", type, g}, {"B", Imf::UINT, b}}, compression);
            std::vector<float> reference(std::size_t(w * h) * 3);
            {
                Imf::InputFile in(file.c_str());
                Imf::FrameBuffer fb;
                const char* names[3] = {"R", "G", "B"};
                for (int c = 0; c < 3; ++c)
                    fb.insert(names[c],
                              Imf::Slice::Make(Imf::FLOAT, reference.data() + c, window, 12, 12 * std::size_t(w)));
                in.setFrameBuffer(fb);
                in.readPixels(window.min.y, window.max.y);
            }
            auto loaded = readExr(file);
            ASSERT_TRUE(loaded.ok()) << loaded.error().message;
            EXPECT_EQ(loaded->info.pixelType, "mixed");
            ASSERT_EQ(loaded->image.width(), w);
            std::size_t differences = 0;
            for (std::size_t i = 0; i < reference.size(); ++i)
                differences += std::memcmp(&reference[i], loaded->image.data() + i, 4) != 0;
            EXPECT_EQ(differences, 0u);
            EXPECT_EQ(loaded->image.data()[2], b[0]);  // uint survives every compression
        }
    }
}

TEST_F(ExrIo, DataWindowAwayFromTheOrigin) {
    const int w = 7, h = 5;
    writeScanline(path("dw.exr"), box(w, h, 10, -3),
                  {{"R", Imf::FLOAT, ramp(w * h, 1.0f)},
                   {"G", Imf::FLOAT, ramp(w * h, 2.0f)},
                   {"B", Imf::FLOAT, ramp(w * h, 3.0f)}});
    auto loaded = readExr(path("dw.exr"));
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->info.width, w);
    EXPECT_EQ(loaded->info.height, h);
    EXPECT_EQ(loaded->info.dataWindowX, 10);
    EXPECT_EQ(loaded->info.dataWindowY, -3);
    EXPECT_EQ(loaded->image.texel(0, 0)[0], 0.0f);
    EXPECT_EQ(loaded->image.texel(6, 4)[0], 34.0f);
    EXPECT_EQ(loaded->image.texel(6, 4)[2], 102.0f);
}

TEST_F(ExrIo, ReadsTiledFilesIncludingPartialTilesAndMipmaps) {
    const int w = 37, h = 23;
    for (auto levels : {Imf::ONE_LEVEL, Imf::MIPMAP_LEVELS}) {
        SCOPED_TRACE(int(levels));
        const std::string file = path("tiled" + std::to_string(int(levels)) + ".exr");
        writeTiled(file, box(w, h, -4, 2),
                   {{"R", Imf::HALF, ramp(w * h, 0.5f)},
                    {"G", Imf::HALF, ramp(w * h, 0.25f)},
                    {"B", Imf::FLOAT, ramp(w * h, -1.5f)},
                    {"A", Imf::HALF, std::vector<float>(std::size_t(w * h), 1.0f)}},
                   16, levels);
        auto loaded = readExr(file);
        ASSERT_TRUE(loaded.ok()) << loaded.error().message;
        EXPECT_TRUE(loaded->info.tiled);
        EXPECT_EQ(loaded->info.width, w);
        EXPECT_EQ(loaded->info.height, h);
        EXPECT_EQ(loaded->info.compression, "piz");
        EXPECT_TRUE(loaded->info.alphaIsMask);
        ASSERT_TRUE(loaded->image.hasMask());
        for (int i = 0; i < w * h; ++i) {
            const float* t = loaded->image.data() + 3 * i;
            ASSERT_EQ(t[0], halfRound(0.5f * float(i))) << i;
            ASSERT_EQ(t[1], halfRound(0.25f * float(i))) << i;
            ASSERT_EQ(t[2], -1.5f * float(i)) << i;
            ASSERT_EQ(loaded->image.maskData()[i], 1);
        }
    }
}

TEST_F(ExrIo, UsesTheFirstPartWithColourChannels) {
    const int w = 8, h = 6;
    std::vector<FixtureChannel> depth = {{"Z", Imf::FLOAT, ramp(w * h, 1.0f)}};
    std::vector<FixtureChannel> colour = {{"R", Imf::HALF, ramp(w * h, 0.125f)},
                                          {"G", Imf::HALF, ramp(w * h, 0.0f, 3.0f)},
                                          {"B", Imf::HALF, ramp(w * h, 0.0f, 4.0f)}};
    Imf::Header headers[2] = {fixtureHeader(box(w, h), depth, Imf::ZIP_COMPRESSION),
                              fixtureHeader(box(w, h), colour, Imf::PIZ_COMPRESSION)};
    headers[0].setName("depth");
    headers[0].setType(Imf::SCANLINEIMAGE);
    headers[1].setName("beauty");
    headers[1].setType(Imf::SCANLINEIMAGE);
    {
        Imf::MultiPartOutputFile file(path("multi.exr").c_str(), headers, 2);
        FixtureBuffers b0, b1;
        Imf::OutputPart p0(file, 0), p1(file, 1);
        p0.setFrameBuffer(b0.frame(box(w, h), depth));
        p0.writePixels(h);
        p1.setFrameBuffer(b1.frame(box(w, h), colour));
        p1.writePixels(h);
    }
    auto loaded = readExr(path("multi.exr"));
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->info.partCount, 2);
    EXPECT_EQ(loaded->info.partUsed, 1);
    EXPECT_EQ(loaded->info.channels, (std::vector<std::string>{"B", "G", "R"}));
    EXPECT_EQ(loaded->info.compression, "piz");
    EXPECT_EQ(loaded->image.texel(7, 5)[0], halfRound(0.125f * 47));
    EXPECT_EQ(loaded->image.texel(7, 5)[1], 3.0f);
    EXPECT_EQ(loaded->image.texel(7, 5)[2], 4.0f);
}

TEST_F(ExrIo, LuminanceOnlyLoadsAsGrey) {
    const int w = 5, h = 4;
    writeScanline(path("y.exr"), box(w, h), {{"Y", Imf::HALF, ramp(w * h, 0.75f)}});
    auto loaded = readExr(path("y.exr"));
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_TRUE(loaded->info.luminanceOnly);
    EXPECT_EQ(loaded->info.channels, std::vector<std::string>{"Y"});
    for (int i = 0; i < w * h; ++i)
        for (int c = 0; c < 3; ++c) ASSERT_EQ(loaded->image.data()[3 * i + c], halfRound(0.75f * float(i)));
}

TEST_F(ExrIo, LuminanceChromaConvertsBackToRgb) {
    // RgbaOutputFile stores Y at full resolution and RY/BY subsampled 2x2; a flat colour must come back close.
    const int w = 16, h = 12;
    const float colour[3] = {0.8f, 0.3f, 0.1f};
    std::vector<Imf::Rgba> pixels(std::size_t(w * h), Imf::Rgba(colour[0], colour[1], colour[2], 1.0f));
    {
        Imf::RgbaOutputFile file(path("yc.exr").c_str(), Imf::Header(w, h), Imf::WRITE_YC);
        file.setFrameBuffer(pixels.data(), 1, w);
        file.writePixels(h);
    }
    auto loaded = readExr(path("yc.exr"));
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_TRUE(loaded->info.luminanceOnly);
    EXPECT_EQ(loaded->info.channels, (std::vector<std::string>{"BY", "RY", "Y"}));
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) ASSERT_NEAR(loaded->image.texel(x, y)[c], colour[c], 0.01f) << x << "," << y;

    // A smooth gradient: close to what OpenEXR's own RGBA reader reconstructs (it filters chroma differently). With
    // no compression each block holds one line, so half the blocks hold no chroma row at all.
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            pixels[std::size_t(y * w + x)] = Imf::Rgba(0.2f + 0.05f * float(x), 0.5f, 0.9f - 0.04f * float(y), 1.0f);
    for (Imf::Compression compression : {Imf::ZIP_COMPRESSION, Imf::NO_COMPRESSION, Imf::PIZ_COMPRESSION}) {
        SCOPED_TRACE(int(compression));
        Imf::Header header(w, h);
        header.compression() = compression;
        {
            Imf::RgbaOutputFile file(path("yc2.exr").c_str(), header, Imf::WRITE_YC);
            file.setFrameBuffer(pixels.data(), 1, w);
            file.writePixels(h);
        }
        std::vector<Imf::Rgba> reference(pixels.size());
        {
            Imf::RgbaInputFile file(path("yc2.exr").c_str());
            file.setFrameBuffer(reference.data(), 1, w);
            file.readPixels(0, h - 1);
        }
        auto gradient = readExr(path("yc2.exr"));
        ASSERT_TRUE(gradient.ok()) << gradient.error().message;
        double worst = 0;
        for (int i = 0; i < w * h; ++i) {
            const Imf::Rgba& ref = reference[std::size_t(i)];
            const float* got = gradient->image.data() + 3 * i;
            worst = std::max({worst, std::abs(double(got[0]) - float(ref.r)), std::abs(double(got[1]) - float(ref.g)),
                              std::abs(double(got[2]) - float(ref.b))});
        }
        EXPECT_LT(worst, 0.015);
    }
}

TEST_F(ExrIo, ReadsUintChannels) {
    const int w = 4, h = 3;
    writeScanline(path("uint.exr"), box(w, h),
                  {{"R", Imf::UINT, ramp(w * h, 1000.0f)},
                   {"G", Imf::UINT, ramp(w * h, 1.0f, 7.0f)},
                   {"B", Imf::UINT, ramp(w * h, 0.0f, 4000000.0f)}},
                  Imf::RLE_COMPRESSION);
    auto loaded = readExr(path("uint.exr"));
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->info.pixelType, "uint");
    EXPECT_EQ(loaded->info.compression, "rle");
    for (int i = 0; i < w * h; ++i) {
        EXPECT_EQ(loaded->image.data()[3 * i + 0], 1000.0f * float(i));
        EXPECT_EQ(loaded->image.data()[3 * i + 1], 7.0f + float(i));
        EXPECT_EQ(loaded->image.data()[3 * i + 2], 4000000.0f);
    }
}

TEST_F(ExrIo, DeepImagesAreUnsupported) {
    const int w = 4, h = 4;
    Imf::Header header(w, h);
    header.setType(Imf::DEEPSCANLINE);
    header.compression() = Imf::ZIPS_COMPRESSION;
    header.channels().insert("R", Imf::Channel(Imf::HALF));
    header.channels().insert("Z", Imf::Channel(Imf::FLOAT));
    std::vector<unsigned> counts(std::size_t(w * h), 1);
    std::vector<half> r(std::size_t(w * h), half(0.5f));
    std::vector<float> z(std::size_t(w * h), 2.0f);
    std::vector<half*> rPtr(std::size_t(w * h));
    std::vector<float*> zPtr(std::size_t(w * h));
    for (int i = 0; i < w * h; ++i) {
        rPtr[std::size_t(i)] = &r[std::size_t(i)];
        zPtr[std::size_t(i)] = &z[std::size_t(i)];
    }
    {
        Imf::DeepScanLineOutputFile file(path("deep.exr").c_str(), header);
        Imf::DeepFrameBuffer fb;
        fb.insertSampleCountSlice(
            Imf::Slice(Imf::UINT, reinterpret_cast<char*>(counts.data()), sizeof(unsigned), sizeof(unsigned) * w));
        fb.insert("R", Imf::DeepSlice(Imf::HALF, reinterpret_cast<char*>(rPtr.data()), sizeof(half*), sizeof(half*) * w,
                                      sizeof(half)));
        fb.insert("Z", Imf::DeepSlice(Imf::FLOAT, reinterpret_cast<char*>(zPtr.data()), sizeof(float*),
                                      sizeof(float*) * w, sizeof(float)));
        file.setFrameBuffer(fb);
        file.writePixels(h);
    }
    auto loaded = readExr(path("deep.exr"));
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, ErrorCode::Unsupported);
    EXPECT_NE(loaded.error().message.find("deep"), std::string::npos) << loaded.error().message;
}

TEST_F(ExrIo, FilesWithoutColourChannelsAreUnsupported) {
    writeScanline(path("z.exr"), box(3, 3), {{"Z", Imf::FLOAT, ramp(9, 1.0f)}});
    auto loaded = readExr(path("z.exr"));
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, ErrorCode::Unsupported);
    EXPECT_NE(loaded.error().message.find("Z"), std::string::npos) << loaded.error().message;
    EXPECT_NE(loaded.error().message.find(path("z.exr")), std::string::npos) << loaded.error().message;
}

TEST_F(ExrIo, AlphaIsAMaskOnlyWhenBinary) {
    const int w = 4, h = 2;
    auto rgb = [&](float v) { return FixtureChannel{"", Imf::HALF, std::vector<float>(std::size_t(w * h), v)}; };
    auto channelsWithAlpha = [&](std::vector<float> alpha) {
        FixtureChannel r = rgb(1.0f), g = rgb(2.0f), b = rgb(3.0f);
        r.name = "R";
        g.name = "G";
        b.name = "B";
        return std::vector<FixtureChannel>{r, g, b, {"A", Imf::HALF, std::move(alpha)}};
    };
    // Enlighten-style 0..2 alpha: not a mask.
    writeScanline(path("a02.exr"), box(w, h), channelsWithAlpha({0, 0.5f, 1, 2, 1.5f, 0, 1, 2}));
    auto enlighten = readExr(path("a02.exr"));
    ASSERT_TRUE(enlighten.ok());
    EXPECT_FALSE(enlighten->info.alphaIsMask);
    EXPECT_FALSE(enlighten->image.hasMask());
    // Only 0 and 2: still not a mask.
    writeScanline(path("a2.exr"), box(w, h), channelsWithAlpha({0, 2, 2, 2, 0, 2, 2, 2}));
    auto two = readExr(path("a2.exr"));
    ASSERT_TRUE(two.ok());
    EXPECT_FALSE(two->info.alphaIsMask);
    EXPECT_FALSE(two->image.hasMask());
    // Exactly 0/1: a mask, texel for texel.
    writeScanline(path("a01.exr"), box(w, h), channelsWithAlpha({0, 1, 1, 0, 1, 1, 1, 0}));
    auto binary = readExr(path("a01.exr"));
    ASSERT_TRUE(binary.ok());
    EXPECT_TRUE(binary->info.alphaIsMask);
    ASSERT_TRUE(binary->image.hasMask());
    const std::uint8_t want[8] = {0, 1, 1, 0, 1, 1, 1, 0};
    EXPECT_EQ(std::memcmp(binary->image.maskData(), want, 8), 0);
    EXPECT_EQ(binary->image.texel(0, 0)[2], 3.0f);  // RGB is kept under a 0 alpha
}

TEST_F(ExrIo, UnityBeastEmptyMarkerBecomesUncoveredZero) {
    // No alpha: a mask is created with the marker texels uncovered.
    const int w = 3, h = 2;
    std::vector<float> r = {-1, 0.5f, -1, 2, -1, 4}, g = {-1, 0.5f, -1, 2, 0, 4}, b = {-1, 0.5f, -1, 2, -1, 4};
    writeScanline(path("beast.exr"), box(w, h), {{"R", Imf::HALF, r}, {"G", Imf::HALF, g}, {"B", Imf::HALF, b}},
                  Imf::PIZ_COMPRESSION);
    auto loaded = readExr(path("beast.exr"));
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(loaded->info.emptyMarkerTexels, 2);
    EXPECT_FALSE(loaded->info.alphaIsMask);
    ASSERT_TRUE(loaded->image.hasMask());
    const std::uint8_t want[6] = {0, 1, 0, 1, 1, 1};
    EXPECT_EQ(std::memcmp(loaded->image.maskData(), want, 6), 0);
    EXPECT_EQ(loaded->image.texel(0, 0)[0], 0.0f);
    EXPECT_EQ(loaded->image.texel(2, 0)[1], 0.0f);
    EXPECT_EQ(loaded->image.texel(1, 1)[0], -1.0f);  // (-1, 0, -1) is real data, kept
    EXPECT_EQ(loaded->image.texel(1, 1)[1], 0.0f);

    // With a 0/1 alpha the marker clears coverage on top of it.
    writeScanline(
        path("beast_a.exr"), box(w, h),
        {{"R", Imf::HALF, r}, {"G", Imf::HALF, g}, {"B", Imf::HALF, b}, {"A", Imf::HALF, {1, 0, 1, 1, 1, 1}}});
    auto withAlpha = readExr(path("beast_a.exr"));
    ASSERT_TRUE(withAlpha.ok());
    EXPECT_TRUE(withAlpha->info.alphaIsMask);
    EXPECT_EQ(withAlpha->info.emptyMarkerTexels, 2);
    const std::uint8_t wantA[6] = {0, 0, 0, 1, 1, 1};
    EXPECT_EQ(std::memcmp(withAlpha->image.maskData(), wantA, 6), 0);
}

TEST_F(ExrIo, NonExrInputIsCorruptData) {
    // PNG signature and IHDR, saved under an .exr name.
    const std::uint8_t png[] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I',  'H',  'D',  'R', 0,
                                0,    0,   16,  0,   0,    0,    16,   8,    2, 0, 0, 0,    0x90, 0x91, 0x68, 0x36};
    ASSERT_TRUE(writeFileAtomic(path("fake.exr"), png, sizeof(png)).ok());
    auto loaded = readExr(path("fake.exr"));
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, ErrorCode::CorruptData);
    EXPECT_NE(loaded.error().message.find("not an OpenEXR file"), std::string::npos) << loaded.error().message;

    std::mt19937 rng(7);
    std::vector<std::uint8_t> junk(5000);
    for (auto& b : junk) b = std::uint8_t(rng());
    EXPECT_EQ(readExrFromMemory(junk.data(), junk.size()).error().code, ErrorCode::CorruptData);
    // Junk behind a valid signature reaches the header parser.
    junk[0] = 0x76, junk[1] = 0x2f, junk[2] = 0x31, junk[3] = 0x01, junk[4] = 2, junk[5] = junk[6] = junk[7] = 0;
    EXPECT_EQ(readExrFromMemory(junk.data(), junk.size()).error().code, ErrorCode::CorruptData);
    EXPECT_FALSE(readExrFromMemory(nullptr, 0).ok());
    EXPECT_FALSE(readExrFromMemory(junk.data(), 3).ok());

    auto missing = readExr(path("missing.exr"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::IoError);
}

TEST_F(ExrIo, TruncatedFilesFailAtEveryCut) {
    Image image = sampleImage(24, 20, true);
    std::vector<std::vector<std::uint8_t>> files;
    for (auto compression : {ExrCompression::None, ExrCompression::Zip, ExrCompression::Piz}) {
        ExrWriteOptions options;
        options.compression = compression;
        files.push_back(writeExrToMemory(image.view(), options).value());
    }
    writeTiled(
        path("t.exr"), box(24, 20),
        {{"R", Imf::HALF, ramp(480, 0.5f)}, {"G", Imf::HALF, ramp(480, 0.25f)}, {"B", Imf::HALF, ramp(480, 0.125f)}}, 8,
        Imf::ONE_LEVEL);
    files.push_back(readBytes(path("t.exr")));
    for (std::size_t f = 0; f < files.size(); ++f) {
        const auto& bytes = files[f];
        ASSERT_TRUE(readExrFromMemory(bytes.data(), bytes.size()).ok());
        // Every offset through the header and chunk table, then every 3rd through the pixel data.
        for (std::size_t cut = 0; cut < bytes.size(); cut += cut < 700 ? 1 : 3) {
            // A copy of exactly `cut` bytes, so ASan sees any read past the end.
            std::vector<std::uint8_t> part(bytes.begin(), bytes.begin() + std::ptrdiff_t(cut));
            auto loaded = readExrFromMemory(part.data(), part.size());
            ASSERT_FALSE(loaded.ok()) << "file " << f << " cut at " << cut << " of " << bytes.size();
            ASSERT_EQ(loaded.error().code, ErrorCode::CorruptData) << loaded.error().message;
        }
    }
    // Through the file path too.
    const auto& piz = files[2];
    ASSERT_TRUE(writeFileAtomic(path("cut.exr"), piz.data(), piz.size() / 2).ok());
    auto loaded = readExr(path("cut.exr"));
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, ErrorCode::CorruptData);
}

TEST_F(ExrIo, DamagedBytesNeverCrash) {
    // Random byte changes: each load either fails cleanly or returns an image of the header's size.
    Image image = sampleImage(20, 17, true);
    std::vector<std::vector<std::uint8_t>> files;
    for (auto compression : {ExrCompression::None, ExrCompression::Zip, ExrCompression::Piz}) {
        ExrWriteOptions options;
        options.compression = compression;
        files.push_back(writeExrToMemory(image.view(), options).value());
    }
    writeTiled(
        path("t.exr"), box(20, 17),
        {{"R", Imf::FLOAT, ramp(340, 0.5f)}, {"G", Imf::HALF, ramp(340, 0.25f)}, {"B", Imf::HALF, ramp(340, 0.125f)}},
        8, Imf::MIPMAP_LEVELS, Imf::ZIP_COMPRESSION);
    files.push_back(readBytes(path("t.exr")));
    // DWAA and B44 take the C++ library's decoder.
    for (auto compression : {Imf::DWAA_COMPRESSION, Imf::B44_COMPRESSION}) {
        writeScanline(path("lossy.exr"), box(20, 17),
                      {{"R", Imf::HALF, ramp(340, 0.5f)},
                       {"G", Imf::HALF, ramp(340, 0.25f)},
                       {"B", Imf::FLOAT, ramp(340, 0.125f)}},
                      compression);
        files.push_back(readBytes(path("lossy.exr")));
    }
    std::mt19937 rng(2024);
    int failures = 0, successes = 0;
    for (const auto& original : files) {
        for (int iteration = 0; iteration < 150; ++iteration) {
            std::vector<std::uint8_t> bytes = original;
            const int flips = 1 + int(rng() % 4);
            for (int k = 0; k < flips; ++k) bytes[rng() % bytes.size()] = std::uint8_t(rng());
            auto loaded = readExrFromMemory(bytes.data(), bytes.size());
            if (loaded.ok()) {
                ++successes;
                ASSERT_EQ(std::int64_t(loaded->image.width()) * loaded->image.height(), loaded->image.texelCount());
                ASSERT_TRUE(checkImageSize(loaded->image.width(), loaded->image.height()).ok());
            } else {
                ++failures;
                ASSERT_FALSE(loaded.error().message.empty());
            }
        }
    }
    // Both outcomes occur: flips in pixel data decode to other values, flips in the header fail.
    EXPECT_GT(failures, 0);
    EXPECT_GT(successes, 0);
}

TEST_F(ExrIo, HugeHeaderIsRefusedBeforeAllocating) {
    Image image = sampleImage(4, 4, false);
    std::vector<std::uint8_t> bytes = writeExrToMemory(image.view()).value();
    // Rewrite the data window attribute in place: name, type, size 16, then min.x, min.y, max.x, max.y.
    const char key[] = "dataWindow\0box2i\0";
    auto at = std::search(bytes.begin(), bytes.end(), key, key + sizeof(key) - 1);
    ASSERT_NE(at, bytes.end());
    const std::size_t values = std::size_t(at - bytes.begin()) + sizeof(key) - 1 + 4;
    auto patch = [&](std::int32_t maxX, std::int32_t maxY) {
        std::vector<std::uint8_t> copy = bytes;
        std::memcpy(copy.data() + values + 8, &maxX, 4);  // little-endian host, as EXR
        std::memcpy(copy.data() + values + 12, &maxY, 4);
        return copy;
    };
    auto huge = patch(99999, 99999);
    auto loaded = readExrFromMemory(huge.data(), huge.size());
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, ErrorCode::TooLarge) << loaded.error().message;
    // An allowed size (10000 x 10000) in a tiny file: the chunk count cannot fit, refused before the 1.2 GB image.
    auto claims = patch(9999, 9999);
    auto tiny = readExrFromMemory(claims.data(), claims.size());
    ASSERT_FALSE(tiny.ok());
    EXPECT_EQ(tiny.error().code, ErrorCode::CorruptData) << tiny.error().message;
    // Inverted windows.
    auto inverted = patch(-5, 3);
    EXPECT_FALSE(readExrFromMemory(inverted.data(), inverted.size()).ok());
}

TEST_F(ExrIo, WriteRefusesTheSourceAndMissingFolders) {
    Image image = sampleImage(3, 3, false);
    const std::string source = path("source.exr");
    ASSERT_TRUE(writeExr(source, image.view()).ok());
    const auto before = readBytes(source);
    ExrWriteOptions options;
    options.protectedSource = source;
    options.pixelType = ExrPixelType::Float;
    Status s = writeExr(source, image.view(), options);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::InvalidArgument);
    // The same file under another spelling.
    s = writeExr((dir_ / "." / "source.exr").string(), image.view(), options);
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(readBytes(source), before);
    // Another target is fine.
    EXPECT_TRUE(writeExr(path("other.exr"), image.view(), options).ok());

    s = writeExr(path("no/such/folder/out.exr"), image.view());
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::IoError);
    EXPECT_FALSE(writeExr(path("empty.exr"), ImageView{}).ok());
}

TEST(ExrIoReal, LoadsEveryRealLightmap) {
    const fs::path folder = LMC_REAL_LIGHTMAPS;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) GTEST_SKIP() << "real lightmaps not found at " << folder;
    std::ifstream manifest(folder / "MANIFEST.tsv");
    ASSERT_TRUE(manifest) << "MANIFEST.tsv missing in " << folder;
    auto split = [](const std::string& line) {
        std::vector<std::string> fields;
        std::stringstream ss(line);
        std::string field;
        while (std::getline(ss, field, '\t')) fields.push_back(field);
        if (!line.empty() && line.back() == '\t') fields.emplace_back();
        return fields;
    };
    std::string line;
    std::getline(manifest, line);
    const std::vector<std::string> header = split(line);
    auto column = [&](const char* name) {
        auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? -1 : int(it - header.begin());
    };
    const int cName = column("name"), cW = column("width"), cH = column("height"), cChannels = column("channels"),
              cType = column("pixel_type"), cCompression = column("compression"), cMin = column("rgb_min"),
              cMax = column("rgb_max"), cAlphaMax = column("alpha_max");
    ASSERT_TRUE(cName >= 0 && cW >= 0 && cH >= 0) << "MANIFEST.tsv lacks name/width/height columns";
    std::map<std::string, std::vector<std::string>> rows;
    while (std::getline(manifest, line)) {
        auto fields = split(line);
        if (int(fields.size()) > cName) rows[fields[std::size_t(cName)]] = fields;
    }
    auto field = [](const std::vector<std::string>& row, int c) {
        return c >= 0 && c < int(row.size()) ? row[std::size_t(c)] : std::string();
    };

    int loadedCount = 0;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.path().extension() != ".exr") continue;
        const std::string name = entry.path().filename().string();
        SCOPED_TRACE(name);
        auto row = rows.find(name);
        ASSERT_NE(row, rows.end()) << "not in MANIFEST.tsv";
        auto loaded = readExr(entry.path().string());
        ASSERT_TRUE(loaded.ok()) << loaded.error().message;
        ++loadedCount;
        const ExrInfo& info = loaded->info;
        EXPECT_EQ(info.width, std::stoi(field(row->second, cW)));
        EXPECT_EQ(info.height, std::stoi(field(row->second, cH)));
        std::string channels;
        for (const auto& c : info.channels) channels += (channels.empty() ? "" : ",") + c;
        if (cChannels >= 0) {
            EXPECT_EQ(channels, field(row->second, cChannels));
        }
        if (cType >= 0) {
            EXPECT_EQ(info.pixelType, field(row->second, cType));
        }
        if (cCompression >= 0) {
            EXPECT_EQ(info.compression, field(row->second, cCompression));
        }

        const ImageStats stats = computeStats(loaded->image.view());
        EXPECT_EQ(stats.nonFiniteCount, 0);
        const float rgbMax = std::stof(field(row->second, cMax));
        EXPECT_NEAR(stats.maxValue, rgbMax, 1e-4f * std::abs(rgbMax) + 1e-9f);
        if (info.emptyMarkerTexels == 0) {
            const float rgbMin = std::stof(field(row->second, cMin));
            EXPECT_NEAR(stats.minValue, rgbMin, 1e-4f * std::abs(rgbMin) + 1e-9f);
        } else {
            // Unity 4 / Beast: the marker texels become uncovered zeros, and nothing negative is left behind.
            EXPECT_EQ(std::stof(field(row->second, cMin)), -1.0f);
            ASSERT_TRUE(loaded->image.hasMask());
            const double markerFraction = double(info.emptyMarkerTexels) / double(loaded->image.texelCount());
            EXPECT_LE(markerFraction, 1.0 - stats.coveredFraction + 1e-9);
        }
        if (info.alphaIsMask) {
            ASSERT_TRUE(loaded->image.hasMask());
            EXPECT_GT(stats.coveredFraction, 0.0);
            EXPECT_LE(stats.coveredFraction, 1.0);
        }
        const std::string alphaMax = field(row->second, cAlphaMax);
        if (!alphaMax.empty() && std::stof(alphaMax) > 1.0f) {
            EXPECT_FALSE(info.alphaIsMask);  // Enlighten's 0..2 alpha
        }
        if (alphaMax.empty() && info.emptyMarkerTexels == 0) {
            EXPECT_FALSE(loaded->image.hasMask());
        }
    }
    EXPECT_GT(loadedCount, 0);
}
