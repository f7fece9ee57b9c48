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

// Work handed from one producer thread to a WorkerPool in numbered chunks, without a join per
// chunk: workers claim blocks of items in (chunk, item) order and move on to the next published
// chunk by themselves, so a worker that was descheduled (or just slower) never leaves the others
// idle at a barrier. Chunk c lives in slot c % slots; the producer publishes chunk c only after
// WaitDone(c - slots), so a slot's data is never overwritten while workers use it.
// Blocks shrink towards the end of a chunk (guided scheduling, at most `max_block` items).
class ChunkRing {
 public:
  ChunkRing(int slots, int workers, int64_t max_block);
  int slots() const { return slots_; }

  // Producer. Chunks are published in order 0, 1, 2, ... with n > 0 items each.
  void Publish(int64_t chunk, int64_t n);
  // Blocks until every item of `chunk` was reported Done (false: Stop() was called).
  [[nodiscard]] bool WaitDone(int64_t chunk);
  void Finish();  // nothing more will be published: workers return once all is claimed
  void Stop();    // abandon: workers return after their current block

  // Workers. Claim() blocks until there is work; false when finished or stopped.
  [[nodiscard]] bool Claim(int worker, int64_t* chunk, int64_t* begin, int64_t* end);
  void Done(int64_t chunk, int64_t count);

 private:
  struct Slot {
    int64_t chunk = -1, n = 0, next = 0, done = 0;
  };
  Slot& SlotOf(int64_t chunk) { return slots_v_[static_cast<size_t>(chunk % slots_)]; }
  const int slots_;
  const int workers_;
  const int64_t max_block_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::vector<Slot> slots_v_;
  std::vector<int64_t> cursor_;  // per worker: the chunk it claims from
  int64_t published_ = 0;
  bool finished_ = false, stopped_ = false;
};

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_PARALLEL_H_
