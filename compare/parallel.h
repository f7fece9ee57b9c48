// The small fork-join runner behind `verify` and `run --threads`: splits [0, n) into one
// contiguous range per worker, runs worker 0 on the calling thread, joins. Results are written
// by index, so output never depends on the thread count.
#ifndef TINYVERIFY_COMPARE_PARALLEL_H_
#define TINYVERIFY_COMPARE_PARALLEL_H_

#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace tv {

// Number of hardware threads (at least 1); what `--threads 0` means.
int HardwareThreads();

// Calls fn(worker, begin, end) for `workers` contiguous slices of [0, n) (empty slices are
// skipped). fn must not throw.
void ParallelFor(int workers, int64_t n,
                 const std::function<void(int worker, int64_t begin, int64_t end)>& fn);

// ParallelFor in the background: every slice runs on its own thread, so the caller can do
// serial work (read the next chunk, consume the previous one) meanwhile. Joins on Join() or
// destruction.
class BackgroundParallelFor {
 public:
  BackgroundParallelFor(int workers, int64_t n,
                        std::function<void(int worker, int64_t begin, int64_t end)> fn);
  ~BackgroundParallelFor() { Join(); }
  BackgroundParallelFor(const BackgroundParallelFor&) = delete;
  BackgroundParallelFor& operator=(const BackgroundParallelFor&) = delete;
  void Join();

 private:
  std::function<void(int, int64_t, int64_t)> fn_;
  std::vector<std::thread> threads_;
};

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_PARALLEL_H_
