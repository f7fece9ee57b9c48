// The interface between the planner/executor and the operator implementations in ops/.
//
// Every node gets its own OpKernel instance per plan. Prepare() runs once per plan (shape
// inference; it may read constant inputs such as Reshape's target shape) and Run() runs once
// per inference with buffers already sized from what Prepare() declared.
#ifndef TINYVERIFY_REFERENCE_KERNEL_H_
#define TINYVERIFY_REFERENCE_KERNEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/dtype.h"
#include "emulator/status.h"
#include "reference/attributes.h"
#include "reference/post_op.h"
#include "reference/shape_util.h"

namespace tv {
namespace ref {

class ThreadPool;

// Read-only view of an input tensor during Run().
struct InputView {
  DataType dtype = DataType::kFloat32;
  const Shape* shape = nullptr;
  const void* data = nullptr;
  int64_t size() const { return NumElements(*shape); }
  template <typename T>
  const T* as() const {
    return static_cast<const T*>(data);
  }
};

// Writable view of an output tensor during Run(); never aliases an input unless the kernel
// declared OutputAliasesInput().
struct OutputView {
  DataType dtype = DataType::kFloat32;
  const Shape* shape = nullptr;
  void* data = nullptr;
  int64_t size() const { return NumElements(*shape); }
  template <typename T>
  T* as() const {
    return static_cast<T*>(data);
  }
};

struct NodeInfo {
  std::string name;  // display name used in messages
  std::string op_type;
  std::string domain;  // "ai.onnx" for the default domain
  int opset = 0;
  Attributes attrs;
};

// What Prepare() sees: input dtypes/shapes, constant input values, and output declarations.
class PrepareContext {
 public:
  struct Input {
    bool present = false;
    DataType dtype = DataType::kFloat32;
    Shape shape;
    const void* value = nullptr;  // known value (constant, folded, or fed at run-planning)
  };
  struct Output {
    bool present = false;
    bool set = false;
    DataType dtype = DataType::kFloat32;
    Shape shape;
  };

  PrepareContext(const NodeInfo* node, std::vector<Input> inputs, std::vector<bool> outputs);

  const NodeInfo& node() const { return *node_; }
  const Attributes& attrs() const { return node_->attrs; }
  int opset() const { return node_->opset; }

  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  bool has_input(int i) const { return i < num_inputs() && inputs_[i].present; }
  DataType input_dtype(int i) const { return inputs_[i].dtype; }
  const Shape& input_shape(int i) const { return inputs_[i].shape; }
  // Value of input i, or nullptr when it is only known at run time (the planner then defers
  // shape inference of this node when planning without data).
  const void* input_value(int i);
  // Like input_value(), but an unknown value is fine (optional optimisation, e.g. prepacking).
  const void* input_value_if_known(int i);
  // Reads input i (integer tensor of any width) as int64 values; errors if the value is unknown.
  Status InputAsInts(int i, std::vector<int64_t>* out);
  Status InputAsFloat(int i, float* out);  // scalar float input

  int num_outputs() const { return static_cast<int>(outputs_.size()); }
  bool has_output(int i) const { return i < num_outputs() && outputs_[i].present; }
  void SetOutput(int i, DataType dtype, Shape shape);
  // Reserves `bytes` of scratch memory that Run() receives (shared by all kernels of a plan).
  void RequestScratch(int64_t bytes) {
    scratch_bytes_ = bytes > scratch_bytes_ ? bytes : scratch_bytes_;
  }

  // Requires at least `min` and at most `max` inputs (optional trailing ones may be absent).
  Status CheckArity(int min_inputs, int max_inputs) const;
  // Error prefixed with "node 'name' (op X): ".
  Status Error(const char* fmt, ...) const __attribute__((format(printf, 2, 3)));

  // Planner side.
  const std::vector<Output>& outputs() const { return outputs_; }
  bool needed_unknown_value() const { return needed_unknown_value_; }
  const std::vector<int>& values_read() const { return values_read_; }
  int64_t scratch_bytes() const { return scratch_bytes_; }

 private:
  const NodeInfo* node_;
  std::vector<Input> inputs_;
  std::vector<Output> outputs_;
  std::vector<int> values_read_;
  bool needed_unknown_value_ = false;
  int64_t scratch_bytes_ = 0;
};

struct RunContext {
  std::vector<InputView> inputs;    // absent optional inputs have data == nullptr
  std::vector<OutputView> outputs;  // absent optional outputs have data == nullptr
  void* scratch = nullptr;
  ThreadPool* pool = nullptr;  // never null
};

class OpKernel {
 public:
  virtual ~OpKernel() = default;
  virtual Status Prepare(PrepareContext* ctx) = 0;
  virtual Status Run(RunContext* ctx) = 0;
  // True when output 0 is a re-labelled view of input 0 (Reshape, Squeeze, Identity...): the
  // planner then shares the buffer and Run() is a no-op unless the pointers differ.
  virtual bool OutputAliasesInput() const { return false; }
  // True when the outputs depend only on input shapes (Shape, Size), so the node can be folded
  // into a constant at planning time even when its input has no value.
  virtual bool NeedsOnlyInputShapes() const { return false; }
  // Consumer side of fusion: describes this node as a PostOp on its input 0 (after Prepare).
  virtual bool AsPostOp(PostOp* /*op*/) const { return false; }
  // Producer side: takes over `op` on output 0 (applied after any earlier fused ones); false
  // declines. The planner then skips the consumer and lets its output alias this one.
  virtual bool FusePostOp(const PostOp& /*op*/) { return false; }
  // Arithmetic cost after Prepare(); default: nothing worth counting.
  virtual int64_t Flops() const { return 0; }

  const NodeInfo& node() const { return *node_; }
  void set_node(const NodeInfo* node) { node_ = node; }

 protected:
  Status Error(const char* fmt, ...) const __attribute__((format(printf, 2, 3)));

 private:
  const NodeInfo* node_ = nullptr;
};

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_KERNEL_H_
