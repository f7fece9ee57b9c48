#include "emulator/firmware/semihosting.h"

#include <cstring>

namespace tv {
namespace fw {

namespace {

constexpr uint32_t kSysOpen = 0x01;
constexpr uint32_t kSysClose = 0x02;
constexpr uint32_t kSysWrite0 = 0x04;
constexpr uint32_t kSysWrite = 0x05;
constexpr uint32_t kSysRead = 0x06;
constexpr uint32_t kSysGetCmdline = 0x15;
constexpr uint32_t kSysExitExtended = 0x20;
constexpr uint32_t kAdpStoppedApplicationExit = 0x20026;

int32_t Call(uint32_t op, const void* arg) {
  register uint32_t r0 asm("r0") = op;
  register const void* r1 asm("r1") = arg;
  asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return static_cast<int32_t>(r0);
}

}  // namespace

int32_t ShOpen(const char* path, OpenMode mode) {
  const uint32_t block[3] = {reinterpret_cast<uint32_t>(path), static_cast<uint32_t>(mode),
                             static_cast<uint32_t>(std::strlen(path))};
  return Call(kSysOpen, block);
}

void ShClose(int32_t handle) {
  const uint32_t block[1] = {static_cast<uint32_t>(handle)};
  Call(kSysClose, block);
}

// SYS_READ/SYS_WRITE return the number of bytes NOT transferred. Large transfers are split so
// one call never asks the host for more than 1 MiB at once.
bool ShRead(int32_t handle, void* buf, size_t size) {
  uint8_t* p = static_cast<uint8_t*>(buf);
  while (size > 0) {
    const size_t chunk = size < (1u << 20) ? size : (1u << 20);
    const uint32_t block[3] = {static_cast<uint32_t>(handle), reinterpret_cast<uint32_t>(p),
                               static_cast<uint32_t>(chunk)};
    if (Call(kSysRead, block) != 0) return false;
    p += chunk;
    size -= chunk;
  }
  return true;
}

bool ShWrite(int32_t handle, const void* buf, size_t size) {
  const uint8_t* p = static_cast<const uint8_t*>(buf);
  while (size > 0) {
    const size_t chunk = size < (1u << 20) ? size : (1u << 20);
    const uint32_t block[3] = {static_cast<uint32_t>(handle), reinterpret_cast<uint32_t>(p),
                               static_cast<uint32_t>(chunk)};
    if (Call(kSysWrite, block) != 0) return false;
    p += chunk;
    size -= chunk;
  }
  return true;
}

void ShPuts(const char* s) { Call(kSysWrite0, s); }

bool ShCommandLine(char* buf, size_t size) {
  uint32_t block[2] = {reinterpret_cast<uint32_t>(buf), static_cast<uint32_t>(size)};
  return Call(kSysGetCmdline, block) == 0;
}

void ShExit(int status) {
  const uint32_t block[2] = {kAdpStoppedApplicationExit, static_cast<uint32_t>(status)};
  Call(kSysExitExtended, block);
  for (;;) {
  }
}

}  // namespace fw
}  // namespace tv
