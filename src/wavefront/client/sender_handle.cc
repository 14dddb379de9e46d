// SenderHandle and the stand-in sender of a failed construction; see sender_handle.h.
#include "wavefront/sender_handle.h"

#include <array>
#include <atomic>
#include <utility>

namespace wavefront {
namespace {

// Every call returns the construction error; refused points are counted as invalid.
class FailedSender final : public Sender {
 public:
  explicit FailedSender(Status error) : error_(std::move(error)) {}

  FlushResult flush(std::chrono::milliseconds /*timeout*/) override { return FlushResult{error_, 0}; }
  FlushResult close(std::chrono::milliseconds /*timeout*/) override { return FlushResult{error_, 0}; }
  std::uint64_t failure_count() const override {
    std::uint64_t total = 0;
    for (const auto& count : invalid_) total += count.load(std::memory_order_relaxed);
    return total;
  }
  SenderStats stats() const override {
    SenderStats stats;
    for (std::size_t type = 0; type < kDataTypeCount; ++type) {
      stats.types[type].invalid = invalid_[type].load(std::memory_order_relaxed);
    }
    return stats;
  }

 protected:
  Status submit(const FormattedLines& lines) override {
    invalid_[static_cast<std::size_t>(lines.type)].fetch_add(1, std::memory_order_relaxed);
    return error_;
  }

 private:
  const Status error_;
  std::array<std::atomic<std::uint64_t>, kDataTypeCount> invalid_{};
};

Status failed_or_placeholder(Status error) {
  if (!error.ok()) return error;
  return Status(ErrorCode::invalid_argument, "the sender was created from an ok status and no sender");
}

}  // namespace

SenderHandle::SenderHandle(std::unique_ptr<Sender> sender) : sender_(std::move(sender)) {
  if (!sender_) *this = SenderHandle(Status(ErrorCode::invalid_argument, "no sender was given"));
}

SenderHandle::SenderHandle(Status error)
    : sender_(std::make_unique<FailedSender>(failed_or_placeholder(error))),
      error_(failed_or_placeholder(std::move(error))) {}

SenderHandle::SenderHandle(SenderHandle&&) noexcept = default;
SenderHandle& SenderHandle::operator=(SenderHandle&&) noexcept = default;
SenderHandle::~SenderHandle() = default;

std::unique_ptr<Sender> SenderHandle::release() {
  if (!error_.ok()) return nullptr;
  std::unique_ptr<Sender> sender = std::move(sender_);
  error_ = Status(ErrorCode::invalid_argument, "the sender was released from this handle");
  sender_ = std::make_unique<FailedSender>(error_);
  return sender;
}

}  // namespace wavefront
