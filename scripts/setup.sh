#!/usr/bin/env bash
# Installs every Debian package tinyverify needs to build, test and run its demo.
# Idempotent: packages already present are skipped, so re-running is cheap.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  clang-14 libclang-rt-14-dev clang-format
  flatbuffers-compiler libflatbuffers-dev
  protobuf-compiler libprotobuf-dev libonnx-dev libonnx-testdata
  nlohmann-json3-dev libcli11-dev libfmt-dev libstb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libeigen3-dev libopenblas-dev libhwy-dev
  pybind11-dev python3-dev python3-numpy python3-pytest python3-onnx
  gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
  qemu-system-arm
  zlib1g-dev libisal-dev dataset-fashion-mnist
  python3-torch python3-matplotlib jupyter-nbconvert python3-ipykernel python3-nbformat
  python3-pandas
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup.sh: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "setup.sh: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
