#include "broker/net/tcp_connection.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <exception>

#include "broker/net/server_state.h"
#include "common/assert.h"
#include "common/endian.h"

namespace samsa::broker::net {
namespace {

constexpr size_t kDiscardBytes = 16 * 1024;

}  // namespace

tcp_connection::tcp_connection(std::shared_ptr<server::state> st, boost::asio::ip::tcp::socket socket,
                               connection_info info)
    : state_(std::move(st)),
      socket_(std::move(socket)),
      info_(std::move(info)),
      reader_(state_->config.socket_request_max_bytes) {}

tcp_connection::~tcp_connection() = default;

void tcp_connection::start() {
  last_io_ = state_->clock.monotonic_now();
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);  // send_queue writes with sendmsg/sendfile directly
  handle_ = std::make_shared<connection>(info_, state_->pool, weak_from_this());
  state_->shards[info_.shard.value()]->connections.emplace(info_.id, shared_from_this());
  state_->log->debug("Accepted connection {} from {}:{} on listener {} ({}:{}), shard {}", info_.id, info_.peer_address,
                     info_.peer_port, info_.listener_name, info_.local_address, info_.local_port, info_.shard.value());
  state_->handler.on_open(handle_);  // before any close, so on_close always follows on_open
  if (ec) {
    close(fmt::format("cannot make the socket non-blocking: {}", ec.message()));
    return;
  }
  pump();
}

// Every event ends here. Re-entrant calls (a handler answering inline from
// on_request, a charge released while writing) only ask for another round.
void tcp_connection::pump() {
  if (pumping_) {
    pump_again_ = true;
    return;
  }
  auto self = shared_from_this();  // close() drops the registry's reference
  pumping_ = true;
  do {
    pump_again_ = false;
    if (closed_) break;
    process_input();
    if (closed_) break;
    queue_replies();
    write();
    maybe_finish();
    read_more();
  } while (pump_again_ && !closed_);
  pumping_ = false;
}

void tcp_connection::process_input() {
  while (!closed_) {
    if (auto f = reader_.take_frame()) {
      if (no_more_requests_) {
        reading_charge_.reset();  // the dropped frame releases its charge as it goes
        continue;
      }
      deliver(std::move(*f));
      continue;
    }
    if (no_more_requests_) return;
    switch (reader_.current()) {
      case frame_reader::phase::invalid: {
        const int32_t size = reader_.frame_size();
        // Kafka: InvalidReceiveException, logged by Selector as "Unexpected
        // error from ...; closing connection". Kafka reads this size only
        // after answering the request before it (one request at a time), so
        // earlier responses are still written before the close.
        const std::string detail =
            size < 0 ? fmt::format("Invalid receive (size = {})", size)
                     : fmt::format("Invalid receive (size = {} larger than {})", size,
                                   state_->config.socket_request_max_bytes);
        state_->log->warn("Unexpected error from {}:{} (connectionId={}); closing connection: {}", info_.peer_address,
                          info_.peer_port, info_.id, detail);
        draining_ = true;
        no_more_requests_ = true;
        return;
      }
      case frame_reader::phase::sized:
        if (!admit(reader_.frame_size())) return;
        continue;
      case frame_reader::phase::header:
      case frame_reader::phase::body:
        return;
    }
  }
}

bool tcp_connection::admit(int32_t size) {
  const auto& cfg = state_->config;
  // Local limits: resumed by release_local() or a reply being dealt with.
  if (unfinished_ >= cfg.connection_max_in_flight_requests) return false;
  if (cfg.connection_max_in_flight_bytes >= 0 && local_bytes_held_ >= cfg.connection_max_in_flight_bytes) return false;
  // Broker-wide limits: resumed by the waiter.
  if (waiting_admission_) return false;
  auto waiter = [pool = &state_->pool, shard = info_.shard, weak = weak_from_this()] {
    pool->post(shard, [weak] {
      if (auto c = weak.lock()) {
        c->waiting_admission_ = false;
        c->pump();
      }
    });
  };
  if (!state_->requests.take_or_wait(1, waiter)) {
    waiting_admission_ = true;
    return false;
  }
  if (!state_->request_bytes.take_or_wait(size, waiter)) {
    state_->requests.give_back(1);
    waiting_admission_ = true;
    return false;
  }
  local_bytes_held_ += size;
  auto charge = std::make_shared<frame_charge>(state_, weak_from_this(), info_.shard, size);
  reader_.provide_body(make_charged_buffer(static_cast<size_t>(size), charge));
  reading_charge_ = std::move(charge);
  return true;
}

