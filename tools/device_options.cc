#include "tools/device_options.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace tv {
namespace cli {

namespace {
double KiB(uint64_t bytes) { return static_cast<double>(bytes) / 1024.0; }
}  // namespace

void DeviceOption::Register(CLI::App* cmd) {
  cmd->add_option("--target", target,
                  "Where the .tflite model runs: host, or a Cortex-M board under QEMU "
                  "(cortex-m4 = mps2-an386, cortex-m7 = mps2-an500, cortex-m55 = mps3-an547)")
      ->check(CLI::IsMember({"host", "cortex-m4", "cortex-m7", "cortex-m55"}))
      ->default_val("host");
  cmd->add_option("--flash-kb", flash_kb,
                  "Device flash budget for weights + code in KiB (default: the board's)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--ram-kb", ram_kb,
                  "Device RAM budget for arena + op data + static data in KiB (default: the "
                  "board's)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--count-instructions", count_instructions,
                "Count executed instructions per inference on the device (exact, TCG plugin; "
                "QEMU runs slower)");
  cmd->add_option("--clock-mhz", clock_mhz,
                  "Device clock for the latency estimate (1 instruction per cycle)")
      ->check(CLI::PositiveNumber)
      ->default_val(120);
  cmd->add_option("--qemu-timeout", timeout_seconds, "Seconds one QEMU boot may take")
      ->check(CLI::PositiveNumber)
      ->default_val(600);
}

void DeviceOption::Apply(ExecutorOptions* options) const {
  options->target = target;
  options->device.flash_kb = flash_kb;
  options->device.ram_kb = ram_kb;
  options->device.count_instructions = count_instructions;
  options->device.timeout_seconds = timeout_seconds;
  options->device.clock_mhz = clock_mhz;
}

nlohmann::json DeviceStatsJson(const DeviceStats& st) {
  const double clock_mhz = st.clock_mhz;
  nlohmann::json j;
  j["target"] = st.target;
  j["qemu_machine"] = st.machine;
  j["flash_bytes"] = st.model_bytes + st.code_bytes;
  j["flash_weights_bytes"] = st.model_bytes;
  j["flash_code_bytes"] = st.code_bytes;
  j["flash_budget_bytes"] = st.flash_budget;
  j["arena_bytes"] = st.arena_bytes;
  j["op_data_bytes"] = st.persistent_bytes;
  j["static_ram_bytes"] = st.static_ram_bytes;
  j["stack_high_water_bytes"] = st.stack_peak_bytes;
  j["ram_bytes"] = st.arena_bytes + st.persistent_bytes + st.static_ram_bytes + st.stack_peak_bytes;
  j["ram_budget_bytes"] = st.ram_budget;
  j["samples"] = st.samples;
  j["qemu_boots"] = st.boots;
  j["qemu_seconds"] = st.qemu_seconds;
  j["qemu_cpu_seconds"] = st.qemu_cpu_seconds;
  if (!st.instructions.empty()) {
    const auto [lo, hi] = std::minmax_element(st.instructions.begin(), st.instructions.end());
    const double mean = std::accumulate(st.instructions.begin(), st.instructions.end(), 0.0) /
                        static_cast<double>(st.instructions.size());
    j["instructions_per_inference"] = {{"min", *lo}, {"max", *hi}, {"mean", mean}};
    j["clock_mhz"] = clock_mhz;
    j["estimated_latency_ms"] = mean / (clock_mhz * 1e3);
  }
  return j;
}

void PrintDeviceSummary(const DeviceStats& st) {
  const double clock_mhz = st.clock_mhz;
  std::fprintf(stderr,
               "%s (QEMU %s): %lld inference(s) in %lld boot(s), %.2f s in QEMU (%.2f s CPU)",
               st.target.c_str(), st.machine.c_str(), static_cast<long long>(st.samples),
               static_cast<long long>(st.boots), st.qemu_seconds, st.qemu_cpu_seconds);
  if (st.qemu_seconds > 0)
    std::fprintf(stderr, " (%.1f inferences/s)", static_cast<double>(st.samples) / st.qemu_seconds);
  std::fprintf(stderr, "\n  flash: %.1f KiB of %.0f KiB (weights %.1f KiB + code %.1f KiB)\n",
               KiB(st.model_bytes + st.code_bytes), KiB(st.flash_budget), KiB(st.model_bytes),
               KiB(st.code_bytes));
  std::fprintf(
      stderr,
      "  RAM: %.1f KiB of %.0f KiB (arena %.1f KiB + op data %.1f KiB + static %.1f "
      "KiB + stack high-water %.1f KiB)\n",
      KiB(st.arena_bytes + st.persistent_bytes + st.static_ram_bytes + st.stack_peak_bytes),
      KiB(st.ram_budget), KiB(st.arena_bytes), KiB(st.persistent_bytes), KiB(st.static_ram_bytes),
      KiB(st.stack_peak_bytes));
  if (st.instructions.empty()) {
    std::fprintf(stderr, "  instructions: not counted (--count-instructions)\n");
    return;
  }
  const auto [lo, hi] = std::minmax_element(st.instructions.begin(), st.instructions.end());
  const double mean = std::accumulate(st.instructions.begin(), st.instructions.end(), 0.0) /
                      static_cast<double>(st.instructions.size());
  std::fprintf(stderr,
               "  instructions/inference: mean %.0f (min %llu, max %llu); ~%.2f ms at %.0f MHz "
               "(1 instruction/cycle)\n",
               mean, static_cast<unsigned long long>(*lo), static_cast<unsigned long long>(*hi),
               mean / (clock_mhz * 1e3), clock_mhz);
}

}  // namespace cli
}  // namespace tv
