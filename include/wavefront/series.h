// `Series`: a pre-registered metric or delta-counter series whose sends write only value and timestamp.
//
// Application code that sends the same series (name, source, tags) again and again makes a handle
// once, where the name, source and tags are validated and formatted:
//
//   wavefront::Expected<wavefront::Series> cpu = client->series("cpu.usage", {{"env", "prod"}});
//   if (!cpu) { /* cpu.status() names the field and the rule that refused it */ }
//   cpu->send(42.5);              // now (the receiver's clock)
//   cpu->send(42.5, 1700000000);  // epoch seconds, or any other Timestamp
//
// An invalid name, source or tag is refused when the handle is made (a Status, never an exception).
// A send then checks only the value (finite; a delta must not be negative, and 0 sends nothing) and
// the timestamp, stages them with the series' text in the calling thread's staging buffer and
// returns; the sender's background thread writes the line. It is counted in the sender's stats()
// like send_metric/send_delta_counter, keeps its place among the thread's other sends, and the line
// on the wire is the same. Until the line is written it counts in queued_bytes (and against
// max_queue_bytes) at its longest possible length.
//
// Thread-safety: a Series is a small copyable value; send() may be called from any number of threads
// at once, on the same handle or on copies. A handle refers to the sender that made it: it must not
// be used after that sender is destroyed. After fork() it sends through the child's sender like any
// other call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "wavefront/export.h"
#include "wavefront/status.h"
#include "wavefront/types.h"

namespace wavefront {

class QueuedSender;

enum class SeriesKind : std::uint8_t { metric, delta_counter };

// The series' formatted line without value and timestamp: `"name" ` then ` source="..." "k"="v"\n`;
// the value (and the timestamp, if any) go at `value_at`.
struct SeriesLine {
  std::string text;
  std::size_t value_at = 0;
  SeriesKind kind = SeriesKind::metric;
};

class WAVEFRONT_API Series {
 public:
  // An empty handle: send() refuses with invalid_argument. QueuedSender::series makes real ones.
  Series() = default;

  // Queues one point of this series. timestamp: epoch seconds (or any Timestamp), none for "now".
  Status send(double value, Timestamp timestamp = {}) const;

  bool empty() const noexcept { return line_ == nullptr; }
  SeriesKind kind() const noexcept { return line_ ? line_->kind : SeriesKind::metric; }

 private:
  friend class QueuedSender;
  Series(QueuedSender* sender, std::shared_ptr<const SeriesLine> line) noexcept
      : sender_(sender), line_(std::move(line)) {}

  QueuedSender* sender_ = nullptr;
  std::shared_ptr<const SeriesLine> line_;
};

}  // namespace wavefront
