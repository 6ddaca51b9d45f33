#include "broker/handlers/produce_ack.h"

#include <mutex>
#include <optional>

#include "broker/data/storage_errors.h"
#include "broker/runtime/shard_pool.h"
#include "storage/log/partition_log.h"

namespace samsa::broker {
namespace {

using protocol::error_code;

class durable_ack {
 public:
  durable_ack(request_context ctx, protocol::produce_response response, size_t partitions)
      : ctx_(std::move(ctx)), response_(std::move(response)), settled_(partitions, false), remaining_(partitions) {}

  void arm(runtime::timer_handle timer) {
    std::lock_guard<std::mutex> g(mu_);
    if (done_) {
      timer.cancel();
      return;
    }
    timer_ = std::move(timer);
  }

  // One partition's flush finished (or failed).
  void settle(size_t i, const durable_target& t, const storage::status& s) {
    std::optional<request_context> answer;
    runtime::timer_handle timer;
    {
      std::lock_guard<std::mutex> g(mu_);
      if (done_ || settled_[i]) return;
      settled_[i] = true;
      if (!s) slot(t).error_code = static_cast<int16_t>(data::to_kafka_error(s.code()));
      if (--remaining_ == 0) {
        done_ = true;
        answer.emplace(std::move(ctx_));
        timer = std::move(timer_);
      }
    }
    if (answer) {
      timer.cancel();
      answer->respond(response_);
    }
  }

  // The request's timeout passed: what is still waiting is REQUEST_TIMED_OUT.
  void expire(const std::vector<durable_target>& targets) {
    std::optional<request_context> answer;
    {
      std::lock_guard<std::mutex> g(mu_);
      if (done_) return;
      done_ = true;
      for (size_t i = 0; i < targets.size(); ++i) {
        if (!settled_[i]) slot(targets[i]).error_code = static_cast<int16_t>(error_code::request_timed_out);
      }
      answer.emplace(std::move(ctx_));
    }
    answer->respond(response_);
  }

 private:
  protocol::produce_response::PartitionProduceResponse& slot(const durable_target& t) {
    return response_.responses[t.topic_slot].partition_responses[t.partition_slot];
  }

  std::mutex mu_;
  request_context ctx_;                   // moved out by whoever answers
  protocol::produce_response response_;   // read without the lock only after done_
  std::vector<bool> settled_;
  size_t remaining_;
  bool done_ = false;  // Invariant: set exactly once, by the call that answers.
  runtime::timer_handle timer_;
};

}  // namespace

void answer_when_durable(request_context ctx, protocol::produce_response response, std::vector<durable_target> targets,
                         runtime::shard_pool& pool, std::chrono::milliseconds timeout) {
  auto ack = std::make_shared<durable_ack>(std::move(ctx), std::move(response), targets.size());
  auto shared_targets = std::make_shared<const std::vector<durable_target>>(std::move(targets));
  const runtime::shard_id shard = pool.current_shard().value_or(runtime::shard_id{0});
  ack->arm(pool.schedule_after(shard, std::max(timeout, std::chrono::milliseconds(0)),
                               [ack, shared_targets] { ack->expire(*shared_targets); }));
  for (size_t i = 0; i < shared_targets->size(); ++i) {
    const durable_target& t = (*shared_targets)[i];
    t.log->request_flush(t.up_to, [ack, shared_targets, i](storage::status s) { ack->settle(i, (*shared_targets)[i], s); });
  }
}

}  // namespace samsa::broker
