// Executor over the .tflite emulator (host build).
#ifndef TINYVERIFY_COMPARE_TFLITE_EXECUTOR_H_
#define TINYVERIFY_COMPARE_TFLITE_EXECUTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "compare/executor.h"
#include "compare/file_io.h"
#include "emulator/interpreter.h"
#include "emulator/model.h"

namespace tv {

// Inspect data of a .tflite that parses but cannot be prepared (custom or hybrid operators):
// tensors, weights and operators as stored; arena, op data and MACs are 0.
[[nodiscard]] Status InspectUnpreparedTflite(const std::string& path, ModelInfo* info);

class TfliteExecutor : public Executor {
 public:
  // Errors do not include the path; the caller prefixes it.
  [[nodiscard]] static Status Open(const std::string& path, const ExecutorOptions& options,
                                   std::unique_ptr<TfliteExecutor>* out);

  const std::vector<TensorSpec>& inputs() const override { return inputs_; }
  const std::vector<TensorSpec>& outputs() const override { return outputs_; }
  Status Invoke(const std::vector<const HostTensor*>& in, std::vector<HostTensor>* out,
                const TensorSink* dump) override;
  // Copies each view straight into the interpreter's arena.
  Status InvokeViews(const std::vector<TensorView>& in, std::vector<HostTensor>* out,
                     const TensorSink* dump) override;
  void ResetState() override { interpreter_.ResetVariables(); }
  Status Inspect(ModelInfo* info) const override;
  void EnableSaturationCounting() override;
  std::vector<SaturationCount> saturation() const override;
  std::vector<std::string> notes() const override;

  const Interpreter& interpreter() const { return interpreter_; }

 private:
  FileBytes file_;
  Model model_;
  Interpreter interpreter_;
  std::vector<TensorSpec> inputs_, outputs_;
  struct Counter {
    int32_t tensor = 0;
    int32_t node = 0;
    int64_t values = 0, at_min = 0, at_max = 0;
    bool count_min = true;  // false when the type's minimum is the real value 0.0
  };
  bool counting_ = false;
  std::vector<Counter> counters_;           // execution order
  std::vector<int32_t> counter_of_tensor_;  // tensor index -> counters_ slot, -1 = none
  std::vector<TensorView> views_;           // Invoke() scratch
};

TensorSpec SpecOf(const Tensor& t);
HostTensor HostCopyOf(const Tensor& t);

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_TFLITE_EXECUTOR_H_
