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

ChunkRing::ChunkRing(int slots, int workers, int64_t max_block)
    : slots_(std::max(1, slots)),
      workers_(std::max(1, workers)),
      max_block_(std::max<int64_t>(1, max_block)),
      slots_v_(static_cast<size_t>(slots_)),
      cursor_(static_cast<size_t>(workers_), 0) {}

void ChunkRing::Publish(int64_t chunk, int64_t n) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    Slot& s = SlotOf(chunk);
    s.chunk = chunk;
    s.n = n;
    s.next = 0;
    s.done = 0;
    published_ = chunk + 1;
  }
  work_cv_.notify_all();
}

bool ChunkRing::WaitDone(int64_t chunk) {
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] {
    const Slot& s = SlotOf(chunk);
    return stopped_ || (s.chunk == chunk && s.done == s.n);
  });
  return !stopped_;
}

void ChunkRing::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = true;
  }
  work_cv_.notify_all();
}

void ChunkRing::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
  }
  work_cv_.notify_all();
  done_cv_.notify_all();
}

bool ChunkRing::Claim(int worker, int64_t* chunk, int64_t* begin, int64_t* end) {
  std::unique_lock<std::mutex> lock(mu_);
  int64_t& c = cursor_[static_cast<size_t>(worker)];
  for (;;) {
    if (stopped_) return false;
    if (c < published_) {
      Slot& s = SlotOf(c);
      // A slot holding a later chunk means chunk c was finished and its slot reused.
      if (s.chunk == c && s.next < s.n) {
        const int64_t size = std::clamp<int64_t>((s.n - s.next) / (2 * workers_), 1, max_block_);
        *chunk = c;
        *begin = s.next;
        *end = s.next + size;
        s.next = *end;
        return true;
      }
      ++c;
      continue;
    }
    if (finished_) return false;
    work_cv_.wait(lock);
  }
}

void ChunkRing::Done(int64_t chunk, int64_t count) {
  bool complete = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Slot& s = SlotOf(chunk);
    s.done += count;
    complete = s.done == s.n;
  }
  if (complete) done_cv_.notify_all();
}

}  // namespace tv
