// Tensor metadata and non-owning views as the interpreter and kernels see them.
#ifndef TINYVERIFY_EMULATOR_TENSOR_H_
#define TINYVERIFY_EMULATOR_TENSOR_H_

#include <cstddef>
#include <cstdint>

#include "emulator/dtype.h"

namespace tv {

constexpr int kMaxDims = 8;

struct Shape {
  int32_t rank = 0;
  int32_t dims[kMaxDims] = {0};

  int64_t NumElements() const {
    int64_t n = 1;
    for (int i = 0; i < rank; ++i) n *= dims[i];
    return n;
  }
  int32_t Dim(int i) const { return dims[i]; }
  bool operator==(const Shape& o) const {
    if (rank != o.rank) return false;
    for (int i = 0; i < rank; ++i)
      if (dims[i] != o.dims[i]) return false;
    return true;
  }
  bool operator!=(const Shape& o) const { return !(*this == o); }
};

// Affine quantization: real = scale * (q - zero_point). Per-channel when num_channels > 1;
// scale/zero_point then hold channel 0 (TFLM behaviour) and the arrays hold every channel.
struct Quantization {
  bool quantized = false;  // both scale and zero_point present and non-empty
  float scale = 0.0f;
  int32_t zero_point = 0;
  int32_t num_channels = 0;
  int32_t axis = 0;
  const float* scales = nullptr;       // [num_channels], owned by the Model
  const int32_t* zero_points = nullptr;  // [num_channels], owned by the Model
};

struct Tensor {
  DataType type = DataType::kFloat32;
  Shape shape;
  Quantization quant;
  uint8_t* data = nullptr;   // constant data points into the model bytes (never written)
  size_t bytes = 0;          // element count * element size
  bool is_constant = false;  // data comes from the model file
  bool is_variable = false;  // persistent state (LSTM/SVDF), reset by Interpreter::Reset
  const char* name = "";

  template <typename T>
  T* As() const { return reinterpret_cast<T*>(data); }
};

}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_TENSOR_H_
