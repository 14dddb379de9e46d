// libcurl POSTs, the library's HTTP exchange; see curl_http.h.
#include "wavefront/transport/curl_http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include <sys/socket.h>
#include <unistd.h>

#include "wavefront/version.h"

namespace wavefront::transport {

namespace {

// How often a transfer's wait re-reads the abort deadline.
constexpr std::chrono::milliseconds kAbortCheckInterval(25);

// What the callbacks of one transfer write to.
struct Transfer {
  std::string* body;
  std::size_t max_body;
  std::string* retry_after;
  const AbortDeadline* deadline;
};

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  const std::size_t room = transfer->max_body - std::min(transfer->max_body, transfer->body->size());
  transfer->body->append(data, std::min(bytes, room));
  // Past the bound: keep reading (and discarding) so the status still counts; curl's total timeout
  // ends a response that never stops.
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lowered(line.substr(0, kName.size()));
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lowered == kName) {
      std::string_view value = line.substr(kName.size());
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
      }
      transfer->retry_after->assign(value.substr(0, 64));
    }
  }
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  return std::chrono::steady_clock::now() >= transfer->deadline->get() ? 1 : 0;
}

curl_socket_t open_socket(void* user, curlsocktype, curl_sockaddr* address) {
  const int fd = ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  if (fd < 0) return CURL_SOCKET_BAD;
  static_cast<CurlHttp::OpenSockets*>(user)->add(fd);
  return fd;
}

int close_socket(void* user, curl_socket_t fd) {
  static_cast<CurlHttp::OpenSockets*>(user)->remove(fd);
  return ::close(fd);
}

// Runs the transfer on `multi` until it ends or the abort deadline passes.
CURLcode run_transfer(CURLM* multi, CURL* curl, const AbortDeadline& deadline, bool& aborted) {
  curl_multi_add_handle(multi, curl);
  CURLcode result = CURLE_OK;
  for (;;) {
    int running = 0;
    if (curl_multi_perform(multi, &running) != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      break;
    }
    int queued = 0;
    bool done = false;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg == CURLMSG_DONE && message->easy_handle == curl) {
        result = message->data.result;
        done = true;
      }
    }
    if (done) break;
    const auto now = std::chrono::steady_clock::now();
    const auto until = deadline.get();
    if (now >= until) {
      aborted = true;
      result = CURLE_ABORTED_BY_CALLBACK;
      break;
    }
    const auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - now) + std::chrono::milliseconds(1);
    curl_multi_poll(multi, nullptr, 0, static_cast<int>(std::min(remaining, kAbortCheckInterval).count()),
                    nullptr);
  }
  curl_multi_remove_handle(multi, curl);
  return result;
}

}  // namespace

CurlHttp::OpenSockets::OpenSockets() {
  for (auto& fd : fds_) fd.store(-1, std::memory_order_relaxed);
}

void CurlHttp::OpenSockets::add(int fd) {
  for (auto& slot : fds_) {
    int empty = -1;
    if (slot.compare_exchange_strong(empty, fd, std::memory_order_acq_rel)) return;
  }
}

void CurlHttp::OpenSockets::remove(int fd) {
  for (auto& slot : fds_) {
    int expected = fd;
    if (slot.compare_exchange_strong(expected, -1, std::memory_order_acq_rel)) return;
  }
}

void CurlHttp::OpenSockets::close_all() {
  for (auto& slot : fds_) {
    const int fd = slot.exchange(-1, std::memory_order_acq_rel);
    if (fd >= 0) ::close(fd);
  }
}

CurlHttp::CurlHttp(HttpSettings settings) : settings_(std::move(settings)) {
  global_init();
  handle_ = curl_easy_init();
  multi_ = curl_multi_init();
}

CurlHttp::~CurlHttp() {
  if (handle_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(handle_));
  if (multi_ != nullptr) curl_multi_cleanup(static_cast<CURLM*>(multi_));
}

void CurlHttp::abandon_after_fork() { sockets_.close_all(); }

HttpResponse CurlHttp::post(const std::string& url, const std::vector<std::string>& headers,
                            std::string_view body, const AbortDeadline& deadline) {
  HttpResponse response;
  CURL* curl = static_cast<CURL*>(handle_);
  if (curl == nullptr || multi_ == nullptr) {
    response.error = Status(ErrorCode::io_error, "libcurl could not be initialized");
    return response;
  }
  curl_easy_reset(curl);  // keeps the connection cache: connections are reused across requests
  Transfer transfer{&response.body, settings_.max_response_bytes, &response.retry_after, &deadline};
  curl_slist* header_list = nullptr;
  for (const std::string& header : headers) header_list = curl_slist_append(header_list, header.c_str());
  header_list = curl_slist_append(header_list, "Expect:");  // no 100-continue round trip
  const std::string user_agent = std::string("wavefront-cpp/") + version_string();
  char error_buffer[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.request_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!settings_.trusted_certificate.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.trusted_certificate.c_str());
  } else if (!settings_.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.ca_file.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, &open_socket);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &sockets_);
  curl_easy_setopt(curl, CURLOPT_CLOSESOCKETFUNCTION, &close_socket);
  curl_easy_setopt(curl, CURLOPT_CLOSESOCKETDATA, &sockets_);

  bool aborted = false;
  const CURLcode result = run_transfer(static_cast<CURLM*>(multi_), curl, deadline, aborted);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(header_list);
  if (result == CURLE_OK) {
    response.status = status;
    return response;
  }
  const bool timed_out = result == CURLE_OPERATION_TIMEDOUT || result == CURLE_ABORTED_BY_CALLBACK;
  const std::string detail =
      timed_out && (aborted || result == CURLE_ABORTED_BY_CALLBACK)
          ? std::string("the request was abandoned at the sender's close or flush deadline")
          : (error_buffer[0] != '\0' ? std::string(error_buffer) : std::string(curl_easy_strerror(result)));
  response.error = Status(timed_out ? ErrorCode::timeout : ErrorCode::io_error, detail);
  return response;
}

bool http_available() { return true; }

Expected<std::unique_ptr<HttpExchange>> make_http_exchange(const HttpSettings& settings) {
  return std::unique_ptr<HttpExchange>(std::make_unique<CurlHttp>(settings));
}

}  // namespace wavefront::transport
