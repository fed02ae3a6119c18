// Delivery's and Purpose's names: how the outbox table spells them (see
// migrations/007_neutral_outbox.sql, 009_outbox_purpose.sql) and any other engine should, so that
// a database moved between engines reads the same.
#include <array>
#include <utility>

#include "microalign/storage/outbox.hpp"

namespace microalign::storage {
namespace {

constexpr std::array delivery_names{
    std::pair{Delivery::post, std::string_view{"post"}},
    std::pair{Delivery::direct, std::string_view{"direct"}},
    std::pair{Delivery::update, std::string_view{"update"}},
    std::pair{Delivery::reply, std::string_view{"reply"}},
    std::pair{Delivery::private_reply, std::string_view{"private_reply"}},
};

constexpr std::array purpose_names{
    std::pair{Purpose::other, std::string_view{"other"}},
    std::pair{Purpose::digest, std::string_view{"digest"}},
    std::pair{Purpose::nudge, std::string_view{"nudge"}},
};

}  // namespace

std::string_view to_string(Delivery delivery) {
  for (const auto& [value, name] : delivery_names) {
    if (value == delivery) return name;
  }
  return "unknown";  // not a Delivery: a table's CHECK refuses it
}

std::optional<Delivery> delivery_from_string(std::string_view name) {
  for (const auto& [value, known] : delivery_names) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::string_view to_string(Purpose purpose) {
  for (const auto& [value, name] : purpose_names) {
    if (value == purpose) return name;
  }
  return "other";
}

std::optional<Purpose> purpose_from_string(std::string_view name) {
  for (const auto& [value, known] : purpose_names) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::string_view to_string(HoldKind kind) { return kind == HoldKind::destination ? "destination" : "delivery"; }

}  // namespace microalign::storage
