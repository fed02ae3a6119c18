#include "microalign/sandbox/adapter.hpp"

#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>

#include "microalign/app/bot.hpp"
#include "microalign/core/export.hpp"
#include "microalign/core/outside_json.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/core/text.hpp"
#include "microalign/sandbox/composer.hpp"
#include "microalign/sandbox/host_check.hpp"
#include "microalign/sandbox/page_json.hpp"
#include "microalign/sandbox/responders.hpp"
#include "microalign/sandbox/sandbox_platform.hpp"
#include "page_assets.hpp"

namespace microalign::sandbox {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

// The form's note: Slack's modal takes 3,000 characters; read up to 4 bytes each.
constexpr std::size_t max_note_bytes = 12 * 1024;

// What every answer carries: nothing is cached, nothing is sniffed, and the page is nobody's frame.
net::ServerResponse answer(unsigned status, std::string content_type, std::string body) {
  net::ServerResponse response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

net::ServerResponse json_answer(unsigned status, const json& body) {
  return answer(status, "application/json; charset=utf-8", body.dump(-1, ' ', false, json::error_handler_t::replace));
}

net::ServerResponse ok() {
  json body;
  body["ok"] = true;
  return json_answer(200, body);
}

net::ServerResponse refuse(unsigned status, const std::string& why) {
  json body;
  body["error"] = why;
  return json_answer(status, body);
}

net::ServerResponse page() {
  auto response = answer(200, "text/html; charset=utf-8", std::string(page_html()));
  // Only the page's own script and style run; it talks to nothing but this server.
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                                "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  return response;
}

// The member `name` of a request's object as a string: "" when absent, nullopt when not a string.
std::optional<std::string> text_field(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::string{};
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// Who the request acts as: a person of the workspace, or why not.
const Person* person_of(const json& body, std::string& why) {
  const auto id = text_field(body, "person");
  const auto* person = id ? workspace().person(*id) : nullptr;
  if (!person) why = id && !id->empty() ? "unknown person '" + shortened(*id, 40) + "'" : "person is required";
  return person;
}

// Whether `person` sees the entry: in a channel, or in their own direct conversation, and not
// meant only for somebody else.
bool sees(const Entry& e, const Person& person) {
  if (!e.only_for.empty() && e.only_for != person.id) return false;
  if (workspace().channel(e.conversation)) return true;
  return direct_owner(workspace(), e.conversation) == person.id;
}

bool has_button(const Message& m, const std::string& action_id, const std::string& value) {
  for (const auto& block : m.blocks) {
    const auto* actions = std::get_if<Actions>(&block);
    if (!actions) continue;
    for (const auto& b : actions->buttons) {
      if (b.action_id == action_id && b.value == value) return true;
    }
  }
  return false;
}

std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

// `since` from "since=N" (other parameters ignored); nullopt when it is not a number.
std::optional<std::int64_t> since_of(std::string_view query) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    if (pair.starts_with("since=")) {
      const auto digits = pair.substr(6);
      std::int64_t n = 0;
      const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (error != std::errc{} || end != digits.data() + digits.size() || n < 0) return std::nullopt;
      return n;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return 0;
}

// A random-enough prefix for the log's ids in this run: the start time, in base 36.
std::string run_prefix() {
  auto n = static_cast<unsigned long long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  std::string digits;
  do {
    digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36]);
    n /= 36;
  } while (n > 0);
  return "m" + digits + "-";
}

}  // namespace

Adapter::Adapter(SysTime start)
    : clock_(start),
      log_(run_prefix()),
      platform_(std::make_unique<SandboxPlatform>(log_, workspace(), clock_.clock())) {}

Adapter::~Adapter() = default;

app::Platform& Adapter::platform() { return *platform_; }

bool Adapter::serves(std::string_view target) {
  const auto path = split_target(target).first;
  return path == "/" || path.starts_with("/sandbox/");
}

void Adapter::serve(app::Bot& bot, std::function<void()> clock_moved) {
  bot_ = &bot;
  clock_moved_ = std::move(clock_moved);
}

void Adapter::stop() { stopping_ = true; }

