// report_demo: writes the reports of a synthetic verify run, to look at them without models.
//   report_demo <dir> [variants] [classification|regression] [samples]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "reports/report_writer.h"
#include "reports/synthetic_run.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: report_demo <dir> [variants] [classification|regression] [samples]\n");
    return 2;
  }
  tv::reports::SyntheticOptions o;
  if (argc > 2) o.variants = std::atoi(argv[2]);
  if (argc > 3) o.regression = std::string(argv[3]) == "regression";
  if (argc > 4) o.samples = std::atoll(argv[4]);
  tv::verify::VerifyResult r;
  tv::Status s = tv::reports::RunSynthetic(o, &r);
  if (s.ok()) s = tv::reports::WriteAll(r, argv[1]);
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.message());
    return 2;
  }
  std::fputs(tv::reports::RenderSummary(r).c_str(), stdout);
  return 0;
}
