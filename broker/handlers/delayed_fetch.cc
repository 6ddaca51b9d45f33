#include "broker/handlers/delayed_fetch.h"

#include <atomic>
#include <chrono>

#include "broker/broker_services.h"
#include "broker/data/data_plane.h"
#include "broker/data/partition_watchers.h"
#include "broker/handlers/fetch_answer.h"
#include "broker/runtime/shard_pool.h"

namespace samsa::broker {
namespace {

class delayed_fetch final : public data::partition_waiter, public std::enable_shared_from_this<delayed_fetch> {
 public:
  delayed_fetch(request_context ctx, fetch_context session, fetch_params params,
                std::vector<partition_to_fetch> interesting, std::vector<partition_result> erroneous,
                runtime::shard_id shard)
      : ctx_(std::move(ctx)),
        session_(std::move(session)),
        params_(params),
        interesting_(std::move(interesting)),
        erroneous_(std::move(erroneous)),
        services_(ctx_.services()),
        shard_(shard) {}

  void start() {
    auto image = services_.metadata->current();
    for (const auto& p : interesting_) {
      data::partition_lookup found =
          services_.data->partitions.find(*image, *p.partition.topic, p.partition.partition.value());
      if (found.partition) found.partition->watchers().watch(shared_from_this());
    }
    auto self = shared_from_this();
    timer_ = services_.pool->schedule_after(shard_, std::chrono::milliseconds(params_.max_wait_ms),
                                            [self] { self->complete(); });
    // Kafka's tryCompleteElseWatch: an append that landed between the first
    // read and the registration above is seen here.
    check();
  }

  void on_partition_changed() override {
    if (check_posted_.exchange(true, std::memory_order_acq_rel)) return;
    auto self = shared_from_this();
    services_.pool->post(shard_, [self] {
      self->check_posted_.store(false, std::memory_order_release);
      self->check();
    });
  }

 private:
  // DelayedFetch.tryComplete: enough bytes, or a reason to answer now.
  void check() {
    if (done_) return;
    auto image = services_.metadata->current();
    int64_t available = 0;
    for (const auto& p : interesting_) {
      data::partition_lookup found =
          services_.data->partitions.find(*image, *p.partition.topic, p.partition.partition.value());
      if (found.error != protocol::error_code::none) return complete();
      if (p.state.current_leader_epoch && found.metadata->leader_epoch != p.state.current_leader_epoch->value()) {
        return complete();
      }
      storage::partition_log& log = found.partition->log();
      const offset end = end_offset(log);
      if (p.state.fetch_offset > end) return complete();
      if (p.state.last_fetched_epoch) {
        auto e = log.end_offset_for_epoch(*p.state.last_fetched_epoch);
        if (!e || e->epoch < *p.state.last_fetched_epoch || e->end_offset < p.state.fetch_offset) return complete();
      }
      if (p.state.fetch_offset < end) {
        auto r = log.read(p.state.fetch_offset, p.state.max_bytes, params_.isolation, true);
        if (!r) return complete();
        available += std::min<int64_t>(static_cast<int64_t>(r->size_bytes), p.state.max_bytes);
      }
    }
    if (available >= params_.min_bytes) complete();
  }

  offset end_offset(const storage::partition_log& log) const {
    switch (params_.isolation) {
      case storage::fetch_isolation::log_end: return log.log_end_offset();
      case storage::fetch_isolation::high_watermark: return log.high_watermark();
      case storage::fetch_isolation::txn_committed: return log.last_stable_offset();
    }
    return log.high_watermark();
  }

  // DelayedFetch.onComplete: read again, answer.
  void complete() {
    if (done_) return;
    done_ = true;
    timer_.cancel();
    auto image = services_.metadata->current();
    fetch_read read = read_partitions(services_, *image, params_, interesting_);
    answer_fetch(ctx_, session_, std::move(read.results), std::move(erroneous_), *image);
  }

  request_context ctx_;
  fetch_context session_;
  const fetch_params params_;
  const std::vector<partition_to_fetch> interesting_;
  std::vector<partition_result> erroneous_;
  broker_services& services_;
  const runtime::shard_id shard_;
  runtime::timer_handle timer_;
  std::atomic<bool> check_posted_{false};
  bool done_ = false;  // Invariant: touched only on shard_; the answer is given when it turns true.
};

}  // namespace

void wait_for_data(request_context ctx, fetch_context session, fetch_params params,
                   std::vector<partition_to_fetch> interesting, std::vector<partition_result> erroneous) {
  runtime::shard_pool& pool = *ctx.services().pool;
  const runtime::shard_id shard = pool.current_shard().value_or(runtime::shard_id{0});
  // Not make_shared: watchers keep weak pointers, which would pin the whole object's memory.
  std::shared_ptr<delayed_fetch> f(new delayed_fetch(std::move(ctx), std::move(session), params,
                                                     std::move(interesting), std::move(erroneous), shard));
  if (pool.current_shard() == shard) {
    f->start();
  } else {
    pool.post(shard, [f] { f->start(); });
  }
}

}  // namespace samsa::broker
