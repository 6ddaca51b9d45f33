#include "broker/net/per_ip_limit.h"

#include <gtest/gtest.h>

namespace samsa::broker::net {
namespace {

TEST(PerIpLimit, RefusesAnAddressAtItsMaximumAndReportsTheMaximum) {
  per_ip_limit l(2, {});
  EXPECT_FALSE(l.try_add("10.0.0.1"));
  EXPECT_FALSE(l.try_add("10.0.0.1"));
  auto refused = l.try_add("10.0.0.1");
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused, 2);
  EXPECT_EQ(l.count("10.0.0.1"), 2);
  EXPECT_FALSE(l.try_add("10.0.0.2"));  // other addresses are counted apart
  l.remove("10.0.0.1");
  EXPECT_FALSE(l.try_add("10.0.0.1"));
}

TEST(PerIpLimit, OverridesReplaceTheDefaultForOneAddress) {
  per_ip_limit l(0, {{"127.0.0.1", 1}});
  EXPECT_TRUE(l.try_add("10.0.0.1"));  // default 0: nobody else may connect
  EXPECT_FALSE(l.try_add("127.0.0.1"));
  EXPECT_TRUE(l.try_add("127.0.0.1"));
}

}  // namespace
}  // namespace samsa::broker::net
