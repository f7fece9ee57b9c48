// tv::ref::OnnxModel — the float ONNX reference executor ("big model" side of a comparison).
//
// Loads an ONNX model (IR 3+, ai.onnx opsets 1..newest), resolves external data, infers every
// tensor's shape before running, and executes the graph with a buffer-reusing plan. Library
// code: never throws, never prints; every failure is a tv::Status naming the node or tensor.
//
//   std::unique_ptr<tv::ref::OnnxModel> model;
//   TV_RETURN_IF_ERROR(tv::ref::OnnxModel::Load("big.onnx", &model));
//   std::vector<tv::ref::Tensor> outputs;
//   TV_RETURN_IF_ERROR(model->Run(inputs, &outputs));
#ifndef TINYVERIFY_REFERENCE_ONNX_MODEL_H_
#define TINYVERIFY_REFERENCE_ONNX_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "emulator/dtype.h"
#include "emulator/status.h"

namespace tv {
namespace ref {

// A graph input or output as declared by the model. Symbolic dimensions (e.g. "batch") are -1
// and are bound from the tensors passed to Run().
struct TensorInfo {
  std::string name;
  DataType dtype = DataType::kFloat32;
  std::vector<int64_t> shape;
};

// An owned dense tensor: row-major, little-endian element bytes (bool = 1 byte, 0 or 1).
struct Tensor {
  DataType dtype = DataType::kFloat32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;

  int64_t NumElements() const;
  // Typed views; the caller must know the dtype.
  template <typename T>
  const T* data() const {
    return reinterpret_cast<const T*>(bytes.data());
  }
  template <typename T>
  T* mutable_data() {
    return reinterpret_cast<T*>(bytes.data());
  }
};

// Per-node and whole-model facts for `tinyverify inspect`. Shapes (and hence FLOPs) are those
// inferred with every symbolic dimension bound to 1.
struct NodeSummary {
  std::string name;  // node name, or "<op>_<index>" when the model leaves it empty
  std::string op_type;
  std::string domain;  // "ai.onnx" for the default domain
  int64_t flops = 0;   // multiply and add count as one FLOP each; 0 for data movement
};

struct ModelSummary {
  int64_t ir_version = 0;
  std::string producer;                                 // producer_name + " " + producer_version
  std::vector<std::pair<std::string, int64_t>> opsets;  // (domain, version)
  std::vector<NodeSummary> nodes;                       // topological order
  std::vector<TensorInfo> inputs;
  std::vector<TensorInfo> outputs;
  int64_t parameter_count = 0;  // elements of constant tensors consumed by compute nodes
  int64_t parameter_bytes = 0;
  int64_t total_flops = 0;
};

struct LoadOptions {
  // Upper bound on any single tensor (initializer, folded constant or activation); protects
  // against corrupt dimensions that would otherwise request absurd allocations.
  int64_t max_tensor_bytes = int64_t{4} << 30;
  // Lets a Conv apply a following BatchNormalization / Relu / Clip in its GEMM epilogue. The
  // arithmetic is unchanged (bit-identical outputs); off only to check exactly that.
  bool fuse_operators = true;
};

class Graph;
class Plan;
class ThreadPool;

class OnnxModel {
 public:
  // Reads `path`; external-data locations are resolved relative to the file's directory.
  static Status Load(const std::string& path, std::unique_ptr<OnnxModel>* out,
                     const LoadOptions& options = LoadOptions());
  // Parses an in-memory model. `base_dir` resolves external data ("" = current directory).
  static Status LoadFromBytes(const uint8_t* data, size_t size, const std::string& base_dir,
                              std::unique_ptr<OnnxModel>* out,
                              const LoadOptions& options = LoadOptions());
  ~OnnxModel();

  // Graph inputs that the caller must feed (initializers are excluded), in model order.
  const std::vector<TensorInfo>& inputs() const;
  const std::vector<TensorInfo>& outputs() const;

  // Runs one inference. `inputs` are matched to inputs() by position; dtypes must match and
  // static dimensions must agree. `threads` > 1 splits large kernels across worker threads;
  // the results are bit-identical for every thread count.
  Status Run(const std::vector<Tensor>& inputs, std::vector<Tensor>* outputs, int threads = 1);

  Status Inspect(ModelSummary* out) const;

 private:
  OnnxModel();
  Status Init(const uint8_t* data, size_t size, const std::string& base_dir,
              const LoadOptions& options);

  std::unique_ptr<Graph> graph_;
  std::unique_ptr<Plan> plan_;  // plan for the most recent input shapes
  std::unique_ptr<ThreadPool> pool_;
  LoadOptions options_;
};

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_ONNX_MODEL_H_
