// Serializes a quantized LoweredGraph as a .tflite flatbuffer the way the TFLite converter
// does for int8 models: buffer 0 empty, one buffer per constant (16-byte aligned), operator
// codes with both code fields and the converter's op versions, builtin options always present.
#ifndef TINYVERIFY_COMPRESS_TFLITE_WRITER_H_
#define TINYVERIFY_COMPRESS_TFLITE_WRITER_H_

#include <string>

#include "compress/lowered_graph.h"
#include "emulator/status.h"

namespace tv {
namespace compress {

[[nodiscard]] Status WriteTflite(const LoweredGraph& graph, const std::string& description,
                                 std::string* out);

// The version the TFLite converter assigns to an op with int8 inputs and outputs.
int32_t Int8OpVersion(OpCode code);

}  // namespace compress
}  // namespace tv

#endif  // TINYVERIFY_COMPRESS_TFLITE_WRITER_H_
