// One interface over every way tinyverify can run a model (the .tflite emulator, the ONNX
// reference, later a QEMU-backed Cortex-M target), so callers never branch on the format.
#ifndef TINYVERIFY_COMPARE_EXECUTOR_H_
#define TINYVERIFY_COMPARE_EXECUTOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "compare/host_tensor.h"
#include "compare/model_info.h"
#include "emulator/kernel_api.h"
#include "emulator/status.h"

namespace tv {

struct TensorSpec {
  std::string name;
  DataType dtype = DataType::kFloat32;
  std::vector<int64_t> shape;  // -1 = symbolic (ONNX batch)
  bool quantized = false;
  float scale = 0.0f;
  int32_t zero_point = 0;
};

struct ExecutorOptions {
  KernelFlavor kernels = KernelFlavor::kReference;
  int threads = 1;
};

// Non-owning view of caller memory (a numpy array, a slice of a batch) so callers can run a
// model without first copying their data into a HostTensor.
struct TensorView {
  DataType dtype = DataType::kFloat32;
  std::vector<int64_t> shape;
  const uint8_t* data = nullptr;
  size_t size = 0;  // bytes
};

TensorView ViewOf(const HostTensor& t);

// Receives every intermediate tensor after the operator that produced it (--dump-all).
using TensorSink = std::function<void(int32_t index, const std::string& name, const HostTensor&)>;

// Int8/int16 activations of one tensor pinned at the type's min/max, summed over invocations.
struct SaturationCount {
  std::string tensor;
  std::string op;  // producing op
  int64_t values = 0;
  int64_t at_min = 0;
  int64_t at_max = 0;
};

class Executor {
 public:
  virtual ~Executor() = default;
  virtual const std::vector<TensorSpec>& inputs() const = 0;
  virtual const std::vector<TensorSpec>& outputs() const = 0;
  // One invocation; every input already has exactly the spec's dtype and shape.
  [[nodiscard]] virtual Status Invoke(const std::vector<const HostTensor*>& in,
                                      std::vector<HostTensor>* out,
                                      const TensorSink* dump = nullptr) = 0;
  // Same as Invoke over borrowed memory. The default copies into HostTensors; executors that
  // copy inputs anyway (the emulator into its arena) override it to read the views directly.
  [[nodiscard]] virtual Status InvokeViews(const std::vector<TensorView>& in,
                                           std::vector<HostTensor>* out,
                                           const TensorSink* dump = nullptr);
  // Clears recurrent state (LSTM/SVDF variables) between independent samples.
  virtual void ResetState() {}
  [[nodiscard]] virtual Status Inspect(ModelInfo* info) const = 0;
  // From now on, count saturated int8/int16 activations in every Invoke (one pass over each
  // op's output; float executors ignore it).
  virtual void EnableSaturationCounting() {}
  // Per activation tensor, in execution order; empty when not counting or float-only.
  virtual std::vector<SaturationCount> saturation() const { return {}; }
};

// Opens a .tflite or .onnx model by file extension (falls back to sniffing the content).
[[nodiscard]] Status OpenExecutor(const std::string& path, const ExecutorOptions& options,
                                  std::unique_ptr<Executor>* out);

// Runs `in` through the executor. Each input has the spec's shape, or one extra leading
// dimension N (then N independent invocations run, state reset between them unless
// keep_state, and every output gains the leading N).
[[nodiscard]] Status RunBatched(Executor& exec, const std::vector<HostTensor>& in, bool keep_state,
                                std::vector<HostTensor>* out, const TensorSink* dump = nullptr);

// Validates inputs against the specs (count, dtype, shape or [N] + shape) with the messages
// RunBatched reports; *batch = N, or -1 for a single invocation.
[[nodiscard]] Status CheckInputs(const std::vector<TensorSpec>& specs,
                                 const std::vector<TensorView>& in, int64_t* batch);

// RunBatched over borrowed memory: batch samples are sliced as views, never copied.
[[nodiscard]] Status RunBatchedViews(Executor& exec, const std::vector<TensorView>& in,
                                     bool keep_state, std::vector<HostTensor>* out,
                                     const TensorSink* dump = nullptr);

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_EXECUTOR_H_
