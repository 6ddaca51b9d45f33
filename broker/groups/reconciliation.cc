// After Kafka's CurrentAssignmentBuilder.build / computeNextAssignment.
#include "broker/groups/reconciliation.h"

#include <algorithm>

namespace samsa::broker::groups {
namespace {

// CurrentAssignmentBuilder.ownsRevokedPartitions: without a list of owned
// partitions the member is assumed to still own them.
bool owns_any(const owned_partitions& owned, const topic_assignment& revoked) {
  if (!owned) return true;
  for (const auto& [t, ps] : *owned) {
    auto it = revoked.find(t);
    if (it == revoked.end()) continue;
    for (int32_t p : ps)
      if (it->second.contains(p)) return true;
  }
  return false;
}

consumer_member with_assignment(const consumer_member& m, member_state state, int32_t epoch, topic_assignment assigned,
                                topic_assignment pending_revocation) {
  consumer_member next = m;
  next.state = state;
  if (epoch != m.member_epoch) {  // ConsumerGroupMember.Builder.updateMemberEpoch
    next.previous_member_epoch = m.member_epoch;
    next.member_epoch = epoch;
  }
  next.assigned_partitions = std::move(assigned);
  next.partitions_pending_revocation = std::move(pending_revocation);
  return next;
}

consumer_member compute_next(const consumer_member& m, int32_t member_epoch, int32_t target_epoch,
                             const topic_assignment& target,
                             const std::function<int32_t(const uuid&, int32_t)>& partition_epoch,
                             const owned_partitions& owned) {
  bool unreleased = false;
  topic_assignment assigned, revoke, pending_assignment;
  std::set<uuid> topics;
  for (const auto& [t, ps] : target) topics.insert(t);
  for (const auto& [t, ps] : m.assigned_partitions) topics.insert(t);
  static const std::set<int32_t> none;
  for (const uuid& t : topics) {
    auto ti = target.find(t);
    const auto& tgt = ti == target.end() ? none : ti->second;
    auto ci = m.assigned_partitions.find(t);
    const auto& cur = ci == m.assigned_partitions.end() ? none : ci->second;
    auto ri = m.partitions_pending_revocation.find(t);
    const auto& own_revoking = ri == m.partitions_pending_revocation.end() ? none : ri->second;
    std::set<int32_t> keep, give_up, to_assign;
    for (int32_t p : cur) (tgt.contains(p) ? keep : give_up).insert(p);
    for (int32_t p : tgt) {
      if (keep.contains(p)) continue;
      // Unreleased: still owned by another member (a partition this member
      // is itself revoking is not waited for).
      if (partition_epoch(t, p) != -1 && !own_revoking.contains(p)) {
        unreleased = true;
        continue;
      }
      to_assign.insert(p);
    }
    if (!keep.empty()) assigned[t] = std::move(keep);
    if (!give_up.empty()) revoke[t] = std::move(give_up);
    if (!to_assign.empty()) pending_assignment[t] = std::move(to_assign);
  }
  if (!revoke.empty() && owns_any(owned, revoke)) {
    // Revoke first: the member keeps its epoch until it has let them go.
    return with_assignment(m, member_state::unrevoked_partitions, member_epoch, std::move(assigned), std::move(revoke));
  }
  if (!pending_assignment.empty()) {
    for (auto& [t, ps] : pending_assignment) assigned[t].insert(ps.begin(), ps.end());
    return with_assignment(m, unreleased ? member_state::unreleased_partitions : member_state::stable, target_epoch,
                           std::move(assigned), {});
  }
  if (unreleased) return with_assignment(m, member_state::unreleased_partitions, target_epoch, std::move(assigned), {});
  return with_assignment(m, member_state::stable, target_epoch, std::move(assigned), {});
}

}  // namespace

consumer_member reconcile(const consumer_member& m, int32_t target_epoch, const topic_assignment& target,
                          const std::function<int32_t(const uuid&, int32_t)>& partition_epoch,
                          const owned_partitions& owned) {
  switch (m.state) {
    case member_state::stable:
      // A member at the target epoch is done; otherwise move towards it.
      if (m.member_epoch != target_epoch)
        return compute_next(m, m.member_epoch, target_epoch, target, partition_epoch, owned);
      return m;
    case member_state::unrevoked_partitions:
      // Still owning some revoked partitions: nothing can progress.
      if (owns_any(owned, m.partitions_pending_revocation)) return m;
      // Revoked: the member moves on to the next epoch, and towards the latest target.
      return compute_next(m, std::min(m.member_epoch + 1, target_epoch), target_epoch, target, partition_epoch, owned);
    case member_state::unreleased_partitions:
      // Waiting for partitions others release; try again (the target may also have moved).
      return compute_next(m, m.member_epoch, target_epoch, target, partition_epoch, owned);
    case member_state::unknown: break;
  }
  return m;
}

}  // namespace samsa::broker::groups
