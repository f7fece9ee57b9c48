// A verified, read-only view of a .tflite model. Weights are never copied: constant tensors
// point into the caller's bytes, which must outlive the Model and should be 16-byte aligned.
#ifndef TINYVERIFY_EMULATOR_MODEL_H_
#define TINYVERIFY_EMULATOR_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "emulator/kernel_api.h"
#include "emulator/status.h"
#include "emulator/tensor.h"

namespace tflite {
struct Model;
}

namespace tv {

struct OperatorInfo {
  int32_t op_code = 0;
  int32_t version = 1;
  const char* custom_code = nullptr;  // for CUSTOM ops
};

class Model {
 public:
  // Verifies the flatbuffer (bounds, offsets, alignment) and every cross reference of
  // subgraph 0 (tensor, buffer and opcode indices, constant data sizes, quantization arrays),
  // then builds the view. Any problem yields an error naming the tensor/operator.
  [[nodiscard]] Status Load(const uint8_t* data, size_t size);

  const tflite::Model* flatbuffer() const { return fb_; }
  size_t file_size() const { return size_; }
  int32_t num_subgraphs() const { return num_subgraphs_; }
  const char* description() const { return description_; }
  uint32_t schema_version() const { return schema_version_; }

  // Subgraph 0 — the graph TFLM invokes.
  const std::vector<Tensor>& tensors() const { return tensors_; }
  const std::vector<Node>& nodes() const { return nodes_; }  // op_data/scratch unset
  const std::vector<int32_t>& inputs() const { return inputs_; }
  const std::vector<int32_t>& outputs() const { return outputs_; }
  const std::vector<OperatorInfo>& operator_codes() const { return op_codes_; }
  const std::vector<const char*>& metadata_names() const { return metadata_names_; }

  // Sum of constant tensor bytes (weights, biases, constant shapes).
  size_t constant_bytes() const { return constant_bytes_; }

 private:
  Status LoadOperatorCodes();
  Status LoadTensors();
  Status LoadQuantization(size_t index, Tensor* t);
  Status LoadNodes();
  Status CheckIndices(const char* what, int32_t node, const int32_t* idx, int32_t n,
                      bool allow_omitted) const;

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  const tflite::Model* fb_ = nullptr;
  int32_t num_subgraphs_ = 0;
  const char* description_ = "";
  uint32_t schema_version_ = 0;
  std::vector<Tensor> tensors_;
  std::vector<Node> nodes_;
  std::vector<int32_t> inputs_;
  std::vector<int32_t> outputs_;
  std::vector<OperatorInfo> op_codes_;
  std::vector<const char*> metadata_names_;
  // Per-channel quantization arrays (float scales, int32 zero points) for all tensors.
  std::vector<float> channel_scales_;
  std::vector<int32_t> channel_zero_points_;
  size_t constant_bytes_ = 0;
};

}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_MODEL_H_
