// How firmware/QEMU endings become one-line errors (ExplainQemuExit), from recorded console
// text: no QEMU needed. The end-to-end versions run in tests/qemu_fault_test.cc (label qemu).
#include "compare/qemu_target.h"

#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include "emulator/firmware/job_format.h"

namespace tv {
namespace {

std::string Explain(int status, const std::string& console) {
  QemuRun run;
  run.exit_status = status;
  run.console = console;
  return ExplainQemuExit(*FindQemuBoard("cortex-m4"), run);
}

// A fault report as startup.cc's ReportFault prints it.
std::string FaultLine(const char* cfsr, const char* hfsr, const char* bfar) {
  return std::string("tvfw: fault: HardFault pc=0x00001234 lr=0x00005679 icsr=0x00000003 cfsr=") +
         cfsr + " hfsr=" + hfsr + " mmfar=0xe000edf8 bfar=" + bfar + "\n";
}

TEST(ExplainQemuExit, DecodesAPreciseBusFaultWithItsAddress) {
  const std::string text =
      Explain(fw::kExitFault, FaultLine("0x00008200", "0x40000000", "0xf0000000"));
  EXPECT_EQ(text,
            "cortex-m4 firmware (QEMU mps2-an386) crashed (bus error on data access at "
            "0xf0000000): HardFault pc=0x00001234 lr=0x00005679 icsr=0x00000003 "
            "cfsr=0x00008200 hfsr=0x40000000 mmfar=0xe000edf8 bfar=0xf0000000");
}

TEST(ExplainQemuExit, BusFaultAddressOnlyWhenValid) {
  const std::string text =
      Explain(fw::kExitFault, FaultLine("0x00000200", "0x40000000", "0xf0000000"));
  EXPECT_NE(text.find("crashed (bus error on data access): HardFault"), std::string::npos) << text;
}

TEST(ExplainQemuExit, DecodesUsageFaults) {
  EXPECT_NE(Explain(fw::kExitFault, FaultLine("0x00010000", "0x40000000", "0x0"))
                .find("crashed (undefined instruction): HardFault pc=0x00001234"),
            std::string::npos);
  EXPECT_NE(Explain(fw::kExitFault, FaultLine("0x02000000", "0x40000000", "0x0"))
                .find("crashed (divide by zero)"),
            std::string::npos);
  EXPECT_NE(Explain(fw::kExitFault, FaultLine("0x01000000", "0x40000000", "0x0"))
                .find("crashed (unaligned access)"),
            std::string::npos);
}

TEST(ExplainQemuExit, FaultWithoutFlagsOrReportStillSaysCrashed) {
  EXPECT_NE(Explain(fw::kExitFault, FaultLine("0x00000000", "0x00000000", "0x0"))
                .find("crashed: HardFault pc=0x00001234"),
            std::string::npos);
  EXPECT_EQ(Explain(fw::kExitFault, "tvfw: fault: unexpected interrupt\n"),
            "cortex-m4 firmware (QEMU mps2-an386) crashed: unexpected interrupt");
  EXPECT_EQ(Explain(fw::kExitFault, ""),
            "cortex-m4 firmware (QEMU mps2-an386) crashed (no fault report)");
}

TEST(ExplainQemuExit, FirmwareErrorsAndUnknownStatuses) {
  EXPECT_EQ(Explain(fw::kExitModelError, "tvfw: error: sample 3: operator 0 failed\n"),
            "cortex-m4 firmware (QEMU mps2-an386): sample 3: operator 0 failed");
  EXPECT_EQ(Explain(fw::kExitOutOfMemory, ""),
            "cortex-m4 firmware (QEMU mps2-an386): out of device memory");
  EXPECT_EQ(Explain(9, "qemu-system-arm: something odd\n"),
            "cortex-m4 firmware (QEMU mps2-an386): exit status 9 — qemu-system-arm: something odd");
}

TEST(ExplainQemuSignal, NamesALockupWithItsPc) {
  QemuRun run;
  run.console =
      "qemu: fatal: Lockup: can't escalate 3 to HardFault (current priority -1)\n\n"
      "R00=00000000 R01=00000001 R02=00000002 R03=00000003\n"
      "R12=0000000c R13=2001ffd0 R14=000255ad R15=000256c4\n"
      "XPSR=61000000 -ZC- T handler\n";
  EXPECT_EQ(ExplainQemuSignal(*FindQemuBoard("cortex-m7"), run, SIGABRT),
            "cortex-m7 firmware (QEMU mps2-an500): CPU lockup at pc=0x000256c4 (a fault the core "
            "could not take: can't escalate 3 to HardFault (current priority -1))");
}

TEST(ExplainQemuSignal, OtherSignalsNameTheSignal) {
  QemuRun run;
  run.console = "some output\nlast words\n";
  const std::string text = ExplainQemuSignal(*FindQemuBoard("cortex-m55"), run, SIGSEGV);
  EXPECT_NE(text.find("cortex-m55 firmware (QEMU mps3-an547): QEMU was killed by signal 11"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("last words"), std::string::npos) << text;
}

}  // namespace
}  // namespace tv
