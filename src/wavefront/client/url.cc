// Parsing sender URLs; see include/wavefront/client_factory.h.
#include <charconv>
#include <string>

#include "wavefront/client_factory.h"
#include "wavefront/transport.h"

namespace wavefront {
namespace {

Status bad_url(std::string_view shown, const std::string& problem) {
  return Status(ErrorCode::invalid_argument, "invalid sender URL \"" + std::string(shown) + "\": " + problem);
}

}  // namespace

std::string SenderUrl::redacted() const {
  if (kind == Kind::registered) {
    const std::size_t at = target.rfind('@');
    return scheme + "://" + (at == std::string::npos ? target : "***" + target.substr(at));
  }
  const std::string prefix =
      kind == Kind::direct_https ? "https://" : (kind == Kind::proxy_tcp ? "tcp://" : "http://");
  const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return prefix + (token.empty() ? "" : "***@") + shown_host + ":" + std::to_string(port);
}

Expected<SenderUrl> parse_sender_url(std::string_view url) {
  SenderUrl parsed;
  const std::size_t scheme_end = url.find("://");
  // For messages: the URL with anything before an '@' hidden, so a token never reaches a log.
  std::string shown(url);
  if (const std::size_t at = shown.find('@');
      at != std::string::npos && scheme_end != std::string_view::npos) {
    shown = shown.substr(0, scheme_end + 3) + "***" + shown.substr(at);
  }
  if (url.empty()) return bad_url(shown, "it is empty");
  if (scheme_end == std::string_view::npos) {
    return bad_url(shown, "it has no scheme; use proxy://, http://, https:// or tcp://");
  }
  const std::string_view scheme = url.substr(0, scheme_end);
  std::uint16_t default_port = 2878;
  if (scheme == "proxy" || scheme == "http") {
    parsed.kind = SenderUrl::Kind::proxy_http;
  } else if (scheme == "https") {
    parsed.kind = SenderUrl::Kind::direct_https;
    default_port = 443;
  } else if (scheme == "tcp") {
    parsed.kind = SenderUrl::Kind::proxy_tcp;
  } else if (transport_scheme_known(scheme)) {
    parsed.kind = SenderUrl::Kind::registered;
    parsed.target = std::string(url.substr(scheme_end + 3));
    for (const char c : scheme) parsed.scheme += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return parsed;
  } else {
    return bad_url(shown, "unsupported scheme \"" + std::string(scheme) +
                              "\"; use proxy://, http://, https://, tcp://, unix:// or a registered scheme");
  }
  parsed.scheme = std::string(scheme);
  std::string_view rest = url.substr(scheme_end + 3);
  const std::size_t path_start = rest.find('/');
  if (path_start != std::string_view::npos) {
    if (rest.substr(path_start) != "/")
      return bad_url(shown, "a path is not expected after the host and port");
    rest = rest.substr(0, path_start);
  }
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view token = rest.substr(0, at);
    if (token.empty()) return bad_url(shown, "the token before '@' is empty");
    if (parsed.kind == SenderUrl::Kind::direct_https) {
      parsed.token = std::string(token);
    } else {
      parsed.ignored_token = true;  // never sent over a plain connection
    }
    rest = rest.substr(at + 1);
  }
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return bad_url(shown, "an IPv6 address is missing its closing ']'");
    parsed.host = std::string(rest.substr(1, close - 1));
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad_url(shown, "unexpected text after the IPv6 address");
      port_text = after.substr(1);
      if (port_text.empty()) return bad_url(shown, "the port after ':' is empty");
    }
  } else {
    const std::size_t colon = rest.find(':');
    parsed.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) return bad_url(shown, "the port after ':' is empty");
    }
  }
  if (parsed.host.empty()) return bad_url(shown, "the host is empty");
  for (char c : parsed.host) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         c == '.' || c == '-' || c == '_' || c == ':';
    if (!allowed) return bad_url(shown, "the host contains '" + std::string(1, c) + "'");
  }
  parsed.port = default_port;
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (error != std::errc() || end != port_text.data() + port_text.size() || value == 0 || value > 65535) {
      return bad_url(shown, "the port \"" + std::string(port_text) + "\" is not a number from 1 to 65535");
    }
    parsed.port = static_cast<std::uint16_t>(value);
  }
  return parsed;
}

}  // namespace wavefront
