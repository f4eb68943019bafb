#include "codec/file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lmc {

namespace fs = std::filesystem;

Result<std::vector<std::uint8_t>> readFileBytes(const std::string& path, std::uint64_t maxBytes) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return makeError(ErrorCode::IoError, path + ": is a folder, not a file");
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return makeError(ErrorCode::IoError, path + ": " + std::strerror(errno));
    std::vector<std::uint8_t> data;
    std::fseek(f, 0, SEEK_END);
    long size = std::ftell(f);
    std::fseek(f, 0, SEEK_SET);
    if (size < 0) {
        std::fclose(f);
        return makeError(ErrorCode::IoError, path + ": cannot determine the file size");
    }
    if (std::uint64_t(size) > maxBytes) {
        std::fclose(f);
        return makeError(ErrorCode::TooLarge, path + ": file of " + std::to_string(size) + " bytes is above the limit");
    }
    data.resize(std::size_t(size));
    std::size_t got = size ? std::fread(data.data(), 1, data.size(), f) : 0;
    std::fclose(f);
    if (got != data.size()) return makeError(ErrorCode::IoError, path + ": short read");
    return data;
}

bool sameFile(const std::string& a, const std::string& b) {
    std::error_code ec;
    if (!fs::exists(a, ec) || !fs::exists(b, ec)) return false;
    return fs::equivalent(a, b, ec);
}

Status writeFileAtomic(const std::string& path, const std::uint8_t* data, std::size_t size,
                       const std::string& protectedSource) {
    if (path.empty()) return makeError(ErrorCode::InvalidArgument, "no output path given");
    if (!protectedSource.empty() && sameFile(path, protectedSource))
        return makeError(ErrorCode::InvalidArgument, path + ": refusing to overwrite the source file");
    fs::path target(path);
    fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return makeError(ErrorCode::IoError, path + ": folder does not exist");

    std::random_device rd;
    std::string tmp = (dir / ("." + target.filename().string() + ".tmp" + std::to_string(rd()))).string();
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return makeError(ErrorCode::IoError, path + ": " + std::strerror(errno));
    std::size_t written = 0;
    while (written < size) {
        ssize_t n = ::write(fd, data + written, size - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return makeError(ErrorCode::IoError, path + ": " + std::strerror(err));
        }
        written += std::size_t(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return makeError(ErrorCode::IoError, path + ": " + std::strerror(err));
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return makeError(ErrorCode::IoError, path + ": " + std::strerror(err));
    }
    return {};
}

}  // namespace lmc
