// The one worker pool behind every parallel loop of the codec library (codec rows, metrics, EXR I/O, our network
// kernels, the baker), with priorities: the workspace's live jobs run Interactive, its RD sweeps Background, so a
// free worker always helps the newest interactive loop first and background work yields at row granularity,
// without OS nice values.
//
// runWorkers(threads, worker): the calling thread runs worker(0) and up to threads - 1 pool workers run worker(1),
// worker(2), ... as they come free. Workers must take their items from shared state (an atomic counter), so a loop
// finishes even when no pool thread is free: the caller then drains it alone. Before returning, the caller
// withdraws helpers that have not started and waits for the ones running. A worker index is unique among the
// workers of one loop (per-worker scratch). A loop is offered to free pool threads by priority, then newest first.
//
// Priority is a property of the calling thread (PriorityScope), inherited by the pool workers that help it and by
// any loop nested inside, so a codec needs no parameter for it.
//
// Threading: thread-safe; the pool starts on first use with one thread per hardware thread and lives for the
// process. Errors: none here; a worker must not throw (catch inside, as the loops do). If the system refuses to start
// pool threads, loops run on their callers alone.
#pragma once

#include <functional>

namespace lmc {

// Background: RD sweeps; Normal: live jobs of codecs that run neural networks (seconds of work); Interactive: live
// jobs of the block codecs and the views' own work, which the user waits for.
enum class Priority { Background = 0, Normal = 1, Interactive = 2 };

// The priority of loops started on this thread.
Priority currentPriority();

// Sets this thread's priority for its lifetime, then restores the previous one.
class PriorityScope {
public:
    explicit PriorityScope(Priority priority);
    ~PriorityScope();
    PriorityScope(const PriorityScope&) = delete;
    PriorityScope& operator=(const PriorityScope&) = delete;

private:
    Priority previous_;
};

// Runs worker(0) here and worker(1..threads-1) on free pool threads; see above.
void runWorkers(int threads, const std::function<void(int index)>& worker);

// Threads in the pool (for tests); 0 before first use.
int workPoolSize();

}  // namespace lmc
