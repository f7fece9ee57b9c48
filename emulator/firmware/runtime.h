// Bare-metal runtime services the firmware's main loop uses (defined in startup.cc).
#ifndef TINYVERIFY_EMULATOR_FIRMWARE_RUNTIME_H_
#define TINYVERIFY_EMULATOR_FIRMWARE_RUNTIME_H_

#include <cstddef>
#include <cstdint>

namespace tv {
namespace fw {

// Fills the unused part of the main stack with a pattern (call once, early in main).
void PaintStack();
// Deepest stack use since PaintStack, in bytes.
uint32_t StackPeakBytes();
uint32_t StackSizeBytes();
// Writes the lowest byte of the main stack, as code that used all of it would (test trap).
void TouchStackBottom();
// Highest heap extent handed out by _sbrk, in bytes.
uint32_t HeapPeakBytes();
// .data + .bss.
uint32_t StaticRamBytes();

// Prints "tvfw: error: <message>" on the semihosting console and exits with `status`.
[[noreturn]] void Fail(int status, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

}  // namespace fw
}  // namespace tv

// Called right before and right after every inference. The instruction-count TCG plugin
// (qemu_plugin/tv_insn_count.c) finds it by symbol name and records the running instruction
// total on each call, so per-inference counts are exact differences.
extern "C" void tv_mark();

#endif  // TINYVERIFY_EMULATOR_FIRMWARE_RUNTIME_H_