void tcp_connection::deliver(frame_reader::frame f) {
  SAMSA_ASSERT(reading_charge_ != nullptr, "a frame was read without being admitted");
  open_request opened{std::move(reading_charge_)};
  opened.received = state_->clock.monotonic_now();
  if (f.size >= 8) {  // request header v0+: api key, version, correlation id
    opened.api_key = load_be<int16_t>(f.bytes.get());
    opened.api_version = load_be<int16_t>(f.bytes.get() + 2);
    opened.correlation_id = load_be<int32_t>(f.bytes.get() + 4);
  }
  const uint64_t seq = sequencer_.open(std::move(opened));
  ++unfinished_;
  request_frame frame(std::shared_ptr<const uint8_t[]>(std::move(f.bytes)), f.size);
  try {
    state_->handler.on_request(handle_, seq, std::move(frame));
  } catch (const std::exception& e) {
    state_->log->warn("Request handler failed on connection {} from {}:{}; closing it: {}", info_.id,
                      info_.peer_address, info_.peer_port, e.what());
    close(fmt::format("request handler failed: {}", e.what()));
  }
}

void tcp_connection::complete(uint64_t seq, reply r) {
  // Answers that arrive after the connection closed, or after a close reply
  // made the later requests moot, are dropped.
  if (closed_ || close_requested_) return;
  const auto result = sequencer_.fill(seq, std::move(r));
  SAMSA_ASSERT(result == decltype(sequencer_)::fill_result::ok,
               "a request was answered twice, or a sequence number was never handed out");
  pump();
}

void tcp_connection::queue_replies() {
  while (!closed_ && !close_requested_) {
    auto ready = sequencer_.pop_ready();
    if (!ready) return;
    switch (ready->reply.what) {
      case reply::kind::message:
      case reply::kind::message_then_close:
        if (!out_.push(ready->seq, std::move(ready->reply.message))) {
          state_->log->error("Response {} on connection {} is larger than a Kafka frame allows; closing connection",
                             ready->seq, info_.id);
          close("response too large");
          return;
        }
        out_charges_.push_back(std::move(ready->ticket.charge));
        close_requested_ = ready->reply.what == reply::kind::message_then_close;
        break;
      case reply::kind::none:
        ready->ticket.charge->release();
        --unfinished_;
        pump_again_ = true;  // a request slot came free: admission may proceed
        break;
      case reply::kind::close:
        ready->ticket.charge->release();
        --unfinished_;
        close_requested_ = true;
        break;
    }
  }
  if (close_requested_ && !closed_) {
    // Requests after the closing one will never be answered on the wire.
    no_more_requests_ = true;
    sequencer_.clear([](open_request& r) { r.charge->release(); });
    unfinished_ = static_cast<int64_t>(out_.size());
  }
}

void tcp_connection::write() {
  if (closed_ || waiting_writable_ || out_.empty()) return;
  sent_.clear();
  const auto result = out_.write(socket_.native_handle(), sent_);
  if (result.bytes > 0) last_io_ = state_->clock.monotonic_now();
  for (size_t i = 0; i < sent_.size(); ++i) {
    auto charge = std::move(out_charges_.front());
    out_charges_.pop_front();
    --unfinished_;
    charge->release();  // may re-enter pump(): only flags another round
  }
  if (!sent_.empty()) pump_again_ = true;  // request slots came free: admission may proceed
  switch (result.what) {
    case send_queue::status::drained:
      return;
    case send_queue::status::would_block:
      waiting_writable_ = true;
      socket_.async_wait(boost::asio::socket_base::wait_write,
                         [self = shared_from_this()](const boost::system::error_code& ec) {
                           self->waiting_writable_ = false;
                           if (self->closed_) return;
                           if (ec && ec != boost::asio::error::operation_aborted) {
                             self->close(fmt::format("waiting to write failed: {}", ec.message()));
                             return;
                           }
                           self->pump();
                         });
      return;
    case send_queue::status::failed:
      state_->log->debug("Connection {} with {}:{} disconnected while writing: {}", info_.id, info_.peer_address,
                         info_.peer_port, std::generic_category().message(result.error));
      close(fmt::format("write failed: {}", std::generic_category().message(result.error)));
      return;
  }
}

void tcp_connection::maybe_finish() {
  if (closed_ || orderly_closing_) return;
  const bool everything_written = out_.empty();
  if (close_requested_ && everything_written) begin_orderly_close();
  else if (draining_ && unfinished_ == 0 && everything_written) begin_orderly_close();
}

void tcp_connection::read_more() {
  if (closed_ || reading_) return;
  if (orderly_closing_) {
    if (!discard_buffer_) discard_buffer_ = std::make_unique_for_overwrite<uint8_t[]>(kDiscardBytes);
    reading_ = true;
    socket_.async_read_some(boost::asio::buffer(discard_buffer_.get(), kDiscardBytes),
                            [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
                              self->on_read(ec, n, true);
                            });
    return;
  }
  if (no_more_requests_) return;
  std::array<std::span<uint8_t>, 2> spans;
  const size_t count = reader_.next_read(spans);
  if (count == 0) return;  // waiting for admission (or a frame to be taken)
  std::array<boost::asio::mutable_buffer, 2> buffers{
      boost::asio::buffer(spans[0].data(), spans[0].size()),
      count > 1 ? boost::asio::buffer(spans[1].data(), spans[1].size()) : boost::asio::mutable_buffer()};
  reading_ = true;
  socket_.async_read_some(buffers, [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
    self->on_read(ec, n, false);
  });
}

