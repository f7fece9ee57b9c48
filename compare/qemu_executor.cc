#include "compare/qemu_executor.h"

#include <stdlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "emulator/firmware/job_format.h"

namespace tv {

namespace {

uint64_t KiB(uint64_t bytes) { return (bytes + 1023) / 1024; }

// A private scratch directory, removed when it goes out of scope.
class ScratchDir {
 public:
  Status Create() {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/tinyverify-qemu-XXXXXX";
    TV_CHECK_OR_RETURN(::mkdtemp(templ.data()) != nullptr, "cannot create %s", templ.c_str());
    path_ = templ;
    return Status::Ok();
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void Append32(std::vector<uint8_t>* buf, uint32_t v) {
  for (int i = 0; i < 4; ++i) buf->push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace

Status QemuExecutor::Open(const std::string& path, const ExecutorOptions& options,
                          std::unique_ptr<QemuExecutor>* out) {
  auto exec = std::unique_ptr<QemuExecutor>(new QemuExecutor());
  exec->board_ = FindQemuBoard(options.target);
  TV_CHECK_OR_RETURN(exec->board_ != nullptr, "unknown target '%s' (host, %s)",
                     options.target.c_str(), QemuTargetNames().c_str());
  exec->options_ = options.device;
  ExecutorOptions host_options;  // the firmware has only the reference kernels
  host_options.kernels = KernelFlavor::kReference;
  TV_RETURN_IF_ERROR(TfliteExecutor::Open(path, host_options, &exec->host_));
  TV_RETURN_IF_ERROR(ReadFileBytes(path, &exec->model_));
  TV_RETURN_IF_ERROR(FindFirmware(*exec->board_, &exec->elf_, &exec->plugin_));
  TV_RETURN_IF_ERROR(ReadFirmwareImage(exec->elf_, &exec->image_));
  TV_CHECK_OR_RETURN(exec->host_->inputs().size() <= fw::kMaxTensors &&
                         exec->host_->outputs().size() <= fw::kMaxTensors,
                     "the firmware handles at most %u inputs and outputs",
                     static_cast<unsigned>(fw::kMaxTensors));

  DeviceStats& st = exec->stats_;
  st.target = exec->board_->target;
  st.machine = exec->board_->machine;
  st.clock_mhz = options.device.clock_mhz;
  const DeviceOptions& d = options.device;
  st.flash_budget =
      static_cast<uint64_t>(d.flash_kb > 0 ? d.flash_kb : exec->board_->flash_kb) * 1024;
  st.ram_budget = static_cast<uint64_t>(d.ram_kb > 0 ? d.ram_kb : exec->board_->ram_kb) * 1024;
  st.model_bytes = exec->model_.size();
  st.code_bytes = exec->image_.code_bytes;
  st.arena_bytes = exec->host_->interpreter().arena_bytes();
  st.persistent_bytes = exec->host_->interpreter().persistent_bytes();
  st.static_ram_bytes = exec->image_.static_ram_bytes;
  TV_RETURN_IF_ERROR(exec->CheckFit());
  *out = std::move(exec);
  return Status::Ok();
}

// Before any boot: host-planned numbers against the budget. Op data is planned on the host
// (64-bit pointers), so the RAM estimate is slightly pessimistic; the device's own numbers
// replace it after the first boot.
Status QemuExecutor::CheckFit() const {
  const DeviceStats& st = stats_;
  const uint64_t flash = st.model_bytes + st.code_bytes;
  TV_CHECK_OR_RETURN(flash <= st.flash_budget,
                     "model needs %llu KiB flash (weights %llu KiB + code %llu KiB), board has "
                     "%llu KiB (%s; --flash-kb)",
                     static_cast<unsigned long long>(KiB(flash)),
                     static_cast<unsigned long long>(KiB(st.model_bytes)),
                     static_cast<unsigned long long>(KiB(st.code_bytes)),
                     static_cast<unsigned long long>(st.flash_budget / 1024), st.target.c_str());
  const uint64_t ram = st.arena_bytes + st.persistent_bytes + st.static_ram_bytes;
  TV_CHECK_OR_RETURN(ram <= st.ram_budget,
                     "model needs %llu KiB RAM (arena %llu KiB + op data %llu KiB + firmware "
                     "static %llu KiB), board has %llu KiB (%s; --ram-kb)",
                     static_cast<unsigned long long>(KiB(ram)),
                     static_cast<unsigned long long>(KiB(st.arena_bytes)),
                     static_cast<unsigned long long>(KiB(st.persistent_bytes)),
                     static_cast<unsigned long long>(KiB(st.static_ram_bytes)),
                     static_cast<unsigned long long>(st.ram_budget / 1024), st.target.c_str());
  return Status::Ok();
}

Status QemuExecutor::Invoke(const std::vector<const HostTensor*>& in, std::vector<HostTensor>* out,
                            const TensorSink* dump) {
  std::vector<TensorView> views;
  for (const HostTensor* t : in) views.push_back(ViewOf(*t));
  return InvokeViews(views, out, dump);
}

Status QemuExecutor::InvokeViews(const std::vector<TensorView>& in, std::vector<HostTensor>* out,
                                 const TensorSink* dump) {
  TV_CHECK_OR_RETURN(dump == nullptr, "intermediate tensors are not available from %s",
                     board_->target);
  TV_RETURN_IF_ERROR(InvokeBatch(in, 1, false, out));
  for (HostTensor& t : *out) t.shape.erase(t.shape.begin());
  return Status::Ok();
}

Status QemuExecutor::WriteJob(const std::string& path, const std::vector<TensorView>& in, int64_t n,
                              bool keep_state) const {
  const auto& ins = host_->interpreter();
  std::vector<uint8_t> job;
  Append32(&job, fw::kJobMagic);
  Append32(&job, fw::kFormatVersion);
  Append32(&job, keep_state ? fw::kFlagKeepState : 0);
  Append32(&job, static_cast<uint32_t>(model_.size()));
  Append32(&job, static_cast<uint32_t>(n));
  Append32(&job, static_cast<uint32_t>(in.size()));
  Append32(&job, static_cast<uint32_t>(outputs().size()));
  Append32(&job, test_trap_);
  std::vector<size_t> per(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    per[i] = in[i].size / static_cast<size_t>(n);
    TV_CHECK_OR_RETURN(per[i] * static_cast<size_t>(n) == in[i].size &&
                           per[i] == ins.tensors()[ins.input_index(static_cast<int32_t>(i))].bytes,
                       "input %zu: %zu bytes do not split into %lld samples of the model's size", i,
                       in[i].size, static_cast<long long>(n));
    Append32(&job, static_cast<uint32_t>(per[i]));
  }
  for (size_t j = 0; j < outputs().size(); ++j)
    Append32(&job,
             static_cast<uint32_t>(ins.tensors()[ins.output_index(static_cast<int32_t>(j))].bytes));
  job.insert(job.end(), model_.data(), model_.data() + model_.size());
  for (int64_t b = 0; b < n; ++b)
    for (size_t i = 0; i < in.size(); ++i) {
      const uint8_t* p = in[i].data + per[i] * static_cast<size_t>(b);
      job.insert(job.end(), p, p + per[i]);
    }
  return WriteFileBytes(path, job.data(), job.size());
}

Status QemuExecutor::ReadResult(const std::string& path, int64_t n, std::vector<HostTensor>* out) {
  FileBytes f;
  TV_RETURN_IF_ERROR(ReadFileBytes(path, &f).Prefixed("firmware result"));
  const auto& ins = host_->interpreter();
  size_t per_sample = 0;
  std::vector<size_t> bytes(outputs().size());
  out->assign(outputs().size(), HostTensor());
  for (size_t j = 0; j < outputs().size(); ++j) {
    const Tensor& t = ins.tensors()[ins.output_index(static_cast<int32_t>(j))];
    (*out)[j].dtype = t.type;
    (*out)[j].shape.assign(1, n);
    for (int d = 0; d < t.shape.rank; ++d) (*out)[j].shape.push_back(t.shape.dims[d]);
    (*out)[j].bytes.reserve(t.bytes * static_cast<size_t>(n));
    bytes[j] = t.bytes;
    per_sample += t.bytes;
  }
  fw::ResultHeader rh;
  fw::ResultStats rs;
  const size_t expected = sizeof(rh) + per_sample * static_cast<size_t>(n) + sizeof(rs);
  TV_CHECK_OR_RETURN(f.size() == expected, "firmware result: %zu bytes, expected %zu", f.size(),
                     expected);
  std::memcpy(&rh, f.data(), sizeof(rh));
  std::memcpy(&rs, f.data() + f.size() - sizeof(rs), sizeof(rs));
  TV_CHECK_OR_RETURN(rh.magic == fw::kResultMagic && rh.version == fw::kFormatVersion &&
                         rs.magic == fw::kStatsMagic &&
                         rh.num_samples == static_cast<uint32_t>(n) &&
                         rs.samples_done == static_cast<uint32_t>(n),
                     "firmware result: malformed header or trailer");
  const uint8_t* p = f.data() + sizeof(rh);
  for (int64_t b = 0; b < n; ++b)
    for (size_t j = 0; j < out->size(); ++j) {
      (*out)[j].bytes.insert((*out)[j].bytes.end(), p, p + bytes[j]);
      p += bytes[j];
    }
  stats_.arena_bytes = rs.arena_bytes;
  stats_.persistent_bytes = rs.persistent_bytes;
  stats_.static_ram_bytes = rs.static_ram_bytes;
  stats_.stack_peak_bytes = std::max<uint64_t>(stats_.stack_peak_bytes, rs.stack_peak_bytes);
  stats_.heap_peak_bytes = std::max<uint64_t>(stats_.heap_peak_bytes, rs.heap_peak_bytes);
  return Status::Ok();
}

Status QemuExecutor::InvokeBatch(const std::vector<TensorView>& in, int64_t n, bool keep_state,
                                 std::vector<HostTensor>* out) {
  TV_CHECK_OR_RETURN(in.size() == inputs().size(), "model has %zu inputs, got %zu", inputs().size(),
                     in.size());
  TV_CHECK_OR_RETURN(n > 0 && n < (int64_t{1} << 31), "batch of %lld samples",
                     static_cast<long long>(n));
  ScratchDir dir;
  TV_RETURN_IF_ERROR(dir.Create());
  TV_RETURN_IF_ERROR(WriteJob(dir.path() + "/job.bin", in, n, keep_state));
  std::string plugin;
  if (options_.count_instructions) {
    std::error_code ec;
    TV_CHECK_OR_RETURN(std::filesystem::is_regular_file(plugin_, ec),
                       "instruction-count plugin %s not found (built with the firmware)",
                       plugin_.c_str());
    plugin = plugin_;
  }
  QemuRun run;
  TV_RETURN_IF_ERROR(RunQemu(*board_, elf_, plugin, dir.path(), options_.timeout_seconds, &run));
  ++stats_.boots;
  stats_.qemu_seconds += run.wall_seconds;
  stats_.qemu_cpu_seconds += run.cpu_seconds;
  if (run.exit_status != fw::kExitOk)
    return Status::Error("%s", ExplainQemuExit(*board_, run).c_str());
  // Exit status 0 without a complete result: something in the image ended the run early
  // (a stray exit()).
  const std::string ended_early = std::string(board_->target) + " firmware (QEMU " +
                                  board_->machine +
                                  ") exited with status 0 without a complete result";
  TV_RETURN_IF_ERROR(ReadResult(dir.path() + "/result.bin", n, out).Prefixed(ended_early.c_str()));
  if (options_.count_instructions) {
    std::vector<uint64_t> counts;
    TV_RETURN_IF_ERROR(ReadInstructionCounts(dir.path() + "/counts.txt", n, &counts));
    stats_.instructions.insert(stats_.instructions.end(), counts.begin(), counts.end());
  }
  stats_.samples += n;
  return Status::Ok();
}

}  // namespace tv
