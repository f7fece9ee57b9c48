#include "compare/verify_pipeline.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <utility>

#include "compare/executor.h"
#include "compare/input_mapping.h"
#include "compare/parallel.h"
#include "compare/verify_decisions.h"

namespace tv {
namespace verify {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kBlock = 8;  // samples a worker claims at a time

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string Stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

// Samples per chunk. Every chunk ends in a join where a worker may wait for the others' last
// block, so fast models want big chunks; but progress is reported per chunk, memory holds three
// chunks, and the first chunk is read before any worker starts. So: start small, double while
// a chunk takes under a quarter second, never beyond chunk_per_thread per worker or ~16 MiB of
// samples.
class ChunkSizer {
 public:
  ChunkSizer(const VerifyOptions& o, int threads, const std::vector<int64_t>& sample_shape) {
    int64_t values = 1;
    for (int64_t d : sample_shape) values *= std::max<int64_t>(1, d);
    const int64_t by_memory = (int64_t{16} << 20) / (values * int64_t{sizeof(float)});
    const int64_t floor = kBlock * threads;
    max_ = std::max(floor, std::min(int64_t{std::max(1, o.chunk_per_thread)} * threads, by_memory));
    size_ = std::min(max_, floor * 4);
  }
  int64_t next() const { return size_; }
  void Took(double seconds) {
    if (seconds < 0.25) size_ = std::min(max_, size_ * 2);
  }

