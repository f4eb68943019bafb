// Tests for codec/file_io.h: whole-file reads, atomic writes that never touch the source, clear errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "codec/file_io.h"

using namespace lmc;
namespace fs = std::filesystem;

namespace {

class FileIo : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() / ("lmc_fileio_" + std::to_string(::getpid()) + "_" + info->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::vector<std::string> listing() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

    fs::path dir_;
};

std::vector<std::uint8_t> bytesOf(const std::string& s) {
    return std::vector<std::uint8_t>(s.begin(), s.end());
}

}  // namespace

TEST_F(FileIo, AtomicWriteCreatesAndReplacesWithoutLeftovers) {
    const std::string file = path("out.bin");
    ASSERT_TRUE(writeFileAtomic(file, bytesOf("first version, longer than the second")).ok());
    auto read = readFileBytes(file);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read.value(), bytesOf("first version, longer than the second"));

    ASSERT_TRUE(writeFileAtomic(file, bytesOf("second")).ok());
    read = readFileBytes(file);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read.value(), bytesOf("second"));                 // replaced whole, not overwritten in place
    EXPECT_EQ(listing(), std::vector<std::string>{"out.bin"});  // no temporary file left behind

    // Empty files are fine both ways.
    ASSERT_TRUE(writeFileAtomic(path("empty.bin"), nullptr, 0).ok());
    read = readFileBytes(path("empty.bin"));
    ASSERT_TRUE(read.ok());
    EXPECT_TRUE(read->empty());
}

TEST_F(FileIo, AtomicWriteKeepsAReaderOfTheOldFileIntact) {
    // A rename replaces the directory entry: a file opened before the write still reads the old content.
    const std::string file = path("data.bin");
    ASSERT_TRUE(writeFileAtomic(file, bytesOf("old content")).ok());
    std::FILE* f = std::fopen(file.c_str(), "rb");
    ASSERT_NE(f, nullptr);
    ASSERT_TRUE(writeFileAtomic(file, bytesOf("new content!")).ok());
    char buffer[32] = {};
    const std::size_t n = std::fread(buffer, 1, sizeof(buffer), f);
    std::fclose(f);
    EXPECT_EQ(std::string(buffer, n), "old content");
    EXPECT_EQ(readFileBytes(file).value(), bytesOf("new content!"));
}

TEST_F(FileIo, RefusesToOverwriteTheSource) {
    const std::string source = path("source.exr");
    ASSERT_TRUE(writeFileAtomic(source, bytesOf("original")).ok());

    Status s = writeFileAtomic(source, bytesOf("clobbered"), source);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(s.error().message.find("source"), std::string::npos) << s.error().message;

    // Other spellings of the same file: a dotted path and a symbolic link.
    s = writeFileAtomic((dir_ / "." / "source.exr").string(), bytesOf("clobbered"), source);
    EXPECT_FALSE(s.ok());
    fs::create_symlink(source, path("link.exr"));
    s = writeFileAtomic(path("link.exr"), bytesOf("clobbered"), source);
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(readFileBytes(source).value(), bytesOf("original"));

    // A different target with the same protection is allowed.
    EXPECT_TRUE(writeFileAtomic(path("copy.exr"), bytesOf("copy"), source).ok());
    EXPECT_TRUE(sameFile(path("link.exr"), source));
    EXPECT_FALSE(sameFile(path("copy.exr"), source));
    EXPECT_FALSE(sameFile(path("missing.exr"), source));
}

TEST_F(FileIo, MissingFolderAndBadPathsAreErrors) {
    Status s = writeFileAtomic(path("no/such/folder/out.bin"), bytesOf("x"));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::IoError);
    EXPECT_NE(s.error().message.find("no/such/folder"), std::string::npos) << s.error().message;

    s = writeFileAtomic("", bytesOf("x"));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::InvalidArgument);

    auto missing = readFileBytes(path("missing.bin"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::IoError);
    EXPECT_NE(missing.error().message.find("missing.bin"), std::string::npos);

    auto folder = readFileBytes(dir_.string());
    ASSERT_FALSE(folder.ok());
    EXPECT_EQ(folder.error().code, ErrorCode::IoError);
}

TEST_F(FileIo, ReadRefusesFilesAboveTheLimit) {
    ASSERT_TRUE(writeFileAtomic(path("ten.bin"), bytesOf("0123456789")).ok());
    auto limited = readFileBytes(path("ten.bin"), 9);
    ASSERT_FALSE(limited.ok());
    EXPECT_EQ(limited.error().code, ErrorCode::TooLarge);
    auto exact = readFileBytes(path("ten.bin"), 10);
    ASSERT_TRUE(exact.ok());
    EXPECT_EQ(exact->size(), 10u);
}
