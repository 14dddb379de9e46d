// The consumer of a proxy-only wavefront (built with -DWAVEFRONT_WITH_CURL=OFF; packaging test
// consumer.no_curl): sends a metric over tcp:// to a listening socket on 127.0.0.1 and over unix:// to
// a listening Unix-domain socket, and reads what arrived; checks that make_sender refuses http://,
// https:// and proxy://, and HttpClient::create and ::direct refuse too, each with a Status naming the
// scheme and WAVEFRONT_WITH_CURL=OFF. Prints one line per check; exits non-zero on the first failure.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

#include <wavefront/client_factory.h>
#include <wavefront/http_client.h>
#include <wavefront/sender_handle.h>
#include <wavefront/status.h>

#ifndef WAVEFRONT_CONSUMER_KIND
#define WAVEFRONT_CONSUMER_KIND "unknown"
#endif

namespace {

// A failed check: main() prints it and exits non-zero.
[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

std::string errno_text() { return std::generic_category().message(errno); }

// Sends one metric through `url`, closes the sender (which flushes), then accepts the sender's
// connection on `listener` (already queued by the kernel) and reads until the sender's end closed it.
std::string send_and_receive(const std::string& url, int listener) {
  wavefront::SenderHandle sender = wavefront::make_sender(url);
  if (!sender) fail("make_sender(" + url + "): " + sender.status().message());
  const wavefront::Status sent = sender->send_metric("cpu.usage", 42.5, 1700000000, "host-01");
  if (!sent.ok()) fail("send_metric over " + url + ": " + sent.message());
  if (!sender->close(std::chrono::seconds(10)).ok()) fail("close over " + url + " timed out");
  const int connection = ::accept(listener, nullptr, nullptr);
  if (connection < 0) fail("accept: " + errno_text());
  std::string received;
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(connection, buffer, sizeof buffer);
    if (got <= 0) break;
    received.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(connection);
  return received;
}

void expect_line(const std::string& scheme, const std::string& received) {
  const std::string expected = "\"cpu.usage\" 42.5 1700000000 source=\"host-01\"\n";
  if (received != expected) fail(scheme + ": received '" + received + "', expected '" + expected + "'");
  std::printf("no_curl consumer[%s]: %s delivered %s", WAVEFRONT_CONSUMER_KIND, scheme.c_str(),
              received.c_str());
}

void over_tcp() {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if (listener < 0 || ::bind(listener, generic, length) != 0 || ::listen(listener, 4) != 0 ||
      ::getsockname(listener, generic, &length) != 0) {
    fail("listening on 127.0.0.1: " + errno_text());
  }
  const std::string url = "tcp://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  expect_line("tcp://", send_and_receive(url, listener));
  ::close(listener);
}

void over_unix() {
  char directory[] = "/tmp/wavefront-no-curl-XXXXXX";
  if (::mkdtemp(directory) == nullptr) fail("mkdtemp: " + errno_text());
  const std::string path = std::string(directory) + "/proxy.sock";
  const int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if (listener < 0 || ::bind(listener, generic, sizeof address) != 0 || ::listen(listener, 4) != 0) {
    fail("listening on " + path + ": " + errno_text());
  }
  const std::string received = send_and_receive("unix://" + path, listener);
  ::close(listener);
  ::unlink(path.c_str());
  ::rmdir(directory);
  expect_line("unix://", received);
}

void expect_refused(const std::string& what, const wavefront::Status& status, const std::string& scheme) {
  const std::string& message = status.message();
  if (status.ok() || message.find(scheme + "://") == std::string::npos ||
      message.find("without libcurl") == std::string::npos ||
      message.find("WAVEFRONT_WITH_CURL=OFF") == std::string::npos) {
    fail(what + " should be refused for lack of libcurl, naming " + scheme + "://, but gave '" +
         status.to_string() + "'");
  }
  std::printf("no_curl consumer[%s]: %s refused: %s\n", WAVEFRONT_CONSUMER_KIND, what.c_str(),
              std::string(wavefront::error_code_name(status.code())).c_str());
}

void run_checks() {
  over_tcp();
  over_unix();
  for (const char* scheme : {"http", "https", "proxy"}) {
    const std::string url = std::string(scheme) + "://127.0.0.1:2878";
    expect_refused("make_sender(\"" + url + "\")", wavefront::make_sender(url).status(), scheme);
  }
  wavefront::HttpClientConfig config;
  config.server = "http://127.0.0.1:2878";
  expect_refused("HttpClient::create", wavefront::HttpClient::create(config).status(), "http");
  expect_refused("HttpClient::direct", wavefront::HttpClient::direct("https://example.com", "token").status(),
                 "https");
}

}  // namespace

int main() {
  try {
    run_checks();
  } catch (const std::exception& failure) {
    std::fprintf(stderr, "no_curl consumer[%s]: %s\n", WAVEFRONT_CONSUMER_KIND, failure.what());
    return 1;
  }
  return 0;
}
