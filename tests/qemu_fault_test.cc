// Firmware failures end a device run with one clear error, through the real firmware and the
// real host mapping: the job's test trap (job_format.h kTrap*) makes the firmware fault, lock
// up or hang right before its first inference. Label "qemu"; skips without qemu-system-arm or
// the firmware images.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "compare/file_io.h"
#include "compare/qemu_executor.h"
#include "emulator/builtin_ops.h"
#include "emulator/firmware/job_format.h"
#include "tests/support/model_builder.h"
#include "tests/support/qemu_support.h"

namespace tv {
namespace {

using testing::HaveQemu;
using testing::ScratchDir;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A float RELU over 4 values: the firmware loads it, then the trap fires before Invoke.
class TrappedRun {
 public:
  // Empty result = ready; otherwise why the test cannot run.
  std::string Open(const std::string& target, double timeout_seconds) {
    testing::ModelBuilder b;
    const int32_t in = b.AddTensor(DataType::kFloat32, {1, 4});
    const int32_t out = b.AddTensor(DataType::kFloat32, {1, 4});
    b.AddOperator(op::kRelu, {in}, {out});
    b.SetGraphIO({in}, {out});
    const std::vector<uint8_t> model = b.Build();
    path_ = dir_.path() + "/relu.tflite";
    Status s = WriteFileBytes(path_, model.data(), model.size());
    if (!s.ok()) return s.message();
    ExecutorOptions options;
    options.target = target;
    options.device.timeout_seconds = timeout_seconds;
    s = QemuExecutor::Open(path_, options, &exec_);
    return s.ok() ? "" : s.message();
  }

  // Two samples in one boot.
  Status Run(uint32_t trap, std::vector<HostTensor>* out) {
    exec_->SetTestTrapForTesting(trap);
    HostTensor x;
    x.dtype = DataType::kFloat32;
    x.shape = {2, 1, 4};
    x.bytes.resize(2 * 4 * sizeof(float));
    for (int i = 0; i < 8; ++i) x.As<float>()[i] = static_cast<float>(i - 4);
    return RunBatched(*exec_, {x}, false, out);
  }

  QemuExecutor& exec() { return *exec_; }

