// Updates: /heads-up, /status and @mentions are parsed, stored with their echo in one
// transaction, and confirmed — a command privately, a mention by its echo in the thread.

#include "microalign/app/bot.hpp"
#include "microalign/app/metrics.hpp"
#include "microalign/app/names.hpp"
#include "microalign/app/platforms.hpp"
#include "microalign/core/decision.hpp"
#include "microalign/core/echo.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/message_command.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::app {
namespace {

namespace asio = boost::asio;

// Looking someone up before the acknowledgement must not cost the platform's deadline: the
// echo names the author by id when the answer does not come in time.
constexpr std::chrono::milliseconds name_lookup_before_ack{800};

}  // namespace

Bot::Bot(storage::Transactions& transactions, Clock now, BotOptions options, Names& names, Platforms& platforms,
         AppMetrics& metrics)
    : transactions_(transactions),
      now_(std::move(now)),
      options_(std::move(options)),
      names_(names),
      platforms_(platforms),
      metrics_(metrics) {}

asio::awaitable<std::string> Bot::display_name(Platform& platform, const std::string& team, const std::string& user,
                                               std::chrono::milliseconds timeout) {
  if (const auto* known = names_.find(team, user)) co_return *known;
  const auto person = co_await platform.look_up(team, user, timeout, Platform::Urgency::answering);
  if (person.found && !person.name.empty()) names_.remember(team, user, person.name);
  co_return person.found ? person.name : std::string{};
}

asio::awaitable<void> Bot::on_update(Platform& platform, UpdatePosted posted, Responder& responder) {
  if (!posted.kind) {
    const auto spelling = platform.spelling();
    co_await responder.answer_privately(render_refusal("I don't handle " + posted.command + " yet. Try " +
                                                       spelling.code("heads-up") + " or " + spelling.code("status") +
                                                       "."));
    co_return;
  }
  // A decision is no update: it has a log of its own. In a mention or a message it opens with
  // `decision:`.
  if (*posted.kind == Command::mention) {
    if (auto rest = decision_after_lead(posted.text)) {
      posted.text = std::move(*rest);
      posted.kind = Command::decision;
    }
  }
  if (*posted.kind == Command::decision) {
    co_await on_decision(platform, std::move(posted), responder);
    co_return;
  }
  if (!posted.author.name.empty()) names_.remember(posted.where.team, posted.author.id, posted.author.name);
  // An update written in a message people see is confirmed by its echo in the thread; a
  // command's, by a private receipt.
  const bool from_message = !posted.source_ref.empty();
  Update update;
  update.created_at = now_();
  update.where = posted.where;
  update.user = posted.author.id;
  update.source = from_message ? UpdateSource::mention : UpdateSource::slash;
  update.source_ref = posted.source_ref;
  update.parsed = parse_update(*posted.kind, posted.text, options_.parse);
  if (auto refusal = refusal_for(*posted.kind, update.parsed, platform.spelling())) {
    co_await responder.answer_privately(render_refusal(*refusal));
    co_return;
  }
  // A mention's echo is its confirmation, so it names the author: looked up if need be.
  std::string author = posted.author.name;
  if (author.empty() && from_message) {
    author = co_await display_name(platform, posted.where.team, posted.author.id, name_lookup_before_ack);
  }

  auto echo = echo_message(platform, update, posted.text, author, posted.echo_thread, posted.reply_handle);
  bool duplicate = false;
  Work insert = [&](storage::Store& s) {
    const auto result = s.insert_update(update, posted.event_id);
    update.id = result.update_id;
    duplicate = result.duplicate;
    if (duplicate) return;
    echo.update_id = update.id;
    s.enqueue(echo);  // a copy: a batch that collided with another replica's runs this work again
    if (!author.empty()) s.remember_name(update.where.team, update.user, author, update.created_at);
    // Where the platform says (Teams does), the author's zone: their nudges' working hours.
    if (is_known_time_zone(posted.author.time_zone)) {
      s.set_time_zone(update.where.team, update.user, posted.author.time_zone);
    }
    s.remember_workspace(update.where.team, std::string(platform.name()));
  };
  const auto stored = co_await transact(transactions_, std::move(insert), platform.answer_within());
  const auto where = " in " + update.where.channel;
  if (!stored.committed()) {
    log::error("bot", "update from " + update.user + where + " not saved: " + stored.error);
    co_await responder.answer_privately(render_not_saved());
    co_return;
  }
  if (duplicate) {
    log::info("bot", "event " + posted.event_id + " already stored as update #" + std::to_string(update.id));
    // Delivered again because the first answer never arrived: its author may not have seen the
    // receipt, and without one would post the update again.
    if (from_message || update.id == 0) {
      responder.acknowledge();
    } else {
      co_await responder.answer_privately(render_receipt(update));
    }
    co_return;
  }
  metrics_.updates_stored.with({platform.name()}).inc();
  // One line per update only when asked for (MICROALIGN_LOG=debug): at thousands of updates a
  // second, writing each line cost the event loop a tenth of its time (slack_load, perf);
  // microalign_updates_stored_total counts them.
  if (log::enabled(log::Level::debug)) {
    log::debug("bot", "stored update #" + std::to_string(update.id) + " (" +
                          std::string(to_string(update.parsed.kind)) + ")" + (from_message ? " from a mention" : "") +
                          where);
  }
  platforms_.wake(platform.name());
  if (from_message) {
    responder.acknowledge();  // the echo in the thread says it is saved
  } else {
    co_await responder.answer_privately(render_receipt(update));
  }
}

