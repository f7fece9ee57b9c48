// Minimal fork-join pool for intra-op parallelism. Work is split into contiguous chunks whose
// boundaries callers must not let influence arithmetic, so results never depend on the thread
// count.
#ifndef TINYVERIFY_REFERENCE_THREAD_POOL_H_
#define TINYVERIFY_REFERENCE_THREAD_POOL_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tv {
namespace ref {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return threads_; }
  // Calls fn(begin, end) over [0, n) in up to threads() chunks of at least `min_chunk` items;
  // returns when every chunk is done. The caller's thread runs the first chunk.
  void ParallelFor(int64_t n, int64_t min_chunk, const std::function<void(int64_t, int64_t)>& fn);

 private:
  void WorkerLoop(int index);

  int threads_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  const std::function<void(int64_t, int64_t)>* job_ = nullptr;
  std::vector<std::pair<int64_t, int64_t>> chunks_;
  uint64_t generation_ = 0;
  int remaining_ = 0;
  bool stop_ = false;
};

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_THREAD_POOL_H_
