// The small fork-join runners behind `verify` and `run --threads`. ParallelFor splits [0, n)
// into one contiguous range per worker, runs worker 0 on the calling thread, joins. Results are
// written by index, so output never depends on the thread count.
#ifndef TINYVERIFY_COMPARE_PARALLEL_H_
#define TINYVERIFY_COMPARE_PARALLEL_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tv {

// Number of hardware threads (at least 1); what `--threads 0` means.
int HardwareThreads();

// Calls fn(worker, begin, end) for `workers` contiguous slices of [0, n) (empty slices are
// skipped). fn must not throw.
void ParallelFor(int workers, int64_t n,
                 const std::function<void(int worker, int64_t begin, int64_t end)>& fn);

// Worker threads that live across many jobs (the verify pipeline runs one job per chunk;
// starting threads per chunk cost it a few percent). Start() hands fn(worker) to every worker
// and returns at once, so the caller can do serial work meanwhile; Wait() blocks until every
// worker returned. One job at a time; the destructor waits for it and joins the threads.
class WorkerPool {
 public:
  explicit WorkerPool(int workers);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  void Start(std::function<void(int worker)> fn);
  void Wait();

 private:
  void Loop(int worker);
  std::mutex mu_;
  std::condition_variable start_cv_, done_cv_;
  std::function<void(int)> fn_;
  int64_t generation_ = 0;  // bumped by Start(); workers run each generation once
  int running_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_PARALLEL_H_
