// Times are stored as INTEGER milliseconds since the Unix epoch, UTC: sortable, indexable, and
// exactly SysTime's resolution.
#pragma once

#include <cstdint>

#include "microalign/core/model.hpp"

namespace microalign::storage {

inline std::int64_t to_sql(SysTime t) { return t.time_since_epoch().count(); }
inline SysTime time_from_sql(std::int64_t ms) { return SysTime{std::chrono::milliseconds{ms}}; }

}  // namespace microalign::storage
