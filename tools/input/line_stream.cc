// Paced decompression and splitting of one stream of lines; see line_stream.h.
#include "input/line_stream.h"

#include <algorithm>

namespace wfsend::input {

LineStream::LineStream(std::size_t max_line_length, std::string& scratch)
    : splitter_(max_line_length), scratch_(scratch) {}

void LineStream::start(bool gzip, std::size_t max_decoded) {
  splitter_.reset();
  gzip_ = gzip;
  max_decoded_ = max_decoded;
  decoded_ = 0;
  leftover_.clear();
  leftover_offset_ = 0;
  output_held_ = false;
  error_.clear();
  if (gzip_) {
    if (inflater_ == nullptr) inflater_ = std::make_unique<GzipInflater>();
    inflater_->reset();
  }
}

void LineStream::release_memory() {
  splitter_.release_memory();
  if (leftover_.capacity() > 0 && leftover_.empty()) std::string().swap(leftover_);
  if (!has_leftover()) inflater_.reset();
}

void LineStream::discard() {
  splitter_.reset();
  splitter_.release_memory();
  leftover_offset_ = 0;
  output_held_ = false;
  std::string().swap(leftover_);
  inflater_.reset();
}

void LineStream::split(std::string_view data, LineTarget& target) {
  splitter_.feed(
      data, [&](std::string_view line, std::uint64_t number) { target.on_line(line, number); },
      [&](std::string_view start, std::uint64_t number) { target.on_too_long(start, number); });
}

LineStream::Outcome LineStream::feed(std::string_view piece, LineTarget& target, std::size_t& budget) {
  if (!gzip_) {
    decoded_ += piece.size();
    if (max_decoded_ != 0 && decoded_ > max_decoded_) return Outcome::too_large;
    split(piece, target);
    budget -= std::min(budget, piece.size());
    return Outcome::ok;
  }
  std::size_t consumed = 0;
  const Outcome outcome = inflate(piece, consumed, target, budget);
  if (outcome == Outcome::budget_spent) {
    leftover_.assign(piece.data() + consumed, piece.size() - consumed);
    leftover_offset_ = 0;
  }
  return outcome;
}

LineStream::Outcome LineStream::resume(LineTarget& target, std::size_t& budget) {
  if (!has_leftover()) return Outcome::ok;
  std::size_t consumed = 0;
  const Outcome outcome =
      inflate(std::string_view(leftover_).substr(leftover_offset_), consumed, target, budget);
  leftover_offset_ += consumed;
  if (outcome != Outcome::budget_spent) {
    leftover_.clear();
    leftover_offset_ = 0;
  }
  return outcome;
}

LineStream::Outcome LineStream::inflate(std::string_view input, std::size_t& consumed, LineTarget& target,
                                        std::size_t& budget) {
  while (consumed < input.size() || output_held_) {
    if (budget == 0) return Outcome::budget_spent;
    const std::size_t input_left = input.size() - consumed;
    GzipInflater::Result result =
        inflater_->inflate(input.substr(consumed), scratch_.data(), scratch_.size());
    consumed += result.consumed;
    output_held_ = result.produced == scratch_.size();
    if (result.error || (input_left > 0 && result.consumed == 0 && result.produced == 0)) {
      error_ = result.error ? std::move(result.message) : "gzip data makes no progress";
      output_held_ = false;  // the stream is over
      return Outcome::corrupt;
    }
    decoded_ += result.produced;
    if (max_decoded_ != 0 && decoded_ > max_decoded_) {
      output_held_ = false;  // the stream is over
      return Outcome::too_large;
    }
    split(std::string_view(scratch_.data(), result.produced), target);
    budget -= std::min(budget, result.produced);
  }
  return Outcome::ok;
}

}  // namespace wfsend::input
