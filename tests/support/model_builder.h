// Test support: builds small .tflite models in memory (flatbuffers object API) and runs them
// through the real loader + interpreter, so kernel tests exercise exactly the production path.
#ifndef TINYVERIFY_TESTS_SUPPORT_MODEL_BUILDER_H_
#define TINYVERIFY_TESTS_SUPPORT_MODEL_BUILDER_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "emulator/interpreter.h"
#include "emulator/model.h"
#include "emulator/schema/tflite_subset_generated.h"

namespace tv {
namespace testing {

struct QuantSpec {
  std::vector<float> scales;        // empty = not quantized
  std::vector<int64_t> zero_points;
  int32_t axis = 0;
  static QuantSpec PerTensor(float scale, int64_t zp) { return {{scale}, {zp}, 0}; }
};

class ModelBuilder {
 public:
  ModelBuilder();

  int32_t AddTensor(DataType type, const std::vector<int32_t>& shape, const QuantSpec& q = {},
                    const std::string& name = "");
  int32_t AddConstTensor(DataType type, const std::vector<int32_t>& shape, const void* data,
                         size_t bytes, const QuantSpec& q = {}, const std::string& name = "");
  template <typename T>
  int32_t AddConst(DataType type, const std::vector<int32_t>& shape, const std::vector<T>& values,
                   const QuantSpec& q = {}) {
    return AddConstTensor(type, shape, values.data(), values.size() * sizeof(T), q);
  }
  int32_t AddVariableTensor(DataType type, const std::vector<int32_t>& shape,
                            const QuantSpec& q = {});

  // `options` is any of the generated *OptionsT tables (or empty for none).
  void AddOperator(int32_t op_code, const std::vector<int32_t>& inputs,
                   const std::vector<int32_t>& outputs,
                   tflite::BuiltinOptionsUnion options = tflite::BuiltinOptionsUnion(),
                   int32_t version = 1, const std::string& custom_code = "");
  void SetGraphIO(const std::vector<int32_t>& inputs, const std::vector<int32_t>& outputs);

  // Direct access for tests that need to craft unusual models.
  tflite::ModelT& model() { return model_; }
  tflite::SubGraphT& subgraph() { return *model_.subgraphs[0]; }

  std::vector<uint8_t> Build() const;

 private:
  tflite::ModelT model_;
};

// Owns model bytes (16-byte aligned), the Model and an Interpreter over it.
class LoadedModel {
 public:
  // `optimized`: the optimized kernel lookup (emulator/kernels/optimized/) for kOptimized.
  Status Load(const std::vector<uint8_t>& bytes, KernelFlavor flavor = KernelFlavor::kReference,
              OptimizedKernelLookup optimized = nullptr);
  Interpreter& interpreter() { return interpreter_; }
  const Model& model() const { return model_; }

  template <typename T>
  void SetInput(int i, const std::vector<T>& values) {
    Tensor* t = interpreter_.input(i);
    std::memcpy(t->data, values.data(), values.size() * sizeof(T));
  }
  template <typename T>
  std::vector<T> Output(int i) {
    Tensor* t = interpreter_.output(i);
    std::vector<T> out(t->bytes / sizeof(T));
    std::memcpy(out.data(), t->data, t->bytes);
    return out;
  }

 private:
  std::unique_ptr<uint8_t[]> storage_;
  Model model_;
  Interpreter interpreter_;
};

}  // namespace testing
}  // namespace tv

#endif  // TINYVERIFY_TESTS_SUPPORT_MODEL_BUILDER_H_
