// Test helper: builds small float ONNX models in memory and runs both sides of a compression
// (float reference and the int8 .tflite in the emulator).
#ifndef TINYVERIFY_COMPRESS_TESTING_ONNX_BUILDER_H_
#define TINYVERIFY_COMPRESS_TESTING_ONNX_BUILDER_H_

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "compare/executor.h"
#include "compare/file_io.h"
#include "compare/host_tensor.h"
#include "reference/onnx_model.h"
#include "reference/onnx_proto.h"

namespace tv {
namespace compress {
namespace testing {

class OnnxBuilder {
 public:
  explicit OnnxBuilder(int64_t opset = 13) {
    model_.set_ir_version(8);
    model_.add_opset_import()->set_version(opset);
  }
  void Input(const std::string& name, const std::vector<int64_t>& shape) {
    auto* in = model_.mutable_graph()->add_input();
    in->set_name(name);
    auto* tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : shape) tt->mutable_shape()->add_dim()->set_dim_value(d);
  }
  void Output(const std::string& name) { model_.mutable_graph()->add_output()->set_name(name); }
  void Init(const std::string& name, const std::vector<int64_t>& shape,
            const std::vector<float>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : shape) t->add_dims(d);
    for (float v : values) t->add_float_data(v);
  }
  void InitInts(const std::string& name, const std::vector<int64_t>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
  }
  onnx::NodeProto* Node(const std::string& op, const std::vector<std::string>& in,
                        const std::vector<std::string>& out) {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(op + "_" + std::to_string(model_.graph().node_size()));
    for (const auto& s : in) n->add_input(s);
    for (const auto& s : out) n->add_output(s);
    return n;
  }
  static void Ints(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
  }
  static void Int(onnx::NodeProto* n, const std::string& name, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  std::string Bytes() const { return model_.SerializeAsString(); }

 private:
  onnx::ModelProto model_;
};

inline HostTensor RandomTensor(const std::vector<int64_t>& shape, float lo, float hi,
                               std::mt19937* rng) {
  HostTensor t;
  t.shape = shape;
  t.bytes.resize(static_cast<size_t>(t.NumElements()) * 4);
  std::uniform_real_distribution<float> dist(lo, hi);
  for (int64_t i = 0; i < t.NumElements(); ++i) t.As<float>()[i] = dist(*rng);
  return t;
}

// Weights exactly representable with symmetric int8 per-channel scales 0.01 * (1 + o):
// integer codes in [-127, 127], every output channel (axis 0) reaching +127.
inline std::vector<float> ExactWeights(const std::vector<int64_t>& shape, int64_t channel_axis,
                                       std::mt19937* rng) {
  int64_t n = 1, inner = 1;
  for (int64_t d : shape) n *= d;
  for (size_t d = static_cast<size_t>(channel_axis) + 1; d < shape.size(); ++d) inner *= shape[d];
  const int64_t channels = shape[static_cast<size_t>(channel_axis)];
  std::uniform_int_distribution<int> code(-127, 127);
  std::vector<float> w(static_cast<size_t>(n));
  std::vector<bool> has_max(static_cast<size_t>(channels), false);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t c = (i / inner) % channels;
    int k = code(*rng);
    if (!has_max[static_cast<size_t>(c)]) {
      k = 127;
      has_max[static_cast<size_t>(c)] = true;
    }
    w[static_cast<size_t>(i)] = static_cast<float>(k) * 0.01f * static_cast<float>(1 + c);
  }
  return w;
}

inline std::string TempPath(const std::string& stem) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/tv_compress_" + stem + "_" +
         std::to_string(::getpid());
}

}  // namespace testing
}  // namespace compress
}  // namespace tv

#endif  // TINYVERIFY_COMPRESS_TESTING_ONNX_BUILDER_H_
