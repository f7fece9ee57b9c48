// `--target` and the device options shared by `run` and `verify`, plus the device summary
// both print (flash/RAM fit, instructions per inference, estimated latency).
#ifndef TINYVERIFY_TOOLS_DEVICE_OPTIONS_H_
#define TINYVERIFY_TOOLS_DEVICE_OPTIONS_H_

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "compare/executor.h"

namespace tv {
namespace cli {

struct DeviceOption {
  std::string target = "host";
  int64_t flash_kb = 0;
  int64_t ram_kb = 0;
  bool count_instructions = false;
  double clock_mhz = 120;
  double timeout_seconds = 600;

  void Register(CLI::App* cmd);
  // Copies the device settings into `options` (kernels etc. are left alone).
  void Apply(ExecutorOptions* options) const;
  bool is_host() const { return target == "host"; }
};

// Human summary on stderr: fit, RAM, instruction counts and latency at st.clock_mhz.
void PrintDeviceSummary(const DeviceStats& st);
// The same as JSON (device table of reports, run's device.json).
nlohmann::json DeviceStatsJson(const DeviceStats& st);

}  // namespace cli
}  // namespace tv

#endif  // TINYVERIFY_TOOLS_DEVICE_OPTIONS_H_
