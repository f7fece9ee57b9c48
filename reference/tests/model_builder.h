// Builds small ONNX models in memory for the loader tests.
#ifndef TINYVERIFY_REFERENCE_TESTS_MODEL_BUILDER_H_
#define TINYVERIFY_REFERENCE_TESTS_MODEL_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "reference/onnx_proto.h"

namespace tv {
namespace ref {
namespace testing {

class ModelBuilder {
 public:
  explicit ModelBuilder(int64_t opset = 13);
  // dims: -1 = symbolic ("N").
  ModelBuilder& Input(const std::string& name, const std::vector<int64_t>& dims,
                      int elem_type = onnx::TensorProto::FLOAT);
  ModelBuilder& Output(const std::string& name, const std::vector<int64_t>& dims = {},
                       bool with_shape = false);
  ModelBuilder& FloatInitializer(const std::string& name, const std::vector<int64_t>& dims,
                                 const std::vector<float>& values);
  ModelBuilder& IntInitializer(const std::string& name, const std::vector<int64_t>& values);
  onnx::NodeProto* Node(const std::string& op, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, const std::string& name = "");
  static void IntsAttr(onnx::NodeProto* node, const std::string& name,
                       const std::vector<int64_t>& v);
  static void IntAttr(onnx::NodeProto* node, const std::string& name, int64_t v);

  onnx::ModelProto& proto() { return model_; }
  std::string Serialize() const;

 private:
  onnx::ModelProto model_;
};

}  // namespace testing
}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_TESTS_MODEL_BUILDER_H_
