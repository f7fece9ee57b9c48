// Runs subgraph 0 of a loaded Model the way TensorFlow Lite Micro does: kernels resolved from
// the registry, Prepare once, every non-constant tensor planned into one arena, then Invoke
// walks the operators in file order without allocating.
#ifndef TINYVERIFY_EMULATOR_INTERPRETER_H_
#define TINYVERIFY_EMULATOR_INTERPRETER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "emulator/kernel_api.h"
#include "emulator/model.h"
#include "emulator/planner.h"
#include "emulator/status.h"

namespace tv {

struct InterpreterOptions {
  KernelFlavor flavor = KernelFlavor::kReference;
  // Host builds pass tv::optimized::FindOptimizedKernel here; consulted only for kOptimized.
  // Ops without an optimized kernel (and builds without the lookup) use the reference one.
  OptimizedKernelLookup optimized_kernels = nullptr;
  // A hybrid (dynamic-range) model — float activations, int8/uint8 constant weights — is
  // refused by default, as TFLM has no hybrid kernels. As a float *reference* (verify --ref)
  // it runs with those weights dequantized to float once at Init: the float math that
  // TFLite's hybrid kernels approximate.
  bool dequantize_hybrid_weights = false;
};

// Called after each operator during Invoke (layer-by-layer dumps, divergence localisation).
class NodeObserver {
 public:
  virtual ~NodeObserver() = default;
  virtual void AfterNode(const Node& node) = 0;
};

class Interpreter {
 public:
  Interpreter() = default;
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // `model` must outlive the interpreter.
  [[nodiscard]] Status Init(const Model& model, const InterpreterOptions& options = {});

  int32_t num_inputs() const { return static_cast<int32_t>(model_->inputs().size()); }
  int32_t num_outputs() const { return static_cast<int32_t>(model_->outputs().size()); }
  Tensor* input(int32_t i) { return &tensors_[model_->inputs()[i]]; }
  Tensor* output(int32_t i) { return &tensors_[model_->outputs()[i]]; }
  int32_t input_index(int32_t i) const { return model_->inputs()[i]; }
  int32_t output_index(int32_t i) const { return model_->outputs()[i]; }

  [[nodiscard]] Status Invoke(NodeObserver* observer = nullptr);

  // Resets variable (state) tensors to their zero point, as TFLM does at AllocateTensors().
  void ResetVariables();

  const std::vector<Tensor>& tensors() const { return tensors_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  const Model& model() const { return *model_; }
  // Bytes of the planned activation arena (non-constant tensors, variables, scratch).
  size_t arena_bytes() const { return plan_.arena_bytes; }
  // Bytes of op data computed by Prepare (multipliers, tables, packed weights).
  size_t persistent_bytes() const { return persistent_.total_bytes(); }
  // Weight tensors dequantized by InterpreterOptions::dequantize_hybrid_weights.
  int32_t dequantized_weights() const { return dequantized_weights_; }
  // Guard bytes around the arena are untouched (no kernel wrote out of bounds).
  bool GuardsIntact() const;

 private:
  class HeapAllocator : public PersistentAllocator {
   public:
    void* Allocate(size_t bytes) override;
    size_t total_bytes() const { return total_; }

   private:
    std::vector<std::unique_ptr<uint8_t[]>> blocks_;
    size_t total_ = 0;
  };

  Status ResolveAndPrepare();
  Status PlanAndAllocate();

  const Model* model_ = nullptr;
  InterpreterOptions options_;
  std::vector<Tensor> tensors_;
  std::vector<Node> nodes_;
  std::vector<const KernelRegistration*> kernels_;
  std::vector<EvalFn> evals_;
  HeapAllocator persistent_;
  ArenaPlan plan_;
  std::vector<uint8_t> arena_storage_;
  uint8_t* arena_ = nullptr;
  int32_t dequantized_weights_ = 0;
};

// "operator 3 (CONV_2D)" style label used in messages.
void DescribeNode(const Node& node, const Model& model, char* buf, size_t size);

}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_INTERPRETER_H_
