#include "broker/runtime/unique_function.h"

#include <gtest/gtest.h>

#include <memory>

namespace samsa::broker::runtime {
namespace {

TEST(UniqueFunction, HoldsACallableThatOwnsMoveOnlyState) {
  auto value = std::make_unique<int>(41);
  unique_function<int(int)> f = [v = std::move(value)](int add) { return *v + add; };
  EXPECT_EQ(f(1), 42);
}

TEST(UniqueFunction, IsEmptyWhenDefaultConstructedOrMovedFrom) {
  unique_function<void()> empty;
  EXPECT_FALSE(empty);
  unique_function<void()> full = [] {};
  EXPECT_TRUE(full);
  unique_function<void()> other = std::move(full);
  EXPECT_TRUE(other);
  EXPECT_FALSE(full);  // NOLINT(bugprone-use-after-move): moved-from state is specified
}

TEST(UniqueFunction, DestroysTheCallableWhenAssignedNull) {
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  unique_function<void()> f = [t = std::move(token)] {};
  EXPECT_FALSE(watch.expired());
  f = nullptr;
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace samsa::broker::runtime
