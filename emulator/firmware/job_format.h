// The file protocol between the host (compare/qemu_executor.cc) and the firmware (main.cc).
// The host writes one job file: header, per-input and per-output byte sizes, the .tflite bytes,
// then the samples (inputs concatenated per sample). The firmware writes one result file:
// header, the outputs of every sample in order, then a stats trailer. All fields are
// little-endian uint32 (both sides are little-endian). Portable: compiled into the firmware.
#ifndef TINYVERIFY_EMULATOR_FIRMWARE_JOB_FORMAT_H_
#define TINYVERIFY_EMULATOR_FIRMWARE_JOB_FORMAT_H_

#include <cstdint>

namespace tv {
namespace fw {

constexpr uint32_t kJobMagic = 0x314A5654;     // "TVJ1"
constexpr uint32_t kResultMagic = 0x31525654;  // "TVR1"
constexpr uint32_t kStatsMagic = 0x31535654;   // "TVS1"
// 2: JobHeader::reserved became test_trap.
constexpr uint32_t kFormatVersion = 2;
constexpr uint32_t kMaxTensors = 64;  // inputs or outputs per model

// Job flags.
constexpr uint32_t kFlagKeepState = 1u << 0;  // do not reset LSTM/SVDF variables between samples

// Deliberate failures (JobHeader::test_trap), sprung right before the first inference. Every
// image honours them so tests exercise the real firmware and the host's error mapping; only
// tests ever set one (QemuExecutor::SetTestTrapForTesting), production jobs carry kTrapNone.
constexpr uint32_t kTrapNone = 0;
constexpr uint32_t kTrapBadAddress = 1;  // load from an unmapped address: BusFault
constexpr uint32_t kTrapUndefined = 2;   // execute a permanently undefined instruction: UsageFault
constexpr uint32_t kTrapHang = 3;        // spin forever: only the host's timeout ends the boot
constexpr uint32_t kTrapLockup = 4;      // fault at HardFault priority: the core locks up
constexpr uint32_t kTrapFullStack = 5;   // use the main stack down to its last byte
constexpr uint32_t kTrapExit = 6;        // exit(0) before any output: an incomplete result
constexpr uint32_t kTrapLast = kTrapExit;

struct JobHeader {
  uint32_t magic;
  uint32_t version;
  uint32_t flags;
  uint32_t model_bytes;
  uint32_t num_samples;
  uint32_t num_inputs;
  uint32_t num_outputs;
  uint32_t test_trap;  // kTrap*; kTrapNone except in tests
  // followed by uint32 input_bytes[num_inputs], uint32 output_bytes[num_outputs]
};

struct ResultHeader {
  uint32_t magic;
  uint32_t version;
  uint32_t num_samples;
  uint32_t num_outputs;
};

// Written after the last sample; its presence means the whole batch ran.
struct ResultStats {
  uint32_t magic;
  uint32_t samples_done;
  uint32_t arena_bytes;       // planned activation arena
  uint32_t persistent_bytes;  // op data from Prepare
  uint32_t heap_peak_bytes;   // everything malloc'd, including the model copy
  uint32_t stack_peak_bytes;  // high-water mark of the main stack
  uint32_t stack_size_bytes;
  uint32_t static_ram_bytes;  // .data + .bss
};

// Firmware exit statuses (QEMU exits with the same status).
constexpr int kExitOk = 0;
constexpr int kExitBadJob = 2;       // unreadable job/result file, malformed header
constexpr int kExitModelError = 3;   // model rejected by the loader or interpreter
constexpr int kExitOutOfMemory = 4;  // heap exhausted
constexpr int kExitFault = 127;      // HardFault/MemManage/BusFault/UsageFault

}  // namespace fw
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_FIRMWARE_JOB_FORMAT_H_
