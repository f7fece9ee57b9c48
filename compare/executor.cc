#include "compare/executor.h"

#include <cstring>

#include "compare/qemu_executor.h"
#include "compare/tflite_executor.h"

namespace tv {

#ifdef TV_HAVE_REFERENCE
Status OpenOnnxExecutor(const std::string& path, const ExecutorOptions& options,
                        std::unique_ptr<Executor>* out);
#endif

namespace {
bool EndsWith(const std::string& s, const char* suffix) {
  const size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}
}  // namespace

Status OpenExecutor(const std::string& path, const ExecutorOptions& options,
                    std::unique_ptr<Executor>* out) {
  if (options.target != "host") {
    TV_CHECK_OR_RETURN(!EndsWith(path, ".onnx"),
                       "--target %s runs .tflite models only (ONNX runs on the host)",
                       options.target.c_str());
    std::unique_ptr<QemuExecutor> qemu;
    TV_RETURN_IF_ERROR(QemuExecutor::Open(path, options, &qemu));
    *out = std::move(qemu);
    return Status::Ok();
  }
  if (EndsWith(path, ".onnx")) {
#ifdef TV_HAVE_REFERENCE
    return OpenOnnxExecutor(path, options, out);
#else
    return Status::Error("this build has no ONNX support (configure with TV_BUILD_REFERENCE=ON)");
#endif
  }
  std::unique_ptr<TfliteExecutor> tflite;
  TV_RETURN_IF_ERROR(TfliteExecutor::Open(path, options, &tflite));
  *out = std::move(tflite);
  return Status::Ok();
}

namespace {

// True when `shape` matches `spec` exactly (symbolic dims match anything).
bool ShapeMatches(const std::vector<int64_t>& shape, const std::vector<int64_t>& spec,
                  size_t skip_leading) {
  if (shape.size() != spec.size() + skip_leading) return false;
  for (size_t i = 0; i < spec.size(); ++i)
    if (spec[i] >= 0 && shape[i + skip_leading] != spec[i]) return false;
  return true;
}

}  // namespace

TensorView ViewOf(const HostTensor& t) {
  TensorView v;
  v.dtype = t.dtype;
  v.shape = t.shape;
  v.data = t.bytes.data();
  v.size = t.bytes.size();
  return v;
}

Status Executor::InvokeViews(const std::vector<TensorView>& in, std::vector<HostTensor>* out,
                             const TensorSink* dump) {
  std::vector<HostTensor> owned(in.size());
  std::vector<const HostTensor*> ptrs;
  for (size_t i = 0; i < in.size(); ++i) {
    owned[i].dtype = in[i].dtype;
    owned[i].shape = in[i].shape;
    if (in[i].size) owned[i].bytes.assign(in[i].data, in[i].data + in[i].size);
    ptrs.push_back(&owned[i]);
  }
  return Invoke(ptrs, out, dump);
}

Status RunBatched(Executor& exec, const std::vector<HostTensor>& in, bool keep_state,
                  std::vector<HostTensor>* out, const TensorSink* dump) {
  std::vector<TensorView> views;
  for (const HostTensor& t : in) views.push_back(ViewOf(t));
  return RunBatchedViews(exec, views, keep_state, out, dump);
}

Status CheckInputs(const std::vector<TensorSpec>& specs, const std::vector<TensorView>& in,
                   int64_t* batch_out) {
  TV_CHECK_OR_RETURN(in.size() == specs.size(), "model has %zu input(s), got %zu", specs.size(),
                     in.size());
  // Decide batch mode from the first input; all inputs must agree.
  int64_t batch = -1;  // -1 = single invocation
  for (size_t i = 0; i < in.size(); ++i) {
    const TensorSpec& s = specs[i];
    TV_CHECK_OR_RETURN(in[i].dtype == s.dtype, "input %zu '%s': expected dtype %s, got %s", i,
                       s.name.c_str(), DataTypeName(s.dtype), DataTypeName(in[i].dtype));
    int64_t this_batch;
    if (ShapeMatches(in[i].shape, s.shape, 0)) {
      this_batch = -1;
    } else if (!in[i].shape.empty() && ShapeMatches(in[i].shape, s.shape, 1)) {
      this_batch = in[i].shape[0];
    } else {
      return Status::Error("input %zu '%s': expected shape %s (or [N] + that for a batch), got %s",
                           i, s.name.c_str(), ShapeToString(s.shape).c_str(),
                           ShapeToString(in[i].shape).c_str());
    }
    TV_CHECK_OR_RETURN(i == 0 || this_batch == batch,
                       "inputs disagree on batching: input 0 %s, input %zu %s",
                       batch < 0 ? "is a single sample" : "has a batch dimension", i,
                       this_batch < 0 ? "is a single sample" : "has a batch dimension");
    batch = this_batch;
  }
  *batch_out = batch;
  return Status::Ok();
}

Status RunBatchedViews(Executor& exec, const std::vector<TensorView>& in, bool keep_state,
                       std::vector<HostTensor>* out, const TensorSink* dump) {
  int64_t batch = -1;
  TV_RETURN_IF_ERROR(CheckInputs(exec.inputs(), in, &batch));
  if (exec.RunsBatches()) {
    TV_CHECK_OR_RETURN(dump == nullptr,
                       "intermediate tensors are not available from a device target");
    TV_RETURN_IF_ERROR(exec.InvokeBatch(in, batch < 0 ? 1 : batch, keep_state, out));
    if (batch < 0)
      for (HostTensor& t : *out) t.shape.erase(t.shape.begin());
    return Status::Ok();
  }
  if (batch < 0) {
    if (!keep_state) exec.ResetState();
    return exec.InvokeViews(in, out, dump);
  }
  // Sample b of each batched input is a view into the caller's buffer.
  std::vector<TensorView> sample(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    sample[i].dtype = in[i].dtype;
    sample[i].shape.assign(in[i].shape.begin() + 1, in[i].shape.end());
  }
  out->clear();
  std::vector<HostTensor> one;
  for (int64_t b = 0; b < batch; ++b) {
    for (size_t i = 0; i < in.size(); ++i) {
      const size_t per = in[i].size / static_cast<size_t>(batch);
      sample[i].data = in[i].data + per * static_cast<size_t>(b);
      sample[i].size = per;
    }
    if (!keep_state) exec.ResetState();
    Status s = exec.InvokeViews(sample, &one, dump);
    if (!s.ok()) return Status::Error("sample %lld: %s", static_cast<long long>(b), s.message());
    if (b == 0) {
      out->resize(one.size());
      for (size_t j = 0; j < one.size(); ++j) {
        (*out)[j].dtype = one[j].dtype;
        (*out)[j].shape = one[j].shape;
        (*out)[j].shape.insert((*out)[j].shape.begin(), batch);
        (*out)[j].bytes.reserve(one[j].bytes.size() * static_cast<size_t>(batch));
      }
    }
    for (size_t j = 0; j < one.size(); ++j)
      (*out)[j].bytes.insert((*out)[j].bytes.end(), one[j].bytes.begin(), one[j].bytes.end());
  }
  return Status::Ok();
}

}  // namespace tv
