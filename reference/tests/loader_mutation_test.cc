// Feeds deterministic mutations (truncations, bit flips, byte overwrites) of small valid models
// through the loader and executor. Passing means: no crash, no sanitizer report, and every
// failure surfaced as a Status.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "reference/fuzz/exercise_loader.h"
#include "reference/tests/model_builder.h"

namespace tv {
namespace ref {
namespace {

using testing::ModelBuilder;

std::vector<std::string> SeedModels() {
  std::vector<std::string> seeds;
  {
    ModelBuilder b(13);
    b.Input("x", {-1, 2, 5, 5});
    b.FloatInitializer("w", {3, 2, 3, 3}, std::vector<float>(54, 0.5f));
    auto* conv = b.Node("Conv", {"x", "w"}, {"c"}, "conv");
    ModelBuilder::IntsAttr(conv, "pads", {1, 1, 1, 1});
    ModelBuilder::IntsAttr(conv, "strides", {2, 2});
    auto* pool = b.Node("MaxPool", {"c"}, {"p"}, "pool");
    ModelBuilder::IntsAttr(pool, "kernel_shape", {2, 2});
    b.IntInitializer("shape", {0, -1});
    b.Node("Reshape", {"p", "shape"}, {"r"}, "reshape");
    b.Node("Softmax", {"r"}, {"y"}, "softmax");
    b.Output("y");
    seeds.push_back(b.Serialize());
  }
  {
    ModelBuilder b(13);
    b.Input("a", {2, 3, 4});
    b.IntInitializer("starts", {0, 1});
    b.IntInitializer("ends", {2, 3});
    b.IntInitializer("axes", {1, 2});
    b.Node("Slice", {"a", "starts", "ends", "axes"}, {"s"}, "slice");
    b.IntInitializer("pads", {0, 1, 1, 0, 0, 2});
    b.Node("Pad", {"s", "pads"}, {"p"}, "pad");
    b.Node("Transpose", {"p"}, {"t"}, "transpose");
    auto* concat = b.Node("Concat", {"t", "t"}, {"c"}, "concat");
    ModelBuilder::IntAttr(concat, "axis", 0);
    b.IntInitializer("reduce_axes", {1});
    b.Node("ReduceSum", {"c", "reduce_axes"}, {"y"}, "reduce");
    b.Output("y");
    seeds.push_back(b.Serialize());
  }
  {
    ModelBuilder b(13);
    b.Input("x", {1, 1, 2, 2});
    b.FloatInitializer("scales", {4}, {1.0f, 1.0f, 2.0f, 3.0f});
    b.Node("Resize", {"x", "", "scales"}, {"r"}, "resize");
    b.IntInitializer("tile", {1, 2, 1, 1});
    b.Node("Tile", {"r", "tile"}, {"t"}, "tile");
    b.Node("Shape", {"t"}, {"s"}, "shape");
    b.Node("ConstantOfShape", {"s"}, {"z"}, "zeros");
    b.Node("Sum", {"t", "z"}, {"y"}, "sum");
    b.Output("y");
    seeds.push_back(b.Serialize());
  }
  // Node tests from libonnx-testdata add variety when installed.
  for (const char* name : {"test_gemm_all_attributes", "test_averagepool_2d_pads_count_include_pad",
                           "test_convtranspose_pads", "test_gather_negative_indices"}) {
    std::ifstream file(
        std::string("/usr/include/onnx/backend/test/data/node/") + name + "/model.onnx",
        std::ios::binary);
    if (file)
      seeds.emplace_back((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  }
  return seeds;
}

// Small deterministic generator so the corpus is identical on every run.
struct Lcg {
  uint64_t state;
  uint32_t Next() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(state >> 33);
  }
};

bool Load(const std::string& bytes) {
  return ExerciseLoader(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

TEST(LoaderMutationTest, SeedsLoad) {
  for (const std::string& seed : SeedModels()) EXPECT_TRUE(Load(seed));
}

TEST(LoaderMutationTest, TruncationsNeverCrash) {
  for (const std::string& seed : SeedModels()) {
    const size_t step = seed.size() / 97 + 1;
    for (size_t len = 0; len < seed.size(); len += step) Load(seed.substr(0, len));
  }
}

TEST(LoaderMutationTest, BitFlipsNeverCrash) {
  Lcg rng{42};
  for (const std::string& seed : SeedModels()) {
    for (int i = 0; i < 400; ++i) {
      std::string mutant = seed;
      const int flips = 1 + static_cast<int>(rng.Next() % 3);
      for (int f = 0; f < flips; ++f) {
        mutant[rng.Next() % mutant.size()] ^= static_cast<char>(1u << (rng.Next() % 8));
      }
      Load(mutant);
    }
  }
}

TEST(LoaderMutationTest, ByteOverwritesNeverCrash) {
  const uint8_t interesting[] = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x08, 0x10, 0x40};
  Lcg rng{7};
  for (const std::string& seed : SeedModels()) {
    for (int i = 0; i < 400; ++i) {
      std::string mutant = seed;
      mutant[rng.Next() % mutant.size()] =
          static_cast<char>(interesting[rng.Next() % sizeof(interesting)]);
      Load(mutant);
    }
  }
}

}  // namespace
}  // namespace ref
}  // namespace tv
