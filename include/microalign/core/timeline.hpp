// A ticket's timeline for `/microalign ticket ENG-42`: every update, newest first.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"

namespace microalign {

// `updates` newest first. People are named, never pinged; open assumptions are marked.
Message render_timeline(const std::string& key, const std::vector<Update>& updates,
                        const std::map<std::string, std::string>& names,
                        const std::function<std::string(const Update&)>& link_to);

}  // namespace microalign
