// Internal to codec/nn: how conv2d and qconv2d spread an output's rows over workers. Rows are handed out one at a
// time and each is computed whole by one worker, so the split never changes a value, while dynamic hand-out keeps
// the workers busy when the OS gives them uneven time.
//
// Threading: up to `threads` workers (runWorkers; the caller's thread is one), each under FloatEnvGuard. Errors:
// none of its own; cancellation and a body that gives up both set `stop`, which the caller turns into its error.
// Not for the kernel TUs compiled with -m flags (conv_job.h says why).
#pragma once

#include <algorithm>
#include <atomic>

#include "codec/codec.h"
#include "codec/nn/conv.h"
#include "codec/nn/fp_env.h"
#include "codec/work_pool.h"

namespace lmc::nn::detail {

// Each worker calls makeBody() once (per-worker scratch lives in what it returns), then body(row) for the rows it
// takes; a body returning false stops every worker.
template <class MakeBody>
void forEachRow(int rows, int threads, const CancelToken* cancel, std::atomic<bool>& stop, const MakeBody& makeBody) {
    std::atomic<int> nextRow{0};
    auto worker = [&]() {
        const FloatEnvGuard floatEnv;
        auto body = makeBody();
        for (;;) {
            if (stop.load(std::memory_order_relaxed)) return;
            if (cancel != nullptr && cancel->isCancelled()) {
                stop.store(true, std::memory_order_relaxed);
                return;
            }
            const int row = nextRow.fetch_add(1, std::memory_order_relaxed);
            if (row >= rows) return;
            if (!body(row)) {
                stop.store(true);
                return;
            }
        }
    };
    runWorkers(std::clamp(threads, 1, std::min(rows, kMaxConvThreads)), [&](int) { worker(); });
}

}  // namespace lmc::nn::detail