void tcp_connection::on_read(const boost::system::error_code& ec, size_t n, bool discarding) {
  reading_ = false;
  if (closed_) return;
  if (ec) {
    if (ec == boost::asio::error::eof) {
      close(orderly_closing_ ? "closed (orderly)" : "closed by the peer");
    } else if (ec != boost::asio::error::operation_aborted) {
      state_->log->debug("Connection {} with {}:{} disconnected: {}", info_.id, info_.peer_address, info_.peer_port,
                         ec.message());
      close(fmt::format("read failed: {}", ec.message()));
    }
    return;
  }
  last_io_ = state_->clock.monotonic_now();
  if (!discarding) reader_.commit(n);
  pump();
}

void tcp_connection::begin_orderly_close() {
  orderly_closing_ = true;
  no_more_requests_ = true;
  if (state_->config.close_linger_ms <= 0) {
    close("closed (orderly)");
    return;
  }
  boost::system::error_code ignored;
  socket_.shutdown(boost::asio::socket_base::shutdown_send, ignored);
  linger_timer_ = state_->pool.schedule_after(info_.shard, std::chrono::milliseconds(state_->config.close_linger_ms),
                                              [weak = weak_from_this()] {
                                                if (auto c = weak.lock()) c->close("closed (orderly, peer did not close)");
                                              });
}

void tcp_connection::begin_drain() {
  if (closed_) return;
  draining_ = true;
  no_more_requests_ = true;
  pump();
}

void tcp_connection::close_now() { close("closed by the request handler"); }

void tcp_connection::log_unanswered(std::string_view reason) const {
  const open_request* oldest = nullptr;
  size_t count = 0;
  sequencer_.for_each_unanswered([&](const open_request& r) {
    if (oldest == nullptr) oldest = &r;
    ++count;
  });
  if (oldest == nullptr) return;
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(state_->clock.monotonic_now() - oldest->received);
  // A client that closes during a long-poll Fetch or a JoinGroup is routine; a
  // request left waiting this long more likely means the broker lost it.
  constexpr std::chrono::milliseconds kWorthNoting{10'000};
  state_->log->log(waited >= kWorthNoting ? spdlog::level::info : spdlog::level::debug,
                   "Connection {} from {}:{} closed ({}) with {} request(s) unanswered; the oldest: API key {} v{}, "
                   "correlation id {}, waiting {} ms",
                   info_.id, info_.peer_address, info_.peer_port, reason, count, oldest->api_key, oldest->api_version,
                   oldest->correlation_id, waited.count());
}

void tcp_connection::close(std::string_view reason) {
  if (closed_) return;
  closed_ = true;
  auto self = shared_from_this();
  state_->log->debug("Closing connection {} from {}:{} on listener {}: {}", info_.id, info_.peer_address,
                     info_.peer_port, info_.listener_name, reason);
  log_unanswered(reason);
  linger_timer_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);  // outstanding read/wait complete with operation_aborted

  // Answered requests give their charges back now; unanswered ones when the
  // handler lets go of their frames.
  for (auto& charge : out_charges_) charge->release();
  out_charges_.clear();
  out_.clear();
  sequencer_.clear([](open_request& r) { r.charge->release(); });
  reader_.reset();
  reading_charge_.reset();
  unfinished_ = 0;

  state_->per_ip.remove(info_.peer_address);
  state_->connections.give_back(1);
  auto& slot = *state_->shards[info_.shard.value()];
  slot.load.fetch_sub(1, std::memory_order_relaxed);
  slot.connections.erase(info_.id);

  // on_close runs after the current call stack (never inside on_request).
  auto st = state_;
  auto handle = handle_;
  const bool posted = st->pool.post(info_.shard, [st, handle] {
    if (handle) st->handler.on_close(*handle);
    st->connection_finished();
  });
  if (!posted) st->connection_finished();
}

bool tcp_connection::idle_expired(runtime::clock::monotonic_time now, std::chrono::milliseconds max_idle) const {
  if (closed_ || orderly_closing_ || unfinished_ > 0 || !out_.empty()) return false;
  if (reader_.current() == frame_reader::phase::sized) return false;  // held back by us, not idle
  return now - last_io_ > max_idle;
}

void tcp_connection::release_local(int64_t bytes) {
  local_bytes_held_ -= bytes;
  SAMSA_ASSERT(local_bytes_held_ >= 0, "connection released more bytes than it held");
  if (!closed_) pump();
}

}  // namespace samsa::broker::net
