/* tv_insn_count: a TCG plugin for QEMU 7.2 (plugin API version 1) that counts executed guest
 * instructions exactly and records the running total each time the firmware calls tv_mark()
 * (once before and once after every inference). Debian's qemu-system-arm exports the plugin
 * API but ships no qemu-plugin.h, so the few calls used are declared here; they match QEMU
 * 7.2's include/qemu/qemu-plugin.h.
 *
 * Usage: -plugin libtv_insn_count.so,out=FILE   FILE gets "total N", "marks K", then K lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum { kInlineAddU64 = 0 }; /* QEMU_PLUGIN_INLINE_ADD_U64 */
enum { kCbNoRegs = 0 };     /* QEMU_PLUGIN_CB_NO_REGS */

#define TV_API __attribute__((visibility("default")))
TV_API int qemu_plugin_version = 1;

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           void (*cb)(qemu_plugin_id_t, struct qemu_plugin_tb*));
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb* tb);
struct qemu_plugin_insn* qemu_plugin_tb_get_insn(const struct qemu_plugin_tb* tb, size_t idx);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn* insn, int op, void* ptr,
                                                uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn* insn,
                                            void (*cb)(unsigned int, void*), int flags,
                                            void* userdata);
const char* qemu_plugin_insn_symbol(const struct qemu_plugin_insn* insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, void (*cb)(qemu_plugin_id_t, void*),
                                    void* userdata);

static uint64_t g_total; /* single vCPU: Cortex-M boards have one core */
static uint64_t* g_marks;
static size_t g_num_marks, g_cap_marks;
static char g_out_path[4096];

static void OnMark(unsigned int vcpu, void* userdata) {
  (void)vcpu;
  (void)userdata;
  if (g_num_marks == g_cap_marks) {
    size_t cap = g_cap_marks ? 2 * g_cap_marks : 1024;
    uint64_t* grown = realloc(g_marks, cap * sizeof(uint64_t));
    if (grown == NULL) return; /* the host notices the missing marks */
    g_marks = grown;
    g_cap_marks = cap;
  }
  g_marks[g_num_marks++] = g_total;
}

static void OnTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
    qemu_plugin_register_vcpu_insn_exec_inline(insn, kInlineAddU64, &g_total, 1);
    /* tv_mark() is a single `bx lr`, so every instruction inside it is its entry. */
    const char* sym = qemu_plugin_insn_symbol(insn);
    if (sym != NULL && strcmp(sym, "tv_mark") == 0)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, OnMark, kCbNoRegs, NULL);
  }
}

static void OnExit(qemu_plugin_id_t id, void* userdata) {
  (void)id;
  (void)userdata;
  FILE* f = fopen(g_out_path, "w");
  if (f == NULL) return;
  fprintf(f, "total %llu\nmarks %zu\n", (unsigned long long)g_total, g_num_marks);
  for (size_t i = 0; i < g_num_marks; ++i) fprintf(f, "%llu\n", (unsigned long long)g_marks[i]);
  fclose(f);
}

TV_API int qemu_plugin_install(qemu_plugin_id_t id, const void* info, int argc, char** argv) {
  (void)info;
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "out=", 4) == 0 && strlen(argv[i] + 4) < sizeof(g_out_path))
      strcpy(g_out_path, argv[i] + 4);
  }
  if (g_out_path[0] == '\0') {
    fprintf(stderr, "tv_insn_count: missing out=FILE argument\n");
    return -1;
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, OnTranslate);
  qemu_plugin_register_atexit_cb(id, OnExit, NULL);
  return 0;
}
