// libFuzzer target: the tools' input stack (tools/input/): the one LineSplitter, pulled (LineSource over
// a ByteSource, as import and lint read) and pushed (listen's LineStream), plain and through gzip.
//
// Input: three parameter bytes, then the data. Byte 0 picks the chunk size the data is handed out in,
// byte 1 the line bound, byte 2 the buffer sizes. Properties, each against the data read whole:
//   1  LineSource over the data in chunks gives the same lines, too-long reports and numbers;
//   2  the splitter pushed piece by piece (LineStream, plain) gives the same events as pulled;
//   3  the data gzip-compressed here (two members when byte 2 is odd) gives the same events through
//      LineStream (small scratch, paced by a small budget and resumed) and through InputFile (a
//      memory file read in small buffers, so the output zlib holds is asked for again).
// Any difference aborts.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gzip_member.h"
#include "input/byte_source.h"
#include "input/line_source.h"
#include "input/line_stream.h"

namespace {

using wfsend::input::InputFile;
using wfsend::input::LineSource;
using wfsend::input::LineStream;
using wfsend::input::StringSource;

constexpr std::size_t kParameterBytes = 3;
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// One event as text: "L<number>:<line>" or "T<number>".
using Events = std::vector<std::string>;

Events pull(wfsend::input::ByteSource& source, std::size_t max_line, std::size_t buffer_bytes) {
  LineSource lines(source, max_line, buffer_bytes);
  Events events;
  std::string_view line;
  for (;;) {
    switch (lines.next(line)) {
      case LineSource::Result::line:
        events.push_back("L" + std::to_string(lines.line_number()) + ":" + std::string(line));
        break;
      case LineSource::Result::too_long:
        events.push_back("T" + std::to_string(lines.line_number()));
        break;
      case LineSource::Result::end:
        return events;
      case LineSource::Result::error:
        events.push_back("E" + lines.error());
        return events;
    }
  }
}

class Recorder final : public wfsend::input::LineTarget {
 public:
  explicit Recorder(Events& events) : events_(events) {}
  void on_line(std::string_view line, std::uint64_t number) override {
    events_.push_back("L" + std::to_string(number) + ":" + std::string(line));
  }
  void on_too_long(std::string_view start, std::uint64_t number) override {
    if (start.empty() && number == 0) std::abort();
    events_.push_back("T" + std::to_string(number));
  }

 private:
  Events& events_;
};

Events push(std::string_view data, bool gzip, std::size_t chunk, std::size_t max_line,
            std::size_t scratch_bytes) {
  std::string scratch(scratch_bytes, '\0');
  LineStream stream(max_line, scratch);
  stream.start(gzip, 0);
  Events events;
  Recorder recorder(events);
  for (std::size_t offset = 0; offset < data.size(); offset += chunk) {
    std::size_t budget = scratch_bytes * 2 + 1;
    LineStream::Outcome outcome = stream.feed(data.substr(offset, chunk), recorder, budget);
    while (outcome == LineStream::Outcome::budget_spent) {
      budget = scratch_bytes * 2 + 1;
      outcome = stream.resume(recorder, budget);
    }
    if (outcome != LineStream::Outcome::ok) std::abort();  // no limit, and the data is good gzip
  }
  if (!stream.finish([&](std::string_view line, std::uint64_t number) { recorder.on_line(line, number); })) {
    std::abort();
  }
  return events;
}

Events pull_gzip_file(const std::string& compressed, std::size_t max_line, std::size_t buffer_bytes) {
  const int fd = memfd_create("input_fuzz", MFD_CLOEXEC);
  if (fd < 0) std::abort();
  if (write(fd, compressed.data(), compressed.size()) != static_cast<ssize_t>(compressed.size()))
    std::abort();
  if (lseek(fd, 0, SEEK_SET) != 0) std::abort();
  auto file = InputFile::open("/proc/self/fd/" + std::to_string(fd));
  if (!file.ok() || !(*file)->compressed()) std::abort();
  Events events = pull(**file, max_line, buffer_bytes);
  close(fd);
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < kParameterBytes) return 0;
  const std::size_t chunk = static_cast<std::size_t>(bytes[0] % 64) + 1;
  const std::size_t max_line =
      bytes[1] < 128 ? static_cast<std::size_t>(bytes[1] % 32) + 1 : std::size_t{1} << 20;
  const std::size_t buffer_bytes = static_cast<std::size_t>(bytes[2] % 48) + 1;
  const bool two_members = (bytes[2] & 1) != 0;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + kParameterBytes, size - kParameterBytes);

  StringSource whole_source{std::string(data), data.size() + 1};
  const Events whole = pull(whole_source, max_line, std::size_t{1} << 20);
  StringSource chunked_source{std::string(data), chunk};
  if (pull(chunked_source, max_line, buffer_bytes) != whole) std::abort();  // 1

  // The pulled reader skips a byte order mark at the start; the pushed stream is given the data after it.
  std::string_view pushed = data;
  if (pushed.substr(0, kByteOrderMark.size()) == kByteOrderMark) pushed.remove_prefix(kByteOrderMark.size());
  if (push(pushed, false, chunk, max_line, buffer_bytes) != whole) std::abort();  // 2

  std::string compressed;
  if (two_members) {
    const std::size_t half = pushed.size() / 2;
    compressed = wavefront::fuzzing::gzip_member(pushed.substr(0, half)) +
                 wavefront::fuzzing::gzip_member(pushed.substr(half));
  } else {
    compressed = wavefront::fuzzing::gzip_member(pushed);
  }
  if (push(compressed, true, chunk, max_line, buffer_bytes) != whole) std::abort();  // 3
  // The file reader skips the byte order mark after decompressing, so its file holds all of the data
  // (corpus/input/regression-gzip-file-two-marks: a second mark is data, not skipped twice).
  if (!data.empty() &&
      pull_gzip_file(wavefront::fuzzing::gzip_member(data), max_line, buffer_bytes) != whole) {
    std::abort();
  }
  return 0;
}
