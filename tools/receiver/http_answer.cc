// Writing HTTP answers; see http_answer.h.
#include "receiver/http_answer.h"

namespace wfreceiver {

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 417:
      return "Expectation Failed";
    case 431:
      return "Request Header Fields Too Large";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Error";
  }
}

void append_answer(std::string& out, const HttpAnswer& answer) {
  out.append(answer.http10 ? "HTTP/1.0 " : "HTTP/1.1 ").append(std::to_string(answer.status)).append(" ");
  out.append(reason_phrase(answer.status)).append("\r\n");
  if (answer.headers.find("Content-Type:") == std::string_view::npos) {
    out.append("Content-Type: text/plain; charset=utf-8\r\n");
  }
  out.append(answer.headers);
  out.append("Content-Length: ").append(std::to_string(answer.body.size())).append("\r\n");
  if (answer.close) {
    out.append("Connection: close\r\n");
  } else if (answer.http10) {
    out.append("Connection: keep-alive\r\n");
  }
  out.append("\r\n");
  if (!answer.head_only) out.append(answer.body);
}

}  // namespace wfreceiver
