#!/usr/bin/env bash
# The one test command (README, CI): installs dependencies, builds, runs every test suite,
# then the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer, and the
# Cortex-M cross-compile check of the emulator core.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=${TV_JOBS:-$(nproc)}

bash scripts/setup.sh

echo "== release build + all tests"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTV_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== Cortex-M4 cross-compile of the emulator core"
bash scripts/check_cortex_m_build.sh build

echo "== unit tests under ASan + UBSan"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTV_SANITIZE=ON \
  -DTV_BUILD_TESTS=ON -DTV_BUILD_REFERENCE=OFF >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan -L unit --output-on-failure -j"$jobs"
