// Where lmc and lmstudio find what ships beside them: the learned codecs' weights, the bundled sample and the
// LibTorch plugin (learned/torch_backend.h). Installed files are looked up relative to the running executable
// (<bindir>/<path from bindir to the install directory>, as CMake's GNUInstallDirs laid them out at configure time),
// so a relocated install (another --prefix, a package unpacked elsewhere) works; a binary run from the build tree
// falls back to the source tree's resources/ and the build tree's plugin.
//
// Threading: pure functions (the executable's path is read once). Errors: none; a directory that does not exist is
// still returned in the candidate lists, callers test for the files they need.
#pragma once

#include <string>
#include <vector>

namespace lmc {

// The directory holding the running executable ("" when /proc/self/exe cannot be read).
std::string executableDirectory();

// Candidate directories for installed data (models/, sample_lightmap.exr), most specific first: the install
// relative to the executable, the source tree's resources/ (a build-tree binary), the configured absolute install
// directory (CMAKE_INSTALL_FULL_DATADIR/lightmap-codec-studio).
std::vector<std::string> dataDirectories();

// Candidate paths of the LibTorch plugin, in the order they are tried: $LMC_TORCH_BACKEND when set, the install
// relative to the executable (CMAKE_INSTALL_LIBDIR/lightmap-codec-studio), the build tree's copy, the configured
// absolute install path.
std::vector<std::string> torchBackendCandidates();

}  // namespace lmc
