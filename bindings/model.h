// tinyverify.Model: one opened model (.tflite through the emulator, .onnx through the float
// reference) that runs numpy arrays.
#ifndef TINYVERIFY_BINDINGS_MODEL_H_
#define TINYVERIFY_BINDINGS_MODEL_H_

#include <pybind11/pybind11.h>

#include <memory>
#include <mutex>
#include <string>

#include "compare/executor.h"

namespace tv {
namespace py_bindings {

class PyModel {
 public:
  // Throws ModelError "<path>: <what>" (the CLI's message) when the model cannot be opened.
  PyModel(std::string path, const std::string& kernels, int threads);

  const std::string& path() const { return path_; }
  const std::string& kernels() const { return kernels_; }
  const ExecutorOptions& options() const { return options_; }
  Executor& executor() { return *exec_; }
  // Held (with the GIL released) while the executor runs: executors are not reentrant.
  std::mutex& mutex() { return mutex_; }

  // Outputs as a list of arrays, or {tensor name: array} for every intermediate (dump_all).
  pybind11::object Run(const pybind11::args& arrays, bool dump_all, bool keep_state);
  // The `inspect --json` text, as for a freshly opened model (the ONNX reference reports the
  // MACs of the shapes it last ran, so after a run a fresh executor is inspected).
  std::string InspectJson();

 private:
  std::string path_, kernels_;
  ExecutorOptions options_;
  std::unique_ptr<Executor> exec_;
  std::mutex mutex_;
  bool has_run_ = false;
  std::string inspect_json_;  // cached: it never changes for one file
};

// "optimized" | "reference" -> options; throws ValueError otherwise.
ExecutorOptions ParseKernelOptions(const std::string& kernels, int threads);

void RegisterModel(pybind11::module_& m);

}  // namespace py_bindings
}  // namespace tv

#endif  // TINYVERIFY_BINDINGS_MODEL_H_
