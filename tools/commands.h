// Subcommands of the `tinyverify` CLI. Each registers its options on the CLI11 app and
// returns the action to run after parsing.
#ifndef TINYVERIFY_TOOLS_COMMANDS_H_
#define TINYVERIFY_TOOLS_COMMANDS_H_

#include <functional>

namespace CLI {
class App;
}

namespace tv {
namespace cli {

using Action = std::function<int()>;

Action AddRunCommand(CLI::App& app);
Action AddInspectCommand(CLI::App& app);
// Only in builds with the ONNX reference (TV_HAVE_COMPRESS).
Action AddCompressCommand(CLI::App& app);
Action AddVerifyCommand(CLI::App& app);

}  // namespace cli
}  // namespace tv

#endif  // TINYVERIFY_TOOLS_COMMANDS_H_
