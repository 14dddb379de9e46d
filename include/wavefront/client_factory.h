// Creating a sender from a URL, and sending to several receivers at once.
//
// The recommended entry point: one string says where data goes, as the newer Wavefront SDKs do.
//
//   proxy://host[:port], http://host[:port]   HTTP to a proxy (port 2878 by default)
//   https://TOKEN@host[:port]                 direct ingestion with an API token (port 443 by default)
//   tcp://host[:port][?distribution_port=N&tracing_port=N&event_port=N]
//                                             raw TCP to a proxy (2878 by default); every data type
//                                             goes to `port` unless the query names its own port
//   unix:///path/to.sock                      a Unix-domain socket of a local proxy or agent (tcp://'s lines)
//   myscheme://...                            a scheme registered with register_transport_scheme
//   (transport.h)
//
// Several URLs separated by commas give a `MultiSender` that sends everything to each of them. An
// empty string means the WAVEFRONT_URL environment variable; an https URL without a token takes
// WAVEFRONT_TOKEN. A token in a plain http:// or tcp:// URL is ignored with a warning (never sent in
// clear). A malformed URL gets an error that says what is wrong with it.
//
//   auto sender = wavefront::make_sender("https://" + token + "@mycluster.wavefront.com");
//   if (!sender) std::cerr << sender.error().message() << "\n";  // or carry on: calls return the error
//   sender->send_metric("cpu.usage", 42.5);
//
// Thread-safety: the factory functions are reentrant; MultiSender is safe to use from any thread,
// and after fork() and at exit() behaves as each of its clients does (queued_sender.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wavefront/export.h"
#include "wavefront/sender.h"
#include "wavefront/sender_config.h"
#include "wavefront/sender_handle.h"
#include "wavefront/status.h"

namespace wavefront {

// One parsed sender URL.
struct WAVEFRONT_API SenderUrl {
  enum class Kind { proxy_http, direct_https, proxy_tcp, registered };
  Kind kind = Kind::proxy_http;
  std::string scheme;  // lower case: "http", "tcp", "unix", "myscheme", ...
  std::string target;  // registered only: everything after "://", as written (unix: the socket path)
  std::string host;    // without brackets for IPv6
  std::uint16_t port = 0;
  // proxy_tcp only: the ports named in the query; unset ones default to `port`.
  std::optional<std::uint16_t> distribution_port, tracing_port, event_port;
  std::string token;             // direct_https only
  bool ignored_token = false;    // a token was given where it would travel in clear, and dropped
  std::string redacted() const;  // the URL for logs and errors: any token shown as "***"
};

WAVEFRONT_API Expected<SenderUrl> parse_sender_url(std::string_view url);

// Creates a client for each comma-separated URL (one client, or a MultiSender for several).
// `settings` applies to every client; a logger in it also receives the ignored-token warnings.
WAVEFRONT_API SenderHandle make_sender(std::string_view urls = "",
                                       const SenderConfig& settings = SenderConfig());

// Sends every point to each of several senders. A send succeeds when every endpoint accepted it;
// otherwise the Status names each endpoint that did not, and why.
class WAVEFRONT_API MultiSender final : public Sender {
 public:
  struct Endpoint {
    std::string name;  // the redacted URL
    std::unique_ptr<Sender> sender;
  };
  explicit MultiSender(std::vector<Endpoint> endpoints);
  ~MultiSender() override;

  FlushResult flush(std::chrono::milliseconds timeout) override;
  FlushResult close(std::chrono::milliseconds timeout) override;
  std::uint64_t failure_count() const override;
  // The sum over endpoints; see endpoint_stats() for each.
  SenderStats stats() const override;

  std::size_t endpoint_count() const { return endpoints_.size(); }
  const std::string& endpoint_name(std::size_t index) const { return endpoints_[index].name; }
  SenderStats endpoint_stats(std::size_t index) const { return endpoints_[index].sender->stats(); }

 protected:
  Status submit(const FormattedLines& lines) override;

 private:
  template <class Call>
  FlushResult each_until(std::chrono::milliseconds timeout, Call&& call);
  std::vector<Endpoint> endpoints_;
};

}  // namespace wavefront
