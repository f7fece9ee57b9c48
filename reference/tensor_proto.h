// Decoding of onnx.TensorProto (inline typed fields, raw_data, or external data files).
#ifndef TINYVERIFY_REFERENCE_TENSOR_PROTO_H_
#define TINYVERIFY_REFERENCE_TENSOR_PROTO_H_

#include <cstdint>
#include <string>

#include "emulator/status.h"
#include "reference/onnx_model.h"
#include "reference/onnx_proto.h"
#include "reference/shape_util.h"

namespace tv {
namespace ref {

// Maps an onnx.TensorProto.DataType value; false for types the executor cannot hold.
bool DataTypeFromOnnx(int32_t onnx_type, DataType* out);
// Name of an onnx.TensorProto.DataType value ("FLOAT", "STRING", ...) for messages.
const char* OnnxTypeName(int32_t onnx_type);

// Converts `proto` into `out`. `base_dir` resolves external-data locations; `max_bytes` bounds
// the decoded size. Messages name the tensor ("tensor 'w': ...").
Status DecodeTensorProto(const onnx::TensorProto& proto, const std::string& base_dir,
                         int64_t max_bytes, Tensor* out);

// Parses a serialized TensorProto (the node tests' input_N.pb / output_N.pb files).
Status ParseTensorFile(const std::string& path, Tensor* out, std::string* name = nullptr);

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_TENSOR_PROTO_H_
