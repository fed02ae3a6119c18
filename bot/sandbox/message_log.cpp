#include "microalign/sandbox/message_log.hpp"

#include <algorithm>

namespace microalign::sandbox {

MessageLog::MessageLog(std::string id_prefix) : id_prefix_(std::move(id_prefix)) {}

const Entry& MessageLog::append(Entry entry) {
  entry.id = id_prefix_ + std::to_string(next_id_++);
  entry.seq = next_seq_++;
  entry.order = entry.seq;
  by_id_[entry.id] = entries_.size();
  entries_.push_back(std::move(entry));
  return entries_.back();
}

Entry* MessageLog::find(std::string_view id) {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &entries_[it->second];
}

const Entry* MessageLog::find(std::string_view id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &entries_[it->second];
}

void MessageLog::touch(Entry& entry) { entry.seq = next_seq_++; }

std::vector<const Entry*> MessageLog::since(std::int64_t seq) const {
  std::vector<const Entry*> changed;
  for (const auto& e : entries_) {
    if (e.seq > seq) changed.push_back(&e);
  }
  std::sort(changed.begin(), changed.end(), [](const Entry* a, const Entry* b) { return a->seq < b->seq; });
  return changed;
}

}  // namespace microalign::sandbox
