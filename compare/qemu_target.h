// The Cortex-M targets tinyverify can run under QEMU (qemu-system-arm + the tvfw firmware
// images built from emulator/firmware), and the plumbing to run one firmware job.
#ifndef TINYVERIFY_COMPARE_QEMU_TARGET_H_
#define TINYVERIFY_COMPARE_QEMU_TARGET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/status.h"

namespace tv {

struct QemuBoard {
  const char* target;   // "cortex-m4"
  const char* machine;  // QEMU -M value
  // Default budgets: the emulated board's memory for code + weights ("flash") and for data
  // ("RAM"); --flash-kb / --ram-kb override them.
  int64_t flash_kb;
  int64_t ram_kb;
};

// nullptr for an unknown target name; `names` lists the valid ones ("cortex-m4, ...").
const QemuBoard* FindQemuBoard(const std::string& target);
std::string QemuTargetNames();

// Where the firmware images live: $TV_FIRMWARE_DIR, else a `firmware/` directory next to or
// above the running executable (build tree layout). Error when none has `target`'s image.
[[nodiscard]] Status FindFirmware(const QemuBoard& board, std::string* elf_path,
                                  std::string* plugin_path);

// What the linker put where, read from the image's section headers.
struct FirmwareImage {
  uint64_t code_bytes = 0;        // loadable, non-writable + .data load image ("flash")
  uint64_t static_ram_bytes = 0;  // .data + .bss
  uint64_t stack_bytes = 0;       // .stack reservation
};
[[nodiscard]] Status ReadFirmwareImage(const std::string& elf_path, FirmwareImage* out);

// One QEMU boot: runs `elf` on `board` with semihosting command line "tvfw job.bin result.bin"
// inside `work_dir` (which holds job.bin). With `plugin_path`, the instruction-count plugin
// writes work_dir/counts.txt.
struct QemuRun {
  int exit_status = 0;  // QEMU's exit status (= firmware status) when it exited normally
  std::string console;  // QEMU stderr (semihosting console + QEMU's own messages)
  double wall_seconds = 0;
  double cpu_seconds = 0;  // QEMU's user + system CPU time (robust to a busy machine)
};
[[nodiscard]] Status RunQemu(const QemuBoard& board, const std::string& elf,
                             const std::string& plugin_path, const std::string& work_dir,
                             double timeout_seconds, QemuRun* run);

// Turns a non-zero firmware/QEMU exit status into one clear sentence.
std::string ExplainQemuExit(const QemuBoard& board, const QemuRun& run);
// Same for QEMU ending on `signal` (RunQemu's error): QEMU aborts when the core locks up.
std::string ExplainQemuSignal(const QemuBoard& board, const QemuRun& run, int signal);

// Per-inference instruction counts from the plugin's marks (two per inference).
[[nodiscard]] Status ReadInstructionCounts(const std::string& path, int64_t samples,
                                           std::vector<uint64_t>* per_inference);

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_QEMU_TARGET_H_
