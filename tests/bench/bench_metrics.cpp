// Benchmark: computeMetrics on a 1024x1024 lightmap (the UI recomputes it on every slider move), 1 and 2 threads.
// Prints the thread CPU time of the single-threaded run (robust on a loaded machine), wall times and the 2/1
// thread speed ratio measured in the same run. Usage: bench_metrics [FILE.exr] (default: a synthetic image).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <random>

#include "codec/exr_io.h"
#include "codec/metrics.h"

using namespace lmc;

static double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

int main(int argc, char** argv) {
    Image ref;
    if (argc > 1) {
        auto loaded = readExr(argv[1]);
        if (!loaded) {
            std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
            return 2;
        }
        ref = std::move(loaded->image);
    } else {
        ref = Image::create(1024, 1024).value();
        for (int y = 0; y < 1024; ++y)
            for (int x = 0; x < 1024; ++x) {
                float v = 0.05f + std::exp2(6.0f * std::sin(x * 0.01f) * std::cos(y * 0.013f));
                float* t = ref.texel(x, y);
                t[0] = v, t[1] = 0.8f * v, t[2] = 0.6f * v;
            }
    }
    Image test = ref.clone();
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 0.02f);
    for (std::int64_t i = 0; i < test.texelCount() * 3; ++i) test.data()[i] *= 1.0f + noise(rng);
    (void)computeMetrics(ref.view(), test.view());  // warm-up: lookup tables, page faults
    double best[3] = {1e9, 1e9, 1e9};
    for (int rep = 0; rep < 5; ++rep) {
        for (int threads = 1; threads <= 2; ++threads) {
            MetricsOptions options;
            options.threads = threads;
            double c0 = threadCpuSeconds();
            auto t0 = std::chrono::steady_clock::now();
            auto m = computeMetrics(ref.view(), test.view(), options);
            double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (!m) return 2;
            best[threads] = std::min(best[threads], wall);
            if (threads == 1) best[0] = std::min(best[0], threadCpuSeconds() - c0);
        }
    }
    std::printf("computeMetrics %dx%d: 1 thread %.1f ms CPU, %.1f ms wall; 2 threads %.1f ms wall; speed-up %.2fx\n",
                ref.width(), ref.height(), best[0] * 1e3, best[1] * 1e3, best[2] * 1e3, best[1] / best[2]);
    return 0;
}
