// The std::ostringstream baseline formatter; see baseline_formatter.h.
#include "baseline_formatter.h"

#include <iomanip>
#include <sstream>

namespace wavefront_bench::baseline {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ',' || c == '-' || c == '/';
}

std::string sanitize_name(std::string_view name) {
  std::string sanitized;
  sanitized.reserve(name.size());
  for (std::size_t index = 0; index < name.size(); ++index) {
    const char c = name[index];
    sanitized += (is_name_char(c) || (index == 0 && c == '~')) ? c : '-';
  }
  return sanitized;
}

std::string escape_value(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (char c : value) {
    if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string escape_json(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '"':
        escaped += "\\\"";
        break;
      case '\\':
        escaped += "\\\\";
        break;
      case '\n':
        escaped += "\\n";
        break;
      case '\r':
        escaped += "\\r";
        break;
      case '\t':
        escaped += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          escaped += "\\u00";
          escaped += kHex[(c >> 4) & 0xF];
          escaped += kHex[c & 0xF];
        } else {
          escaped += c;
        }
    }
  }
  return escaped;
}

void write_point_tags(std::ostream& os, const StringPairs& tags) {
  for (const auto& [key, value] : tags)
    os << " \"" << sanitize_name(key) << "\"=\"" << escape_value(value) << '"';
}

void write_span_line(std::ostream& os, std::string_view name, std::int64_t start_ms, std::int64_t duration_ms,
                     std::string_view source, std::string_view trace_id, std::string_view span_id,
                     const std::vector<std::string>& parents, const StringPairs& tags, bool has_logs) {
  os << '"' << escape_value(name) << "\" source=\"" << escape_value(source) << "\" traceId=" << trace_id
     << " spanId=" << span_id;
  for (const std::string& parent : parents) os << " parent=" << parent;
  write_point_tags(os, tags);
  if (has_logs) os << " \"_spanLogs\"=\"true\"";
  os << ' ' << start_ms << ' ' << duration_ms;
}

}  // namespace

void write_metric(std::ostream& os, std::string_view name, double value,
                  std::optional<std::int64_t> timestamp, std::string_view source, const StringPairs& tags) {
  os << '"' << sanitize_name(name) << "\" " << std::setprecision(17) << value;
  if (timestamp) os << ' ' << *timestamp;
  os << " source=\"" << escape_value(source) << '"';
  write_point_tags(os, tags);
  os << '\n';
}

void format_metric(std::string& out, std::string_view name, double value,
                   std::optional<std::int64_t> timestamp, std::string_view source, const StringPairs& tags) {
  std::ostringstream os;
  write_metric(os, name, value, timestamp, source, tags);
  out += os.str();
}

void format_delta_counter(std::string& out, std::string_view name, double value,
                          std::optional<std::int64_t> timestamp, std::string_view source,
                          const StringPairs& tags) {
  std::ostringstream os;
  os << "\"\xE2\x88\x86" << sanitize_name(name) << "\" " << std::setprecision(17) << value;
  if (timestamp) os << ' ' << *timestamp;
  os << " source=\"" << escape_value(source) << '"';
  write_point_tags(os, tags);
  os << '\n';
  out += os.str();
}

void format_distribution(std::string& out, std::string_view name,
                         const std::vector<wavefront::Centroid>& centroids, char granularity,
                         std::int64_t timestamp, std::string_view source, const StringPairs& tags) {
  std::ostringstream os;
  os << '!' << granularity << ' ' << timestamp << std::setprecision(17);
  for (const wavefront::Centroid& centroid : centroids) os << " #" << centroid.count << ' ' << centroid.mean;
  os << " \"" << sanitize_name(name) << "\" source=\"" << escape_value(source) << '"';
  write_point_tags(os, tags);
  os << '\n';
  out += os.str();
}

void format_span(std::string& span_out, std::string& logs_out, std::string_view name, std::int64_t start_ms,
                 std::int64_t duration_ms, std::string_view source, std::string_view trace_id,
                 std::string_view span_id, const std::vector<std::string>& parents, const StringPairs& tags,
                 const std::vector<LogRecord>& logs) {
  std::ostringstream span;
  write_span_line(span, name, start_ms, duration_ms, source, trace_id, span_id, parents, tags, !logs.empty());
  const std::string span_line = span.str();
  span_out += span_line;
  span_out += '\n';
  if (logs.empty()) return;
  std::ostringstream os;
  os << "{\"traceId\":\"" << trace_id << "\",\"spanId\":\"" << span_id << "\",\"logs\":[";
  for (std::size_t index = 0; index < logs.size(); ++index) {
    if (index != 0) os << ',';
    os << "{\"timestamp\":" << logs[index].timestamp_us << ",\"fields\":{";
    const StringPairs& fields = logs[index].fields;
    for (std::size_t field = 0; field < fields.size(); ++field) {
      if (field != 0) os << ',';
      os << '"' << escape_json(fields[field].first) << "\":\"" << escape_json(fields[field].second) << '"';
    }
    os << "}}";
  }
  os << "],\"span\":\"" << escape_json(span_line) << "\"}\n";
  logs_out += os.str();
}

void format_event(std::string& out, std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                  std::string_view source, const StringPairs& annotations,
                  const std::vector<std::string>& tags) {
  std::ostringstream os;
  os << "@Event " << start_ms << ' ' << (end_ms > start_ms ? end_ms : start_ms + 1) << " \""
     << escape_value(name) << '"';
  write_point_tags(os, annotations);
  os << " host=\"" << escape_value(source) << '"';
  for (const std::string& tag : tags) os << " tag=\"" << escape_value(tag) << '"';
  os << '\n';
  out += os.str();
}

void format_event_json(std::string& out, std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                       std::string_view source, const StringPairs& annotations,
                       const std::vector<std::string>& tags) {
  std::ostringstream os;
  os << "{\"name\":\"" << escape_json(name) << "\",\"annotations\":{";
  for (std::size_t index = 0; index < annotations.size(); ++index) {
    if (index != 0) os << ',';
    os << '"' << escape_json(sanitize_name(annotations[index].first)) << "\":\""
       << escape_json(annotations[index].second) << '"';
  }
  os << "},\"hosts\":[\"" << escape_json(source) << "\"],\"tags\":[";
  for (std::size_t index = 0; index < tags.size(); ++index) {
    if (index != 0) os << ',';
    os << '"' << escape_json(tags[index]) << '"';
  }
  os << "],\"startTime\":" << start_ms << ",\"endTime\":" << (end_ms > start_ms ? end_ms : start_ms + 1)
     << '}';
  out += os.str();
}

}  // namespace wavefront_bench::baseline
