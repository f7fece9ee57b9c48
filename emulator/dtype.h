// Element types, numbered exactly like the .tflite TensorType enum so that values read from a
// model need no translation. Shared vocabulary of both executors (emulator and reference).
#ifndef TINYVERIFY_EMULATOR_DTYPE_H_
#define TINYVERIFY_EMULATOR_DTYPE_H_

#include <cstddef>
#include <cstdint>

namespace tv {

enum class DataType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kString = 5,
  kBool = 6,
  kInt16 = 7,
  kComplex64 = 8,
  kInt8 = 9,
  kFloat64 = 10,
  kComplex128 = 11,
  kUInt64 = 12,
  kResource = 13,
  kVariant = 14,
  kUInt32 = 15,
  kUInt16 = 16,
  kInt4 = 17,
  kBFloat16 = 18,
};

// Bytes per element; 0 for types without a fixed size (string, resource, variant, int4).
inline size_t DataTypeSize(DataType t) {
  switch (t) {
    case DataType::kFloat32: case DataType::kInt32: case DataType::kUInt32: return 4;
    case DataType::kInt64: case DataType::kUInt64: case DataType::kFloat64:
    case DataType::kComplex64: return 8;
    case DataType::kInt16: case DataType::kUInt16: case DataType::kFloat16:
    case DataType::kBFloat16: return 2;
    case DataType::kInt8: case DataType::kUInt8: case DataType::kBool: return 1;
    case DataType::kComplex128: return 16;
    default: return 0;
  }
}

// Lower-case numpy-style name ("int8", "float32"); "unknown" for anything else.
inline const char* DataTypeName(DataType t) {
  switch (t) {
    case DataType::kFloat32: return "float32";
    case DataType::kFloat16: return "float16";
    case DataType::kInt32: return "int32";
    case DataType::kUInt8: return "uint8";
    case DataType::kInt64: return "int64";
    case DataType::kString: return "string";
    case DataType::kBool: return "bool";
    case DataType::kInt16: return "int16";
    case DataType::kComplex64: return "complex64";
    case DataType::kInt8: return "int8";
    case DataType::kFloat64: return "float64";
    case DataType::kComplex128: return "complex128";
    case DataType::kUInt64: return "uint64";
    case DataType::kResource: return "resource";
    case DataType::kVariant: return "variant";
    case DataType::kUInt32: return "uint32";
    case DataType::kUInt16: return "uint16";
    case DataType::kInt4: return "int4";
    case DataType::kBFloat16: return "bfloat16";
  }
  return "unknown";
}

}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_DTYPE_H_
