// Shared by the benchmarks: the real lightmaps they measure on (LMC_REAL_LIGHTMAPS, ../shared/lightmaps/real).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace lmc::bench {

// Wall time of the fastest of `repeats` runs (inference threads are ours, so thread CPU time would miss them).
inline double bestSeconds(int repeats, const std::function<void()>& fn) {
    double best = 1e30;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

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

// The maps a command line names: files as given, folders expanded to their .exr files (sorted), in order.
inline std::vector<std::filesystem::path> lightmapsNamed(const std::vector<std::string>& args) {
    std::vector<std::filesystem::path> files;
    for (const std::string& a : args) {
        if (std::filesystem::is_directory(a)) {
            auto found = realLightmaps(a, "");
            files.insert(files.end(), found.begin(), found.end());
        } else {
            files.emplace_back(a);
        }
    }
    return files;
}

}  // namespace lmc::bench
