#pragma once

// Group commit for one log directory. Appends write to the page cache and
// return; durability is requested with partition_log::request_flush(offset, cb),
// which queues the log here. The worker takes every queued log, and for each
// runs one flush pass (partition_log::run_flush): one fdatasync of the active
// segment (plus the files of newly sealed segments and the directory when its
// entries changed) covers every request that arrived before the pass started,
// however many. Callbacks run on the worker thread once their offsets are durable.
//
// Modes: start() runs `threads` dedicated threads (production); without it, tests
// call run_pending() to process the queue deterministically on their own thread.
//
// Several threads let the fdatasyncs of different logs run at once, so the file
// system can share a journal commit between them instead of syncing one log
// after another (16 committers: ~4x the commits/s of one thread,
// tools/bench/flush_threads_bench.sh). A log is flushed by at most one thread at
// a time (a log queued while its pass runs waits for that pass), so a log's
// passes stay sequential.
//
// Thread-safety: schedule() from any thread; start/stop from one owner thread.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace samsa::storage {

// What the worker flushes (implemented by partition_log).
class flushable {
 public:
  virtual ~flushable() = default;
  // One flush pass; completes the callbacks it made durable.
  virtual void run_flush() = 0;
};

class flush_worker {
 public:
  explicit flush_worker(std::string name, size_t threads = 1)
      : name_(std::move(name)), thread_count_(threads == 0 ? 1 : threads) {}
  ~flush_worker() { stop(); }
  flush_worker(const flush_worker&) = delete;
  flush_worker& operator=(const flush_worker&) = delete;

  void start();
  // Processes what is queued, then joins the thread. Idempotent.
  void stop();

  // Queues a flush pass for `log`. The queue holds it weakly (a log that goes
  // away is skipped); callers dedupe (partition_log queues itself once per pass).
  void schedule(const std::shared_ptr<flushable>& log);
  // Runs every queued pass on the calling thread, including passes queued while
  // running; returns how many ran.
  size_t run_pending();
  size_t queued() const;
  const std::string& name() const { return name_; }

 private:
  void loop();
  // The first queued log no thread is flushing, removed from the queue; null if
  // none (dead logs are dropped on the way).
  std::shared_ptr<flushable> take_runnable_locked();

  std::string name_;
  size_t thread_count_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::weak_ptr<flushable>> queue_;
  std::unordered_set<const flushable*> running_;  // logs with a pass in progress
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace samsa::storage
