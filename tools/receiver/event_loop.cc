// The receiver's listeners and its epoll event loop; see event_loop.h.
#include "receiver/event_loop.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "receiver/connection.h"
#include "receiver/context.h"

namespace wfreceiver {
namespace {

using wavefront::ErrorCode;
using wavefront::Status;

constexpr std::uint64_t kWakeId = ~std::uint64_t{0};
constexpr std::uint64_t kListenerBase = std::uint64_t{1} << 62;
constexpr int kMaxEvents = 256;
constexpr int kMaxAcceptsPerRound = 64;
constexpr std::chrono::milliseconds kTick{50};  // deadline checks, report windows, paused accepts

std::uint64_t connection_id(std::size_t slot, std::uint32_t generation) noexcept {
  return (std::uint64_t{generation} << 32) | slot;
}

void peer_address(const sockaddr_storage& address, std::string& ip, std::uint16_t& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    port = ntohs(v4->sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    port = ntohs(v6->sin6_port);
  }
  ip = text;
  constexpr std::string_view kMapped = "::ffff:";
  if (ip.compare(0, kMapped.size(), kMapped) == 0 && ip.find('.') != std::string::npos) {
    ip.erase(0, kMapped.size());
  }
  if (ip.empty()) ip = "unknown";
}

Status check_options(const ReceiverOptions& options) {
  auto invalid = [](std::string_view what) {
    return Status(ErrorCode::invalid_argument, std::string(what) + " must be positive");
  };
  if (options.max_connections == 0) return invalid("max_connections");
  if (options.max_line_length == 0) return invalid("max_line_length");
  if (options.max_body_bytes == 0) return invalid("max_body_bytes");
  if (options.max_head_bytes < 64) return Status(ErrorCode::invalid_argument, "max_head_bytes must be >= 64");
  if (options.turn_budget_bytes == 0) return invalid("turn_budget_bytes");
  if (options.idle_timeout.count() <= 0) return invalid("idle_timeout");
  if (options.request_timeout.count() <= 0) return invalid("request_timeout");
  return Status();
}

}  // namespace

EventLoop::EventLoop(ReceiverOptions options) : context_(std::make_unique<LoopContext>(std::move(options))) {}

EventLoop::~EventLoop() {
  stop();
  wait();
  for (Slot& slot : slots_) slot.connection.reset();
  close_listeners();
  if (wake_fd_ >= 0) ::close(wake_fd_);
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

wavefront::Expected<std::unique_ptr<EventLoop>> EventLoop::create(ReceiverOptions options) {
  if (Status status = check_options(options); !status.ok()) return status;
  std::unique_ptr<EventLoop> receiver(new EventLoop(std::move(options)));
  receiver->epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  receiver->wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (receiver->epoll_fd_ < 0 || receiver->wake_fd_ < 0) {
    return Status(ErrorCode::io_error, std::string("epoll/eventfd: ") + std::strerror(errno));
  }
  epoll_event wake{};
  wake.events = EPOLLIN;
  wake.data.u64 = kWakeId;
  ::epoll_ctl(receiver->epoll_fd_, EPOLL_CTL_ADD, receiver->wake_fd_, &wake);

  const ReceiverOptions& settings = receiver->context_->options;
  std::uint16_t bound = 0;
  if (Status status = receiver->listen_on(settings.port, LineFilter::any, bound); !status.ok()) return status;
  receiver->port_ = bound;
  if (settings.distribution_port) {
    if (Status status = receiver->listen_on(*settings.distribution_port, LineFilter::distribution, bound);
        !status.ok()) {
      return status;
    }
    receiver->distribution_port_ = bound;
  }
  if (settings.tracing_port) {
    if (Status status = receiver->listen_on(*settings.tracing_port, LineFilter::tracing, bound);
        !status.ok()) {
      return status;
    }
    receiver->tracing_port_ = bound;
  }
  return receiver;
}

Status EventLoop::listen_on(std::uint16_t requested, LineFilter filter, std::uint16_t& bound) {
  const std::string& host = context_->options.host;
  const std::string where = host + ":" + std::to_string(requested);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(requested);
  if (const int code = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
      code != 0) {
    return Status(ErrorCode::io_error, "cannot listen on " + where + ": " + ::gai_strerror(code));
  }
  std::string error = "no address";
  int fd = -1;
  for (const addrinfo* address = found; address != nullptr && fd < 0; address = address->ai_next) {
    fd = ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                  address->ai_protocol);
    if (fd < 0) {
      error = std::strerror(errno);
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, address->ai_addr, address->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      error = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) return Status(ErrorCode::io_error, "cannot listen on " + where + ": " + error);

  sockaddr_storage address{};
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  std::string ip;
  peer_address(address, ip, bound);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kListenerBase + listeners_.size();
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
  listeners_.push_back(Listener{fd, filter, false});
  return Status();
}

void EventLoop::start() {
  thread_ = std::thread([this] { run(); });
}

void EventLoop::wait() {
  if (thread_.joinable()) thread_.join();
}

void EventLoop::stop() noexcept {
  // Only write(2): safe in a signal handler.
  const std::uint64_t one = 1;
  if (wake_fd_ >= 0 && ::write(wake_fd_, &one, sizeof one) < 0) {
    // The counter is already non-zero (EAGAIN): the loop will wake anyway.
  }
}

ReceiverStats EventLoop::stats() const { return context_->stats.snapshot(); }

void EventLoop::close_listeners() {
  for (Listener& listener : listeners_) {
    if (listener.fd >= 0) ::close(listener.fd);
    listener.fd = -1;
  }
}

void EventLoop::run() {
  LoopContext& context = *context_;
  epoll_event events[kMaxEvents];
  std::vector<std::size_t> work;
  bool draining = false;
  LoopContext::Clock::time_point drain_deadline{};
  LoopContext::Clock::time_point next_check = LoopContext::Clock::now() + kTick;
  for (;;) {
    const int timeout = (!work_.empty() || draining) ? 0 : static_cast<int>(kTick.count());
    const int count = ::epoll_wait(epoll_fd_, events, kMaxEvents, timeout);
    if (count < 0 && errno != EINTR) {
      context.diagnostics.print(std::string("epoll_wait failed: ") + std::strerror(errno));
      break;
    }
    context.now = LoopContext::Clock::now();
    ++round_;
    touched_.clear();
    work.swap(work_);
    work_.clear();
    for (int index = 0; index < count; ++index) {
      const std::uint64_t id = events[index].data.u64;
      if (id == kWakeId) {
        std::uint64_t value = 0;
        if (::read(wake_fd_, &value, sizeof value) < 0) {
          // Nothing to read: another round already consumed it.
        }
        if (!draining) {
          draining = true;
          drain_deadline = context.now + context.options.drain_timeout;
          close_listeners();
        }
        continue;
      }
      if (id >= kListenerBase) {
        if (!draining) accept_from(listeners_[id - kListenerBase]);
        continue;
      }
      const std::size_t slot_index = id & 0xffffffffU;
      if (slot_index >= slots_.size() || slots_[slot_index].generation != (id >> 32) ||
          !slots_[slot_index].connection) {
        continue;
      }
      const std::uint32_t ready = events[index].events;
      if ((ready & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0) {
        slots_[slot_index].connection->on_writable();
        touched_.push_back(slot_index);
      }
      if ((ready & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) serve(slot_index);
    }
    for (std::size_t slot_index : work) {
      if (slots_[slot_index].connection) serve(slot_index);
    }
    for (std::size_t slot_index : touched_) after_turn(slot_index);
    context.output.flush();
    if (context.now >= next_check) {
      next_check = context.now + kTick;
      check_deadlines();
    }
    if (draining && ((count == 0 && work_.empty()) || context.now >= drain_deadline)) break;
  }
  finish();
}

void EventLoop::serve(std::size_t slot_index) {
  Slot& slot = slots_[slot_index];
  if (slot.round == round_) return;
  slot.round = round_;
  slot.connection->turn();
  touched_.push_back(slot_index);
}

void EventLoop::after_turn(std::size_t slot_index) {
  Slot& slot = slots_[slot_index];
  if (!slot.connection) return;
  Connection& connection = *slot.connection;
  if (connection.closed()) {  // closing the descriptor took it out of the epoll set
    slot.connection.reset();
    ++slot.generation;
    free_slots_.push_back(slot_index);
    return;
  }
  const std::uint32_t wanted = connection.wanted_events();
  if (wanted != slot.events) {
    epoll_event event{};
    event.events = wanted;
    event.data.u64 = connection_id(slot_index, slot.generation);
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection.fd(), &event);
    slot.events = wanted;
  }
  if (connection.has_pending_work() && slot.queued_round != round_) {
    slot.queued_round = round_;
    work_.push_back(slot_index);
  }
}

void EventLoop::check_deadlines() {
  LoopContext& context = *context_;
  touched_.clear();
  for (std::size_t slot_index = 0; slot_index < slots_.size(); ++slot_index) {
    if (!slots_[slot_index].connection) continue;
    slots_[slot_index].connection->check_deadlines();
    touched_.push_back(slot_index);
  }
  for (std::size_t slot_index : touched_) after_turn(slot_index);
  for (Listener& listener : listeners_) {
    if (!listener.paused || listener.fd < 0) continue;
    listener.paused = false;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = kListenerBase + static_cast<std::size_t>(&listener - listeners_.data());
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listener.fd, &event);
  }
  context.diagnostics.tick(context.now);
  context.stats.reports_suppressed.store(context.diagnostics.suppressed_total(), std::memory_order_relaxed);
  if (!context.output.error().empty() && !output_error_reported_) {
    output_error_reported_ = true;
    context.stats.output_failed.store(true, std::memory_order_relaxed);
    context.diagnostics.print("cannot write accepted lines: " + context.output.error() +
                              "; they are counted but no longer written");
  }
}

void EventLoop::accept_from(Listener& listener) {
  LoopContext& context = *context_;
  for (int accepted = 0; accepted < kMaxAcceptsPerRound; ++accepted) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    const int fd =
        ::accept4(listener.fd, reinterpret_cast<sockaddr*>(&address), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: the listener would stay ready; pause it until the next tick.
        if (context.diagnostics.admit(context.now)) {
          context.diagnostics.print(std::string("cannot accept connections: ") + std::strerror(errno));
        }
        epoll_event event{};
        event.data.u64 = kListenerBase + static_cast<std::size_t>(&listener - listeners_.data());
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listener.fd, &event);
        listener.paused = true;
      }
      return;
    }
    std::string ip;
    std::uint16_t port = 0;
    peer_address(address, ip, port);
    if (slots_.size() - free_slots_.size() >= context.options.max_connections) {
      context.stats.add(context.stats.connections_refused);
      ::close(fd);
      if (context.diagnostics.admit(context.now)) {
        context.diagnostics.print(ip + ":" + std::to_string(port) +
                                  ": refused: " + std::to_string(context.options.max_connections) +
                                  " connections are open (--max-connections)");
      }
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::size_t slot_index = slots_.size();
    if (free_slots_.empty()) {
      slots_.emplace_back();
    } else {
      slot_index = free_slots_.back();
      free_slots_.pop_back();
    }
    Slot& slot = slots_[slot_index];
    slot.connection = std::make_unique<Connection>(context, fd, std::move(ip), port, listener.filter);
    slot.events = EPOLLIN;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = connection_id(slot_index, slot.generation);
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
  }
}

void EventLoop::finish() {
  LoopContext& context = *context_;
  for (Slot& slot : slots_) {
    if (!slot.connection) continue;
    slot.connection->shutdown();
    slot.connection.reset();
    ++slot.generation;
  }
  slots_.clear();
  free_slots_.clear();
  work_.clear();
  close_listeners();
  context.output.flush();
  context.diagnostics.finish();
  check_deadlines();  // reports an output failure, publishes the last counts
}

}  // namespace wfreceiver