asio::awaitable<net::ServerResponse> Adapter::handle(net::ServerRequest request) {
  const auto [path, query] = split_target(request.target);
  if (const auto& host = request.header("host"); !host_allowed(host)) {
    co_return refuse(403, "open the sandbox at localhost or an IP address: it does not answer at '" +
                              sanitize_utf8(host, 100) + "' (a site elsewhere could give its own name this address)");
  }
  if (request.method == "GET" || request.method == "HEAD") {
    if (path == "/") co_return page();
    if (path == "/sandbox/app.js") co_return answer(200, "text/javascript; charset=utf-8", std::string(page_script()));
    if (path == "/sandbox/app.css") co_return answer(200, "text/css; charset=utf-8", std::string(page_style()));
    if (path == "/sandbox/state") co_return state(query);
    co_return refuse(404, "no such page");
  }
  if (request.method != "POST") co_return refuse(405, "GET or POST only");
  if (!request.header("content-type").starts_with("application/json")) {
    co_return refuse(415, "send JSON (Content-Type: application/json)");
  }
  // A page from elsewhere must not act in the sandbox (browsers name the page that sent a POST).
  if (const auto& origin = request.header("origin"); !origin.empty() && origin != "http://" + request.header("host")) {
    co_return refuse(403, "requests from other pages are refused");
  }
  if (stopping_ || !bot_) co_return refuse(503, "the sandbox is not serving");
  const auto read = read_outside_json(request.body);  // (no structured binding: a coroutine)
  if (read.too_deep) co_return refuse(400, "the JSON is nested too deeply");
  const auto& body = read.value;
  if (!body.is_object()) co_return refuse(400, "send a JSON object");
  if (path == "/sandbox/post") co_return co_await post(body);
  if (path == "/sandbox/click") co_return co_await click(body);
  if (path == "/sandbox/form") co_return co_await submit_form(body);
  if (path == "/sandbox/react") co_return co_await react(body);
  if (path == "/sandbox/clock") co_return move_clock(body);
  co_return refuse(404, "no such action");
}

net::ServerResponse Adapter::state(std::string_view query) const {
  const auto since = since_of(query);
  if (!since) return refuse(400, "since must be a number");
  return json_answer(200, page_state(log_, *since, clock_.now(), workspace()));
}

asio::awaitable<net::ServerResponse> Adapter::post(const json& body) {
  std::string why;
  const auto* person = person_of(body, why);
  if (!person) co_return refuse(400, why);
  const auto conversation = text_field(body, "conversation");
  const auto thread = text_field(body, "thread");
  const auto text = text_field(body, "text");
  if (!conversation || !workspace().has_conversation(*conversation)) co_return refuse(400, "unknown conversation");
  if (const auto owner = direct_owner(workspace(), *conversation); owner && *owner != person->id) {
    co_return refuse(400, "that is someone else's direct conversation");
  }
  if (!thread) co_return refuse(400, "thread must be a message id");
  if (!thread->empty()) {
    const auto* root = log_.find(*thread);
    if (!root || root->conversation != *conversation || !root->thread.empty() || !root->only_for.empty()) {
      co_return refuse(400, "no such message to reply to in this conversation");
    }
  }
  if (!text || text->find_first_not_of(" \t\r\n") == std::string::npos) co_return refuse(400, "text is required");

  Typing typing;
  typing.author = person;
  typing.conversation = *conversation;
  typing.thread = *thread;
  const ReplyTo to{person->id, *conversation, *thread};
  Responder responder(*platform_, to);
  auto typed = read_typed(*text, typing, workspace());
  // (Events are named locals, never braced temporaries: GCC 12 miscompiles those in coroutines.)
  if (auto* refused = std::get_if<Refused>(&typed)) {
    platform_->tell_privately(to, render_refusal(refused->why));
  } else if (auto* update = std::get_if<app::UpdatePosted>(&typed)) {
    co_await bot_->on_update(*platform_, std::move(*update), responder);
  } else if (auto* command = std::get_if<app::CommandIssued>(&typed)) {
    co_await bot_->on_command(*platform_, std::move(*command), responder);
  } else {
    Entry line;
    line.kind = Entry::Kind::person;
    line.conversation = *conversation;
    line.thread = *thread;
    line.author = person->id;
    line.at = clock_.now();
    if (auto* mention = std::get_if<Mention>(&typed)) {
      line.message.fallback = shortened(*text, 200);
      line.message.blocks.push_back(Section{decode_typed(*text, workspace())});
      const auto id = log_.append(std::move(line)).id;
      auto posted = mention_event(typing, std::move(mention->text), id, workspace());
      co_await bot_->on_update(*platform_, std::move(posted), responder);
    } else {
      auto& said = std::get<Said>(typed);
      line.message.fallback = to_plain_text(said.text);
      line.message.blocks.push_back(Section{std::move(said.text)});
      log_.append(std::move(line));
      // A reply in a thread may answer the assumption the thread is about.
      if (!thread->empty() && workspace().channel(*conversation)) {
        app::PossibleAnswer answer{app::PossibleAnswer::Kind::reply, workspace().team, *conversation, person->id,
                                   *thread};
        co_await bot_->on_possible_answer(*platform_, std::move(answer), responder);
      }
    }
  }
  co_return ok();
}

