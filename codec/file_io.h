// Whole-file reads and atomic writes, shared by EXR I/O, codec streams, presets and exports.
//
// Writes go to a temporary file in the destination's folder, are flushed, then renamed over the destination, so a
// crash or a full disk never leaves a half-written file where the user's file was. writeFileAtomic refuses to write
// onto `protectedSource` (the file the data was read from) when given. Threading: no shared state. Errors: IoError
// with the path and the system's reason; TooLarge for files above maxBytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codec/result.h"

namespace lmc {

Result<std::vector<std::uint8_t>> readFileBytes(const std::string& path,
                                                std::uint64_t maxBytes = std::uint64_t{4} << 30);

Status writeFileAtomic(const std::string& path, const std::uint8_t* data, std::size_t size,
                       const std::string& protectedSource = {});
inline Status writeFileAtomic(const std::string& path, const std::vector<std::uint8_t>& data,
                              const std::string& protectedSource = {}) {
    return writeFileAtomic(path, data.data(), data.size(), protectedSource);
}

// True when both paths name the same existing file (after resolving links), used to never overwrite a source.
bool sameFile(const std::string& a, const std::string& b);

}  // namespace lmc
