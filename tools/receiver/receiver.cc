// The receiver component's interface, forwarding to its event loop; see receiver.h.
#include "receiver/receiver.h"

#include <utility>

#include "receiver/event_loop.h"

namespace wfreceiver {

Receiver::Receiver(std::unique_ptr<EventLoop> loop) : loop_(std::move(loop)) {}
Receiver::~Receiver() = default;

wavefront::Expected<std::unique_ptr<Receiver>> Receiver::create(ReceiverOptions options) {
  auto loop = EventLoop::create(std::move(options));
  if (!loop.ok()) return loop.status();
  return std::unique_ptr<Receiver>(new Receiver(std::move(*loop)));
}

std::uint16_t Receiver::port() const noexcept { return loop_->port(); }
std::optional<std::uint16_t> Receiver::distribution_port() const noexcept {
  return loop_->distribution_port();
}
std::optional<std::uint16_t> Receiver::tracing_port() const noexcept { return loop_->tracing_port(); }
void Receiver::run() { loop_->run(); }
void Receiver::start() { loop_->start(); }
void Receiver::wait() { loop_->wait(); }
void Receiver::stop() noexcept { loop_->stop(); }
ReceiverStats Receiver::stats() const { return loop_->stats(); }

}  // namespace wfreceiver
