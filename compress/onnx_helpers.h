// Small helpers for reading ONNX nodes and constants during lowering.
#ifndef TINYVERIFY_COMPRESS_ONNX_HELPERS_H_
#define TINYVERIFY_COMPRESS_ONNX_HELPERS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "emulator/status.h"
#include "reference/onnx_model.h"
#include "reference/onnx_proto.h"

namespace tv {
namespace compress {

const onnx::AttributeProto* FindAttr(const onnx::NodeProto& node, const std::string& name);
int64_t AttrInt(const onnx::NodeProto& node, const std::string& name, int64_t fallback);
float AttrFloat(const onnx::NodeProto& node, const std::string& name, float fallback);
std::string AttrString(const onnx::NodeProto& node, const std::string& name);
std::vector<int64_t> AttrInts(const onnx::NodeProto& node, const std::string& name);

// "name (Op)" or "Op_<index> (Op)" when the node is unnamed.
std::string NodeLabel(const onnx::NodeProto& node, int index);

// Initializers and Constant-node outputs, decoded.
[[nodiscard]] Status CollectConstants(const onnx::ModelProto& model,
                                      std::map<std::string, ref::Tensor>* out);

// Float / integer views of a constant (int32/int64 widen; float32 only for ToFloats).
[[nodiscard]] Status ToFloats(const ref::Tensor& t, const std::string& what,
                              std::vector<float>* out);
[[nodiscard]] Status ToInts(const ref::Tensor& t, const std::string& what,
                            std::vector<int64_t>* out);

// Default-domain opset version (1 when absent).
int64_t DefaultOpset(const onnx::ModelProto& model);

}  // namespace compress
}  // namespace tv

#endif  // TINYVERIFY_COMPRESS_ONNX_HELPERS_H_
