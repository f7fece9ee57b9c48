// Execution plan for one set of input shapes: inferred shape/dtype of every value, constants
// folded (initializers, Constant, anything computable from them and from shapes), and an arena
// layout where activations whose lifetimes do not overlap share memory.
#ifndef TINYVERIFY_REFERENCE_PLAN_H_
#define TINYVERIFY_REFERENCE_PLAN_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "emulator/status.h"
#include "reference/graph.h"
#include "reference/kernel.h"

namespace tv {
namespace ref {

class ThreadPool;

struct PlanInput {
  DataType dtype = DataType::kFloat32;
  Shape shape;
  const void* data = nullptr;  // null when planning ahead of any data (at load)
};

class Plan {
 public:
  // With inputs lacking data, nodes whose shapes depend on input values are left unresolved
  // (complete() is false) instead of failing.
  static Status Build(const Graph& graph, const std::vector<PlanInput>& inputs, bool have_data,
                      const LoadOptions& options, std::unique_ptr<Plan>* out);

  bool complete() const { return complete_; }
  // True when this plan was built for inputs of these shapes (and, where shape inference
  // read an input's values, those same values).
  bool Matches(const std::vector<Tensor>& inputs) const;
  Status Execute(const Graph& graph, const std::vector<Tensor>& inputs, ThreadPool* pool,
                 std::vector<Tensor>* outputs);

  // Inspection (valid for resolved nodes only).
  int64_t NodeFlops(int node) const;
  void CountParameters(const Graph& graph, int64_t* count, int64_t* bytes) const;

 private:
  enum class Source { kUnknown, kConstant, kInput, kArena };
  struct Value {
    Source source = Source::kUnknown;
    DataType dtype = DataType::kFloat32;
    Shape shape;
    const uint8_t* constant = nullptr;  // kConstant
    int input = -1;                     // kInput: position in the caller's inputs
    int root = -1;                      // value whose storage this one shares (itself if none)
    int64_t offset = 0;                 // kArena
  };

  Status PrepareNode(const Graph& graph, int n, const std::vector<PlanInput>& inputs,
                     bool have_data, int64_t max_tensor_bytes);
  Status FoldNode(const Graph& graph, int n);
  // Hands per-channel consumers (batch norm, Relu, Clip) to the kernel producing their input
  // when that value has no other reader; the consumer is then skipped and aliases the input.
  void FusePostOps(const Graph& graph);
  void AssignArena(const Graph& graph);
  const void* DataOf(int value, const std::vector<Tensor>& inputs) const;

  std::vector<Value> values_;
  std::vector<std::unique_ptr<OpKernel>> kernels_;  // per node; null when unresolved
  std::vector<int> run_nodes_;                      // nodes executed per inference, in order
  std::vector<bool> fused_;                         // per node: work done by its producer
  std::vector<std::vector<uint8_t>> constants_;     // folded values (stable addresses)
  std::vector<Shape> input_shapes_;
  std::vector<std::pair<int, std::vector<uint8_t>>> value_keys_;  // (input, bytes) read
  int64_t arena_bytes_ = 0;
  int64_t scratch_bytes_ = 0;
  std::vector<uint8_t> arena_;  // allocated on first Execute
  std::vector<uint8_t> scratch_;
  bool complete_ = true;
};

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_PLAN_H_
