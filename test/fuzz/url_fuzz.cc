// libFuzzer target: sender URLs and the CSP JSON field reader. Neither may crash, and an accepted URL
// must redact any token it carries (for a registered scheme such as unix://, whatever precedes an '@').
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "wavefront/auth/json_field.h"
#include "wavefront/client_factory.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  const auto url = wavefront::parse_sender_url(text);
  if (url.ok() && url->kind == wavefront::SenderUrl::Kind::registered) {
    // A registered scheme (unix://): its handler reads the target; what precedes an '@' is hidden.
    if (url->scheme.empty()) std::abort();
    const std::string shown = url->redacted();
    const std::size_t at = url->target.rfind('@');
    if (at != std::string::npos && shown != url->scheme + "://***" + url->target.substr(at)) std::abort();
  } else if (url.ok()) {
    if (url->host.empty() || url->port == 0) std::abort();
    // A token is shown only as "***": what follows "***@" is the host and port, nothing else.
    const std::string shown = url->redacted();
    if (!url->token.empty() && shown.rfind("https://***@", 0) != 0) std::abort();
  }
  wavefront::auth::json_string_field(text, "access_token");
  wavefront::auth::json_number_field(text, "expires_in");
  return 0;
}
