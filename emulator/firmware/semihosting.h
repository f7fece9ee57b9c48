// Arm semihosting (BKPT 0xAB on M profile): the firmware's only I/O. QEMU must run with
// -semihosting-config enable=on,target=native, otherwise the first call faults.
#ifndef TINYVERIFY_EMULATOR_FIRMWARE_SEMIHOSTING_H_
#define TINYVERIFY_EMULATOR_FIRMWARE_SEMIHOSTING_H_

#include <cstddef>
#include <cstdint>

namespace tv {
namespace fw {

enum class OpenMode : uint32_t { kReadBinary = 1, kWriteBinary = 5 };

// Returns a handle, or -1.
int32_t ShOpen(const char* path, OpenMode mode);
void ShClose(int32_t handle);
// Both return true only when all `size` bytes were transferred.
bool ShRead(int32_t handle, void* buf, size_t size);
bool ShWrite(int32_t handle, const void* buf, size_t size);
// Writes a NUL-terminated string to the debug console (QEMU's stderr).
void ShPuts(const char* s);
// Fills `buf` with the command line QEMU was given (-semihosting-config arg=...).
bool ShCommandLine(char* buf, size_t size);
[[noreturn]] void ShExit(int status);

}  // namespace fw
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_FIRMWARE_SEMIHOSTING_H_
