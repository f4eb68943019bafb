#include "app/studio/job_scheduler.h"

#include <algorithm>

namespace lmc::studio {

struct JobScheduler::Group {
    int running = 0;
};

JobScheduler::JobScheduler(int cores, std::chrono::milliseconds backgroundGrace)
    : cores_(cores > 0 ? cores : std::max(2, int(std::thread::hardware_concurrency()))), grace_(backgroundGrace) {}

JobScheduler::~JobScheduler() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
}

std::shared_ptr<JobScheduler::Group> JobScheduler::makeGroup() {
    return std::make_shared<Group>();
}

void JobScheduler::submit(const std::shared_ptr<Group>& group, Priority priority, std::shared_ptr<CancelToken> token,
                          std::function<void()> run) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
        queue_.push_back({group, priority, ++sequence_, std::move(token), std::move(run)});
        if (priority != Priority::Background) lastForeground_ = std::chrono::steady_clock::now();
        if (priority != Priority::Background)
            for (Running& r : running_)
                if (r.priority == Priority::Background && r.token && !r.token->isCancelled()) {
                    r.token->cancel();
                    ++preemptions_;
                }
        // A thread for the new job when none is idle and the rules let it start now (or, for a Background job, once
        // the grace has passed: some thread must be waiting for that moment).
        std::chrono::steady_clock::time_point wakeAt{};
        if (idle_ == 0 && (startable(&wakeAt) != queue_.end() || wakeAt != std::chrono::steady_clock::time_point{})) {
            try {
                threads_.emplace_back([this] { serve(); });
            } catch (const std::system_error&) {
                // No new thread: the job starts when a running one returns.
            }
        }
    }
    wake_.notify_all();
}

void JobScheduler::dropQueued(const std::shared_ptr<Group>& group) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.remove_if([&](const Job& j) { return j.group == group; });
}

void JobScheduler::cancelGroup(const std::shared_ptr<Group>& group) {
    std::unique_lock<std::mutex> lock(mutex_);
    queue_.remove_if([&](const Job& j) { return j.group == group; });
    groupDone_.wait(lock, [&] { return group->running == 0; });
}

std::list<JobScheduler::Job>::iterator JobScheduler::startable(std::chrono::steady_clock::time_point* wakeAt) {
    int interactive = 0, normal = 0, background = 0;
    for (const Running& r : running_)
        (r.priority == Priority::Interactive ? interactive : r.priority == Priority::Normal ? normal : background)++;
    auto best = queue_.end();
    bool foregroundWaiting = false;
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        if (it->priority == Priority::Background) continue;  // decided below, once no live work is left
        foregroundWaiting = true;
        const bool allowed =
            it->priority == Priority::Interactive ? interactive < cores_ : interactive + normal < cores_;
        if (allowed && (best == queue_.end() || it->priority > best->priority ||
                        (it->priority == best->priority && it->sequence > best->sequence)))
            best = it;
    }
    if (best != queue_.end()) return best;
    if (foregroundWaiting || interactive + normal > 0 || background > 0 || queue_.empty()) return queue_.end();
    const auto ready = lastForeground_ + grace_;
    if (std::chrono::steady_clock::now() < ready) {
        if (wakeAt) *wakeAt = ready;
        return queue_.end();
    }
    for (auto it = queue_.begin(); it != queue_.end(); ++it)
        if (best == queue_.end() || it->sequence > best->sequence) best = it;  // only Background jobs are left
    return best;
}

namespace {
thread_local const std::atomic<bool>* t_overlapped = nullptr;
}  // namespace

JobScheduler::CurrentJob::CurrentJob(const std::atomic<bool>* overlapped) : previous_(t_overlapped) {
    t_overlapped = overlapped;
}
JobScheduler::CurrentJob::~CurrentJob() {
    t_overlapped = previous_;
}

bool JobScheduler::currentJobOverlapped() {
    return t_overlapped && t_overlapped->load();
}

void JobScheduler::serve() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        ++idle_;
        std::list<Job>::iterator next = queue_.end();
        for (;;) {
            if (stopping_) break;
            std::chrono::steady_clock::time_point wakeAt{};
            next = startable(&wakeAt);
            if (next != queue_.end()) break;
            if (wakeAt != std::chrono::steady_clock::time_point{})
                wake_.wait_until(lock, wakeAt);  // a Background job once the user has paused
            else
                wake_.wait(lock);
        }
        --idle_;
        if (stopping_) return;
        Job job = std::move(*next);
        queue_.erase(next);
        ++job.group->running;
        auto overlapped = std::make_shared<std::atomic<bool>>(!running_.empty());
        for (Running& other : running_) other.overlapped->store(true);
        auto self = running_.insert(running_.end(), Running{job.priority, job.token, overlapped});
        lock.unlock();
        {
            PriorityScope priority(job.priority);
            CurrentJob current(overlapped.get());
            job.run();
        }
        job.run = nullptr;  // release what the job captured before anyone is told it is done
        lock.lock();
        if (job.priority != Priority::Background) lastForeground_ = std::chrono::steady_clock::now();
        running_.erase(self);
        if (--job.group->running == 0) groupDone_.notify_all();
        wake_.notify_all();  // a finished job may let a lower-priority one start
    }
}

int JobScheduler::runningJobs() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return int(running_.size());
}

int JobScheduler::threadCount() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return int(threads_.size());
}

int JobScheduler::preemptions() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return preemptions_;
}

}  // namespace lmc::studio
