// The contract between the interpreter and one operator kernel.
//
// A kernel is a pair of functions over a KernelContext:
//   Prepare — runs once after loading: validates shapes/types, computes multipliers and other
//             per-node constants into persistent op data, requests scratch memory. May allocate
//             (through the context only). Activation tensors have no data yet.
//   Eval    — pure arithmetic over the tensors' data; never allocates.
// Kernels read their options straight from the flatbuffer operator (see op_options.h).
#ifndef TINYVERIFY_EMULATOR_KERNEL_API_H_
#define TINYVERIFY_EMULATOR_KERNEL_API_H_

#include <cstddef>
#include <cstdint>
#include <new>

#include "emulator/status.h"
#include "emulator/tensor.h"

namespace tflite {
struct Operator;
}

namespace tv {

constexpr int kMaxScratchPerNode = 4;

// One operator of the graph as the interpreter holds it.
struct Node {
  int32_t index = 0;
  int32_t op_code = 0;  // effective builtin code
  int32_t version = 1;
  const tflite::Operator* op = nullptr;
  const int32_t* inputs = nullptr;  // tensor indices, -1 = omitted optional input
  int32_t num_inputs = 0;
  const int32_t* outputs = nullptr;
  int32_t num_outputs = 0;
  const int32_t* intermediates = nullptr;
  int32_t num_intermediates = 0;
  void* op_data = nullptr;  // persistent, written by Prepare
  int32_t num_scratch = 0;
  size_t scratch_bytes[kMaxScratchPerNode] = {0};
  uint8_t* scratch[kMaxScratchPerNode] = {nullptr};
  int64_t macs = 0;  // multiply-accumulates per invocation, set by Prepare where meaningful
};

// Where Prepare gets persistent memory. Implemented by the interpreter.
class PersistentAllocator {
 public:
  virtual ~PersistentAllocator() = default;
  // Zero-filled, 16-byte aligned, lives as long as the interpreter; nullptr when exhausted.
  virtual void* Allocate(size_t bytes) = 0;
};

class KernelContext {
 public:
  KernelContext(Tensor* tensors, int32_t num_tensors, Node* node, PersistentAllocator* alloc)
      : tensors_(tensors), num_tensors_(num_tensors), node_(node), alloc_(alloc) {}

  Node& node() const { return *node_; }
  const tflite::Operator* op() const { return node_->op; }
  int32_t num_inputs() const { return node_->num_inputs; }
  int32_t num_outputs() const { return node_->num_outputs; }

  // nullptr for an omitted optional input (-1) or a position past the end.
  Tensor* input(int i) const {
    if (i < 0 || i >= node_->num_inputs) return nullptr;
    return TensorAt(node_->inputs[i]);
  }
  Tensor* output(int i) const {
    if (i < 0 || i >= node_->num_outputs) return nullptr;
    return TensorAt(node_->outputs[i]);
  }
  Tensor* intermediate(int i) const {
    if (i < 0 || i >= node_->num_intermediates) return nullptr;
    return TensorAt(node_->intermediates[i]);
  }
  Tensor* TensorAt(int32_t index) const {
    return (index >= 0 && index < num_tensors_) ? &tensors_[index] : nullptr;
  }

  // Prepare only. Typed persistent op data, zero-initialised.
  template <typename T>
  [[nodiscard]] Status AllocateOpData(T** out) {
    void* p = alloc_ ? alloc_->Allocate(sizeof(T)) : nullptr;
    if (p == nullptr) return Status::Error("out of persistent memory for op data");
    *out = new (p) T();
    node_->op_data = p;
    return Status::Ok();
  }
  // Prepare only. Persistent array (multipliers per channel, packed weights, ...).
  template <typename T>
  [[nodiscard]] Status AllocateArray(size_t count, T** out) {
    void* p = alloc_ ? alloc_->Allocate(count * sizeof(T) + 1) : nullptr;
    if (p == nullptr) return Status::Error("out of persistent memory (%zu bytes)", count * sizeof(T));
    *out = static_cast<T*>(p);
    return Status::Ok();
  }
  // Prepare only. Reserves `bytes` of per-node scratch planned into the arena; Eval reads it
  // back with scratch(handle).
  [[nodiscard]] Status RequestScratch(size_t bytes, int* handle) {
    if (node_->num_scratch >= kMaxScratchPerNode) return Status::Error("too many scratch buffers");
    *handle = node_->num_scratch;
    node_->scratch_bytes[node_->num_scratch++] = bytes;
    return Status::Ok();
  }
  uint8_t* scratch(int handle) const { return node_->scratch[handle]; }

  template <typename T>
  T* op_data() const { return static_cast<T*>(node_->op_data); }

 private:
  Tensor* tensors_;
  int32_t num_tensors_;
  Node* node_;
  PersistentAllocator* alloc_;
};

using PrepareFn = Status (*)(KernelContext& ctx);
using EvalFn = Status (*)(KernelContext& ctx);

enum class KernelFlavor : uint8_t { kReference = 0, kOptimized = 1 };

// One registry row: a builtin op over a range of versions. Both flavours share Prepare; the
// optimized Eval is optional and falls back to the reference Eval.
struct KernelRegistration {
  int32_t op_code;
  int32_t min_version;
  int32_t max_version;
  PrepareFn prepare;
  EvalFn eval_reference;
  EvalFn eval_optimized;  // nullptr = use eval_reference
};

// A host-only optimized kernel (emulator/kernels/optimized/, SIMD), supplied to the interpreter
// through InterpreterOptions so that the portable core and the firmware never link it. Its
// Prepare runs the op's reference Prepare and then pre-packs weights; its Eval is bit-identical
// to the reference Eval (and falls back to it for the cases it does not vectorise).
struct OptimizedKernel {
  int32_t op_code;
  PrepareFn prepare;
  EvalFn eval;
};
// nullptr when `op_code` has no optimized kernel.
using OptimizedKernelLookup = const OptimizedKernel* (*)(int32_t op_code);

}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNEL_API_H_
