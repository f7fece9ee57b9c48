#include "compare/verify_pipeline.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>

#include "compare/executor.h"
#include "compare/input_mapping.h"
#include "compare/parallel.h"
#include "compare/verify_decisions.h"
#include "compare/verify_worker.h"

namespace tv {
namespace verify {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kBlock = 8;  // samples a worker claims at a time

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Samples per chunk. Workers move from chunk to chunk without waiting, but each chunk costs
// this thread a hand-off (sink, progress, read), memory holds three chunks, and the first chunk
// is read before any model runs. So: start small, double while a chunk takes under a quarter
// second (progress stays frequent for slow models), never beyond chunk_per_thread per worker
// or ~16 MiB of samples.
class ChunkSizer {
 public:
  ChunkSizer(const VerifyOptions& o, int threads, const std::vector<int64_t>& sample_shape) {
    int64_t values = 1;
    for (int64_t d : sample_shape) values *= std::max<int64_t>(1, d);
    const int64_t by_memory = (int64_t{16} << 20) / (values * int64_t{sizeof(float)});
    const int64_t floor = kBlock * threads;
    max_ = std::max(floor, std::min(int64_t{std::max(1, o.chunk_per_thread)} * threads, by_memory));
    // A device target boots QEMU once per chunk: there, big chunks from the start.
    size_ = o.target == "host" ? std::min(max_, floor * 4) : max_;
  }
  int64_t next() const { return size_; }
  void Took(double seconds) {
    if (seconds < 0.25) size_ = std::min(max_, size_ * 2);
  }

