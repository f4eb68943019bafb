// JobScheduler: priorities and newest-first order, Normal work capped by the cores, Interactive work starting beside
// it, Background work waiting for the rest and a grace period and preempted by it, and groups cancelled with their
// queued jobs.
#include <QTest>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "app/studio/job_scheduler.h"

using namespace lmc;
using namespace lmc::studio;

namespace {

// A latch the test opens; jobs block on it.
struct Gate {
    std::mutex m;
    std::condition_variable cv;
    bool open = false;
    void wait() {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return open; });
    }
    void release() {
        {
            std::lock_guard<std::mutex> lock(m);
            open = true;
        }
        cv.notify_all();
    }
};

bool waitUntil(const std::function<bool()>& done, int ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

}  // namespace

class TestJobScheduler : public QObject {
    Q_OBJECT
private slots:
    void highestPriorityThenNewestFirst();
    void interactiveStartsBesideNormalWork();
    void backgroundWaitsAndIsPreempted();
    void cancelGroupDropsQueuedAndWaitsForRunning();
    void jobsKnowWhetherTheyRanAlone();
};

void TestJobScheduler::highestPriorityThenNewestFirst() {
    JobScheduler scheduler(1);
    auto group = scheduler.makeGroup();
    Gate gate;
    std::atomic<bool> blockerRunning{false};
    scheduler.submit(group, Priority::Interactive, nullptr, [&] {
        blockerRunning = true;
        gate.wait();
    });
    QVERIFY(waitUntil([&] { return blockerRunning.load(); }));
    std::mutex m;
    std::vector<int> order;
    auto record = [&](int id) {
        return [&, id] {
            std::lock_guard<std::mutex> lock(m);
            order.push_back(id);
        };
    };
    // While the single core is taken: queued Normal 1, Normal 2, then Interactive 3 and 4.
    scheduler.submit(group, Priority::Normal, nullptr, record(1));
    scheduler.submit(group, Priority::Normal, nullptr, record(2));
    scheduler.submit(group, Priority::Interactive, nullptr, record(3));
    scheduler.submit(group, Priority::Interactive, nullptr, record(4));
    gate.release();
    QVERIFY(waitUntil([&] {
        std::lock_guard<std::mutex> lock(m);
        return order.size() == 4;
    }));
    QCOMPARE(order, (std::vector<int>{4, 3, 2, 1}));
}

void TestJobScheduler::interactiveStartsBesideNormalWork() {
    JobScheduler scheduler(2);
    auto group = scheduler.makeGroup();
    Gate gate;
    std::atomic<int> normalRunning{0};
    for (int i = 0; i < 3; ++i)
        scheduler.submit(group, Priority::Normal, nullptr, [&] {
            ++normalRunning;
            gate.wait();
        });
    QVERIFY(waitUntil([&] { return normalRunning.load() == 2; }));
    QTest::qWait(50);
    QCOMPARE(normalRunning.load(), 2);  // the third waits: Normal work takes at most the cores
    std::atomic<bool> interactiveRan{false};
    scheduler.submit(group, Priority::Interactive, nullptr, [&] { interactiveRan = true; });
    QVERIFY(waitUntil([&] { return interactiveRan.load(); }));  // not behind the Normal jobs
    gate.release();
    QVERIFY(waitUntil([&] { return normalRunning.load() == 3; }));
    scheduler.cancelGroup(group);
}

void TestJobScheduler::backgroundWaitsAndIsPreempted() {
    JobScheduler scheduler(2, std::chrono::milliseconds(200));
    auto group = scheduler.makeGroup();
    Gate live;
    std::atomic<bool> liveRunning{false}, backgroundStarted{false};
    scheduler.submit(group, Priority::Interactive, nullptr, [&] {
        liveRunning = true;
        live.wait();
    });
    QVERIFY(waitUntil([&] { return liveRunning.load(); }));
    auto token = std::make_shared<CancelToken>();
    scheduler.submit(group, Priority::Background, token, [&, token] {
        backgroundStarted = true;
        while (!token->isCancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
    QTest::qWait(50);
    QVERIFY(!backgroundStarted.load());  // a free core, but live work runs
    const auto released = std::chrono::steady_clock::now();
    live.release();
    QVERIFY(waitUntil([&] { return backgroundStarted.load(); }));
    // Not before the user has paused for the grace period.
    QVERIFY(std::chrono::steady_clock::now() - released >= std::chrono::milliseconds(190));
    QVERIFY(!token->isCancelled());
    std::atomic<bool> liveRan{false};
    scheduler.submit(group, Priority::Normal, nullptr, [&] { liveRan = true; });
    QVERIFY(waitUntil([&] { return liveRan.load(); }));
    QVERIFY(token->isCancelled());  // preempted
    QCOMPARE(scheduler.preemptions(), 1);
    scheduler.cancelGroup(group);
}

void TestJobScheduler::cancelGroupDropsQueuedAndWaitsForRunning() {
    JobScheduler scheduler(1);
    auto a = scheduler.makeGroup(), b = scheduler.makeGroup();
    Gate gate;
    std::atomic<bool> running{false}, finished{false}, queuedRan{false}, otherRan{false};
    scheduler.submit(a, Priority::Interactive, nullptr, [&] {
        running = true;
        gate.wait();
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        finished = true;
    });
    QVERIFY(waitUntil([&] { return running.load(); }));
    scheduler.submit(a, Priority::Interactive, nullptr, [&] { queuedRan = true; });
    scheduler.submit(b, Priority::Interactive, nullptr, [&] { otherRan = true; });
    std::thread opener([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        gate.release();
    });
    scheduler.cancelGroup(a);
    QVERIFY(finished.load());  // returned only after its running job
    opener.join();
    QVERIFY(waitUntil([&] { return otherRan.load(); }));
    QTest::qWait(30);
    QVERIFY(!queuedRan.load());  // dropped, never run
}

void TestJobScheduler::jobsKnowWhetherTheyRanAlone() {
    JobScheduler scheduler(2);
    auto group = scheduler.makeGroup();
    QVERIFY(!JobScheduler::currentJobOverlapped());  // not a job
    std::atomic<int> alone{-1};
    scheduler.submit(group, Priority::Interactive, nullptr,
                     [&] { alone = JobScheduler::currentJobOverlapped() ? 0 : 1; });
    QVERIFY(waitUntil([&] { return alone.load() >= 0; }));
    QCOMPARE(alone.load(), 1);

    // The first job is running when the second starts: both have overlapped, whichever asks.
    Gate first, second;
    std::atomic<bool> firstRunning{false}, secondRunning{false};
    std::atomic<int> firstSaw{-1}, secondSaw{-1};
    scheduler.submit(group, Priority::Interactive, nullptr, [&] {
        firstRunning = true;
        first.wait();
        firstSaw = JobScheduler::currentJobOverlapped() ? 1 : 0;
    });
    QVERIFY(waitUntil([&] { return firstRunning.load(); }));
    scheduler.submit(group, Priority::Interactive, nullptr, [&] {
        secondRunning = true;
        second.wait();
        secondSaw = JobScheduler::currentJobOverlapped() ? 1 : 0;
    });
    QVERIFY(waitUntil([&] { return secondRunning.load(); }));
    first.release();
    QVERIFY(waitUntil([&] { return firstSaw.load() >= 0; }));
    second.release();
    QVERIFY(waitUntil([&] { return secondSaw.load() >= 0; }));
    QCOMPARE(firstSaw.load(), 1);
    QCOMPARE(secondSaw.load(), 1);
}

QTEST_GUILESS_MAIN(TestJobScheduler)
#include "tst_job_scheduler.moc"
