#include "compare/parallel.h"

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

BackgroundParallelFor::BackgroundParallelFor(
    int workers, int64_t n, std::function<void(int worker, int64_t begin, int64_t end)> fn)
    : fn_(std::move(fn)) {
  if (workers < 1) workers = 1;
  if (n <= 0) return;
  if (workers > n) workers = static_cast<int>(n);
  for (int w = 0; w < workers; ++w)
    threads_.emplace_back(
        [this, w, b = n * w / workers, e = n * (w + 1) / workers] { fn_(w, b, e); });
}

void BackgroundParallelFor::Join() {
  for (std::thread& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

}  // namespace tv
