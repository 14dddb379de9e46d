// See process_title.h.
#include "wfsend/process_title.h"

#include <cstring>
#include <string_view>

namespace wfsend {
namespace {

void blank(char* text, std::size_t length) { std::memset(text, '*', length); }

// The user-info part of "scheme://USERINFO@host/...", if any: [begin, end) within `argument`.
bool find_url_userinfo(std::string_view argument, std::size_t& begin, std::size_t& end) {
  const std::size_t scheme_end = argument.find("://");
  if (scheme_end == std::string_view::npos) return false;
  begin = scheme_end + 3;
  const std::size_t authority_end = argument.find_first_of("/?#", begin);
  const std::size_t at = argument.substr(0, authority_end).rfind('@');
  if (at == std::string_view::npos || at < begin) return false;
  end = at;
  return end > begin;
}

}  // namespace

std::vector<std::string> hide_secrets(int argc, char** argv) {
  std::vector<std::string> copies(argv, argv + argc);
  bool next_is_token = false;
  for (int index = 1; index < argc; ++index) {
    char* argument = argv[index];
    const std::string_view text(argument);
    if (next_is_token) {
      blank(argument, text.size());
      next_is_token = false;
      continue;
    }
    if (text == "--token") {
      next_is_token = true;
      continue;
    }
    if (text.rfind("--token=", 0) == 0) {
      blank(argument + 8, text.size() - 8);
      continue;
    }
    // Several comma-separated URLs may share one argument (--to a,b).
    std::size_t offset = 0;
    while (offset < text.size()) {
      std::size_t comma = text.find(',', offset);
      if (comma == std::string_view::npos) comma = text.size();
      std::size_t begin = 0, end = 0;
      if (find_url_userinfo(text.substr(offset, comma - offset), begin, end)) {
        blank(argument + offset + begin, end - begin);
      }
      offset = comma + 1;
    }
  }
  return copies;
}

}  // namespace wfsend
