// Executor that runs a .tflite model on a Cortex-M target: the tvfw firmware under
// qemu-system-arm. One QEMU boot runs a whole batch (the model and the samples travel through
// semihosting files). Specs, planning numbers and the flash/RAM fit check come from the host
// emulator, which runs the same core sources.
#ifndef TINYVERIFY_COMPARE_QEMU_EXECUTOR_H_
#define TINYVERIFY_COMPARE_QEMU_EXECUTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "compare/executor.h"
#include "compare/file_io.h"
#include "compare/qemu_target.h"
#include "compare/tflite_executor.h"

namespace tv {

class QemuExecutor : public Executor {
 public:
  // Fails when the target is unknown, the firmware is missing, or the model does not fit the
  // flash/RAM budget ("model needs 612 KiB flash (weights 598 KiB + code 14 KiB), board has
  // 512 KiB").
  [[nodiscard]] static Status Open(const std::string& path, const ExecutorOptions& options,
                                   std::unique_ptr<QemuExecutor>* out);

  const std::vector<TensorSpec>& inputs() const override { return host_->inputs(); }
  const std::vector<TensorSpec>& outputs() const override { return host_->outputs(); }
  // One sample = one boot; prefer RunBatched, which sends the whole batch to one boot.
  Status Invoke(const std::vector<const HostTensor*>& in, std::vector<HostTensor>* out,
                const TensorSink* dump) override;
  Status InvokeViews(const std::vector<TensorView>& in, std::vector<HostTensor>* out,
                     const TensorSink* dump) override;
  Status Inspect(ModelInfo* info) const override { return host_->Inspect(info); }
  bool RunsBatches() const override { return true; }
  // Every boot starts from reset variables; keep_state carries LSTM/SVDF state across the
  // samples of one batch only.
  Status InvokeBatch(const std::vector<TensorView>& in, int64_t n, bool keep_state,
                     std::vector<HostTensor>* out) override;
  const DeviceStats* device_stats() const override { return &stats_; }

  // Tests only: every later boot springs this deliberate failure (fw::kTrap*, job_format.h)
  // right before its first inference, to exercise the fault, lockup and timeout paths.
  void SetTestTrapForTesting(uint32_t trap) { test_trap_ = trap; }

 private:
  QemuExecutor() = default;
  Status CheckFit() const;
  Status WriteJob(const std::string& path, const std::vector<TensorView>& in, int64_t n,
                  bool keep_state) const;
  Status ReadResult(const std::string& path, int64_t n, std::vector<HostTensor>* out);

  std::unique_ptr<TfliteExecutor> host_;
  FileBytes model_;
  const QemuBoard* board_ = nullptr;
  DeviceOptions options_;
  std::string elf_, plugin_;
  FirmwareImage image_;
  DeviceStats stats_;
  uint32_t test_trap_ = 0;  // fw::kTrapNone
};

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_QEMU_EXECUTOR_H_
