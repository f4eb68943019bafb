#include "codec/install_paths.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

// Set by codec/CMakeLists.txt from GNUInstallDirs; the defaults keep a stray compile of this file working.
#ifndef LMC_PKGDATADIR_FROM_BINDIR
#define LMC_PKGDATADIR_FROM_BINDIR "../share/lightmap-codec-studio"
#endif
#ifndef LMC_PKGLIBDIR_FROM_BINDIR
#define LMC_PKGLIBDIR_FROM_BINDIR "../lib/lightmap-codec-studio"
#endif
#ifndef LMC_INSTALL_PKGDATADIR
#define LMC_INSTALL_PKGDATADIR "/usr/local/share/lightmap-codec-studio"
#endif
#ifndef LMC_INSTALL_PKGLIBDIR
#define LMC_INSTALL_PKGLIBDIR "/usr/local/lib/lightmap-codec-studio"
#endif
#ifndef LMC_SOURCE_DIR
#define LMC_SOURCE_DIR "."
#endif

namespace lmc {
namespace {

constexpr const char* kTorchBackendFile = "liblmc_torch.so";

std::string join(const std::string& dir, const std::string& relative) {
    if (dir.empty()) return {};
    return (std::filesystem::path(dir) / relative).lexically_normal().string();
}

}  // namespace

std::string executableDirectory() {
    static const std::string dir = [] {
        std::error_code ec;
        const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
        return ec ? std::string() : exe.parent_path().string();
    }();
    return dir;
}

std::vector<std::string> dataDirectories() {
    std::vector<std::string> dirs;
    if (std::string d = join(executableDirectory(), LMC_PKGDATADIR_FROM_BINDIR); !d.empty()) dirs.push_back(d);
    dirs.push_back(std::string(LMC_SOURCE_DIR) + "/resources");
    dirs.push_back(LMC_INSTALL_PKGDATADIR);
    return dirs;
}

std::vector<std::string> torchBackendCandidates() {
    std::vector<std::string> paths;
    if (const char* env = std::getenv("LMC_TORCH_BACKEND"); env && *env) paths.push_back(env);
    if (std::string d = join(executableDirectory(), LMC_PKGLIBDIR_FROM_BINDIR); !d.empty())
        paths.push_back(d + "/" + kTorchBackendFile);
#ifdef LMC_BUILD_TORCH_BACKEND
    paths.push_back(LMC_BUILD_TORCH_BACKEND);
#endif
    paths.push_back(std::string(LMC_INSTALL_PKGLIBDIR) + "/" + kTorchBackendFile);
    return paths;
}

}  // namespace lmc
