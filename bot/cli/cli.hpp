// The command-line verbs. Each takes the arguments after its name and returns the exit status:
// 0 done, 1 failed while working, 2 wrong usage or configuration.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "microalign/core/model.hpp"

namespace microalign::cli {

using Args = std::vector<std::string>;

int run(const Args&);
int parse(const Args&);
int export_updates(const Args&);
int digest(const Args&);
int nudges(const Args&);
int doctor(const Args&);
int sandbox(const Args&);

// Dispatches `microalign <verb> …`; prints the overview for no verb, `help` or `--help`.
int main(const Args&);

// True when the arguments ask for help (`-h`, `--help`).
bool wants_help(const Args&);

// Prints "microalign: <message>" to stderr and returns 2 (wrong usage / configuration).
int usage_error(const std::string& message, const std::string& verb);

}  // namespace microalign::cli

namespace microalign {
struct Config;
}

namespace microalign::storage {
class Store;
class Transactions;
}  // namespace microalign::storage

namespace microalign::cli {

// For the verbs that use the database in MICROALIGN_DB: loads the configuration, opens the
// existing database and runs `use` on it (reads through the Store, writes as Transactions, with
// the configuration loaded),
// turning configuration and storage problems into one line on stderr and the exit status (2 or
// 1). Returns what `use` returned otherwise.
int with_database(const std::string& verb,
                  const std::function<int(storage::Store&, storage::Transactions&, const Config&)>& use);

// True when `t` is later than `now` by more than a little clock skew: what is sent now cannot
// be about then.
bool is_future(SysTime t, SysTime now);

}  // namespace microalign::cli
