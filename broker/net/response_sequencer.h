#pragma once

// Puts replies back in request order. A connection numbers requests densely
// as it hands them out (open()); handlers may answer them in any order
// (fill()); pop_ready() gives replies only once every earlier request has been
// answered, so responses leave the connection in request order.
//
// Each open request carries a Ticket (what the connection must release when
// the reply has been dealt with: its memory charge).
//
// Thread-safety: none; owned by one connection on its shard.
// Invariants:
//   1. Sequence numbers in [base_, base_ + slots_.size()) are open; every
//      number below base_ has been popped.
//   2. Each open number is filled at most once.

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "common/assert.h"

namespace samsa::broker::net {

template <typename Reply, typename Ticket>
class response_sequencer {
 public:
  struct ready {
    uint64_t seq;
    Ticket ticket;
    Reply reply;
  };

  // The number the next open() returns.
  uint64_t next_seq() const { return base_ + slots_.size(); }
  // Requests opened and not yet popped.
  size_t open_count() const { return slots_.size(); }

  uint64_t open(Ticket t) {
    slots_.push_back(slot{std::move(t), std::nullopt});
    return next_seq() - 1;
  }

  enum class fill_result { ok, not_open, already_filled };

  fill_result fill(uint64_t seq, Reply r) {
    if (seq < base_ || seq >= next_seq()) return fill_result::not_open;
    auto& s = slots_[seq - base_];
    if (s.reply) return fill_result::already_filled;
    s.reply = std::move(r);
    return fill_result::ok;
  }

  // The oldest open request's reply, if it has one.
  std::optional<ready> pop_ready() {
    if (slots_.empty() || !slots_.front().reply) return std::nullopt;
    slot s = std::move(slots_.front());
    slots_.pop_front();
    return ready{base_++, std::move(s.ticket), std::move(*s.reply)};
  }

  // Calls f(ticket) for every open request not answered yet, oldest first.
  template <typename F>
  void for_each_unanswered(F&& f) const {
    for (const auto& s : slots_) {
      if (!s.reply) f(s.ticket);
    }
  }

  // Forgets every open request (closing connection). Filled replies are
  // returned through on_filled(ticket) so their tickets can be released; the
  // tickets of unanswered requests are simply dropped.
  template <typename F>
  void clear(F&& on_filled) {
    for (auto& s : slots_) {
      if (s.reply) on_filled(s.ticket);
    }
    base_ += slots_.size();
    slots_.clear();
  }

 private:
  struct slot {
    Ticket ticket;
    std::optional<Reply> reply;
  };
  uint64_t base_ = 0;
  std::deque<slot> slots_;
};

}  // namespace samsa::broker::net
