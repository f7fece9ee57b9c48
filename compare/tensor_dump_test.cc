#include "compare/tensor_dump.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace tv {
namespace {

HostTensor Int8Tensor(std::vector<int64_t> shape, std::vector<uint8_t> bytes) {
  HostTensor t;
  t.dtype = DataType::kInt8;
  t.shape = std::move(shape);
  t.bytes = std::move(bytes);
  return t;
}

TEST(TensorDump, AppendsSamplesPerTensorAndAddsTheBatchAxis) {
  TensorDump dump;
  const TensorSink& sink = dump.sink();
  sink(4, "conv", Int8Tensor({2}, {1, 2}));
  sink(1, "input", Int8Tensor({1}, {9}));
  sink(4, "ignored-second-name", Int8Tensor({2}, {3, 4}));
  ASSERT_EQ(dump.tensors().size(), 2u);
  const DumpedTensor& conv = dump.tensors().at(4);
  EXPECT_EQ(conv.name, "conv");
  EXPECT_EQ(conv.samples, 2);
  EXPECT_EQ(conv.tensor.bytes, (std::vector<uint8_t>{1, 2, 3, 4}));
  EXPECT_EQ(conv.tensor.shape, (std::vector<int64_t>{2}));

  dump.AddBatchAxis();
  EXPECT_EQ(dump.tensors().at(4).tensor.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(dump.tensors().at(1).tensor.shape, (std::vector<int64_t>{1, 1}));
}

}  // namespace
}  // namespace tv
