#include "compare/qemu_target.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "compare/file_io.h"

namespace tv {

namespace {

const QemuBoard kBoards[] = {
    // mps2-an386: 4 MiB SSRAM1 code memory, 4 MiB SSRAM2/3 data memory.
    {"cortex-m4", "mps2-an386", 4096, 4096},
    // mps2-an500: 4 MiB code, 4 MiB SRAM.
    {"cortex-m7", "mps2-an500", 4096, 4096},
    // mps3-an547: 2 MiB SRAM for code + weights, 4 MiB ISRAM for data (the 512 KiB ITCM/DTCM
    // alone would not hold most MLPerf Tiny models).
    {"cortex-m55", "mps3-an547", 2048, 4096},
};

bool IsFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Searches PATH (or $TV_QEMU) for qemu-system-arm.
std::string FindQemuBinary() {
  if (const char* env = std::getenv("TV_QEMU"); env != nullptr && *env != '\0') return env;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/qemu-system-arm";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

uint32_t Le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
uint16_t Le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }

// Last line of `text` that starts with `prefix`, without the prefix ("" if none).
std::string LastLineWith(const std::string& text, const std::string& prefix) {
  std::string found, line;
  std::stringstream lines(text);
  while (std::getline(lines, line))
    if (line.compare(0, prefix.size(), prefix) == 0) found = line.substr(prefix.size());
  return found;
}

// Value of " name=0x..." in the firmware's fault line (startup.cc ReportFault).
bool FaultField(const std::string& fault, const char* name, uint32_t* value) {
  const std::string key = std::string(" ") + name + "=0x";
  const size_t at = fault.find(key);
  if (at == std::string::npos) return false;
  *value = static_cast<uint32_t>(std::strtoul(fault.c_str() + at + key.size(), nullptr, 16));
  return true;
}

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08lx", static_cast<unsigned long>(v));
  return buf;
}

// The fault status registers (ARMv7-M / ARMv8-M System Control Block) in words: "bus error
// on data access at 0xf0000000", "undefined instruction"; "" when nothing is flagged.
std::string DescribeFault(const std::string& fault) {
  struct Bit {
    int bit;
    const char* what;
  };
  static const Bit kCfsr[] = {
      {0, "MPU violation on instruction fetch"},
      {1, "MPU violation on data access"},
      {3, "MPU violation unstacking"},
      {4, "MPU violation stacking"},
      {5, "MPU violation in lazy FP stacking"},
      {8, "bus error on instruction fetch"},
      {9, "bus error on data access"},
      {10, "imprecise bus error on data access"},
      {11, "bus error unstacking"},
      {12, "bus error stacking"},
      {13, "bus error in lazy FP stacking"},
      {16, "undefined instruction"},
      {17, "invalid state (branch to an even address?)"},
      {18, "invalid exception return"},
      {19, "coprocessor/FPU instruction with the coprocessor off"},
      {20, "stack overflow (stack limit)"},
      {24, "unaligned access"},
      {25, "divide by zero"},
  };
  constexpr int kMmarValid = 7, kBfarValid = 15;
  constexpr uint32_t kHfsrVectorTable = 1u << 1;
  uint32_t cfsr = 0, hfsr = 0, mmfar = 0, bfar = 0;
  if (!FaultField(fault, "cfsr", &cfsr)) return "";
  FaultField(fault, "hfsr", &hfsr);
  FaultField(fault, "mmfar", &mmfar);
  FaultField(fault, "bfar", &bfar);
  std::string text;
  for (const Bit& b : kCfsr) {
    if ((cfsr >> b.bit & 1u) == 0) continue;
    text += (text.empty() ? "" : ", ") + std::string(b.what);
    if (b.bit == 1 && (cfsr >> kMmarValid & 1u)) text += " at " + Hex32(mmfar);
    if (b.bit == 9 && (cfsr >> kBfarValid & 1u)) text += " at " + Hex32(bfar);
  }
  if (text.empty() && (hfsr & kHfsrVectorTable)) text = "bus error reading the vector table";
  return text;
}

std::string Where(const QemuBoard& board) {
  return std::string(board.target) + " firmware (QEMU " + board.machine + ")";
}

}  // namespace

