// Start-up code for the bare-metal images: vector table, reset handler, fault reporting, heap
// (_sbrk over the board's HEAP region) and the newlib hooks the interpreter needs.
#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "emulator/firmware/job_format.h"
#include "emulator/firmware/runtime.h"
#include "emulator/firmware/semihosting.h"

// Linker-script symbols (link.ld).
extern "C" {
extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _sstack, _estack;
extern uint8_t __heap_start, __heap_limit;
extern void (*__preinit_array_start[])(), (*__preinit_array_end[])();
extern void (*__init_array_start[])(), (*__init_array_end[])();
void* __dso_handle = nullptr;
void _init() {}
void _fini() {}
int main();
void Reset_Handler();
void Fault_Handler();
void Default_Handler();
}

namespace {

constexpr uint8_t kStackPattern = 0xA5;
uint8_t* g_heap_top = &__heap_start;
uint8_t* g_heap_peak = &__heap_start;

void AppendHex(char* buf, size_t size, const char* label, uint32_t value) {
  const size_t len = std::strlen(buf);
  std::snprintf(buf + len, size - len, " %s=0x%08lx", label, static_cast<unsigned long>(value));
}

uint32_t Reg(uintptr_t address) { return *reinterpret_cast<volatile uint32_t*>(address); }

}  // namespace

// Called by the naked fault entry with the exception stack frame (r0-r3, r12, lr, pc, xpsr).
extern "C" [[noreturn]] void ReportFault(const uint32_t* frame) {
  char msg[200] = "tvfw: fault: HardFault";
  AppendHex(msg, sizeof(msg), "pc", frame[6]);
  AppendHex(msg, sizeof(msg), "lr", frame[5]);
  AppendHex(msg, sizeof(msg), "icsr", Reg(0xE000ED04));
  AppendHex(msg, sizeof(msg), "cfsr", Reg(0xE000ED28));
  AppendHex(msg, sizeof(msg), "hfsr", Reg(0xE000ED2C));
  AppendHex(msg, sizeof(msg), "mmfar", Reg(0xE000ED34));
  AppendHex(msg, sizeof(msg), "bfar", Reg(0xE000ED38));
  std::strncat(msg, "\n", sizeof(msg) - std::strlen(msg) - 1);
  tv::fw::ShPuts(msg);
  tv::fw::ShExit(tv::fw::kExitFault);
}

// Picks the stack the faulting code used (EXC_RETURN bit 2) and hands its frame to ReportFault.
extern "C" __attribute__((naked)) void Fault_Handler() {
  asm volatile(
      "tst lr, #4\n"
      "ite eq\n"
      "mrseq r0, msp\n"
      "mrsne r0, psp\n"
      "b ReportFault\n");
}

extern "C" void Default_Handler() {
  tv::fw::ShPuts("tvfw: fault: unexpected interrupt\n");
  tv::fw::ShExit(tv::fw::kExitFault);
}

extern "C" __attribute__((section(".isr_vector"), used)) void (*const g_vectors[16])() = {
    reinterpret_cast<void (*)()>(&_estack),
    Reset_Handler,
    Default_Handler,  // NMI
    Fault_Handler,    // HardFault
    Fault_Handler,    // MemManage
    Fault_Handler,    // BusFault
    Fault_Handler,    // UsageFault
    Fault_Handler,    // SecureFault (v8-M)
    nullptr,
    nullptr,
    nullptr,
    Default_Handler,  // SVC
    Default_Handler,  // DebugMon
    nullptr,
    Default_Handler,  // PendSV
    Default_Handler,  // SysTick
};

extern "C" void Reset_Handler() {
  for (uint32_t *src = &_sidata, *dst = &_sdata; dst < &_edata;) *dst++ = *src++;
  for (uint32_t* dst = &_sbss; dst < &_ebss;) *dst++ = 0;
#if defined(__ARM_FP)
  // Full access to CP10/CP11, or the first VFP instruction raises a NOCP UsageFault.
  *reinterpret_cast<volatile uint32_t*>(0xE000ED88) |= 0xFu << 20;
  asm volatile("dsb\nisb" ::: "memory");
#endif
  // Divide-by-zero traps instead of silently yielding 0, like a fault on real hardware.
  *reinterpret_cast<volatile uint32_t*>(0xE000ED14) |= 1u << 4;  // CCR.DIV_0_TRP
  for (auto fn = __preinit_array_start; fn < __preinit_array_end; ++fn) (*fn)();
  for (auto fn = __init_array_start; fn < __init_array_end; ++fn) (*fn)();
  tv::fw::ShExit(main());
}

extern "C" __attribute__((noinline, used)) void tv_mark() { asm volatile("" ::: "memory"); }

// newlib hooks. The heap is the board's HEAP region; running out is reported, not undefined.
extern "C" void* _sbrk(ptrdiff_t increment) {
  if (increment > &__heap_limit - g_heap_top || increment < &__heap_start - g_heap_top) {
    errno = ENOMEM;
    return reinterpret_cast<void*>(-1);
  }
  uint8_t* old = g_heap_top;
  g_heap_top += increment;
  if (g_heap_top > g_heap_peak) g_heap_peak = g_heap_top;
  return old;
}
extern "C" [[noreturn]] void _exit(int status) { tv::fw::ShExit(status); }
extern "C" int _kill(int, int) { return -1; }
extern "C" int _getpid() { return 1; }

// Allocation failure ends the run with a message (the core is built without exceptions).
void* operator new(size_t size) {
  void* p = std::malloc(size ? size : 1);
  if (p == nullptr)
    tv::fw::Fail(
        tv::fw::kExitOutOfMemory, "out of device heap: %lu more bytes requested, %lu in use",
        static_cast<unsigned long>(size), static_cast<unsigned long>(g_heap_top - &__heap_start));
  return p;
}
void* operator new[](size_t size) { return operator new(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size ? size : 1);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size ? size : 1);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace tv {
namespace fw {

void PaintStack() {
  uint8_t* sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  // Leave a margin below the live frame of this function.
  for (uint8_t* p = reinterpret_cast<uint8_t*>(&_sstack); p < sp - 64; ++p) {
    *reinterpret_cast<volatile uint8_t*>(p) = kStackPattern;
  }
}

uint32_t StackPeakBytes() {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(&_sstack);
  const uint8_t* end = reinterpret_cast<const uint8_t*>(&_estack);
  while (p < end && *p == kStackPattern) ++p;
  return static_cast<uint32_t>(end - p);
}

uint32_t StackSizeBytes() {
  return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(&_estack) -
                               reinterpret_cast<uintptr_t>(&_sstack));
}

void TouchStackBottom() {
  *reinterpret_cast<volatile uint8_t*>(&_sstack) = static_cast<uint8_t>(~kStackPattern);
}

uint32_t HeapPeakBytes() { return static_cast<uint32_t>(g_heap_peak - &__heap_start); }

uint32_t StaticRamBytes() {
  return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(&_ebss) -
                               reinterpret_cast<uintptr_t>(&_sdata));
}

void Fail(int status, const char* fmt, ...) {
  char msg[400] = "tvfw: error: ";
  const size_t prefix = std::strlen(msg);
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(msg + prefix, sizeof(msg) - prefix - 1, fmt, args);
  va_end(args);
  std::strncat(msg, "\n", sizeof(msg) - std::strlen(msg) - 1);
  ShPuts(msg);
  ShExit(status);
}

}  // namespace fw
}  // namespace tv
