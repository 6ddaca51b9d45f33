#pragma once

// The transaction checker's model: what the transactional producers say they
// did (their outcome logs), what read_committed readers saw, and the check
// that compares the two. Pure: no sockets, no clients, so a broken history can
// be fed to it by hand (txn_checker_test.cc) to show that it fails.
//
// Record identity. Every record the producers write carries its identity in
// its value, "p<producer>:t<txn>:i<index>:n<count>:<topic>/<partition>", so a
// reader can tell which transaction it belongs to, how many records that
// transaction holds, and where it was sent.
//
// Outcome log. A producer prints one line per step, flushed at once, so a line
// that is missing means the step did not finish before the process died:
//   INIT <producer>              init_transactions succeeded
//   BEGIN <txn>                  begin_transaction succeeded
//   COMMITTING <txn> <count>     commit_transaction is about to be called
//   COMMITTED <txn>              commit_transaction returned success
//   ABORTING <txn> <count>       abort_transaction is about to be called
//   ABORTED <txn>                abort_transaction returned success
//   ERROR <txn> <text>           an error the producer saw (informational)
//
// What each outcome allows (the invariants checked):
//   committed  every record read exactly once, each in the partition it was sent to
//   aborted    no record ever read (abort_transaction succeeded, or commit was never
//              attempted: a transaction that never sent EndTxn(commit) cannot commit)
//   unknown    COMMITTING without COMMITTED or ABORTED (the broker or the producer died,
//              or commit kept failing): all of its records or none
// and for every reader, per partition: offsets strictly increase, no record appears
// twice, and each producer's records appear in (txn, index) order — producers run one
// transaction at a time, so that is the order they were sent in.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace samsa::broker::testing::txn {

enum class outcome { committed, aborted, unknown };
const char* outcome_name(outcome o);

// (producer, txn): producers number their transactions 0, 1, 2... across restarts.
struct txn_id {
  int producer = 0;
  int64_t txn = 0;
  auto operator<=>(const txn_id&) const = default;
};

struct record_id {
  int producer = 0;
  int64_t txn = 0;
  int index = 0;
  int count = 0;
  std::string topic;
  int32_t partition = 0;
};

std::string value_of(const record_id& r);
std::optional<record_id> parse_value(const std::string& value);

struct txn_outcome {
  outcome result = outcome::aborted;
  int count = 0;  // records in the transaction (0 when it never reached COMMITTING/ABORTING)
};

// Every transaction any producer began, by id.
using history = std::map<txn_id, txn_outcome>;

// Adds one producer's outcome log (the lines above) to `h`. Returns the next
// transaction number that producer should use (`first_txn` if it began none).
int64_t add_producer_log(history& h, int producer, const std::string& log, int64_t first_txn);

// One record as a reader saw it.
struct read_record {
  int64_t offset = 0;
  std::string value;
};
// topic/partition -> records in the order the reader received them.
using partition_key = std::pair<std::string, int32_t>;
using reading = std::map<partition_key, std::vector<read_record>>;

struct check_result {
  std::vector<std::string> violations;  // empty: the reading agrees with the history
  int64_t records_read = 0;
  int committed = 0, aborted = 0, unknown = 0, unknown_visible = 0;
  bool ok() const { return violations.empty(); }
  std::string summary() const;
};

// Checks one reader's complete reading (every partition read to its end) against `h`.
check_result check(const history& h, const reading& r);

}  // namespace samsa::broker::testing::txn