// QEMU 7.2 aborts (SIGABRT) when the guest core locks up, a fault it cannot take because it
// is already at HardFault priority; stderr then holds "qemu: fatal: Lockup: ..." and a
// register dump with the PC.
std::string ExplainQemuSignal(const QemuBoard& board, const QemuRun& run, int signal) {
  const size_t lockup = run.console.rfind("Lockup: ");
  if (lockup != std::string::npos) {
    const size_t from = lockup + std::strlen("Lockup: ");
    const std::string why = run.console.substr(from, run.console.find('\n', from) - from);
    const size_t r15 = run.console.find("R15=");
    const std::string pc =
        r15 == std::string::npos ? "" : " at pc=0x" + run.console.substr(r15 + 4, 8);
    return Where(board) + ": CPU lockup" + pc + " (a fault the core could not take: " + why + ")";
  }
  std::string last = LastLineWith(run.console, "");
  if (last.size() > 200) last.resize(200);
  return Where(board) + ": QEMU was killed by signal " + std::to_string(signal) + " (" +
         strsignal(signal) + ")" + (last.empty() ? "" : " — " + last);
}

const QemuBoard* FindQemuBoard(const std::string& target) {
  for (const QemuBoard& b : kBoards)
    if (target == b.target) return &b;
  return nullptr;
}

std::string QemuTargetNames() {
  std::string names;
  for (const QemuBoard& b : kBoards) names += (names.empty() ? "" : ", ") + std::string(b.target);
  return names;
}

Status FindFirmware(const QemuBoard& board, std::string* elf_path, std::string* plugin_path) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("TV_FIRMWARE_DIR"); env != nullptr && *env != '\0')
    dirs.push_back(env);
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path dir = exe.parent_path();
    for (const char* rel : {"firmware", "../firmware", "../../firmware"})
      dirs.push_back((dir / rel).lexically_normal().string());
  }
  for (const std::string& dir : dirs) {
    const std::string elf = dir + "/" + board.target + "/tvfw.elf";
    if (!IsFile(elf)) continue;
    *elf_path = elf;
    *plugin_path = dir + "/libtv_insn_count.so";
    return Status::Ok();
  }
  return Status::Error(
      "no firmware image for %s (looked for %s/tvfw.elf under $TV_FIRMWARE_DIR and the build "
      "tree's firmware/ directory; it is built when arm-none-eabi-g++ is installed)",
      board.target, board.target);
}

Status ReadFirmwareImage(const std::string& elf_path, FirmwareImage* out) {
  FileBytes f;
  TV_RETURN_IF_ERROR(ReadFileBytes(elf_path, &f).Prefixed(elf_path.c_str()));
  const uint8_t* d = f.data();
  const size_t n = f.size();
  TV_CHECK_OR_RETURN(n >= 52 &&
                         std::memcmp(d,
                                     "\x7f"
                                     "ELF",
                                     4) == 0 &&
                         d[4] == 1 && d[5] == 1,
                     "%s: not a 32-bit little-endian ELF file", elf_path.c_str());
  const uint64_t shoff = Le32(d + 0x20);
  const uint64_t shentsize = Le16(d + 0x2E), shnum = Le16(d + 0x30), shstrndx = Le16(d + 0x32);
  TV_CHECK_OR_RETURN(shentsize >= 40 && shstrndx < shnum && shoff + shnum * shentsize <= n,
                     "%s: section header table out of bounds", elf_path.c_str());
  const uint8_t* strtab_hdr = d + shoff + shstrndx * shentsize;
  const uint64_t str_off = Le32(strtab_hdr + 16), str_size = Le32(strtab_hdr + 20);
  TV_CHECK_OR_RETURN(str_off + str_size <= n, "%s: section names out of bounds", elf_path.c_str());
  constexpr uint32_t kShtNobits = 8, kShfWrite = 1, kShfAlloc = 2;
  *out = FirmwareImage();
  for (uint64_t i = 0; i < shnum; ++i) {
    const uint8_t* sh = d + shoff + i * shentsize;
    const uint32_t name = Le32(sh), type = Le32(sh + 4), flags = Le32(sh + 8), size = Le32(sh + 20);
    if ((flags & kShfAlloc) == 0) continue;
    std::string sname;
    if (name < str_size)
      sname.assign(reinterpret_cast<const char*>(d + str_off + name),
                   strnlen(reinterpret_cast<const char*>(d + str_off + name), str_size - name));
    if (sname == ".stack") {
      out->stack_bytes = size;
      continue;
    }
    if (type != kShtNobits) out->code_bytes += size;  // .data's initial image sits in flash too
    if (flags & kShfWrite) out->static_ram_bytes += size;
  }
  return Status::Ok();
}

