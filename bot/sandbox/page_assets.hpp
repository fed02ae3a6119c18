// The page, its script and its style, embedded in the binary at build time from bot/sandbox/page/
// (embed_page.cmake): the sandbox works offline, with nothing fetched from anywhere else.
#pragma once

#include <string_view>

namespace microalign::sandbox {

std::string_view page_html();
std::string_view page_script();
std::string_view page_style();

}  // namespace microalign::sandbox
