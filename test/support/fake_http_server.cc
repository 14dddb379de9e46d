// The fake Wavefront HTTP receiver of fake_http_server.h: decodes each POST (strict, bounded gzip
// inflating), checks the token, answers from the script and records what was accepted.
#include "support/fake_http_server.h"

#define ZLIB_CONST
#include <zlib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

#include "support/http_server_thread.h"

namespace wavefront::testing {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Splits at '\n' into non-empty lines (a '\r' is kept; an unterminated last line counts).
std::vector<std::string> split_lines(const std::string& body) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    if (end > start) lines.emplace_back(body, start, end - start);
    start = end + 1;
  }
  return lines;
}

bool known_format(const std::string& format) {
  return format == "wavefront" || format == "histogram" || format == "trace" || format == "spanLogs" ||
         format == "event";
}

// Inflates one or more concatenated gzip members (zlib or raw deflate are refused). False when the input
// is not gzip, is corrupt or truncated, has trailing garbage, or inflates to more than `limit` bytes.
bool inflate_gzip(const std::string& input, std::size_t limit, std::string& output) {
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return false;
  stream.next_in = reinterpret_cast<const Bytef*>(input.data());
  stream.avail_in = static_cast<uInt>(input.size());
  char buffer[64 * 1024];
  bool ok = !input.empty();
  while (ok) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    const int result = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = sizeof(buffer) - stream.avail_out;
    if (output.size() + produced > limit) ok = false;
    if (ok) output.append(buffer, produced);
    if (result == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      ok = inflateReset(&stream) == Z_OK;  // another member follows
    } else if (result != Z_OK || (stream.avail_in == 0 && produced == 0)) {
      ok = false;  // corrupt, or truncated (no input left and no progress)
    }
  }
  inflateEnd(&stream);
  return ok;
}

}  // namespace

// ---- FakeHttpServer ----

FakeHttpServer::FakeHttpServer(Options options)
    : options_(std::move(options)), required_token_(options_.required_token) {
  if (options_.huge_response_bytes > 0) default_answer_ = Answer::huge(options_.huge_response_bytes);
}

// Stop (ending and joining every handler) while thread_ still points at the server: handlers read it.
FakeHttpServer::~FakeHttpServer() {
  if (thread_) thread_->stop();
  thread_.reset();
}

std::unique_ptr<FakeHttpServer> FakeHttpServer::start(Options options, std::string* error) {
  std::unique_ptr<FakeHttpServer> self(new FakeHttpServer(std::move(options)));
  FakeHttpServer* raw = self.get();
  auto started = detail::HttpServerThread::start(
      self->options_.tls,
      [raw](const httplib::Request& request, httplib::Response& response) { raw->serve(request, response); },
      error);
  if (!started) return nullptr;
  // Published under the mutex: handlers read it under the mutex too (TSan cannot see that no request
  // can arrive before the caller learns the port).
  std::lock_guard<std::mutex> lock(self->mutex_);
  self->thread_ = std::move(started);
  return self;
}

void FakeHttpServer::serve(const httplib::Request& request, httplib::Response& response) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++arrivals_;
  }
  changed_.notify_all();
  RecordedRequest record;
  record.method = request.method;
  record.path = request.path;
  record.format = request.get_param_value("f");
  record.content_type = request.get_header_value("Content-Type");
  record.content_encoding = request.get_header_value(detail::kRawEncodingHeader);
  record.authorization = request.get_header_value("Authorization");
  record.user_agent = request.get_header_value("User-Agent");
  record.raw_body_bytes = request.body.size();
  std::vector<std::string> lines;
  const bool event = request.path == "/api/v2/event";
  const Answer answer = decide(request.body, event, record, lines);

  detail::HttpServerThread* thread = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    thread = thread_.get();
  }
  if (answer.delay.count() > 0 && thread != nullptr) thread->wait_unless_stopping(answer.delay);
  if (answer.reset) {
    // Recorded first, so that a client that saw the connection fail finds it in requests().
    const int fd = detail::HttpServerThread::connection_socket(request);
    record.reset = fd >= 0;
    record.status = record.reset ? 0 : 500;
    record_request(std::move(record), {}, false);
    if (fd >= 0) detail::HttpServerThread::reset_connection(fd, request.ssl != nullptr);
    response.status = 500;  // only seen if the socket was not found
    return;
  }
  response.status = answer.status;
  if (answer.retry_after) response.set_header("Retry-After", *answer.retry_after);
  if (answer.status == 401) response.set_header("WWW-Authenticate", "Bearer");
  if (answer.body_bytes > 0) {
    auto chunk = std::make_shared<const std::string>(std::size_t{64} << 10, 'x');
    if (answer.body_bytes == Answer::kEndless) {
      response.set_chunked_content_provider(
          "application/octet-stream", [chunk, thread](std::size_t, httplib::DataSink& sink) {
            return !thread->stopping() && sink.write(chunk->data(), chunk->size());
          });
    } else {
      response.set_content_provider(
          answer.body_bytes, "application/octet-stream",
          [chunk, thread](std::size_t, std::size_t length, httplib::DataSink& sink) {
            return !thread->stopping() && sink.write(chunk->data(), std::min(length, chunk->size()));
          });
    }
  } else if (!answer.body.empty()) {
    response.set_content(answer.body, "text/plain");
  }
  const bool accepted = answer.status >= 200 && answer.status < 300;
  record.status = answer.status;
  if (!accepted) lines.clear();
  record_request(std::move(record), lines, event && accepted);
}

