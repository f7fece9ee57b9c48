#!/usr/bin/env bash
# Compiles the portable emulator core (loader, planner, interpreter, kernels) for Cortex-M4F
# with the flags firmware will use: proves the core needs no exceptions, RTTI, files or threads.
# Usage: scripts/check_cortex_m_build.sh [BUILD_DIR]  (BUILD_DIR holds the generated schema)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
command -v arm-none-eabi-g++ >/dev/null || { echo "arm-none-eabi-g++ not installed (run scripts/setup.sh)"; exit 1; }
gen=$build/generated
[ -f "$gen/emulator/schema/tflite_subset_generated.h" ] || { echo "generated schema missing in $gen; build the host tree first"; exit 1; }
# -Wno-format: int32_t is `long` on arm-none-eabi (same width as int), so "%d" is benign there
# while the host build keeps full format checking.
# Only the flatbuffers headers from the host, never the host's libc headers.
mkdir -p "$out/inc" && ln -s /usr/include/flatbuffers "$out/inc/flatbuffers"
flags=(-std=c++17 -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -O2
       -fno-exceptions -fno-rtti -ffp-contract=off -Wall -Wextra -Werror -Wno-unused-parameter
       -Wno-psabi -Wno-format -I"$root" -I"$gen" -isystem "$out/inc")
sources=$(cd "$root" && ls emulator/*.cc emulator/kernels/*.cc | grep -v '_test\.cc$')
n=0
for src in $sources; do
  arm-none-eabi-g++ "${flags[@]}" -c "$root/$src" -o "$out/$(echo "$src" | tr / _).o"
  n=$((n + 1))
done
arm-none-eabi-ar rcs "$out/libtv_emulator_cm4.a" "$out"/*.o
size=$(stat -c %s "$out/libtv_emulator_cm4.a")
echo "cortex-m4 cross-compile OK: $n sources, libtv_emulator_cm4.a $size bytes"
