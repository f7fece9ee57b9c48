#include "compare/parallel_run.h"

#include <algorithm>
#include <memory>

#include "compare/parallel.h"

namespace tv {

Status RunBatchedParallel(Executor& exec, const std::string& path, const ExecutorOptions& options,
                          const std::vector<HostTensor>& in, bool keep_state, int threads,
                          std::vector<HostTensor>* out) {
  if (threads <= 0) threads = HardwareThreads();
  const auto& specs = exec.inputs();
  const bool batched =
      !in.empty() && in.size() == specs.size() && in[0].shape.size() == specs[0].shape.size() + 1;
  const int64_t n = batched ? in[0].shape[0] : 0;
  if (!batched || keep_state || threads <= 1 || n < 2) return RunBatched(exec, in, keep_state, out);
  for (const HostTensor& t : in)
    TV_CHECK_OR_RETURN(!t.shape.empty() && t.shape[0] == n,
                       "inputs disagree on the batch size (%lld vs %s)", static_cast<long long>(n),
                       ShapeToString(t.shape).c_str());
  const int workers = static_cast<int>(std::min<int64_t>(threads, n));
  std::vector<std::unique_ptr<Executor>> extra(static_cast<size_t>(workers));
  for (int w = 1; w < workers; ++w) TV_RETURN_IF_ERROR(OpenExecutor(path, options, &extra[w]));

  std::vector<std::vector<HostTensor>> outs(static_cast<size_t>(workers));
  std::vector<Status> status(static_cast<size_t>(workers));
  std::vector<int64_t> first(static_cast<size_t>(workers));
  ParallelFor(workers, n, [&](int w, int64_t begin, int64_t end) {
    first[w] = begin;
    std::vector<HostTensor> slice(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      const size_t per = in[i].bytes.size() / static_cast<size_t>(n);
      slice[i].dtype = in[i].dtype;
      slice[i].shape = in[i].shape;
      slice[i].shape[0] = end - begin;
      slice[i].bytes.assign(in[i].bytes.begin() + static_cast<int64_t>(per) * begin,
                            in[i].bytes.begin() + static_cast<int64_t>(per) * end);
    }
    Executor& e = w == 0 ? exec : *extra[w];
    status[w] = RunBatched(e, slice, false, &outs[w]);
  });
  for (int w = 0; w < workers; ++w)
    if (!status[w].ok())
      return Status::Error("batch from sample %lld: %s", static_cast<long long>(first[w]),
                           status[w].message());
  // Stitch the slices back together along the batch dimension.
  *out = std::move(outs[0]);
  for (size_t j = 0; j < out->size(); ++j) {
    HostTensor& o = (*out)[j];
    for (int w = 1; w < workers; ++w) {
      const HostTensor& part = outs[w][j];
      o.bytes.insert(o.bytes.end(), part.bytes.begin(), part.bytes.end());
      o.shape[0] += part.shape[0];
    }
  }
  return Status::Ok();
}

}  // namespace tv
