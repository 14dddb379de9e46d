// Public transports: the Transport base, senders over any transport, the scheme registry with the
// built-in unix:// scheme; see include/wavefront/transport.h.
#include "wavefront/client/transport_registry.h"

#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "wavefront/client/core_handle.h"
#include "wavefront/client/sender_core.h"
#include "wavefront/transport/unix_transport.h"
#include "wavefront/version.h"

namespace wavefront {

Transport::~Transport() = default;
void Transport::add_stats(SenderStats& /*stats*/) const {}
void Transport::shutdown() {}
void Transport::abandon_after_fork() {}

namespace client {
namespace {

std::string lower_case(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool valid_scheme(std::string_view scheme) {
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (scheme.empty() || !letter(scheme.front())) return false;
  return std::all_of(scheme.begin(), scheme.end(), [&](char c) {
    return letter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
  });
}

// unix:///path/to.sock (also unix:/path written as unix:///path): the socket path after "unix://".
Expected<wavefront::TransportFactory> unix_scheme(const SenderUrl& url, const SenderConfig& /*settings*/) {
  const std::string& path = url.target;
  if (path.empty() || path.front() != '/') {
    return Status(ErrorCode::invalid_argument, "invalid sender URL \"" + url.redacted() +
                                                   "\": unix:// needs an absolute socket path, as in "
                                                   "unix:///var/run/wavefront.sock");
  }
  if (path.size() >= sizeof(sockaddr_un::sun_path)) {
    return Status(ErrorCode::invalid_argument,
                  "invalid sender URL \"" + url.redacted() +
                      "\": the socket path is longer than a Unix socket address holds");
  }
  transport::UnixTransportConfig config;
  config.path = path;
  return wavefront::TransportFactory([config] { return std::make_unique<transport::UnixTransport>(config); });
}

struct Registry {
  std::mutex mutex;
  std::map<std::string, SchemeHandler> handlers;  // lower-case scheme -> handler
};

// Never destroyed: senders may be made while the process exits.
Registry& registry() {
  static Registry* const instance = [] {
    auto* made = new Registry();  // NOLINT(cppcoreguidelines-owning-memory)
    made->handlers.emplace("unix", &unix_scheme);
    return made;
  }();
  return *instance;
}

bool built_in_scheme(const std::string& scheme) {
  return scheme == "http" || scheme == "https" || scheme == "proxy" || scheme == "tcp";
}

class TransportSender final : public QueuedSender {
 public:
  explicit TransportSender(std::unique_ptr<CoreHandle> handle) : QueuedSender(std::move(handle)) {}
};

}  // namespace

SchemeHandler find_scheme_handler(std::string_view scheme) {
  Registry& instance = registry();
  const std::lock_guard<std::mutex> lock(instance.mutex);
  const auto found = instance.handlers.find(lower_case(scheme));
  return found != instance.handlers.end() ? found->second : SchemeHandler();
}

Expected<std::unique_ptr<QueuedSender>> make_sender_over(wavefront::TransportFactory make_transport,
                                                         const SenderConfig& settings,
                                                         std::string client_kind) {
  if (!make_transport) return Status(ErrorCode::invalid_argument, "the transport factory is empty");
  if (Status status = validate_sender_config(settings); !status.ok()) return status;
  // Made again in a child of fork() (core_handle.h), with the child's pid and a fresh transport.
  auto make_core = [settings, make_transport = std::move(make_transport), kind = std::move(client_kind)] {
    ClientIdentity identity{kind, {{"pid", std::to_string(::getpid())}, {"version", version_string()}}};
    return std::make_unique<SenderCore>(settings, std::move(identity),
                                        [&](internal::RateLimitedLog& /*log*/) { return make_transport(); });
  };
  return std::unique_ptr<QueuedSender>(
      std::make_unique<TransportSender>(std::make_unique<CoreHandle>(make_core)));
}

}  // namespace client

Expected<std::unique_ptr<QueuedSender>> make_transport_sender(TransportFactory make_transport,
                                                              const SenderConfig& settings) {
  return client::make_sender_over(std::move(make_transport), settings, "custom");
}

Status register_transport_scheme(std::string_view scheme, SchemeHandler handler) {
  if (!client::valid_scheme(scheme)) {
    return Status(ErrorCode::invalid_argument,
                  "scheme \"" + std::string(scheme) +
                      "\" is not a URL scheme (a letter, then letters, digits, '+', '-' or '.')");
  }
  if (!handler)
    return Status(ErrorCode::invalid_argument,
                  "the handler of scheme \"" + std::string(scheme) + "\" is empty");
  std::string key = client::lower_case(scheme);
  if (client::built_in_scheme(key)) {
    return Status(ErrorCode::invalid_argument, "scheme \"" + key + "\" is built in and cannot be replaced");
  }
  client::Registry& instance = client::registry();
  const std::lock_guard<std::mutex> lock(instance.mutex);
  if (!instance.handlers.emplace(key, std::move(handler)).second) {
    return Status(ErrorCode::invalid_argument, "scheme \"" + key + "\" is already registered");
  }
  return Status();
}

bool transport_scheme_known(std::string_view scheme) {
  const std::string key = client::lower_case(scheme);
  return client::built_in_scheme(key) || client::find_scheme_handler(key);
}

}  // namespace wavefront
