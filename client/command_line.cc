#include "client/command_line.h"

#include <algorithm>
#include <iostream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/admin_commands.h"
#include "client/audit_commands.h"
#include "client/catalog_commands.h"
#include "client/checkpoint_commands.h"
#include "client/client_rights_commands.h"
#include "client/log_commands.h"
#include "client/planning_commands.h"
#include "client/principal_commands.h"
#include "client/session_commands.h"
#include "client/stock_commands.h"
#include "client/witness_commands.h"
#include "service/domain/text.h"

namespace smptrace::client {
namespace {

// The option `name` ("--server", "-h") of `app` or of an app above it
// (options fall through to the parents), or nullptr.
const CLI::Option* FindOption(const CLI::App* app, const std::string& name) {
  for (; app != nullptr; app = app->get_parent()) {
    if (const CLI::Option* o = app->get_option_no_throw(name)) return o;
  }
  return nullptr;
}

bool HasPositionals(const CLI::App* app) {
  return !app->get_options(
                 [](const CLI::Option* o) { return o->get_positional(); })
              .empty();
}

}  // namespace

std::string ClosestName(const std::string& word,
                        const std::vector<std::string>& names) {
  std::string best;
  size_t best_distance = 0;
  for (const std::string& name : names) {
    const size_t d = domain::EditDistance(word, name);
    if (best.empty() || d < best_distance) {
      best = name;
      best_distance = d;
    }
  }
  if (best.empty() || best_distance > 2 || 2 * best_distance >= word.size()) {
    return "";
  }
  return best;
}

std::string UnknownCommandMessage(CLI::App& app,
                                  const std::vector<std::string>& args) {
  const CLI::App* current = &app;
  std::string path;  // the commands matched so far: "session "
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") return "";
    if (absl::StartsWith(arg, "-")) {
      if (arg.find('=') != std::string::npos) continue;
      const CLI::Option* option = FindOption(current, arg);
      if (option != nullptr && option->get_expected_max() > 0) ++i;
      continue;
    }
    std::vector<std::string> names;
    const CLI::App* next = nullptr;
    for (const CLI::App* sub :
         current->get_subcommands([](const CLI::App*) { return true; })) {
      if (sub->check_name(arg)) next = sub;
      names.push_back(sub->get_name());
    }
    if (next != nullptr) {
      absl::StrAppend(&path, next->get_name(), " ");
      current = next;
      continue;
    }
    // A word where a command is expected (not an argument of this one).
    if (names.empty() || HasPositionals(current)) return "";
    const std::string closest = ClosestName(arg, names);
    std::sort(names.begin(), names.end());
    return absl::StrCat(
        "unknown command '", path, arg, "'",
        closest.empty() ? ""
                        : absl::StrCat("; did you mean '", path, closest, "'?"),
        "\n", path.empty() ? "commands" : "its commands", ": ",
        absl::StrJoin(names, ", "));
  }
  return "";
}

void AddAllCommands(CLI::App& app, const std::function<Connection()>& connect,
                    int* exit_code) {
  AddCatalogCommands(app, connect, exit_code);
  AddAdminCommands(app, connect, exit_code);
  // The session commands add `client`, which the audit commands extend.
  AddSessionCommands(app, connect, exit_code);
  AddStockCommands(app, connect, exit_code);
  AddPlanningCommands(app, connect, exit_code);
  AddAuditCommands(app, connect, exit_code);
  AddClientRightsCommands(app, connect, exit_code);
  AddCheckpointCommands(app, connect, exit_code);
  AddLogCommands(app, connect, exit_code);
  AddWitnessCommands(app, connect, exit_code);
  AddPrincipalCommands(app, connect, exit_code);
}

int RunCommandLine(CLI::App& app, int argc, char** argv, const int* exit_code) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app.exit(e) == 0 ? kExitOk : kExitUsage;  // --help, --version
    }
    const std::string unknown = UnknownCommandMessage(
        app, std::vector<std::string>(argv + std::min(argc, 1), argv + argc));
    if (!unknown.empty()) {
      std::cerr << "error: " << unknown << "\n";
      return kExitUsage;
    }
    std::cerr << "error: " << e.what() << "\n"
              << "(smptrace --help, or smptrace COMMAND --help, says how)\n";
    return kExitUsage;
  }
  return *exit_code;
}

}  // namespace smptrace::client
