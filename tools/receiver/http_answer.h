// Writing HTTP/1.1 answers for `wfsend listen` (its HTTP session calls append_answer for each one).
//
// Answers are small text/plain messages with a Content-Length; `Connection: close` when the receiver
// closes after them, `Connection: keep-alive` for HTTP/1.0 clients that keep the connection.
//
// Thread-safety: reentrant.
#pragma once

#include <string>
#include <string_view>

namespace wfreceiver {

struct HttpAnswer {
  int status = 200;
  std::string_view body;
  std::string_view headers;  // extra header lines, each ending in "\r\n"
  bool close = false;
  bool http10 = false;     // answer with HTTP/1.0
  bool head_only = false;  // the request was HEAD: no body, but its Content-Length
};

// "OK", "Accepted", "Bad Request", ... ("Error" for codes it does not know).
std::string_view reason_phrase(int status) noexcept;
void append_answer(std::string& out, const HttpAnswer& answer);

}  // namespace wfreceiver
