# Cortex-M firmware images (emulator/firmware) for `--target cortex-m4|m7|m55`: one
# ExternalProject per core, each a separate CMake build with the committed toolchain file
# cmake/arm-none-eabi.cmake, compiling the same emulator sources as the host. Results land in
# ${CMAKE_BINARY_DIR}/firmware/<target>/tvfw.elf, next to the instruction-count TCG plugin
# libtv_insn_count.so (host code, loaded by qemu-system-arm). Skipped without the toolchain.
include(ExternalProject)
find_program(TV_ARM_GXX arm-none-eabi-g++)
find_program(TV_QEMU_ARM qemu-system-arm)
set(TV_FIRMWARE_DIR ${CMAKE_BINARY_DIR}/firmware)

if(NOT TV_ARM_GXX)
  message(STATUS "tinyverify: arm-none-eabi-g++ not found; Cortex-M firmware not built")
  return()
endif()

set(TV_FIRMWARE_TARGETS "")
function(tv_add_firmware target board cpu_flags)
  set(launchers "")
  if(CMAKE_CXX_COMPILER_LAUNCHER)
    list(APPEND launchers -DCMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER}
         -DCMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER})
  endif()
  ExternalProject_Add(firmware_${target}
    SOURCE_DIR ${PROJECT_SOURCE_DIR}/emulator/firmware
    BINARY_DIR ${CMAKE_BINARY_DIR}/firmware-build/${target}
    INSTALL_DIR ${TV_FIRMWARE_DIR}/${target}
    CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/arm-none-eabi.cmake
               -DCMAKE_BUILD_TYPE=Release
               -DCMAKE_INSTALL_PREFIX=<INSTALL_DIR>
               -DTV_ROOT=${PROJECT_SOURCE_DIR}
               -DTV_GENERATED_DIR=${PROJECT_BINARY_DIR}/generated
               "-DCPU_FLAGS=${cpu_flags}" -DBOARD=${board} ${launchers}
    BUILD_ALWAYS ON
    DEPENDS tv_schema)
  set(TV_FIRMWARE_TARGETS ${TV_FIRMWARE_TARGETS} firmware_${target} PARENT_SCOPE)
endfunction()

tv_add_firmware(cortex-m4 an386 "-mcpu=cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16")
tv_add_firmware(cortex-m7 an500 "-mcpu=cortex-m7 -mfloat-abi=hard -mfpu=fpv5-d16")
tv_add_firmware(cortex-m55 an547 "-mcpu=cortex-m55 -mfloat-abi=hard")

# QEMU 7.2 TCG plugin: plain C, no project headers; must not carry sanitizer flags (it is
# loaded into qemu-system-arm, which has no sanitizer runtime).
add_library(tv_insn_count MODULE ${PROJECT_SOURCE_DIR}/emulator/firmware/qemu_plugin/tv_insn_count.c)
set_target_properties(tv_insn_count PROPERTIES PREFIX "lib" LIBRARY_OUTPUT_DIRECTORY ${TV_FIRMWARE_DIR}
                      C_VISIBILITY_PRESET hidden)
target_compile_options(tv_insn_count PRIVATE -Wall -Wextra -Werror)
add_custom_target(tv_firmware ALL DEPENDS ${TV_FIRMWARE_TARGETS} tv_insn_count)