 private:
  ScratchDir dir_;
  std::string path_;
  std::unique_ptr<QemuExecutor> exec_;
};

struct FaultCase {
  const char* target;
  uint32_t trap;
  const char* cause;  // what the host decodes from the fault status registers
};

class QemuFault : public ::testing::TestWithParam<FaultCase> {};

TEST_P(QemuFault, IsOneLineWithTargetPcAndCause) {
  const FaultCase c = GetParam();
  std::string why;
  if (!HaveQemu(c.target, &why)) GTEST_SKIP() << why;
  TrappedRun run;
  why = run.Open(c.target, 60);
  ASSERT_TRUE(why.empty()) << why;
  std::vector<HostTensor> out;
  const Status s = run.Run(c.trap, &out);
  ASSERT_FALSE(s.ok());
  const std::string text = s.message();
  std::printf("%s\n", text.c_str());
  EXPECT_FALSE(Contains(text, "\n")) << text;
  EXPECT_TRUE(Contains(text, std::string(c.target) + " firmware")) << text;
  EXPECT_TRUE(Contains(text, "crashed (" + std::string(c.cause) + ")")) << text;
  EXPECT_TRUE(Contains(text, "HardFault pc=0x")) << text;
  EXPECT_EQ(run.exec().device_stats()->samples, 0);

  // The executor survives the crash: the next boot, without the trap, runs normally.
  ASSERT_TRUE(run.Run(fw::kTrapNone, &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].As<float>()[0], 0.0f);
  EXPECT_EQ(out[0].As<float>()[7], 3.0f);
  EXPECT_EQ(run.exec().device_stats()->samples, 2);
}

std::vector<FaultCase> FaultCases() {
  std::vector<FaultCase> cases;
  for (const char* t : {"cortex-m4", "cortex-m7", "cortex-m55"}) {
    cases.push_back({t, fw::kTrapBadAddress, "bus error on data access at 0xf0000000"});
    cases.push_back({t, fw::kTrapUndefined, "undefined instruction"});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Traps, QemuFault, ::testing::ValuesIn(FaultCases()),
                         [](const ::testing::TestParamInfo<FaultCase>& info) {
                           std::string name =
                               std::string(info.param.target) +
                               (info.param.trap == fw::kTrapBadAddress ? "_BadAddress"
                                                                       : "_Undefined");
                           for (char& ch : name)
                             if (ch == '-') ch = '_';
                           return name;
                         });

TEST(QemuLockup, IsNamedNotReportedAsASignal) {
  std::string why;
  if (!HaveQemu("cortex-m7", &why)) GTEST_SKIP() << why;
  TrappedRun run;
  why = run.Open("cortex-m7", 60);
  ASSERT_TRUE(why.empty()) << why;
  std::vector<HostTensor> out;
  const Status s = run.Run(fw::kTrapLockup, &out);
  ASSERT_FALSE(s.ok());
  const std::string text = s.message();
  std::printf("%s\n", text.c_str());
  EXPECT_FALSE(Contains(text, "\n")) << text;
  EXPECT_TRUE(Contains(text, "cortex-m7 firmware")) << text;
  EXPECT_TRUE(Contains(text, "CPU lockup")) << text;
}

// The stack has no guard below it on v7-M: a run that used all of it is void, not returned.
TEST(QemuStack, WholeStackUsedIsAnErrorNotAResult) {
  std::string why;
  if (!HaveQemu("cortex-m55", &why)) GTEST_SKIP() << why;
  TrappedRun run;
  why = run.Open("cortex-m55", 60);
  ASSERT_TRUE(why.empty()) << why;
  std::vector<HostTensor> out;
  const Status s = run.Run(fw::kTrapFullStack, &out);
  ASSERT_FALSE(s.ok());
  const std::string text = s.message();
  std::printf("%s\n", text.c_str());
  EXPECT_TRUE(Contains(text, "cortex-m55 firmware (QEMU mps3-an547): stack overflow: the whole "))
      << text;
  EXPECT_EQ(run.exec().device_stats()->samples, 0);
}

TEST(QemuEarlyExit, IncompleteResultNamesTheFirmware) {
  std::string why;
  if (!HaveQemu("cortex-m4", &why)) GTEST_SKIP() << why;
  TrappedRun run;
  why = run.Open("cortex-m4", 60);
  ASSERT_TRUE(why.empty()) << why;
  std::vector<HostTensor> out;
  const Status s = run.Run(fw::kTrapExit, &out);
  ASSERT_FALSE(s.ok());
  const std::string text = s.message();
  std::printf("%s\n", text.c_str());
  EXPECT_EQ(text,
            "cortex-m4 firmware (QEMU mps2-an386) exited with status 0 without a complete "
            "result: firmware result: 16 bytes, expected 80");
  EXPECT_EQ(run.exec().device_stats()->samples, 0);
}

TEST(QemuHang, EndsAtTheTimeoutWithAClearError) {
  std::string why;
  if (!HaveQemu("cortex-m4", &why)) GTEST_SKIP() << why;
  TrappedRun run;
  why = run.Open("cortex-m4", 3);
  ASSERT_TRUE(why.empty()) << why;
  std::vector<HostTensor> out;
  const auto start = std::chrono::steady_clock::now();
  const Status s = run.Run(fw::kTrapHang, &out);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(s.ok());
  const std::string text = s.message();
  std::printf("%s (after %.1f s)\n", text.c_str(), seconds);
  EXPECT_FALSE(Contains(text, "\n")) << text;
  EXPECT_TRUE(Contains(text, "cortex-m4")) << text;
  EXPECT_TRUE(Contains(text, "did not finish within 3 s")) << text;
  EXPECT_EQ(run.exec().device_stats()->samples, 0);
}

}  // namespace
}  // namespace tv