 private:
  int64_t size_ = 0, max_ = 0;
};

Status ReadChunk(Dataset& ds, const std::string& path, int64_t want, std::vector<Sample>* chunk) {
  chunk->resize(static_cast<size_t>(want));
  for (int64_t i = 0; i < want; ++i) {
    bool done = false;
    TV_RETURN_IF_ERROR(ds.Next(&(*chunk)[i], &done).Prefixed(path.c_str()));
    if (done) {
      chunk->resize(static_cast<size_t>(i));
      break;
    }
  }
  return Status::Ok();
}

}  // namespace

Status RunVerifyPipeline(const VerifyOptions& o, const SampleSink& sink, VerifySetup* setup,
                         PipelineInfo* info) {
  const Clock::time_point start = Clock::now();
  TV_CHECK_OR_RETURN(!o.tiny_paths.empty(), "verify needs at least one --tiny model");
  std::unique_ptr<Dataset> opened;
  Dataset* ds = o.data;
  if (ds == nullptr) {
    TV_RETURN_IF_ERROR(OpenDataset(o.data_path, o.dataset, &opened));
    ds = opened.get();
  }
  setup->data_path = o.data_path;
  setup->data_format = ds->format();
  setup->decisions.clear();
  for (const std::string& n : ds->notes()) setup->decisions.push_back("data: " + n);
  info->class_names = ds->class_names();

  const int threads = std::max(1, o.threads > 0 ? o.threads : HardwareThreads());
  setup->threads = threads;
  ExecutorOptions eo;
  eo.kernels = o.kernels;
  std::vector<Worker> workers(static_cast<size_t>(threads));
  std::vector<ModelPlan> plans;
  // Chunk c lives in slot c % kSlots: workers run chunks c+1 and c+2 while this thread hands
  // chunk c to the sink and then reads chunk c+3 into its slot, so reading and analysis overlap
  // model execution.
  struct ChunkData {
    std::vector<Sample> samples;
    std::vector<SampleOutputs> results;
    int64_t base = 0;  // index of samples[0] in the dataset
  };
  constexpr int kSlots = 3;
  std::vector<ChunkData> slots(kSlots);
  int64_t total = ds->NumSamples();
  if (o.limit >= 0 && (total < 0 || o.limit < total)) total = o.limit;
  info->expected_samples = total;
  int64_t done = 0, read = 0;
  bool exhausted = false;
  ChunkSizer sizer(o, threads, ds->sample_shape());
  auto read_more = [&](std::vector<Sample>* into) -> Status {
    const int64_t chunk_size = sizer.next();
    const int64_t want = total >= 0 ? std::min(chunk_size, total - read) : chunk_size;
    if (want <= 0 || exhausted) {
      into->clear();
      return Status::Ok();
    }
    // No clear() before reading: the samples' buffers are reused, not reallocated.
    TV_RETURN_IF_ERROR(ReadChunk(*ds, o.data_path, want, into));
    exhausted = static_cast<int64_t>(into->size()) < want;
    read += static_cast<int64_t>(into->size());
    return Status::Ok();
  };
  ChunkRing ring(kSlots, threads, kBlock);
  WorkerPool pool(threads);  // after everything its jobs touch: destroyed (joined) first
  // Any early return: release workers waiting in ChunkRing::Claim before the pool joins them.
  struct StopOnExit {
    ChunkRing* ring;
    ~StopOnExit() { ring->Stop(); }
  } stop_on_exit{&ring};

  // Every worker opens its own copy of each model, all at once (parsing ONNX and packing
  // weights is most of the start-up), while this thread reads the first chunk.
  pool.Start([&](int w) { workers[w].status = OpenModels(o, eo, &workers[w]); });
  const Status first_read = read_more(&slots[0].samples);
  pool.Wait();
  for (Worker& wk : workers) TV_RETURN_IF_ERROR(std::exchange(wk.status, Status::Ok()));
  TV_RETURN_IF_ERROR(first_read);

  for (const std::string& note : workers[0].models[0]->notes())
    setup->decisions.push_back("ref: " + note);
  Preprocess pre;
  if (o.preprocess.empty()) {
    pre = DefaultPreprocess(*ds, *workers[0].models[1], &setup->decisions);
  } else {
    TV_RETURN_IF_ERROR(ParsePreprocess(o.preprocess, &pre));
    setup->decisions.push_back("preprocess: " + pre.ToString() + " (from --preprocess)");
  }
  plans.resize(workers[0].models.size());
  for (size_t m = 0; m < plans.size(); ++m) {
    plans[m].path = m == 0 ? o.ref_path : o.tiny_paths[m - 1];
    const bool onnx = plans[m].path.size() > 5 &&
                      plans[m].path.compare(plans[m].path.size() - 5, 5, ".onnx") == 0;
    TV_RETURN_IF_ERROR(plans[m]
                           .mapper
                           .Plan(ds->sample_shape(), workers[0].models[m]->inputs()[0], pre, onnx,
                                 m == 0 ? "ref" : "tiny " + Stem(plans[m].path), &setup->decisions)
                           .Prefixed(plans[m].path.c_str()));
  }
  const bool thumbnails = ds->integer_pixels();
  if (!slots[0].samples.empty())
    TV_RETURN_IF_ERROR(DecideOutputs(slots[0].samples[0], o.saturation, &plans, &workers, setup));
  if (plans[0].reconstruction) info->task = TaskKind::kRegression;

  // Publishes chunk `published`, reading it first unless it is chunk 0 (read above). A read
  // error ends publishing; it is reported after the chunks before it, in sample order.
  int64_t published = 0;
  Status read_status;
  auto publish_next = [&]() {
    ChunkData& d = slots[static_cast<size_t>(published % kSlots)];
    if (published > 0) read_status = read_more(&d.samples);
    if (!read_status.ok() || d.samples.empty()) {
      exhausted = true;
      return;
    }
    d.base = read - static_cast<int64_t>(d.samples.size());
    d.results.resize(d.samples.size());  // reused: ProcessSample overwrites every field
    ring.Publish(published++, static_cast<int64_t>(d.samples.size()));
  };
  publish_next();
  // Workers keep failing samples going (each worker records its first, hence lowest, failure)
  // so every chunk completes; this thread reports the lowest failure once its chunk is done.
  pool.Start([&](int w) {
    Worker& wk = workers[static_cast<size_t>(w)];
    int64_t c = 0, begin = 0, end = 0;
    while (ring.Claim(w, &c, &begin, &end)) {
      ChunkData& d = slots[static_cast<size_t>(c % kSlots)];
      for (int64_t i = begin; i < end; ++i) {
        d.results[i].index = d.base + i;
        Status st = ProcessSample(plans, d.samples[i], thumbnails, &wk, &d.results[i]);
        if (!st.ok() && wk.status.ok()) {
          wk.status = std::move(st);
          wk.failed_index = d.base + i;
        }
      }
      ring.Done(c, end - begin);
    }
  });
  while (published < kSlots && !exhausted) publish_next();

  Worker device_scratch;  // device-target chunks run here, on this thread
  device_scratch.clipped.assign(plans.size(), 0);
  Clock::time_point last_done = Clock::now();
  for (int64_t c = 0; c < published; ++c) {
    ChunkData& d = slots[static_cast<size_t>(c % kSlots)];
    if (!ring.WaitDone(c)) break;
    const Clock::time_point now = Clock::now();
    sizer.Took(Seconds(last_done, now));
    last_done = now;
    const int64_t end = d.base + static_cast<int64_t>(d.samples.size());
    const Worker* failed = nullptr;
    for (const Worker& wk : workers)
      if (!wk.status.ok() && wk.failed_index < end &&
          (failed == nullptr || wk.failed_index < failed->failed_index))
        failed = &wk;
    if (failed != nullptr)
      return Status::Error("sample %lld: %s", static_cast<long long>(failed->failed_index),
                           failed->status.message());
    for (size_t m = 1; m < plans.size(); ++m)
      if (workers[0].models[m]->RunsBatches())
        TV_RETURN_IF_ERROR(RunDeviceChunk(plans[m], m, *workers[0].models[m], d.samples,
                                          &device_scratch, &d.results));
    for (const SampleOutputs& r : d.results) TV_RETURN_IF_ERROR(sink(r));
    done += static_cast<int64_t>(d.results.size());
    if (o.progress) o.progress(done, total);
    // The sink is done with this slot's samples (SampleOutputs::image points into them).
    if (!exhausted) publish_next();
  }
  ring.Finish();
  pool.Wait();
  TV_RETURN_IF_ERROR(read_status);
  TV_CHECK_OR_RETURN(done > 0, "%s: the dataset has no samples", o.data_path.c_str());
  info->samples = done;

  // Per-model setup: sums over workers are integers, so identical for any thread count.
  FillModelSetup(o.ref_path, *workers[0].models[0], o, std::move(plans[0].info), &setup->ref);
  setup->tiny.assign(o.tiny_paths.size(), ModelSetup());
  setup->seconds_models = 0;
  for (const Worker& wk : workers) setup->seconds_models += wk.model_seconds;
  setup->seconds_models += device_scratch.model_seconds;
  for (size_t m = 1; m < plans.size(); ++m) {
    ModelSetup& t = setup->tiny[m - 1];
    FillModelSetup(o.tiny_paths[m - 1], *workers[0].models[m], o, std::move(plans[m].info), &t);
    t.input_values = plans[m].mapper.quantized() ? done * plans[m].mapper.num_values() : 0;
    t.input_clipped += device_scratch.clipped[m];
    for (const Worker& wk : workers) {
      t.input_clipped += wk.clipped[m];
      const std::vector<SaturationCount> sat = wk.models[m]->saturation();
      if (t.saturation.empty()) {
        for (const SaturationCount& c : sat) t.saturation.push_back({c.tensor, c.op, 0, 0, 0});
      }
      for (size_t k = 0; k < sat.size() && k < t.saturation.size(); ++k) {
        t.saturation[k].values += sat[k].values;
        t.saturation[k].at_min += sat[k].at_min;
        t.saturation[k].at_max += sat[k].at_max;
      }
    }
  }
  setup->seconds_total = Seconds(start, Clock::now());
  return Status::Ok();
}

}  // namespace verify
}  // namespace tv