 private:
  int64_t size_ = 0, max_ = 0;
};

// One model as seen by the pipeline: spec checks, input mapping, output post-processing.
struct ModelPlan {
  std::string path;
  InputMapper mapper;
  bool softmax = false;
  bool reconstruction = false;  // reference only: see IsReconstruction
  ModelInfo info;  // inspected once (weight statistics are not free), reused for the report
};

// Executors are not thread-safe: every worker owns one instance per model.
struct Worker {
  std::vector<std::unique_ptr<Executor>> models;  // [0] = reference, then tiny variants
  std::vector<int64_t> clipped;                   // per model
  double model_seconds = 0;
  Status status;
  int64_t failed_index = -1;
  std::vector<HostTensor> outs;
  HostTensor input;
  std::vector<const HostTensor*> in;  // {&input}, kept to avoid an allocation per Invoke
};

Status OpenModels(const VerifyOptions& o, const ExecutorOptions& eo, Worker* w) {
  std::vector<std::string> paths{o.ref_path};
  paths.insert(paths.end(), o.tiny_paths.begin(), o.tiny_paths.end());
  ExecutorOptions tiny_options = eo;
  tiny_options.target = o.target;
  tiny_options.device = o.device;
  for (const std::string& p : paths) {
    std::unique_ptr<Executor> e;
    TV_RETURN_IF_ERROR(
        OpenExecutor(p, w->models.empty() ? eo : tiny_options, &e).Prefixed(p.c_str()));
    TV_CHECK_OR_RETURN(e->inputs().size() == 1 && !e->outputs().empty(),
                       "%s: verify needs a model with one input (this one has %zu)", p.c_str(),
                       e->inputs().size());
    w->models.push_back(std::move(e));
  }
  w->clipped.assign(paths.size(), 0);
  return Status::Ok();
}

// Runs model m on one sample; `out` receives its primary output as float.
Status RunModel(const ModelPlan& plan, size_t m, const HostTensor& x, Worker* w,
                std::vector<float>* out) {
  Executor& e = *w->models[m];
  plan.mapper.Map(x, &w->input, &w->clipped[m]);
  e.ResetState();
  const Clock::time_point t0 = Clock::now();
  w->in.assign(1, &w->input);
  Status s = e.Invoke(w->in, &w->outs);
  w->model_seconds += Seconds(t0, Clock::now());
  if (!s.ok()) return s.Prefixed(plan.path.c_str());
  TV_RETURN_IF_ERROR(OutputToFloat(w->outs[0], e.outputs()[0], out).Prefixed(plan.path.c_str()));
  if (plan.softmax) Softmax(out);
  return Status::Ok();
}

Status ProcessSample(const std::vector<ModelPlan>& plans, const Sample& s, bool thumbnails,
                     Worker* w, SampleOutputs* r) {
  r->id = s.id;
  r->label = s.label;
  r->target = s.target;
  TV_RETURN_IF_ERROR(RunModel(plans[0], 0, s.x, w, &r->ref));
  if (plans[0].reconstruction) {
    TV_RETURN_IF_ERROR(OutputToFloat(w->input, w->models[0]->inputs()[0], &r->recon_input)
                           .Prefixed(plans[0].path.c_str()));
  } else {
    r->recon_input.clear();
  }
  r->tiny.resize(plans.size() - 1);
  for (size_t m = 1; m < plans.size(); ++m) {
    if (w->models[m]->RunsBatches()) continue;  // device target: RunDeviceChunk
    TV_RETURN_IF_ERROR(RunModel(plans[m], m, s.x, w, &r->tiny[m - 1]));
    TV_CHECK_OR_RETURN(r->tiny[m - 1].size() == r->ref.size(),
                       "%s: output has %zu values, the reference's has %zu", plans[m].path.c_str(),
                       r->tiny[m - 1].size(), r->ref.size());
  }
  r->image = thumbnails ? &s.x : nullptr;  // the analysis thumbnails worst-N samples only
  return Status::Ok();
}

// Device targets (QEMU) run a whole chunk in one boot instead of booting once per sample.
Status RunDeviceChunk(const ModelPlan& plan, size_t m, const std::vector<Sample>& chunk, Worker* w,
                      std::vector<SampleOutputs>* results) {
  Executor& e = *w->models[m];
  const int64_t n = static_cast<int64_t>(chunk.size());
  HostTensor batch;
  for (size_t i = 0; i < chunk.size(); ++i) {
    plan.mapper.Map(chunk[i].x, &w->input, &w->clipped[m]);
    if (i == 0) {
      batch.dtype = w->input.dtype;
      batch.shape = w->input.shape;
      batch.shape.insert(batch.shape.begin(), n);
      batch.bytes.reserve(w->input.bytes.size() * chunk.size());
    }
    batch.bytes.insert(batch.bytes.end(), w->input.bytes.begin(), w->input.bytes.end());
  }
  const Clock::time_point t0 = Clock::now();
  Status s = e.InvokeBatch({ViewOf(batch)}, n, false, &w->outs);
  w->model_seconds += Seconds(t0, Clock::now());
  if (!s.ok()) return s.Prefixed(plan.path.c_str());
  const HostTensor& all = w->outs[0];
  const size_t per = all.bytes.size() / chunk.size();
  HostTensor one;
  one.dtype = all.dtype;
  one.shape.assign(all.shape.begin() + 1, all.shape.end());
  for (size_t i = 0; i < chunk.size(); ++i) {
    one.bytes.assign(all.bytes.begin() + static_cast<int64_t>(per * i),
                     all.bytes.begin() + static_cast<int64_t>(per * (i + 1)));
    std::vector<float>& out = (*results)[i].tiny[m - 1];
    TV_RETURN_IF_ERROR(OutputToFloat(one, e.outputs()[0], &out).Prefixed(plan.path.c_str()));
    if (plan.softmax) Softmax(&out);
    TV_CHECK_OR_RETURN(out.size() == (*results)[i].ref.size(),
                       "%s: output has %zu values, the reference's has %zu", plan.path.c_str(),
                       out.size(), (*results)[i].ref.size());
  }
  return Status::Ok();
}

// Softmax per model, decided once from sample 0 so every thread count agrees. Runs on
// worker 0's executors, then clears what that run counted.
Status DecideOutputs(const Sample& first, bool saturation, std::vector<ModelPlan>* plans,
                     std::vector<Worker>* workers, VerifySetup* setup) {
  Worker& w0 = (*workers)[0];
  bool classification = first.target.empty();
  for (size_t m = 0; m < plans->size(); ++m) {
    ModelPlan& plan = (*plans)[m];
    std::vector<float> out;
    TV_RETURN_IF_ERROR(RunModel(plan, m, first.x, &w0, &out));
    // The graph is better evidence than one sample: an int8 softmax row over many classes can
    // miss a sum of 1 by more than the heuristic's tolerance.
    if (!w0.models[m]->Inspect(&plan.info).ok()) plan.info = ModelInfo();
    if (m == 0 && IsReconstruction(w0.models[0]->inputs()[0], out.size(), plan.info)) {
      plan.reconstruction = true;
      classification = false;
      setup->decisions.push_back(
          "task: regression (the reference outputs as many values as it takes in, without "
          "softmax: a reconstruction model; anomaly score = mean squared reconstruction error)");
    }
    const char* evidence = EndsInSoftmax(plan.info);
    plan.softmax = classification && evidence == nullptr && LooksLikeLogits(out);
    std::string what =
        !classification       ? "raw values (regression)"
        : evidence != nullptr ? std::string("probabilities (") + evidence + "): used as is"
        : plan.softmax        ? "logits (negative values or rows not summing to 1): softmax applied"
                              : "probabilities (non-negative, rows sum to 1): used as is";
    setup->decisions.push_back(std::string(m == 0 ? "ref" : "tiny " + Stem(plan.path)) +
                               " output: " + what);
  }
  std::fill(w0.clipped.begin(), w0.clipped.end(), 0);
  w0.model_seconds = 0;
  // Count saturation only from here on, so sample 0 is not counted twice.
  for (Worker& wk : *workers)
    for (size_t m = 1; saturation && m < wk.models.size(); ++m)
      wk.models[m]->EnableSaturationCounting();
  return Status::Ok();
}

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

void FillModelSetup(const std::string& path, const Executor& e, const VerifyOptions& o,
                    ModelInfo info, ModelSetup* m) {
  m->path = path;
  m->name = Stem(path);
  m->target = "host";
  m->kernels = o.kernels == KernelFlavor::kOptimized ? "optimized" : "reference";
  if (const DeviceStats* d = e.device_stats()) {
    m->target = d->target;
    m->kernels = "reference";  // the firmware has only the reference kernels
    m->device = *d;
  }
  m->info = std::move(info);
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
  std::vector<Sample> chunk, next;
  std::vector<SampleOutputs> results, pending;
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
  auto flush = [&]() -> Status {
    for (const SampleOutputs& r : pending) TV_RETURN_IF_ERROR(sink(r));
    done += static_cast<int64_t>(pending.size());
    if (!pending.empty() && o.progress) o.progress(done, total);
    pending.clear();
    return Status::Ok();
  };
  WorkerPool pool(threads);  // after everything its jobs touch: destroyed (joined) first

  // Every worker opens its own copy of each model, all at once (parsing ONNX and packing
  // weights is most of the start-up), while this thread reads the first chunk.
  pool.Start([&](int w) { workers[w].status = OpenModels(o, eo, &workers[w]); });
  const Status first_read = read_more(&chunk);
  pool.Wait();
  for (Worker& wk : workers) TV_RETURN_IF_ERROR(std::exchange(wk.status, Status::Ok()));
  TV_RETURN_IF_ERROR(first_read);

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
  // Three chunks in flight: workers run chunk k while this thread hands chunk k-1 to the sink
  // and reads chunk k+1, so reading and analysis overlap model execution.
  if (!chunk.empty())
    TV_RETURN_IF_ERROR(DecideOutputs(chunk[0], o.saturation, &plans, &workers, setup));
  if (plans[0].reconstruction) info->task = TaskKind::kRegression;
  while (!chunk.empty()) {
    const Clock::time_point chunk_start = Clock::now();
    const int64_t base = read - static_cast<int64_t>(chunk.size());
    results.resize(chunk.size());  // reused: ProcessSample overwrites every field
    Status sink_status, read_status;
    {
      // Workers claim small blocks in sample order instead of fixed halves, so one worker
      // slowed down (this thread's reading and analysis share the cores) does not leave the
      // others idle at the join. Results go by index, so output is the same either way; a
      // failed worker stops claiming, and blocks are claimed in order, so the lowest failed
      // index is still the first failing sample. Blocks shrink towards the end of the chunk
      // (guided scheduling), so the last one to finish keeps the others waiting less.
      std::atomic<int64_t> next_block{0};
      const int64_t n = static_cast<int64_t>(chunk.size());
      pool.Start([&](int w) {
        Worker& wk = workers[static_cast<size_t>(w)];
        while (wk.status.ok()) {
          int64_t begin = next_block.load(), size = 0;
          do {
            size = std::clamp<int64_t>((n - begin) / (2 * threads), 1, kBlock);
          } while (begin < n && !next_block.compare_exchange_weak(begin, begin + size));
          if (begin >= n) break;
          for (int64_t i = begin; i < std::min(n, begin + size) && wk.status.ok(); ++i) {
            results[i].index = base + i;
            wk.status = ProcessSample(plans, chunk[i], thumbnails, &wk, &results[i]);
            if (!wk.status.ok()) wk.failed_index = base + i;
          }
        }
      });
      // The sink may still read the previous chunk's samples (SampleOutputs::image), which
      // live in `next` until read_more() overwrites them: flush first.
      sink_status = flush();
      if (sink_status.ok()) read_status = read_more(&next);
      pool.Wait();
    }
    sizer.Took(Seconds(chunk_start, Clock::now()));
    // Errors in sample order: the previous chunk's sink, this chunk's workers, the next read.
    TV_RETURN_IF_ERROR(sink_status);
    const Worker* failed = nullptr;
    for (const Worker& wk : workers)
      if (!wk.status.ok() && (failed == nullptr || wk.failed_index < failed->failed_index))
        failed = &wk;
    if (failed != nullptr)
      return Status::Error("sample %lld: %s", static_cast<long long>(failed->failed_index),
                           failed->status.message());
    for (size_t m = 1; m < plans.size(); ++m)
      if (workers[0].models[m]->RunsBatches())
        TV_RETURN_IF_ERROR(RunDeviceChunk(plans[m], m, chunk, &workers[0], &results));
    TV_RETURN_IF_ERROR(read_status);
    pending.swap(results);
    chunk.swap(next);
  }
  TV_RETURN_IF_ERROR(flush());
  TV_CHECK_OR_RETURN(done > 0, "%s: the dataset has no samples", o.data_path.c_str());
  info->samples = done;

  // Per-model setup: sums over workers are integers, so identical for any thread count.
  FillModelSetup(o.ref_path, *workers[0].models[0], o, std::move(plans[0].info), &setup->ref);
  setup->tiny.assign(o.tiny_paths.size(), ModelSetup());
  setup->seconds_models = 0;
  for (const Worker& wk : workers) setup->seconds_models += wk.model_seconds;
  for (size_t m = 1; m < plans.size(); ++m) {
    ModelSetup& t = setup->tiny[m - 1];
    FillModelSetup(o.tiny_paths[m - 1], *workers[0].models[m], o, std::move(plans[m].info), &t);
    t.input_values = plans[m].mapper.quantized() ? done * plans[m].mapper.num_values() : 0;
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
