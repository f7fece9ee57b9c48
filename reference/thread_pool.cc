#include "reference/thread_pool.h"

namespace tv {
namespace ref {

ThreadPool::ThreadPool(int threads) : threads_(threads < 1 ? 1 : threads) {
  for (int i = 1; i < threads_; ++i) workers_.emplace_back([this, i] { WorkerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::ParallelFor(int64_t n, int64_t min_chunk,
                             const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  if (min_chunk < 1) min_chunk = 1;
  int64_t parts = (n + min_chunk - 1) / min_chunk;
  if (parts > threads_) parts = threads_;
  if (parts <= 1) {
    fn(0, n);
    return;
  }
  {
    // chunks_ keeps its capacity across calls: no allocation once the pool has run a job.
    std::lock_guard<std::mutex> lock(mu_);
    chunks_.clear();
    for (int64_t p = 0; p < parts; ++p) chunks_.emplace_back(n * p / parts, n * (p + 1) / parts);
    job_ = &fn;
    remaining_ = static_cast<int>(parts) - 1;
    ++generation_;
  }
  work_cv_.notify_all();
  fn(0, n / parts);  // chunk 0
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [this] { return remaining_ == 0; });
  job_ = nullptr;
}

void ThreadPool::WorkerLoop(int index) {
  uint64_t seen = 0;
  for (;;) {
    std::pair<int64_t, int64_t> chunk;
    const std::function<void(int64_t, int64_t)>* job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (index >= static_cast<int>(chunks_.size())) continue;
      chunk = chunks_[index];
      job = job_;
    }
    (*job)(chunk.first, chunk.second);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (--remaining_ == 0) done_cv_.notify_all();
    }
  }
}

}  // namespace ref
}  // namespace tv
