// `tinyverify run --threads N`: a batch split over N executors of the same model (executors are
// not thread-safe, so each worker owns one), outputs stitched back in sample order —
// byte-identical to the single-threaded RunBatched for any N.
#ifndef TINYVERIFY_COMPARE_PARALLEL_RUN_H_
#define TINYVERIFY_COMPARE_PARALLEL_RUN_H_

#include <string>
#include <vector>

#include "compare/executor.h"
#include "compare/host_tensor.h"
#include "emulator/status.h"

namespace tv {

// `exec` is worker 0's executor; the others are opened from `path` with `options`. Runs plain
// RunBatched when the input has no batch dimension, keep_state is set (samples depend on each
// other) or threads <= 1. threads = 0 means all hardware threads.
[[nodiscard]] Status RunBatchedParallel(Executor& exec, const std::string& path,
                                        const ExecutorOptions& options,
                                        const std::vector<HostTensor>& in, bool keep_state,
                                        int threads, std::vector<HostTensor>* out);

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_PARALLEL_RUN_H_
