"""What legitimately differs between two brokers, replaced by placeholders before diffing.

Rules apply by field name (Kafka's schema names) anywhere in a decoded body. Each placeholder keeps
what a client could rely on: a non-null cluster id stays distinguishable from null, a zero topic id
from a real one, the broker's own node id from any other id. Add a rule here (with the reason)
when a new scenario returns another per-broker value; never to hide a real difference.
"""
import re

import kwire

_GENERATED_MEMBER_ID = re.compile(r'-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')


def _member_id(value):
    return "<member-id>" if isinstance(value, str) and _GENERATED_MEMBER_ID.search(value) else value


def _node(value, broker):
    return "<self>" if value == broker.node_id else value


def _node_list(value, broker):
    return [_node(v, broker) for v in value] if isinstance(value, list) else value


RULES = {
    # Random per cluster (kafka-storage format / Samsa's meta.properties).
    "ClusterId": lambda v, b: "<cluster-id>" if v is not None else None,
    # Quotas are not configured on either broker; any non-negative throttle is noise.
    "ThrottleTimeMs": lambda v, b: "<throttle>" if isinstance(v, int) and v >= 0 else v,
    # Random per topic creation.
    "TopicId": lambda v, b: "<topic-id>" if v not in (None, kwire.ZERO_UUID) else v,
    # The metadata log offset of the last feature change: depends on each broker's history.
    "FinalizedFeaturesEpoch": lambda v, b: "<epoch>" if isinstance(v, int) and v >= 0 else v,
    # Node ids, hosts and ports of the broker itself (ports are chosen per run).
    "NodeId": _node, "ControllerId": _node, "LeaderId": _node,
    # A node id (Metadata, DescribeQuorum...) or a group leader's member id (JoinGroup).
    "Leader": lambda v, b: _member_id(v) if isinstance(v, str) else _node(v, b),
    "ReplicaNodes": _node_list, "IsrNodes": _node_list, "OfflineReplicas": _node_list,
    "Host": lambda v, b: "<host>" if v == b.host else v,
    # Member ids a coordinator makes up: client id (or group instance id), '-', a random UUID.
    "MemberId": lambda v, b: _member_id(v),
    "Port": lambda v, b: "<port>" if v == b.port else v,
    # Producer ids are allocated per cluster (blocks from the controller); -1 means none.
    "ProducerId": lambda v, b: "<producer-id>" if isinstance(v, int) and v >= 0 else v,
    # When the broker saw a transaction's first partition added: wall clock; -1 means none.
    "TransactionStartTimeMs": lambda v, b: "<timestamp>" if isinstance(v, int) and v >= 0 else v,
    # DescribeProducers: the producer's last append, a COMMIT/ABORT marker's included, whose
    # timestamp is the coordinator's wall clock; -1 means none.
    "LastTimestamp": lambda v, b: "<timestamp>" if isinstance(v, int) and v >= 0 else v,
}


def normalise(value, broker):
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = normalise(v, broker)
            rule = RULES.get(k)
            out[k] = rule(v, broker) if rule else v
        return out
    if isinstance(value, list):
        return [normalise(v, broker) for v in value]
    return value
