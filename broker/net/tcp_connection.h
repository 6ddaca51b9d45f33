#pragma once

// Internal to broker/net: one accepted client connection on its shard.
//
// Reads Kafka frames (frame_reader), admits each against the memory budgets
// before reading its body (back-pressure: while a frame is not admitted
// nothing more is read from the socket), hands frames to the request handler
// numbered in arrival order, puts replies back in order (response_sequencer)
// and writes them (send_queue).
//
// Threading rule: every method runs on the connection's shard; the object is
// owned by shared_ptr (the shard's registry while open, plus pending I/O).
//
// Invariants:
//   1. unfinished_ counts requests handed to the handler whose reply has not
//      been dealt with (written in full, or none, or abandoned at close);
//      no frame is admitted while it is >= connection_max_in_flight_requests.
//   2. At most one read and one wait-for-writable are outstanding.
//   3. Once no_more_requests_ is set no frame is handed out again.
//   4. Once closed_ is set the socket is closed, every charge this connection
//      holds for written/abandoned replies has been released, and nothing is
//      read, written or handed out again.

#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/net/connection.h"
#include "broker/net/connection_core.h"
#include "broker/net/frame_charge.h"
#include "broker/net/frame_reader.h"
#include "broker/net/reply.h"
#include "broker/net/response_sequencer.h"
#include "broker/net/send_queue.h"
#include "broker/net/server.h"
#include "broker/runtime/clock.h"
#include "broker/runtime/timer_handle.h"

namespace samsa::broker::net {

// What a connection keeps of a request until it is answered: the frame's memory
// charge, and enough of its header to name it in a log line.
struct open_request {
  std::shared_ptr<frame_charge> charge;
  int16_t api_key = -1;
  int16_t api_version = -1;
  int32_t correlation_id = -1;
  runtime::clock::monotonic_time received{};
};

class tcp_connection final : public connection_core, public std::enable_shared_from_this<tcp_connection> {
 public:
  tcp_connection(std::shared_ptr<server::state> st, boost::asio::ip::tcp::socket socket, connection_info info);
  ~tcp_connection() override;

  // Registers with its shard, tells the handler, starts reading. Once.
  void start();

  // connection_core
  void complete(uint64_t seq, reply r) override;
  void close_now() override;

  // Graceful stop: hands out no more requests; closes once every request
  // handed out is answered and written.
  void begin_drain();
  // Closes at once.
  void close(std::string_view reason);
  // No I/O for longer than max_idle, nothing in flight, nothing to write.
  bool idle_expired(runtime::clock::monotonic_time now, std::chrono::milliseconds max_idle) const;
  // The connection's share of a frame charge coming back.
  void release_local(int64_t bytes);

  const connection_info& info() const { return info_; }

 private:
  void pump();
  void process_input();
  bool admit(int32_t size);
  void deliver(frame_reader::frame f);
  void queue_replies();
  void write();
  void maybe_finish();
  void read_more();
  void begin_orderly_close();
  void on_read(const boost::system::error_code& ec, size_t n, bool discarding);
  // At close: names the requests the connection never answered (the oldest).
  void log_unanswered(std::string_view reason) const;

  const std::shared_ptr<server::state> state_;
  boost::asio::ip::tcp::socket socket_;
  const connection_info info_;
  std::shared_ptr<connection> handle_;

  frame_reader reader_;
  response_sequencer<reply, open_request> sequencer_;
  send_queue out_;
  std::deque<std::shared_ptr<frame_charge>> out_charges_;  // Invariant: one per entry of out_, same order
  std::shared_ptr<frame_charge> reading_charge_;            // of the frame being read
  std::vector<uint64_t> sent_;                              // scratch for send_queue::write

  int64_t unfinished_ = 0;
  int64_t local_bytes_held_ = 0;  // this connection's frames not yet released
  runtime::clock::monotonic_time last_io_;

  bool closed_ = false;
  bool reading_ = false;
  bool waiting_writable_ = false;
  bool waiting_admission_ = false;  // a waiter is registered with a shared_limit
  bool no_more_requests_ = false;
  bool close_requested_ = false;    // a close reply was reached
  bool draining_ = false;          // close once everything handed out is answered and written
  bool orderly_closing_ = false;    // FIN sent; discarding input until the peer's FIN
  bool pumping_ = false;
  bool pump_again_ = false;
  runtime::timer_handle linger_timer_;
  std::unique_ptr<uint8_t[]> discard_buffer_;
};

}  // namespace samsa::broker::net