Status RunQemu(const QemuBoard& board, const std::string& elf, const std::string& plugin_path,
               const std::string& work_dir, double timeout_seconds, QemuRun* run) {
  const std::string qemu = FindQemuBinary();
  TV_CHECK_OR_RETURN(!qemu.empty(),
                     "qemu-system-arm not found in PATH (install it: scripts/setup.sh)");
  std::vector<std::string> args = {qemu,
                                   "-M",
                                   board.machine,
                                   "-display",
                                   "none",
                                   "-serial",
                                   "null",
                                   "-monitor",
                                   "none",
                                   "-no-reboot",
                                   "-semihosting-config",
                                   "enable=on,target=native,arg=tvfw,arg=job.bin,arg=result.bin",
                                   "-kernel",
                                   elf};
  if (!plugin_path.empty()) {
    args.push_back("-plugin");
    args.push_back(plugin_path + ",out=counts.txt");
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string console_path = work_dir + "/console.txt";

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  TV_CHECK_OR_RETURN(pid >= 0, "fork failed: %s", std::strerror(errno));
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    if (::chdir(work_dir.c_str()) != 0) ::_exit(125);
    // QEMU aborts on a guest CPU lockup; no core file for that.
    const struct rlimit no_core = {0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    const int null_fd = ::open("/dev/null", O_RDWR);
    const int log_fd = ::open(console_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (null_fd < 0 || log_fd < 0) ::_exit(125);
    ::dup2(null_fd, 0);
    ::dup2(null_fd, 1);
    ::dup2(log_fd, 2);
    ::execv(argv[0], argv.data());
    ::_exit(125);
  }
  int status = 0;
  bool timed_out = false;
  struct rusage usage = {};
  for (;;) {
    const pid_t r = ::wait4(pid, &status, WNOHANG, &usage);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) return Status::Error("waitpid failed: %s", std::strerror(errno));
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed > timeout_seconds) {
      ::kill(pid, SIGKILL);
      ::wait4(pid, &status, 0, &usage);
      timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(elapsed < 1.0 ? 2 : 20));
  }
  run->wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run->cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  std::ifstream console(console_path);
  std::stringstream text;
  text << console.rdbuf();
  run->console = text.str();
  TV_CHECK_OR_RETURN(!timed_out,
                     "%s: did not finish within %g s and was killed (the firmware hangs, or the "
                     "batch needs a longer --qemu-timeout)",
                     Where(board).c_str(), timeout_seconds);
  if (WIFSIGNALED(status))
    return Status::Error("%s", ExplainQemuSignal(board, *run, WTERMSIG(status)).c_str());
  TV_CHECK_OR_RETURN(WIFEXITED(status), "%s: QEMU ended abnormally", board.target);
  run->exit_status = WEXITSTATUS(status);
  TV_CHECK_OR_RETURN(run->exit_status != 125, "%s: could not start %s", board.target, qemu.c_str());
  return Status::Ok();
}

std::string ExplainQemuExit(const QemuBoard& board, const QemuRun& run) {
  const std::string where = Where(board);
  const std::string error = LastLineWith(run.console, "tvfw: error: ");
  const std::string fault = LastLineWith(run.console, "tvfw: fault: ");
  switch (run.exit_status) {
    case 2:
    case 3:
      return where + ": " + (error.empty() ? "failed without a message" : error);
    case 4:
      return where + ": " + (error.empty() ? "out of device memory" : error);
    case 127: {
      if (fault.empty()) return where + " crashed (no fault report)";
      const std::string cause = DescribeFault(fault);
      return where + " crashed" + (cause.empty() ? "" : " (" + cause + ")") + ": " + fault;
    }
    default:
      break;
  }
  if (run.console.find("Lockup") != std::string::npos)
    return where + ": CPU lockup (a fault while handling a fault); QEMU exit status " +
           std::to_string(run.exit_status);
  std::string last = LastLineWith(run.console, "");
  if (last.size() > 200) last.resize(200);
  return where + ": exit status " + std::to_string(run.exit_status) +
         (last.empty() ? " (no message)" : " — " + last);
}

Status ReadInstructionCounts(const std::string& path, int64_t samples,
                             std::vector<uint64_t>* per_inference) {
  std::ifstream f(path);
  TV_CHECK_OR_RETURN(f.good(), "%s: instruction-count plugin wrote no result", path.c_str());
  std::string word;
  unsigned long long total = 0, marks = 0;
  TV_CHECK_OR_RETURN(
      (f >> word >> total) && word == "total" && (f >> word >> marks) && word == "marks",
      "%s: malformed instruction counts", path.c_str());
  TV_CHECK_OR_RETURN(marks == static_cast<unsigned long long>(2 * samples),
                     "%s: %llu inference marks for %lld samples", path.c_str(), marks,
                     static_cast<long long>(samples));
  per_inference->clear();
  for (int64_t i = 0; i < samples; ++i) {
    unsigned long long begin = 0, end = 0;
    TV_CHECK_OR_RETURN((f >> begin >> end) && end >= begin, "%s: malformed mark %lld", path.c_str(),
                       static_cast<long long>(i));
    per_inference->push_back(end - begin);
  }
  return Status::Ok();
}

}  // namespace tv
