#include "protocol/records/batch_iterator.h"

#include "common/assert.h"
#include "common/endian.h"

namespace samsa::protocol {

using namespace batch_layout;

bool batch_iterator::next() {
  if (done_) return false;
  if (current_) {
    position_ += current_->size_bytes();
    current_.reset();
  }
  const std::span<const uint8_t> rest = buffer_.subspan(position_);
  auto fail = [&](record_error e) {
    error_ = e;
    done_ = true;
    return false;
  };
  if (rest.empty()) {
    done_ = true;
    return false;
  }
  if (rest.size() < kLogOverhead) return fail(record_error::partial_batch);
  if (load_be<int32_t>(rest.data() + kBatchLength) < 0) return fail(record_error::invalid_length);
  if (rest.size() < kHeaderSizeUpToMagic) return fail(record_error::partial_batch);
  auto batch = batch_view::from_prefix(rest);  // steps 4-6
  if (!batch) return fail(batch.error());
  if (check_ == crc_check::verify && !batch->crc_matches()) return fail(record_error::corrupt_crc);
  current_ = batch.value();
  return true;
}

const batch_view& batch_iterator::batch() const {
  SAMSA_ASSERT(current_.has_value(), "batch() without a successful next()");
  return *current_;
}

}  // namespace samsa::protocol
