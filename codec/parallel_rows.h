// Runs a function over rows (block rows, stripes) on several threads, with cancellation and progress; shared by the
// codecs whose work splits into independent rows (BC6H block rows, the learned codecs' refinement stripes).
//
// Rows are handed out one at a time through an atomic counter, so uneven rows balance themselves; the workers are the
// caller and free threads of the shared pool (work_pool.h, at the calling thread's priority). Each worker
// polls CodecContext::cancelled() before every row; progress is reported by the calling thread only (it works
// too), so the callback sees a monotonic sequence from one thread. The function must not throw.
// Errors: Cancelled when the token fired before every row was done.
#pragma once

#include <algorithm>
#include <atomic>
#include "codec/codec.h"
#include "codec/work_pool.h"

namespace lmc {

template <typename RowFunction>
Status forEachRow(int rows, const CodecContext& context, RowFunction&& function) {
    std::atomic<int> next{0};
    std::atomic<int> done{0};
    std::atomic<bool> stopped{false};
    auto work = [&](bool reporter) {
        for (;;) {
            if (stopped.load(std::memory_order_relaxed)) return;
            if (context.cancelled()) {
                stopped.store(true, std::memory_order_relaxed);
                return;
            }
            int row = next.fetch_add(1, std::memory_order_relaxed);
            if (row >= rows) return;
            function(row);
            int finished = done.fetch_add(1, std::memory_order_relaxed) + 1;
            if (reporter) context.report(double(finished) / double(rows));
        }
    };
    const int threads = std::max(1, std::min(context.resolvedThreads(), rows));
    runWorkers(threads, [&](int index) { work(index == 0); });
    if (stopped.load() || done.load() < rows) return cancelledError();
    context.report(1.0);
    return {};
}

// The context with progress mapped to [from, to] of the caller's range, for operations made of several steps.
inline CodecContext progressSlice(const CodecContext& context, double from, double to) {
    CodecContext slice = context;
    slice.progress = [report = context.progress, from, to](double f) {
        if (report) report(from + (to - from) * f);
    };
    return slice;
}

}  // namespace lmc
