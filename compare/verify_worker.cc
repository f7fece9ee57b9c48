#include "compare/verify_worker.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <utility>

#include "compare/verify_decisions.h"

namespace tv {
namespace verify {

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
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

}  // namespace

std::string Stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

Status OpenModels(const VerifyOptions& o, const ExecutorOptions& eo, Worker* w) {
  std::vector<std::string> paths{o.ref_path};
  paths.insert(paths.end(), o.tiny_paths.begin(), o.tiny_paths.end());
  ExecutorOptions ref_options = eo;
  ref_options.float_reference = true;
  ExecutorOptions tiny_options = eo;
  tiny_options.target = o.target;
  tiny_options.device = o.device;
  for (const std::string& p : paths) {
    std::unique_ptr<Executor> e;
    TV_RETURN_IF_ERROR(
        OpenExecutor(p, w->models.empty() ? ref_options : tiny_options, &e).Prefixed(p.c_str()));
    TV_CHECK_OR_RETURN(e->inputs().size() == 1 && !e->outputs().empty(),
                       "%s: verify needs a model with one input (this one has %zu)", p.c_str(),
                       e->inputs().size());
    w->models.push_back(std::move(e));
  }
  w->clipped.assign(paths.size(), 0);
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

Status RunDeviceChunk(const ModelPlan& plan, size_t m, Executor& e,
                      const std::vector<Sample>& chunk, Worker* w,
                      std::vector<SampleOutputs>* results) {
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

// Runs on worker 0's executors, then clears what that run counted.
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
    // One output value is a score or a regression, never class probabilities (as the analysis
    // decides): say so instead of "rows sum to 1".
    if (m == 0 && out.size() < 2) classification = false;
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

}  // namespace verify
}  // namespace tv
