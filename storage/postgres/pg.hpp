// libpq as the PostgreSQL engine uses it: a connection, statements written with named parameters
// (":name", as the SQLite engine writes them) and prepared once per connection, results read by
// row and column, and failures as pg::Error carrying PostgreSQL's SQLSTATE. Every value travels
// as text; the server infers each parameter's type from where the statement uses it.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace microalign::storage::pg {

// A failed call. `sqlstate` is PostgreSQL's five-character code ("" when the connection itself
// failed). The message is the server's, which never holds parameter values.
struct Error : std::runtime_error {
  Error(std::string message, std::string sqlstate)
      : std::runtime_error(std::move(message)), sqlstate(std::move(sqlstate)) {}
  std::string sqlstate;
  // A deadlock or a serialization failure: the transaction was undone and may simply run again.
  bool conflict() const { return sqlstate == "40001" || sqlstate == "40P01"; }
};

class Result {
 public:
  explicit Result(PGresult* result) : result_(result, &PQclear) {}
  int rows() const { return PQntuples(result_.get()); }
  bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string text(int row, int column) const;    // "" for NULL
  std::int64_t int64(int row, int column) const;  // 0 for NULL
  std::optional<std::string> optional_text(int row, int column) const;
  std::optional<std::int64_t> optional_int64(int row, int column) const;
  std::size_t affected() const;  // rows an INSERT, UPDATE or DELETE changed

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

class Connection {
 public:
  // Connects to `uri` (any libpq connection string; PGPASSFILE and the other PG* variables
  // apply). Throws Error naming the server without the password.
  explicit Connection(const std::string& uri);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // "postgresql://user@host:port/database": the server as messages may name it (no password).
  const std::string& name() const { return name_; }

  // Statements without parameters (several, separated by ';', may go at once).
  void exec(const std::string& sql);
  bool in_transaction() const;
  // After the server went away: connects again (prepared statements are made again on use).
  // Throws Error when it cannot.
  void reconnect_if_broken();

  struct Prepared {
    std::string statement;            // the server-side name
    std::vector<std::string> params;  // parameter names in $n order
  };
  // The statement for `sql`, prepared on this connection the first time it is used.
  const Prepared& prepare(const std::string& sql);
  Result run(const Prepared&, const std::vector<std::optional<std::string>>& values);

  PGconn* raw() { return conn_; }

 private:
  [[noreturn]] void fail(PGresult* result);
  PGconn* conn_;
  std::string name_;
  std::unordered_map<std::string, Prepared> prepared_;
};

// One run of a statement: bind values to its :names, then run() it. Binding a name the statement
// does not use is a programming error (std::logic_error).
class Query {
 public:
  Query(Connection&, const std::string& sql);
  Query& bind(std::string_view name, std::string_view value);
  Query& bind(std::string_view name, const char* value) { return bind(name, std::string_view(value)); }
  Query& bind(std::string_view name, const std::string& value) { return bind(name, std::string_view(value)); }
  Query& bind(std::string_view name, std::int64_t value);
  Query& bind(std::string_view name, int value) { return bind(name, static_cast<std::int64_t>(value)); }
  Query& bind(std::string_view name, bool value) { return bind(name, static_cast<std::int64_t>(value ? 1 : 0)); }
  Query& bind_null(std::string_view name);
  template <typename T>
  Query& bind(std::string_view name, const std::optional<T>& value) {
    return value ? bind(name, *value) : bind_null(name);
  }
  Result run();

 private:
  std::size_t slot(std::string_view name) const;
  Connection& connection_;
  const Connection::Prepared& prepared_;
  std::vector<std::optional<std::string>> values_;
};

// The SQL with each distinct :name turned into $1, $2 … (in order of first use), and those names.
// Quoted text ('…', "…") and casts (::type) are left as they are.
std::pair<std::string, std::vector<std::string>> positional(std::string_view sql);

}  // namespace microalign::storage::pg
