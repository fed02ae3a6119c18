// Reading updates whole (with their tickets and links) for any selection of rows: the Store's own
// reads and the digest queries share it, so there is one way of turning rows into Updates.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "microalign/core/model.hpp"

namespace microalign::storage {

// A WHERE clause built from the conditions asked for, and the values of their parameters. Only
// the conditions given are written, so that SQLite can pick the index for exactly those.
class Selection {
 public:
  using Value = std::variant<std::string, std::int64_t>;
  using Param = std::pair<std::string, Value>;

  // Adds `condition` (ANDed with the others) and the values of the parameters it names.
  void require(std::string condition, std::vector<Param> params = {});

  const std::string& where() const { return where_; }  // "" or " WHERE a AND b"
  void bind(SQLite::Statement&) const;

 private:
  std::string where_;
  std::vector<Param> params_;
};

// Every update matched by `selection` (conditions over `updates u`), by id ascending, with its
// tickets and links.
std::vector<Update> select_updates(SQLite::Database&, const Selection& selection);

// The updates with these ids (in any order, repeats allowed), by id ascending, whole.
std::vector<Update> updates_by_id(SQLite::Database&, const std::vector<std::int64_t>& ids);

template <typename Enum>
Enum enum_from_sql(std::optional<Enum> value, const char* column) {
  // The schema's CHECKs make this unreachable short of a file edited by hand.
  if (!value) throw SQLite::Exception(std::string("unknown value in column ") + column);
  return *value;
}

}  // namespace microalign::storage
