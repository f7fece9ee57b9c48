// libFuzzer entry point for the ONNX loader (built with -DTV_BUILD_FUZZERS=ON and clang):
//   build/reference/fuzz/onnx_loader_fuzzer -max_len=65536 corpus_dir/
#include <cstddef>
#include <cstdint>

#include "reference/fuzz/exercise_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tv::ref::ExerciseLoader(data, size);
  return 0;
}
