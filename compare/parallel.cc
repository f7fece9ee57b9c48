#include "compare/parallel.h"

#include <algorithm>
#include <utility>

namespace tv {

int HardwareThreads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

void ParallelFor(int workers, int64_t n,
                 const std::function<void(int worker, int64_t begin, int64_t end)>& fn) {
  if (workers < 1) workers = 1;
  if (n <= 0) return;
  if (workers > n) workers = static_cast<int>(n);
  auto slice = [&](int w) { return n * w / workers; };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(workers - 1));
  for (int w = 1; w < workers; ++w)
    threads.emplace_back([&fn, w, b = slice(w), e = slice(w + 1)] { fn(w, b, e); });
  fn(0, slice(0), slice(1));
  for (std::thread& t : threads) t.join();
}

WorkerPool::WorkerPool(int workers) {
  for (int w = 0; w < std::max(1, workers); ++w) threads_.emplace_back([this, w] { Loop(w); });
}

WorkerPool::~WorkerPool() {
  Wait();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  start_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::Start(std::function<void(int worker)> fn) {
  Wait();
  {
    std::lock_guard<std::mutex> lock(mu_);
    fn_ = std::move(fn);
    running_ = static_cast<int>(threads_.size());
    ++generation_;
  }
  start_cv_.notify_all();
}

void WorkerPool::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [this] { return running_ == 0; });
}

void WorkerPool::Loop(int worker) {
  int64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      start_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    fn_(worker);  // fn_ is not reassigned before every worker has finished (Start waits)
    std::lock_guard<std::mutex> lock(mu_);
    if (--running_ == 0) done_cv_.notify_all();
  }
}

}  // namespace tv
