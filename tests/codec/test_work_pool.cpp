// The shared worker pool: every item runs exactly once, indices are unique and in range, loops finish when no pool
// thread is free, nested loops work, and the priority follows the caller into the helpers.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "codec/work_pool.h"

namespace lmc {
namespace {

TEST(WorkPool, EveryItemRunsOnceWithUniqueWorkerIndices) {
    for (int threads : {1, 2, 3, 8}) {
        std::vector<std::atomic<int>> runs(5000);
        std::atomic<int> next{0};
        std::mutex m;
        std::set<int> indices;
        runWorkers(threads, [&](int index) {
            {
                std::lock_guard<std::mutex> lock(m);
                EXPECT_TRUE(indices.insert(index).second) << "index " << index << " used twice";
            }
            EXPECT_GE(index, 0);
            EXPECT_LT(index, threads);
            for (int i = next.fetch_add(1); i < 5000; i = next.fetch_add(1)) runs[std::size_t(i)].fetch_add(1);
        });
        for (const auto& r : runs) ASSERT_EQ(r.load(), 1) << threads << " threads";
        EXPECT_TRUE(indices.count(0));  // the caller always works
    }
}

TEST(WorkPool, LoopsFinishWhileEveryPoolThreadIsBusy) {
    // Occupy the whole pool with a loop whose helpers block, then run another loop: its caller drains it alone.
    const int size = std::max(1, int(std::thread::hardware_concurrency()));
    std::atomic<bool> release{false};
    std::atomic<int> blocked{0};
    std::thread holder([&] {
        runWorkers(size + 1, [&](int index) {
            if (index == 0) {
                while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                return;
            }
            blocked.fetch_add(1);
            while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (blocked.load() < workPoolSize() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_EQ(blocked.load(), workPoolSize());
    std::atomic<int> sum{0}, next{0};
    runWorkers(4, [&](int) {
        for (int i = next.fetch_add(1); i < 1000; i = next.fetch_add(1)) sum.fetch_add(i);
    });
    EXPECT_EQ(sum.load(), 999 * 1000 / 2);
    release = true;
    holder.join();
}

TEST(WorkPool, NestedLoopsAndInheritedPriority) {
    PriorityScope background(Priority::Background);
    std::atomic<int> total{0}, outerNext{0};
    std::atomic<int> wrongPriority{0};
    runWorkers(3, [&](int) {
        for (int i = outerNext.fetch_add(1); i < 16; i = outerNext.fetch_add(1)) {
            if (currentPriority() != Priority::Background) wrongPriority.fetch_add(1);
            std::atomic<int> innerNext{0};
            runWorkers(3, [&](int) {
                if (currentPriority() != Priority::Background) wrongPriority.fetch_add(1);
                for (int j = innerNext.fetch_add(1); j < 100; j = innerNext.fetch_add(1)) total.fetch_add(1);
            });
        }
    });
    EXPECT_EQ(total.load(), 1600);
    EXPECT_EQ(wrongPriority.load(), 0);
    {
        PriorityScope interactive(Priority::Interactive);
        EXPECT_EQ(currentPriority(), Priority::Interactive);
    }
    EXPECT_EQ(currentPriority(), Priority::Background);
}

}  // namespace
}  // namespace lmc
