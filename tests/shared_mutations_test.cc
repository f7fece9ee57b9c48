// Mutated real models: truncations and random bit flips of the ../shared .tflite files must
// load+run or fail with an error Status, never crash (run under ASan in CI). Skips without
// ../shared.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "compare/file_io.h"
#include "emulator/interpreter.h"
#include "emulator/model.h"
#include "tests/support/shared_paths.h"

namespace tv {
namespace {

const char* const kModels[] = {
    "models/tflm-hello_world/hello_world_int8.tflite",
    "models/tflm-micro_speech/micro_speech_quantized.tflite",
    "models/mlperf-tiny/kws/kws_ref_model.tflite",
    "models/mlperf-tiny/ad/ad01_int8.tflite",
    "models/tflm-mnist_lstm/trained_lstm_int8.tflite",
    "models/tflm-seanet/transpose_conv/transpose_conv2.tflite",
    "models/tflm-keyword_benchmark/keyword_scrambled_8bit.tflite",
};

void LoadRunMaybe(const std::vector<uint8_t>& bytes) {
  std::unique_ptr<uint8_t[]> storage(new uint8_t[bytes.size() + 16]);
  uint8_t* aligned = reinterpret_cast<uint8_t*>(
      (reinterpret_cast<uintptr_t>(storage.get()) + 15) & ~uintptr_t{15});
  if (!bytes.empty()) std::memcpy(aligned, bytes.data(), bytes.size());
  Model model;
  if (!model.Load(aligned, bytes.size()).ok()) return;
  Interpreter interp;
  if (!interp.Init(model).ok()) return;
  (void)interp.Invoke();
  EXPECT_TRUE(interp.GuardsIntact());
}

class SharedMutations : public ::testing::TestWithParam<const char*> {};

TEST_P(SharedMutations, TruncationsAndBitFlipsNeverCrash) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared is absent";
  const std::string path = shared + "/" + GetParam();
  FileBytes file;
  ASSERT_TRUE(ReadFileBytes(path, &file).ok()) << path;
  const std::vector<uint8_t> full(file.data(), file.data() + file.size());
  const uint32_t seed = 4242;
  std::mt19937 rng(seed);
  for (int i = 0; i < 40; ++i) {
    const size_t len = (full.size() * static_cast<size_t>(i)) / 40 + rng() % 16;
    LoadRunMaybe(std::vector<uint8_t>(full.begin(), full.begin() + static_cast<int64_t>(
                                                                      std::min(len, full.size() - 1))));
  }
  for (int iter = 0; iter < 150; ++iter) {
    SCOPED_TRACE(std::string(GetParam()) + " seed 4242 flip iteration " + std::to_string(iter));
    std::vector<uint8_t> m = full;
    // Flip bits in the flatbuffer tables (the front and the tail hold most of the structure).
    for (int f = 0; f < 3; ++f) {
      const size_t at = (rng() % 2) ? rng() % std::min<size_t>(m.size(), 4096)
                                    : m.size() - 1 - rng() % std::min<size_t>(m.size(), 4096);
      m[at] ^= static_cast<uint8_t>(1u << (rng() % 8));
    }
    LoadRunMaybe(m);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, SharedMutations, ::testing::ValuesIn(kModels),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string s = std::filesystem::path(info.param).stem().string();
                           for (char& c : s)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return s;
                         });

}  // namespace
}  // namespace tv
