// Cortex-M targets under QEMU: the firmware's outputs equal the host emulator's bytes, device
// stats come back, budget overruns and firmware-side errors are clear. Label "qemu"; skips
// when qemu-system-arm or the firmware images are missing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "compare/executor.h"
#include "compare/file_io.h"
#include "compare/qemu_target.h"
#include "emulator/firmware/job_format.h"
#include "emulator/registry.h"
#include "tests/support/model_builder.h"
#include "tests/support/qemu_support.h"
#include "tests/support/shared_paths.h"

namespace tv {
namespace {

using testing::HaveQemu;
using testing::ScratchDir;

const char* const kTargets[] = {"cortex-m4", "cortex-m7", "cortex-m55"};

// `n` random samples for every input, as one batch tensor [n] + shape.
std::vector<HostTensor> RandomBatch(const Executor& exec, int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<HostTensor> batch;
  for (const TensorSpec& s : exec.inputs()) {
    HostTensor t;
    t.dtype = s.dtype;
    t.shape = s.shape;
    t.shape.insert(t.shape.begin(), n);
    const int64_t count = t.NumElements();
    t.bytes.resize(static_cast<size_t>(count) * DataTypeSize(s.dtype));
    if (s.dtype == DataType::kFloat32) {
      std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
      for (int64_t i = 0; i < count; ++i) t.As<float>()[i] = dist(rng);
    } else {
      for (uint8_t& b : t.bytes) b = static_cast<uint8_t>(rng());
    }
    batch.push_back(std::move(t));
  }
  return batch;
}

struct Case {
  const char* target;
  const char* model;  // under ../shared/models
};

class HostEqualsQemu : public ::testing::TestWithParam<Case> {};

TEST_P(HostEqualsQemu, SameOutputBytes) {
  const Case c = GetParam();
  std::string why;
  if (!HaveQemu(c.target, &why)) GTEST_SKIP() << why;
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not found";
  const std::string path = shared + "/models/" + c.model;

  std::unique_ptr<Executor> host, device;
  ASSERT_TRUE(OpenExecutor(path, ExecutorOptions(), &host).ok());
  ExecutorOptions options;
  options.target = c.target;
  options.device.count_instructions = true;
  options.device.timeout_seconds = 120;
  Status s = OpenExecutor(path, options, &device);
  ASSERT_TRUE(s.ok()) << s.message();

  const uint32_t seed = 1234;
  const int64_t n = 3;
  SCOPED_TRACE("seed " + std::to_string(seed));
  const std::vector<HostTensor> in = RandomBatch(*host, n, seed);
  std::vector<HostTensor> want, got;
  ASSERT_TRUE(RunBatched(*host, in, false, &want).ok());
  s = RunBatched(*device, in, false, &got);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(got.size(), want.size());
  for (size_t j = 0; j < want.size(); ++j) {
    EXPECT_EQ(got[j].shape, want[j].shape);
    if (want[j].dtype != DataType::kFloat32) {
      EXPECT_TRUE(got[j].bytes == want[j].bytes) << "output " << j << " differs";
      continue;
    }
    // Float: FPU vs x86 rounding may differ; report the difference, bound it loosely.
    double max_diff = 0;
    for (int64_t i = 0; i < want[j].NumElements(); ++i)
      max_diff = std::max(
          max_diff, std::fabs(double{got[j].As<float>()[i]} - double{want[j].As<float>()[i]}));
    std::printf("%s %s output %zu: max |device - host| = %g\n", c.target, c.model, j, max_diff);
    EXPECT_LT(max_diff, 1e-3);
  }
  const DeviceStats* st = device->device_stats();
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(st->samples, n);
  EXPECT_EQ(st->boots, 1);  // one boot for the whole batch
  ASSERT_EQ(st->instructions.size(), static_cast<size_t>(n));
  for (uint64_t count : st->instructions) EXPECT_GT(count, 100u);
  EXPECT_GT(st->stack_peak_bytes, 0u);
  EXPECT_GT(st->code_bytes, 10000u);
  std::printf("%s %s: %llu instructions/inference, stack %llu B, arena %llu B\n", c.target, c.model,
              static_cast<unsigned long long>(st->instructions[0]),
              static_cast<unsigned long long>(st->stack_peak_bytes),
              static_cast<unsigned long long>(st->arena_bytes));
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (const char* t : kTargets)
    for (const char* m :
         {"tflm-hello_world/hello_world_int8.tflite", "tflm-hello_world/hello_world_float.tflite",
          "mlperf-tiny/kws/kws_ref_model.tflite", "tflm-seanet/conv/conv0.tflite"})
      cases.push_back({t, m});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Models, HostEqualsQemu, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name =
                               std::string(info.param.target) + "_" + info.param.model;
                           for (char& ch : name)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

TEST(QemuBudget, TooSmallRamIsRefusedWithTheNumbers) {
  std::string why;
  if (!HaveQemu("cortex-m4", &why)) GTEST_SKIP() << why;
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not found";
  ExecutorOptions options;
  options.target = "cortex-m4";
  options.device.ram_kb = 8;
  std::unique_ptr<Executor> exec;
  Status s = OpenExecutor(shared + "/models/mlperf-tiny/kws/kws_ref_model.tflite", options, &exec);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("KiB RAM (arena"), std::string::npos) << s.message();
  EXPECT_NE(std::string(s.message()).find("board has 8 KiB"), std::string::npos) << s.message();

  options.device.ram_kb = 0;
  options.device.flash_kb = 64;
  s = OpenExecutor(shared + "/models/mlperf-tiny/kws/kws_ref_model.tflite", options, &exec);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("KiB flash (weights 53 KiB + code"), std::string::npos)
      << s.message();
}

// Writes a job the way QemuExecutor does (the host side would refuse this model first).
std::vector<uint8_t> MakeJob(const std::vector<uint8_t>& model, uint32_t in_bytes,
                             uint32_t out_bytes) {
  const uint32_t words[] = {
      fw::kJobMagic, fw::kFormatVersion, 0, static_cast<uint32_t>(model.size()), 1, 1, 1, 0,
      in_bytes,      out_bytes};
  std::vector<uint8_t> job(reinterpret_cast<const uint8_t*>(words),
                           reinterpret_cast<const uint8_t*>(words) + sizeof(words));
  job.insert(job.end(), model.begin(), model.end());
  job.resize(job.size() + in_bytes, 0);
  return job;
}

TEST(QemuFirmware, OpWithoutKernelIsAClearErrorNotAHang) {
  std::string why;
  if (!HaveQemu("cortex-m4", &why)) GTEST_SKIP() << why;
  int32_t missing = -1;
  for (int32_t op = 1; op < 200 && missing < 0; ++op) {
    bool version_ok = false;
    if (FindKernel(op, 1, &version_ok) == nullptr) missing = op;
  }
  ASSERT_GE(missing, 0);
  testing::ModelBuilder b;
  const int32_t in = b.AddTensor(DataType::kInt8, {1, 4});
  const int32_t out = b.AddTensor(DataType::kInt8, {1, 4});
  b.AddOperator(missing, {in}, {out});
  b.SetGraphIO({in}, {out});
  const std::vector<uint8_t> job = MakeJob(b.Build(), 4, 4);

  const QemuBoard& board = *FindQemuBoard("cortex-m4");
  std::string elf, plugin;
  ASSERT_TRUE(FindFirmware(board, &elf, &plugin).ok());
  ScratchDir dir;
  ASSERT_FALSE(dir.path().empty());
  ASSERT_TRUE(WriteFileBytes(dir.path() + "/job.bin", job.data(), job.size()).ok());
  QemuRun run;
  Status s = RunQemu(board, elf, "", dir.path(), 60, &run);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(run.exit_status, fw::kExitModelError) << run.console;
  const std::string text = ExplainQemuExit(board, run);
  EXPECT_NE(text.find("cortex-m4 firmware"), std::string::npos) << text;
  EXPECT_NE(text.find("operator 0"), std::string::npos) << text;
  std::printf("%s\n", text.c_str());
}

TEST(QemuFirmware, MalformedJobIsRefused) {
  std::string why;
  if (!HaveQemu("cortex-m55", &why)) GTEST_SKIP() << why;
  const QemuBoard& board = *FindQemuBoard("cortex-m55");
  std::string elf, plugin;
  ASSERT_TRUE(FindFirmware(board, &elf, &plugin).ok());
  ScratchDir dir;
  const char junk[] = "not a job file at all, but long enough to hold a whole job header";
  ASSERT_TRUE(WriteFileBytes(dir.path() + "/job.bin", junk, sizeof(junk)).ok());
  QemuRun run;
  ASSERT_TRUE(RunQemu(board, elf, "", dir.path(), 60, &run).ok());
  EXPECT_EQ(run.exit_status, fw::kExitBadJob);
  EXPECT_NE(ExplainQemuExit(board, run)
                .find("not a version-" + std::to_string(fw::kFormatVersion) + " job file"),
            std::string::npos)
      << run.console;
}

TEST(QemuFirmware, HeapExhaustionIsReportedNotUndefined) {
  std::string why;
  if (!HaveQemu("cortex-m7", &why)) GTEST_SKIP() << why;
  const QemuBoard& board = *FindQemuBoard("cortex-m7");
  std::string elf, plugin;
  ASSERT_TRUE(FindFirmware(board, &elf, &plugin).ok());
  // A header announcing a 64 MiB model: more than the 16 MiB device heap.
  const uint32_t words[] = {fw::kJobMagic, fw::kFormatVersion, 0, 64u << 20, 1, 1, 1, 0, 4, 4};
  ScratchDir dir;
  ASSERT_TRUE(WriteFileBytes(dir.path() + "/job.bin", words, sizeof(words)).ok());
  QemuRun run;
  ASSERT_TRUE(RunQemu(board, elf, "", dir.path(), 60, &run).ok());
  EXPECT_EQ(run.exit_status, fw::kExitOutOfMemory) << run.console;
  EXPECT_NE(ExplainQemuExit(board, run).find("out of device heap"), std::string::npos)
      << run.console;
}

}  // namespace
}  // namespace tv
