// Writes a small int8 .tflite made entirely by tinyverify (two FULLY_CONNECTED layers, fixed
// weights) and a batch of inputs, so the README demo works before any external model exists.
// Usage: make_demo_model OUT_DIR  ->  OUT_DIR/demo_mlp_int8.tflite, OUT_DIR/demo_inputs.npy
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "compare/file_io.h"
#include "compare/npy.h"
#include "emulator/builtin_ops.h"
#include "emulator/schema/tflite_subset_generated.h"

namespace {

using tflite::TensorType;

struct Builder {
  tflite::ModelT model;
  Builder() {
    model.version = 3;
    model.description = "tinyverify demo MLP (int8)";
    model.buffers.push_back(std::make_unique<tflite::BufferT>());
    model.subgraphs.push_back(std::make_unique<tflite::SubGraphT>());
    auto oc = std::make_unique<tflite::OperatorCodeT>();
    oc->builtin_code = tv::op::kFullyConnected;
    oc->deprecated_builtin_code = static_cast<int8_t>(tv::op::kFullyConnected);
    oc->version = 4;
    model.operator_codes.push_back(std::move(oc));
  }
  int Tensor(const char* name, TensorType type, std::vector<int32_t> shape, float scale,
             int64_t zp, const void* data = nullptr, size_t bytes = 0) {
    auto t = std::make_unique<tflite::TensorT>();
    t->name = name;
    t->type = type;
    t->shape = std::move(shape);
    t->quantization = std::make_unique<tflite::QuantizationParametersT>();
    t->quantization->scale = {scale};
    t->quantization->zero_point = {zp};
    if (data != nullptr) {
      auto b = std::make_unique<tflite::BufferT>();
      b->data.assign(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + bytes);
      t->buffer = static_cast<uint32_t>(model.buffers.size());
      model.buffers.push_back(std::move(b));
    }
    auto& tensors = model.subgraphs[0]->tensors;
    tensors.push_back(std::move(t));
    return static_cast<int>(tensors.size()) - 1;
  }
  void FullyConnected(int in, int w, int b, int out, tflite::ActivationFunctionType act) {
    auto op = std::make_unique<tflite::OperatorT>();
    op->opcode_index = 0;
    op->inputs = {in, w, b};
    op->outputs = {out};
    tflite::FullyConnectedOptionsT o;
    o.fused_activation_function = act;
    op->builtin_options.Set(o);
    model.subgraphs[0]->operators.push_back(std::move(op));
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_demo_model OUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  Builder b;
  const int8_t w1[8 * 4] = {12, -7, 33, 5, -20, 41, 3, -9, 27, 8, -15, 22, 4, -30, 18, 11,
                            -6, 25, 9, -40, 35, -2, -11, 16, 7, 19, -24, 3, -13, 6, 29, -17};
  const int32_t b1[8] = {120, -340, 56, 800, -75, 210, -430, 15};
  const int8_t w2[3 * 8] = {21, -14, 9, 30, -5, 17, -26, 8, -11, 24, -19, 6, 28, -3, 13, -22,
                            7, 2, 31, -16, 10, -27, 4, 18};
  const int32_t b2[3] = {-200, 150, 60};
  const int in = b.Tensor("features", TensorType::INT8, {1, 4}, 0.05f, -3);
  const int tw1 = b.Tensor("dense1/weights", TensorType::INT8, {8, 4}, 0.02f, 0, w1, sizeof(w1));
  const int tb1 = b.Tensor("dense1/bias", TensorType::INT32, {8}, 0.001f, 0, b1, sizeof(b1));
  const int h = b.Tensor("dense1/relu", TensorType::INT8, {1, 8}, 0.04f, -128);
  const int tw2 = b.Tensor("dense2/weights", TensorType::INT8, {3, 8}, 0.015f, 0, w2, sizeof(w2));
  const int tb2 = b.Tensor("dense2/bias", TensorType::INT32, {3}, 0.0006f, 0, b2, sizeof(b2));
  const int out = b.Tensor("logits", TensorType::INT8, {1, 3}, 0.1f, 4);
  b.FullyConnected(in, tw1, tb1, h, tflite::ActivationFunctionType::RELU);
  b.FullyConnected(h, tw2, tb2, out, tflite::ActivationFunctionType::NONE);
  b.model.subgraphs[0]->inputs = {in};
  b.model.subgraphs[0]->outputs = {out};

  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(tflite::Model::Pack(fbb, &b.model), tflite::ModelIdentifier());
  const std::string model_path = dir + "/demo_mlp_int8.tflite";
  tv::Status s = tv::WriteFileBytes(model_path, fbb.GetBufferPointer(), fbb.GetSize());
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s: %s\n", model_path.c_str(), s.message());
    return 2;
  }
  // Eight samples, deterministic, covering the int8 range.
  tv::HostTensor x;
  x.dtype = tv::DataType::kInt8;
  x.shape = {8, 1, 4};
  for (int i = 0; i < 32; ++i) x.bytes.push_back(static_cast<uint8_t>((i * 37 + 11) % 256 - 128));
  const std::string input_path = dir + "/demo_inputs.npy";
  s = tv::WriteNpy(input_path, x);
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s: %s\n", input_path.c_str(), s.message());
    return 2;
  }
  std::printf("wrote %s and %s\n", model_path.c_str(), input_path.c_str());
  return 0;
}
