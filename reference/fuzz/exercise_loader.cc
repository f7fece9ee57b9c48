#include "reference/fuzz/exercise_loader.h"

#include "reference/onnx_model.h"

namespace tv {
namespace ref {

bool ExerciseLoader(const uint8_t* data, size_t size) {
  LoadOptions options;
  options.max_tensor_bytes = int64_t{16} << 20;  // keep mutants from requesting gigabytes
  std::unique_ptr<OnnxModel> model;
  // External data is resolved against a directory that does not exist, so mutated locations
  // cannot read files.
  if (!OnnxModel::LoadFromBytes(data, size, "/nonexistent-tv-fuzz", &model, options).ok())
    return false;
  std::vector<Tensor> inputs;
  int64_t total = 0;
  for (const TensorInfo& info : model->inputs()) {
    Tensor t;
    t.dtype = info.dtype;
    for (int64_t d : info.shape) t.shape.push_back(d < 0 ? 1 : d);
    const int64_t n = t.NumElements();
    const size_t elem = DataTypeSize(t.dtype);
    if (n < 0 || elem == 0 || n > (int64_t{1} << 20)) return true;
    total += n;
    t.bytes.assign(static_cast<size_t>(n) * elem, 0);
    inputs.push_back(std::move(t));
  }
  if (total > (int64_t{1} << 22)) return true;
  std::vector<Tensor> outputs;
  (void)model->Run(inputs, &outputs);
  return true;
}

}  // namespace ref
}  // namespace tv
