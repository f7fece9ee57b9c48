// tinyverify command-line entry point. Exit codes: 0 ok, 1 a verification gate failed,
// 2 any error (bad input, unsupported model, I/O).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <vector>

#include "tools/cli_error.h"
#include "tools/commands.h"

int main(int argc, char** argv) {
  using namespace tv::cli;
  CLI::App app{"tinyverify — run and verify compressed TinyML models against their float "
               "reference, bit-exact with TensorFlow Lite Micro"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "tinyverify 0.1.0");
  std::vector<std::pair<CLI::App*, Action>> actions;
  Action run = AddRunCommand(app);
  Action inspect = AddInspectCommand(app);
#ifdef TV_HAVE_COMPRESS
  Action compress = AddCompressCommand(app);
#endif
  Action verify = AddVerifyCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitError;
  }
  try {
    if (app.got_subcommand("run")) return run();
    if (app.got_subcommand("inspect")) return inspect();
#ifdef TV_HAVE_COMPRESS
    if (app.got_subcommand("compress")) return compress();
#endif
    if (app.got_subcommand("verify")) return verify();
  } catch (const CliError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: internal: %s\n", e.what());
    return kExitError;
  }
  return kExitError;
}