FakeHttpAnswer FakeHttpServer::decide(const std::string& raw_body, bool event, RecordedRequest& record,
                                      std::vector<std::string>& lines) {
  if (!authorized(record.authorization)) return Answer::status_code(401);
  const bool report = record.path == "/report" || ends_with(record.path, "/report");
  if (!report && !event) return Answer::status_code(404);
  std::string body;
  if (record.content_encoding == "gzip") {
    if (!inflate_gzip(raw_body, options_.inflate_limit, body)) return Answer::status_code(400);
  } else if (record.content_encoding.empty() || record.content_encoding == "identity") {
    body = raw_body;
  } else {
    return Answer::status_code(415);
  }
  record.body_bytes = body.size();
  if (body.size() > options_.max_body_bytes) return Answer::status_code(413);
  if (report && !known_format(record.format)) return Answer::status_code(400);
  if (event) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return Answer::status_code(400);
  }
  record.body = std::move(body);
  if (report) lines = split_lines(record.body);
  record.line_count = lines.size();
  Answer answer = next_answer();
  if (answer.status == 0) answer.status = report ? 202 : 200;
  return answer;
}

bool FakeHttpServer::authorized(const std::string& authorization) const {
  static const std::string kBearer = "Bearer ";
  if (options_.token_validator) {
    return authorization.compare(0, kBearer.size(), kBearer) == 0 &&
           options_.token_validator(authorization.substr(kBearer.size()));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  return !required_token_ || authorization == kBearer + *required_token_;
}

FakeHttpAnswer FakeHttpServer::next_answer() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (script_.empty()) return default_answer_;
  Answer answer = std::move(script_.front());
  script_.pop_front();
  return answer;
}

void FakeHttpServer::record_request(RecordedRequest request, const std::vector<std::string>& lines,
                                    bool event) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!lines.empty()) {
      auto& sink = lines_[request.format];
      sink.insert(sink.end(), lines.begin(), lines.end());
    }
    if (event) events_.push_back(request.body);
    requests_.push_back(std::move(request));
  }
  changed_.notify_all();
}

uint16_t FakeHttpServer::port() const { return thread_->port(); }
std::string FakeHttpServer::url() const { return thread_->url(); }

void FakeHttpServer::script(std::vector<Answer> answers) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (Answer& answer : answers) script_.push_back(std::move(answer));
}
void FakeHttpServer::set_default_answer(Answer answer) {
  std::lock_guard<std::mutex> lock(mutex_);
  default_answer_ = std::move(answer);
}
std::size_t FakeHttpServer::scripted_left() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return script_.size();
}
void FakeHttpServer::set_required_token(std::optional<std::string> token) {
  std::lock_guard<std::mutex> lock(mutex_);
  required_token_ = std::move(token);
}

std::vector<std::string> FakeHttpServer::lines(const std::string& format) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = lines_.find(format);
  return found == lines_.end() ? std::vector<std::string>() : found->second;
}
std::vector<std::string> FakeHttpServer::event_json_bodies() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return events_;
}
std::vector<RecordedRequest> FakeHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}
std::size_t FakeHttpServer::request_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_.size();
}

bool FakeHttpServer::wait_for_lines(const std::string& format, std::size_t n,
                                    std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    const auto found = lines_.find(format);
    return found != lines_.end() && found->second.size() >= n;
  });
}
bool FakeHttpServer::wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}
bool FakeHttpServer::wait_for_arrivals(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return arrivals_ >= n; });
}
bool FakeHttpServer::wait_for_events(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return events_.size() >= n; });
}

}  // namespace wavefront::testing
