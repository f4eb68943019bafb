// JobScheduler: the one queue of the workspace's jobs - every codec's live encode/decode/measure, re-measures, RD
// sweep points, error maps and region metrics - on one set of threads, by priority (codec/work_pool.h Priority),
// newest first. It replaces a thread pool per runner, OS nice values and the sweeps' polling:
//   - Interactive jobs (block codecs' live jobs, the views' work) start as soon as fewer than `cores` Interactive
//     jobs run, whatever lower-priority work occupies the machine (an extra thread then);
//   - Normal jobs (live jobs of codecs that run neural networks) start while fewer than `cores` Interactive and
//     Normal jobs run together, so on opening a map the fast codecs paint first;
//   - Background jobs (sweep points) start only when no other job has run or waited for `backgroundGrace` (the user
//     paused: a slider drag does not start a sweep point between two moves), one at a time, and a Background job
//     still running when another job arrives is preempted: its CancelToken fires, and its owner (SweepRunner) sees
//     Cancelled and queues the point again. Preemption cannot stop a library call that polls no token, hence the
//     grace.
// The parallel loops inside a job run on the codec layer's worker pool at the job's priority (PriorityScope), so
// free cores help the most urgent loop first.
//
// Jobs belong to a Group (one per runner): cancelGroup() drops the group's queued jobs and waits for its running
// ones, which its owner does before it is destroyed (jobs post back to it).
//
// Threading: every member is thread-safe; jobs run on the scheduler's threads (started on demand, kept until the
// scheduler is destroyed; it is shared by its runners through shared_ptr). Errors: none; a job must not throw.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "codec/codec.h"
#include "codec/work_pool.h"

namespace lmc::studio {

class JobScheduler {
public:
    struct Group;  // opaque: a runner's jobs

    // cores 0: the hardware threads (at least 2).
    explicit JobScheduler(int cores = 0, std::chrono::milliseconds backgroundGrace = std::chrono::milliseconds(300));
    ~JobScheduler();
    JobScheduler(const JobScheduler&) = delete;
    JobScheduler& operator=(const JobScheduler&) = delete;

    std::shared_ptr<Group> makeGroup();
    // Queues `run` for `group`; `token` (may be null) is what preemption cancels.
    void submit(const std::shared_ptr<Group>& group, Priority priority, std::shared_ptr<CancelToken> token,
                std::function<void()> run);
    // Drops the group's queued jobs (superseded requests).
    void dropQueued(const std::shared_ptr<Group>& group);
    // Drops the group's queued jobs and waits until its running ones have returned.
    void cancelGroup(const std::shared_ptr<Group>& group);

    // On a job's thread: whether any other job of this scheduler has run at some moment since the job started
    // (its wall-clock times then include waiting for cores). False outside a job.
    static bool currentJobOverlapped();

    int runningJobs() const;
    int threadCount() const;
    int preemptions() const;  // Background jobs cancelled for other work (tests)

private:
    struct Job {
        std::shared_ptr<Group> group;
        Priority priority = Priority::Interactive;
        std::uint64_t sequence = 0;
        std::shared_ptr<CancelToken> token;
        std::function<void()> run;
    };
    struct Running {
        Priority priority;
        std::shared_ptr<CancelToken> token;
        std::shared_ptr<std::atomic<bool>> overlapped;  // another job ran while this one did
    };
    // Makes a job's overlap flag the calling thread's for the job's duration (currentJobOverlapped).
    class CurrentJob {
    public:
        explicit CurrentJob(const std::atomic<bool>* overlapped);
        ~CurrentJob();
        CurrentJob(const CurrentJob&) = delete;
        CurrentJob& operator=(const CurrentJob&) = delete;

    private:
        const std::atomic<bool>* previous_;
    };
    // The queued job to start next, if the rules allow one (see above); end() otherwise, and then `wakeAt` is set
    // when a Background job waits only for the grace to pass.
    std::list<Job>::iterator startable(std::chrono::steady_clock::time_point* wakeAt = nullptr);
    void serve();

    const int cores_;
    const std::chrono::milliseconds grace_;
    std::chrono::steady_clock::time_point lastForeground_{};  // the last Interactive/Normal submit or finish
    mutable std::mutex mutex_;
    std::condition_variable wake_, groupDone_;
    std::list<Job> queue_;
    std::list<Running> running_;
    std::vector<std::thread> threads_;
    int idle_ = 0;
    int preemptions_ = 0;
    std::uint64_t sequence_ = 0;
    bool stopping_ = false;
};

}  // namespace lmc::studio
