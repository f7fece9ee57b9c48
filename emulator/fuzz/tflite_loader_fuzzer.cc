// libFuzzer target: arbitrary bytes -> Model::Load -> Interpreter::Init -> Invoke.
// Any crash, hang, sanitizer report or huge allocation is a bug: hostile files must end in an
// error Status. Build: cmake -DTV_BUILD_FUZZERS=ON -DCMAKE_CXX_COMPILER=clang++-14.
#include <cstdint>
#include <cstring>
#include <memory>

#include "emulator/interpreter.h"
#include "emulator/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Models are used in place and must be 16-byte aligned, as the host loader guarantees.
  std::unique_ptr<uint8_t[]> storage(new uint8_t[size + 16]);
  uint8_t* aligned = reinterpret_cast<uint8_t*>(
      (reinterpret_cast<uintptr_t>(storage.get()) + 15) & ~uintptr_t{15});
  if (size) std::memcpy(aligned, data, size);
  tv::Model model;
  if (!model.Load(aligned, size).ok()) return 0;
  tv::Interpreter interpreter;
  if (!interpreter.Init(model).ok()) return 0;
  (void)interpreter.Invoke();
  return 0;
}