asio::awaitable<net::ServerResponse> Adapter::click(const json& body) {
  std::string why;
  const auto* person = person_of(body, why);
  if (!person) co_return refuse(400, why);
  const auto id = text_field(body, "message");
  const auto action_id = text_field(body, "action_id");
  const auto value = text_field(body, "value");
  const auto* entry = id ? log_.find(*id) : nullptr;
  if (!entry || !sees(*entry, *person)) co_return refuse(400, "no such message");
  if (!action_id || !value || entry->kind != Entry::Kind::bot || !has_button(entry->message, *action_id, *value)) {
    co_return refuse(400, "no such button on that message");
  }
  const ReplyTo to{person->id, entry->conversation, entry->thread};
  Responder responder(*platform_, to);
  app::ButtonPressed button;
  button.team = workspace().team;
  button.who = {person->id, person->name, person->time_zone};
  button.action_id = *action_id;
  button.value = *value;
  button.conversation = entry->conversation;
  button.message_ref = entry->id;
  button.shown = entry->message;
  co_await bot_->on_button(*platform_, std::move(button), responder);
  co_return ok();
}

asio::awaitable<net::ServerResponse> Adapter::submit_form(const json& body) {
  std::string why;
  const auto* person = person_of(body, why);
  if (!person) co_return refuse(400, why);
  const auto id = text_field(body, "form");
  auto* entry = id ? log_.find(*id) : nullptr;
  if (!entry || entry->kind != Entry::Kind::form || entry->only_for != person->id) {
    co_return refuse(400, "no such form");
  }
  if (!entry->form.open) co_return refuse(400, "this form is closed already");
  if (const auto cancel = body.find("cancel"); cancel != body.end() && *cancel == true) {
    entry->form.open = false;
    log_.touch(*entry);
    co_return ok();
  }
  const auto state = text_field(body, "state");
  const auto note = text_field(body, "note");
  if (!state || !note) co_return refuse(400, "state and note must be text");
  FormResponder responder(log_, entry->id, *state, sanitize_utf8(*note, max_note_bytes));
  app::FormSubmitted form;
  form.team = workspace().team;
  form.who = {person->id, person->name, person->time_zone};
  form.context = entry->form.context;
  form.state = *state;
  form.note = sanitize_utf8(*note, max_note_bytes);
  co_await bot_->on_form(*platform_, std::move(form), responder);
  co_return ok();
}

asio::awaitable<net::ServerResponse> Adapter::react(const json& body) {
  std::string why;
  const auto* person = person_of(body, why);
  if (!person) co_return refuse(400, why);
  const auto id = text_field(body, "message");
  auto* entry = id ? log_.find(*id) : nullptr;
  if (!entry || !sees(*entry, *person) || entry->kind == Entry::Kind::form) co_return refuse(400, "no such message");
  if (std::find(entry->checked_by.begin(), entry->checked_by.end(), person->id) != entry->checked_by.end()) {
    co_return ok();  // one ✅ each, as on Slack
  }
  entry->checked_by.push_back(person->id);
  log_.touch(*entry);
  if (!workspace().channel(entry->conversation)) co_return ok();
  const ReplyTo to{person->id, entry->conversation, entry->thread};
  Responder responder(*platform_, to);
  app::PossibleAnswer answer{app::PossibleAnswer::Kind::reaction, workspace().team, entry->conversation, person->id,
                             entry->id};
  co_await bot_->on_possible_answer(*platform_, std::move(answer), responder);
  co_return ok();
}

net::ServerResponse Adapter::move_clock(const json& body) {
  const auto advance = text_field(body, "advance");
  const auto step = advance ? clock_step(*advance) : std::nullopt;
  if (!step) return refuse(400, "advance must be a step forward such as 1h, 1d or 1w (at most 4 weeks)");
  clock_.advance(*step);
  log::info("sandbox", "the clock moved forward " + *advance + ", to " + format_rfc3339(clock_.now()));
  if (clock_moved_) clock_moved_();
  json moved;
  moved["ok"] = true;
  moved["now"]["ms"] = clock_.now().time_since_epoch().count();
  moved["now"]["iso"] = format_rfc3339(clock_.now());
  return json_answer(200, moved);
}

}  // namespace microalign::sandbox
