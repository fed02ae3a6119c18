#include "pg.hpp"

#include <cctype>
#include <charconv>

namespace microalign::storage::pg {
namespace {

bool starts_name(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool in_name(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::string trimmed(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The URI's parts that are safe to print, as libpq resolved them.
std::string describe(PGconn* conn) {
  const char* host = PQhost(conn);
  std::string name = "postgresql://";
  name.append(PQuser(conn) ? PQuser(conn) : "").append("@");
  // A unix socket's directory is a path: keep it readable rather than percent-encoded.
  name.append(host ? host : "").append(":").append(PQport(conn) ? PQport(conn) : "");
  name.append("/").append(PQdb(conn) ? PQdb(conn) : "");
  return name;
}

}  // namespace

std::string Result::text(int row, int column) const {
  return {PQgetvalue(result_.get(), row, column), static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::int64_t Result::int64(int row, int column) const {
  if (is_null(row, column)) return 0;
  const char* value = PQgetvalue(result_.get(), row, column);
  const char* end = value + PQgetlength(result_.get(), row, column);
  std::int64_t number = 0;
  if (std::from_chars(value, end, number).ec != std::errc{}) {
    throw Error("column " + std::to_string(column) + " is not an integer", "");
  }
  return number;
}

std::optional<std::string> Result::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::optional<std::int64_t> Result::optional_int64(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return int64(row, column);
}

std::size_t Result::affected() const {
  const char* count = PQcmdTuples(result_.get());
  return count == nullptr || *count == '\0' ? 0 : std::stoul(count);
}

Connection::Connection(const std::string& uri) {
  // Later keywords win: the URI may set its own timeout; the name is ours unless it says one.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"10", "microalign", uri.c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn_ == nullptr) throw Error("cannot allocate a PostgreSQL connection", "");
  name_ = describe(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string why = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    throw Error(why, "08001");
  }
  // Every statement's text is ours; a server that would read them under other rules is refused.
  exec("SET standard_conforming_strings = on; SET client_min_messages = warning");
}

Connection::~Connection() { PQfinish(conn_); }

void Connection::fail(PGresult* result) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state != nullptr ? state : "";
  // The primary message only: the detail may quote the row's values ("Key (event_id)=(…)").
  const char* primary = result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message = trimmed(primary);
  if (message.empty()) message = trimmed(PQerrorMessage(conn_));
  PQclear(result);
  throw Error(std::move(message), std::move(sqlstate));
}

void Connection::exec(const std::string& sql) {
  PGresult* result = PQexec(conn_, sql.c_str());
  const auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result);
  PQclear(result);
}

bool Connection::in_transaction() const {
  const auto status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

void Connection::reconnect_if_broken() {
  if (PQstatus(conn_) == CONNECTION_OK) return;
  prepared_.clear();  // they went with the old session
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) throw Error(trimmed(PQerrorMessage(conn_)), "08006");
  exec("SET standard_conforming_strings = on; SET client_min_messages = warning");
}

const Connection::Prepared& Connection::prepare(const std::string& sql) {
  if (const auto found = prepared_.find(sql); found != prepared_.end()) return found->second;
  auto [text, params] = positional(sql);
  Prepared prepared{"s" + std::to_string(prepared_.size() + 1), std::move(params)};
  PGresult* result = PQprepare(conn_, prepared.statement.c_str(), text.c_str(), 0, nullptr);
  if (PQresultStatus(result) != PGRES_COMMAND_OK) fail(result);
  PQclear(result);
  return prepared_.emplace(sql, std::move(prepared)).first->second;
}

Result Connection::run(const Prepared& prepared, const std::vector<std::optional<std::string>>& values) {
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& value : values) pointers.push_back(value ? value->c_str() : nullptr);
  PGresult* result = PQexecPrepared(conn_, prepared.statement.c_str(), static_cast<int>(pointers.size()),
                                    pointers.data(), nullptr, nullptr, 0);
  const auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result);
  return Result(result);
}

Query::Query(Connection& connection, const std::string& sql)
    : connection_(connection), prepared_(connection.prepare(sql)), values_(prepared_.params.size()) {}

std::size_t Query::slot(std::string_view name) const {
  if (!name.empty() && name.front() == ':') name.remove_prefix(1);
  for (std::size_t i = 0; i < prepared_.params.size(); ++i) {
    if (prepared_.params[i] == name) return i;
  }
  throw std::logic_error("the statement has no parameter :" + std::string(name));
}

Query& Query::bind(std::string_view name, std::string_view value) {
  values_[slot(name)] = std::string(value);
  return *this;
}

Query& Query::bind(std::string_view name, std::int64_t value) {
  values_[slot(name)] = std::to_string(value);
  return *this;
}

Query& Query::bind_null(std::string_view name) {
  values_[slot(name)] = std::nullopt;
  return *this;
}

Result Query::run() { return connection_.run(prepared_, values_); }

std::pair<std::string, std::vector<std::string>> positional(std::string_view sql) {
  std::string out;
  std::vector<std::string> names;
  out.reserve(sql.size());
  for (std::size_t i = 0; i < sql.size();) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // copied whole, doubled quotes included
      const std::size_t end = sql.find(c, i + 1);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
      out.append("::");
      i += 2;
    } else if (c == ':' && i + 1 < sql.size() && starts_name(sql[i + 1])) {
      std::size_t end = i + 1;
      while (end < sql.size() && in_name(sql[end])) ++end;
      const std::string name(sql.substr(i + 1, end - i - 1));
      std::size_t index = 0;
      while (index < names.size() && names[index] != name) ++index;
      if (index == names.size()) names.push_back(name);
      out.append("$").append(std::to_string(index + 1));
      i = end;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return {std::move(out), std::move(names)};
}

}  // namespace microalign::storage::pg
