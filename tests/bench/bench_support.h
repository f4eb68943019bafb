// Shared by the benchmarks: the real lightmaps they measure on (LMC_REAL_LIGHTMAPS, ../shared/lightmaps/real).
#pragma once

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace lmc::bench {

// The .exr files in `dir` whose name contains `filter`, sorted; empty, with a line saying so, when `dir` is missing.
inline std::vector<std::filesystem::path> realLightmaps(const std::filesystem::path& dir, const std::string& filter) {
    std::vector<std::filesystem::path> files;
    if (!std::filesystem::is_directory(dir)) {
        std::printf("real lightmaps not found at %s; nothing to measure\n", dir.c_str());
        return files;
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".exr" && entry.path().filename().string().find(filter) != std::string::npos)
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace lmc::bench
