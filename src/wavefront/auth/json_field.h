// Reading one top-level field out of a small JSON object, such as a CSP token response (private).
//
// Not a general JSON parser: it walks the object's top level, skipping nested values correctly, and
// returns the named string (unescaped) or number. Enough for `access_token` and `expires_in`, with no
// third-party dependency in the library.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wavefront::auth {

std::optional<std::string> json_string_field(std::string_view json, std::string_view name);
std::optional<double> json_number_field(std::string_view json, std::string_view name);

}  // namespace wavefront::auth
