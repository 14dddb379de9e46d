// Parsing sender URLs; see include/wavefront/client_factory.h.
#include <algorithm>
#include <charconv>
#include <optional>
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
  std::string shown = prefix + (token.empty() ? "" : "***@") + shown_host + ":" + std::to_string(port);
  const std::pair<const char*, std::optional<std::uint16_t>> ports[] = {
      {"distribution_port", distribution_port}, {"tracing_port", tracing_port}, {"event_port", event_port}};
  char separator = '?';
  for (const auto& [name, value] : ports) {
    if (!value) continue;
    shown += separator + std::string(name) + "=" + std::to_string(*value);
    separator = '&';
  }
  return shown;
}

namespace {

Status parse_port(std::string_view shown, std::string_view what, std::string_view text, std::uint16_t& port) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    return bad_url(shown,
                   std::string(what) + " \"" + std::string(text) + "\" is not a number from 1 to 65535");
  }
  port = static_cast<std::uint16_t>(value);
  return Status();
}

// tcp:// only: `?distribution_port=N&tracing_port=N&event_port=N`, each at most once.
Status parse_ports_query(std::string_view shown, std::string_view query, SenderUrl& parsed) {
  while (!query.empty()) {
    const std::size_t amp = std::min(query.find('&'), query.size());
    const std::string_view item = query.substr(0, amp);
    query = amp < query.size() ? query.substr(amp + 1) : std::string_view();
    const std::size_t equals = item.find('=');
    const std::string_view name = item.substr(0, equals);
    std::optional<std::uint16_t>* target = nullptr;
    if (name == "distribution_port") target = &parsed.distribution_port;
    if (name == "tracing_port") target = &parsed.tracing_port;
    if (name == "event_port") target = &parsed.event_port;
    if (target == nullptr) {
      return bad_url(shown, "unknown parameter \"" + std::string(name) +
                                "\"; tcp:// takes distribution_port, tracing_port and event_port");
    }
    if (parsed.kind != SenderUrl::Kind::proxy_tcp) {
      return bad_url(shown, "parameter \"" + std::string(name) +
                                "\" is for tcp:// only (over HTTP every data type goes to the one port)");
    }
    if (target->has_value()) return bad_url(shown, "parameter \"" + std::string(name) + "\" is given twice");
    std::uint16_t port = 0;
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : item.substr(equals + 1);
    if (Status status = parse_port(shown, name, value, port); !status.ok()) return status;
    *target = port;
  }
  return Status();
}

}  // namespace

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
  std::string_view query;
  if (const std::size_t question = rest.find('?'); question != std::string_view::npos) {
    query = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
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
    if (Status status = parse_port(shown, "the port", port_text, parsed.port); !status.ok()) return status;
  }
  if (Status status = parse_ports_query(shown, query, parsed); !status.ok()) return status;
  return parsed;
}

}  // namespace wavefront
