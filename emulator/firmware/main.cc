// tvfw: the tinyverify interpreter as a bare-metal Cortex-M image. One boot runs a whole batch:
// command line "tvfw JOB RESULT" (semihosting), JOB = model + samples, RESULT = outputs +
// device statistics (job_format.h). The model arrives at run time, so one image serves every
// model; only the reference kernels are compiled in.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "emulator/firmware/job_format.h"
#include "emulator/firmware/runtime.h"
#include "emulator/firmware/semihosting.h"
#include "emulator/interpreter.h"
#include "emulator/model.h"

namespace tv {
namespace fw {
namespace {

struct Job {
  JobHeader header;
  uint32_t input_bytes[kMaxTensors];
  uint32_t output_bytes[kMaxTensors];
};

// Splits the semihosting command line "tvfw JOB RESULT" in place.
void ParseCommandLine(char* line, const char** job, const char** result) {
  const char* words[3] = {nullptr, nullptr, nullptr};
  int n = 0;
  for (char* p = line; *p != '\0' && n < 3;) {
    while (*p == ' ') *p++ = '\0';
    if (*p == '\0') break;
    words[n++] = p;
    while (*p != '\0' && *p != ' ') ++p;
  }
  if (n != 3) Fail(kExitBadJob, "expected command line 'tvfw JOB RESULT', got %d word(s)", n);
  *job = words[1];
  *result = words[2];
}

void ReadJobHeader(int32_t in, const char* path, Job* job) {
  if (!ShRead(in, &job->header, sizeof(job->header)))
    Fail(kExitBadJob, "%s: truncated header", path);
  const JobHeader& h = job->header;
  if (h.magic != kJobMagic || h.version != kFormatVersion)
    Fail(kExitBadJob, "%s: not a version-%lu job file", path,
         static_cast<unsigned long>(kFormatVersion));
  if (h.test_trap > kTrapLast)
    Fail(kExitBadJob, "%s: unknown test trap %lu", path, static_cast<unsigned long>(h.test_trap));
  if (h.num_inputs > kMaxTensors || h.num_outputs > kMaxTensors)
    Fail(kExitBadJob, "%s: %lu inputs / %lu outputs (limit %lu)", path,
         static_cast<unsigned long>(h.num_inputs), static_cast<unsigned long>(h.num_outputs),
         static_cast<unsigned long>(kMaxTensors));
  if (!ShRead(in, job->input_bytes, h.num_inputs * sizeof(uint32_t)) ||
      !ShRead(in, job->output_bytes, h.num_outputs * sizeof(uint32_t)))
    Fail(kExitBadJob, "%s: truncated tensor size table", path);
}

// Nothing answers here on the mps2/mps3 boards (system address space above the PPB), so a load
// is a precise BusFault, escalated to HardFault.
constexpr uintptr_t kUnmappedAddress = 0xF0000000u;

// Test-only deliberate failures (job_format.h kTrap*): each ends the boot the way a broken
// kernel would, so the host's fault, lockup and timeout handling can be tested for real.
void SpringTestTrap(uint32_t trap) {
  switch (trap) {
    case kTrapBadAddress: {
      const uint32_t value = *reinterpret_cast<volatile uint32_t*>(kUnmappedAddress);
      Fail(kExitModelError, "read 0x%08lx from unmapped memory without a fault",
           static_cast<unsigned long>(value));
    }
    case kTrapUndefined:
      asm volatile("udf #0" ::: "memory");
      Fail(kExitModelError, "undefined instruction executed without a fault");
    case kTrapHang:
      for (;;) asm volatile("" ::: "memory");
    case kTrapLockup:
      // FAULTMASK raises the priority to HardFault's own, so the fault cannot be handled.
      asm volatile("cpsid f\n udf #0" ::: "memory");
      Fail(kExitModelError, "fault at HardFault priority without a lockup");
    case kTrapFullStack:
      TouchStackBottom();
      break;
    case kTrapExit:
      std::exit(kExitOk);
    default:
      break;
  }
}

// The interpreter's tensors must have exactly the sizes the host planned for.
void CheckSizes(Interpreter& interp, const Job& job) {
  const JobHeader& h = job.header;
  if (static_cast<uint32_t>(interp.num_inputs()) != h.num_inputs ||
      static_cast<uint32_t>(interp.num_outputs()) != h.num_outputs)
    Fail(kExitBadJob, "model has %ld inputs / %ld outputs, job says %lu / %lu",
         static_cast<long>(interp.num_inputs()), static_cast<long>(interp.num_outputs()),
         static_cast<unsigned long>(h.num_inputs), static_cast<unsigned long>(h.num_outputs));
  for (uint32_t i = 0; i < h.num_inputs; ++i)
    if (interp.input(static_cast<int32_t>(i))->bytes != job.input_bytes[i])
      Fail(kExitBadJob, "input %lu: model needs %lu bytes, job gives %lu",
           static_cast<unsigned long>(i),
           static_cast<unsigned long>(interp.input(static_cast<int32_t>(i))->bytes),
           static_cast<unsigned long>(job.input_bytes[i]));
  for (uint32_t j = 0; j < h.num_outputs; ++j)
    if (interp.output(static_cast<int32_t>(j))->bytes != job.output_bytes[j])
      Fail(kExitBadJob, "output %lu: model has %lu bytes, job expects %lu",
           static_cast<unsigned long>(j),
           static_cast<unsigned long>(interp.output(static_cast<int32_t>(j))->bytes),
           static_cast<unsigned long>(job.output_bytes[j]));
}

int Run() {
  PaintStack();
  static char line[512];
  if (!ShCommandLine(line, sizeof(line))) Fail(kExitBadJob, "no semihosting command line");
  const char* job_path;
  const char* result_path;
  ParseCommandLine(line, &job_path, &result_path);

  const int32_t in = ShOpen(job_path, OpenMode::kReadBinary);
  if (in < 0) Fail(kExitBadJob, "%s: cannot open", job_path);
  static Job job;
  ReadJobHeader(in, job_path, &job);
  const JobHeader& h = job.header;

  // The model stays resident for the whole batch (weights are read in place, like flash).
  uint8_t* model_block = static_cast<uint8_t*>(std::malloc(h.model_bytes + 16));
  if (model_block == nullptr)
    Fail(kExitOutOfMemory, "out of device heap: model needs %lu bytes",
         static_cast<unsigned long>(h.model_bytes));
  uint8_t* model_bytes = reinterpret_cast<uint8_t*>(
      (reinterpret_cast<uintptr_t>(model_block) + 15) & ~static_cast<uintptr_t>(15));
  if (!ShRead(in, model_bytes, h.model_bytes)) Fail(kExitBadJob, "%s: truncated model", job_path);

  Model model;
  Status s = model.Load(model_bytes, h.model_bytes);
  if (!s.ok()) Fail(kExitModelError, "model: %s", s.message());
  Interpreter interp;
  s = interp.Init(model);
  if (!s.ok()) Fail(kExitModelError, "model: %s", s.message());
  CheckSizes(interp, job);

  const int32_t out = ShOpen(result_path, OpenMode::kWriteBinary);
  if (out < 0) Fail(kExitBadJob, "%s: cannot create", result_path);
  const ResultHeader rh = {kResultMagic, kFormatVersion, h.num_samples, h.num_outputs};
  if (!ShWrite(out, &rh, sizeof(rh))) Fail(kExitBadJob, "%s: write failed", result_path);

  for (uint32_t n = 0; n < h.num_samples; ++n) {
    if ((h.flags & kFlagKeepState) == 0) interp.ResetVariables();
    for (uint32_t i = 0; i < h.num_inputs; ++i) {
      Tensor* t = interp.input(static_cast<int32_t>(i));
      if (!ShRead(in, t->data, t->bytes))
        Fail(kExitBadJob, "%s: truncated at sample %lu", job_path, static_cast<unsigned long>(n));
    }
    tv_mark();
    if (n == 0) SpringTestTrap(h.test_trap);
    s = interp.Invoke();
    tv_mark();
    if (!s.ok())
      Fail(kExitModelError, "sample %lu: %s", static_cast<unsigned long>(n), s.message());
    for (uint32_t j = 0; j < h.num_outputs; ++j) {
      const Tensor* t = interp.output(static_cast<int32_t>(j));
      if (!ShWrite(out, t->data, t->bytes)) Fail(kExitBadJob, "%s: write failed", result_path);
    }
  }
  if (!interp.GuardsIntact()) Fail(kExitModelError, "a kernel wrote outside the arena");
  // The stack sits right above .bss with no guard below it (no MPU region, no MSPLIM on
  // v7-M): a run that used all of it may have overwritten static data, so its outputs are void.
  if (StackPeakBytes() >= StackSizeBytes())
    Fail(kExitModelError, "stack overflow: the whole %lu KiB main stack was used",
         static_cast<unsigned long>(StackSizeBytes() / 1024));

  ResultStats st = {};
  st.magic = kStatsMagic;
  st.samples_done = h.num_samples;
  st.arena_bytes = static_cast<uint32_t>(interp.arena_bytes());
  st.persistent_bytes = static_cast<uint32_t>(interp.persistent_bytes());
  st.heap_peak_bytes = HeapPeakBytes();
  st.stack_peak_bytes = StackPeakBytes();
  st.stack_size_bytes = StackSizeBytes();
  st.static_ram_bytes = StaticRamBytes();
  if (!ShWrite(out, &st, sizeof(st))) Fail(kExitBadJob, "%s: write failed", result_path);
  ShClose(out);
  ShClose(in);
  return kExitOk;
}

}  // namespace
}  // namespace fw
}  // namespace tv

int main() { return tv::fw::Run(); }
