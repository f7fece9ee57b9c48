// Host-side owning tensor: what datasets, executors and file writers exchange.
#ifndef TINYVERIFY_COMPARE_HOST_TENSOR_H_
#define TINYVERIFY_COMPARE_HOST_TENSOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/dtype.h"

namespace tv {

struct HostTensor {
  DataType dtype = DataType::kFloat32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;  // row-major, little-endian

  int64_t NumElements() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
  }
  template <typename T>
  T* As() { return reinterpret_cast<T*>(bytes.data()); }
  template <typename T>
  const T* As() const { return reinterpret_cast<const T*>(bytes.data()); }
};

// "[1, 28, 28, 1]"
std::string ShapeToString(const std::vector<int64_t>& shape);

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_HOST_TENSOR_H_
