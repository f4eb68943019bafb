#include "codec/work_pool.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace lmc {
namespace {

thread_local Priority tPriority = Priority::Interactive;

struct Loop {
    const std::function<void(int)>* worker = nullptr;
    Priority priority = Priority::Interactive;
    std::uint64_t sequence = 0;
    int offered = 0;  // helper slots still open
    int nextIndex = 1;
    int running = 0;  // helpers inside worker()
};

class Pool {
public:
    static Pool& instance() {
        // Leaked on purpose: workers may still be parked at exit, and joining them from a static destructor races
        // with other statics' destruction.
        static Pool* pool = new Pool;
        return *pool;
    }

    int size() const { return int(threads_.size()); }

    void run(int threads, const std::function<void(int)>& worker) {
        if (threads <= 1 || threads_.empty()) {
            worker(0);
            return;
        }
        Loop loop;
        loop.worker = &worker;
        loop.priority = tPriority;
        std::list<Loop*>::iterator position;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            loop.sequence = ++sequence_;
            loop.offered = std::min(threads - 1, int(threads_.size()));
            loops_.push_front(&loop);
            position = loops_.begin();
        }
        wake_.notify_all();
        worker(0);
        std::unique_lock<std::mutex> lock(mutex_);
        if (loop.offered > 0) loops_.erase(position);  // withdraw helpers that never started
        loop.offered = 0;
        done_.wait(lock, [&] { return loop.running == 0; });
    }

private:
    Pool() {
        const unsigned n = std::max(1u, std::thread::hardware_concurrency());
        for (unsigned i = 0; i < n; ++i) {
            try {
                threads_.emplace_back([this] { serve(); });
            } catch (const std::system_error&) {
                break;  // fewer pool threads; callers still finish their loops
            }
        }
        for (auto& t : threads_) t.detach();
    }

    // The loop a free thread helps: the highest priority, then the newest.
    Loop* pick() {
        Loop* best = nullptr;
        for (Loop* l : loops_)
            if (!best || l->priority > best->priority ||
                (l->priority == best->priority && l->sequence > best->sequence))
                best = l;
        return best;
    }

    void serve() {
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return !loops_.empty(); });
            Loop* loop = pick();
            const int index = loop->nextIndex++;
            ++loop->running;
            if (--loop->offered == 0) loops_.remove(loop);
            lock.unlock();
            {
                PriorityScope inherit(loop->priority);
                (*loop->worker)(index);
            }
            lock.lock();
            if (--loop->running == 0) done_.notify_all();
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_, done_;
    std::list<Loop*> loops_;
    std::uint64_t sequence_ = 0;
    std::vector<std::thread> threads_;
};

}  // namespace

Priority currentPriority() {
    return tPriority;
}

PriorityScope::PriorityScope(Priority priority) : previous_(tPriority) {
    tPriority = priority;
}

PriorityScope::~PriorityScope() {
    tPriority = previous_;
}

void runWorkers(int threads, const std::function<void(int index)>& worker) {
    Pool::instance().run(threads, worker);
}

int workPoolSize() {
    return Pool::instance().size();
}

}  // namespace lmc
