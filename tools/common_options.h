// Options shared by several subcommands.
#ifndef TINYVERIFY_TOOLS_COMMON_OPTIONS_H_
#define TINYVERIFY_TOOLS_COMMON_OPTIONS_H_

#include <CLI/CLI.hpp>
#include <string>

#include "compare/executor.h"

namespace tv {
namespace cli {

struct KernelOption {
  std::string kernels = "optimized";
  int threads = 1;
  void Register(CLI::App* cmd) {
    cmd->add_option("--kernels", kernels, "Kernel flavour for .tflite models")
        ->check(CLI::IsMember({"reference", "optimized"}))
        ->default_val("optimized");
  }
  ExecutorOptions ToOptions() const {
    ExecutorOptions o;
    o.kernels = kernels == "optimized" ? KernelFlavor::kOptimized : KernelFlavor::kReference;
    o.threads = threads;
    return o;
  }
};

}  // namespace cli
}  // namespace tv

#endif  // TINYVERIFY_TOOLS_COMMON_OPTIONS_H_