asio::awaitable<void> Bot::on_message(Platform& platform, MessageToBot message, Responder& responder) {
  auto read = read_message_command(std::move(message.text));
  if (read.kind == MessageCommand::Kind::setting) {
    CommandIssued command;
    command.where = message.where;
    command.asker = message.author;
    command.text = std::move(read.text);
    co_await on_command(platform, std::move(command), responder);
    co_return;
  }
  UpdatePosted posted;
  posted.command = "@microalign";
  posted.kind = read.command;
  posted.where = message.where;
  posted.author = message.author;
  posted.text = std::move(read.text);
  posted.event_id = message.event_id;
  posted.source_ref = message.source_ref;
  posted.echo_thread = message.echo_thread;
  co_await on_update(platform, std::move(posted), responder);
}

asio::awaitable<CommitResult> Bot::store_with_echo(Platform& platform, Update& update, const RichText& body,
                                                   const std::string& author, const std::string& echo_thread,
                                                   const std::string& reply_handle, Work also) {
  auto echo = echo_message(platform, update, body, author, echo_thread, reply_handle);
  // (Work is always a named local: GCC 12 destroys a lambda temporary in a co_await twice.)
  Work insert = [&update, &echo, &author, &also, platform_name = std::string(platform.name())](storage::Store& s) {
    insert_with_echo(s, update, echo, author);  // a copy: the work may run again (see on_update)
    s.remember_workspace(update.where.team, platform_name);
    if (also) also(s);
  };
  auto stored = co_await transact(transactions_, std::move(insert), platform.answer_within());
  if (stored.committed()) metrics_.updates_stored.with({platform.name()}).inc();
  co_return stored;
}

// The update and its echo are committed together: an acknowledged update is always echoed.
void Bot::insert_with_echo(storage::Store& s, Update& update, storage::OutboxMessage echo, const std::string& author) {
  update.id = s.insert_update(update).update_id;
  echo.update_id = update.id;
  s.enqueue(std::move(echo));
  if (!author.empty()) s.remember_name(update.where.team, update.user, author, update.created_at);
}

storage::OutboxMessage Bot::echo_message(const Platform& platform, const Update& update, const RichText& body,
                                         const std::string& author, const std::string& echo_thread,
                                         const std::string& reply_handle) const {
  return channel_post(platform, update.where, update.created_at, render_echo(update, body, author), echo_thread,
                      reply_handle);
}

storage::OutboxMessage Bot::channel_post(const Platform& platform, const Conversation& where, SysTime at,
                                         Message message, const std::string& echo_thread,
                                         const std::string& reply_handle) const {
  storage::OutboxMessage m;
  m.platform = platform.name();
  m.team = where.team;
  m.destination = where.channel;
  m.delivery = storage::Delivery::post;
  m.message = std::move(message);
  m.thread = echo_thread;
  m.reply_handle = reply_handle;  // where the bot cannot post, the echo goes through the command
  m.created_at = at;
  m.not_before = at;
  return m;
}

}  // namespace microalign::app
