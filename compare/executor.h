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

// Settings for Cortex-M targets run under QEMU (ignored for target "host").
struct DeviceOptions {
  int64_t flash_kb = 0;  // budget for weights + code; 0 = the board's default
  int64_t ram_kb = 0;    // budget for arena + op data + static data; 0 = the board's default
  bool count_instructions = false;  // exact counts via the TCG plugin (slower QEMU)
  double timeout_seconds = 600;     // per QEMU boot
  double clock_mhz = 120;           // only for the latency estimate in reports
};

struct ExecutorOptions {
  KernelFlavor kernels = KernelFlavor::kOptimized;  // bit-identical to kReference, faster
  int threads = 1;
  // "host" (this machine) or a Cortex-M target under QEMU: "cortex-m4", "cortex-m7",
  // "cortex-m55" (.tflite models only; the firmware always uses the reference kernels).
  std::string target = "host";
  DeviceOptions device;
  // The model is a float reference (verify --ref), not a microcontroller model: a hybrid
  // .tflite (float activations, int8 weights) runs with its weights dequantized to float.
  bool float_reference = false;
};

// What a device target measured (Executor::device_stats). Sizes in bytes.
struct DeviceStats {
  std::string target, machine;  // empty target = no device run
  double clock_mhz = 120;       // latency estimate = instructions / clock (1 instruction/cycle)
  uint64_t flash_budget = 0, ram_budget = 0;
  uint64_t model_bytes = 0, code_bytes = 0;        // flash use
  uint64_t arena_bytes = 0, persistent_bytes = 0;  // as planned on the device
  uint64_t static_ram_bytes = 0, stack_peak_bytes = 0, heap_peak_bytes = 0;
  std::vector<uint64_t> instructions;  // per inference, in order; empty unless counted
  int64_t samples = 0;                 // inferences run so far
  int64_t boots = 0;                   // QEMU boots so far
  double qemu_seconds = 0;             // wall time inside QEMU so far
  double qemu_cpu_seconds = 0;         // QEMU's CPU time so far
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

  // Executors with a high per-call start-up cost (QEMU) run whole batches at once: `in[i]`
  // holds n samples back to back, outputs come back as [n] + output shape.
  virtual bool RunsBatches() const { return false; }
  [[nodiscard]] virtual Status InvokeBatch(const std::vector<TensorView>& in, int64_t n,
                                           bool keep_state, std::vector<HostTensor>* out) {
    return Status::Error("this executor does not run batches");
  }
  // How the model is run where that differs from what its file says (one line each).
  virtual std::vector<std::string> notes() const { return {}; }
  // Device measurements (targets under QEMU); nullptr for host executors.
  virtual const DeviceStats* device_stats() const { return nullptr; }
};

// Opens a .tflite or .onnx model by file extension (falls back to sniffing the content);
// options.target other than "host" opens a QEMU-backed Cortex-M executor.
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
