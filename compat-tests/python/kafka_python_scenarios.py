#!/usr/bin/python3
"""kafka-python (Debian python3-kafka) scenarios against one broker.

    kafka_python_scenarios.py <scenario> <bootstrap>
"""
import sys

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewPartitions, NewTopic
from kafka.errors import TopicAlreadyExistsError

from common import check, main, records, uniq, until

TIMEOUTS = dict(request_timeout_ms=15000, api_version_auto_timeout_ms=5000)


def admin(b):
    return KafkaAdminClient(bootstrap_servers=b, client_id="samsa-compat-kafka-python", **TIMEOUTS)


def create(a, t, partitions, configs=None):
    a.create_topics([NewTopic(t, partitions, 1, topic_configs=configs or {})], timeout_ms=15000)
    until(f"{t} in metadata", 15, lambda: t in a.list_topics())


def produce(b, t, recs, **kw):
    p = KafkaProducer(bootstrap_servers=b, acks="all", **TIMEOUTS, **kw)
    futs = [p.send(t, key=k, value=v, headers=h) for k, v, h in recs]
    metas = [f.get(timeout=30) for f in futs]
    p.close(timeout=10)
    return metas


def assign_consumer(b, t, partitions, **kw):
    c = KafkaConsumer(bootstrap_servers=b, enable_auto_commit=False, auto_offset_reset="earliest",
                      consumer_timeout_ms=20000, **TIMEOUTS, **kw)
    c.assign([TopicPartition(t, p) for p in partitions])
    return c


def s_cluster_metadata(b):
    a = admin(b)
    d = a.describe_cluster()
    check([x["node_id"] for x in d["brokers"]] == [1], f"brokers {d['brokers']}")
    check(d["controller_id"] == 1, f"controller {d['controller_id']}")
    check(len(d.get("cluster_id") or "") == 22, f"cluster id {d.get('cluster_id')}")


def s_admin_topics(b):
    a = admin(b); t = uniq("topics")
    create(a, t, 3, {"retention.ms": "3600000"})
    md = a.describe_topics([t])[0]
    parts = sorted((p["partition"], p["leader"], p["replicas"], p["isr"]) for p in md["partitions"])
    check(parts == [(0, 1, [1], [1]), (1, 1, [1], [1]), (2, 1, [1], [1])], f"partitions {parts}")
    try:
        a.create_topics([NewTopic(t, 1, 1)], timeout_ms=15000)
        raise AssertionError("creating an existing topic succeeded")
    except TopicAlreadyExistsError:
        pass
    a.delete_topics([t], timeout_ms=15000)
    until("deleted topic to leave list_topics", 30, lambda: t not in a.list_topics())


def s_admin_configs(b):
    a = admin(b); t = uniq("configs")
    create(a, t, 1)
    a.alter_configs([ConfigResource(ConfigResourceType.TOPIC, t, configs={"retention.ms": "86400000"})])
    r = a.describe_configs([ConfigResource(ConfigResourceType.TOPIC, t)])[0]
    entries = {e[0]: e[1] for e in r.resources[0][4]}
    check(entries.get("retention.ms") == "86400000", f"retention.ms = {entries.get('retention.ms')}")
    check(entries.get("cleanup.policy") == "delete", f"cleanup.policy = {entries.get('cleanup.policy')}")


def s_admin_partitions(b):
    a = admin(b); t = uniq("parts")
    create(a, t, 2)
    a.create_partitions({t: NewPartitions(4)})
    until("4 partitions", 15, lambda: len(a.describe_topics([t])[0]["partitions"]) == 4)


def s_produce_consume(b):
    a = admin(b); t = uniq("pc")
    create(a, t, 1)
    metas = produce(b, t, records(200))
    check([m.offset for m in metas] == list(range(200)), "offsets are not 0..199")
    c = assign_consumer(b, t, [0])
    got = []
    for m in c:
        got.append((m.key, m.value, list(m.headers)))
        if len(got) == 200:
            break
    check(len(got) == 200, f"consumed {len(got)} of 200")
    check(got == [(k, v, h) for k, v, h in records(200)], "records differ (order, keys, values or headers)")


def s_produce_compression(b):
    a = admin(b)
    for codec in ("gzip", "snappy", "lz4", "zstd"):
        t = uniq(codec)
        create(a, t, 1)
        produce(b, t, records(100), compression_type=codec)
        c = assign_consumer(b, t, [0])
        got = [m.value for _, m in zip(range(100), c)]
        check(got == [v for _, v, _ in records(100)], f"{codec}: consumed {len(got)} records, content differs")


def s_offsets(b):
    a = admin(b); t = uniq("offs")
    create(a, t, 3)
    produce(b, t, records(300))
    c = assign_consumer(b, t, [0, 1, 2])
    tps = [TopicPartition(t, p) for p in range(3)]
    end = c.end_offsets(tps); beg = c.beginning_offsets(tps)
    check(sum(end.values()) == 300, f"end offsets {end}")
    check(set(beg.values()) == {0}, f"beginning offsets {beg}")


def s_offsets_by_timestamp(b):
    import time
    a = admin(b); t = uniq("ts")
    create(a, t, 1)
    base = int(time.time() * 1000) - 60000
    p = KafkaProducer(bootstrap_servers=b, acks="all", **TIMEOUTS)
    for i in range(10):
        p.send(t, value=b"x%d" % i, timestamp_ms=base + i * 1000).get(timeout=30)
    p.close(timeout=10)
    c = assign_consumer(b, t, [0])
    r = c.offsets_for_times({TopicPartition(t, 0): base + 4500})
    check(r[TopicPartition(t, 0)].offset == 5, f"offset for base+4.5 s: {r}")


def s_group_consume(b):
    a = admin(b); t = uniq("grp"); g = uniq("g")
    create(a, t, 2)
    produce(b, t, records(100))
    c = KafkaConsumer(t, bootstrap_servers=b, group_id=g, auto_offset_reset="earliest", enable_auto_commit=False,
                      consumer_timeout_ms=30000, session_timeout_ms=10000, **TIMEOUTS)
    got = []
    for m in c:
        got.append(m.value)
        if len(got) == 100:
            break
    c.commit()
    c.close()
    check(sorted(got) == sorted(v for _, v, _ in records(100)), f"consumed {len(got)} of 100 (or wrong records)")
    offs = a.list_consumer_group_offsets(g)
    check(sum(o.offset for o in offs.values()) == 100, f"committed offsets {offs}")


def s_admin_groups(b):
    a = admin(b); t = uniq("adm"); g = uniq("g")
    create(a, t, 1)
    produce(b, t, records(10))
    c = KafkaConsumer(t, bootstrap_servers=b, group_id=g, auto_offset_reset="earliest", consumer_timeout_ms=30000,
                      **TIMEOUTS)
    n = sum(1 for _, _ in zip(range(10), c))
    c.commit(); c.close()
    check(n == 10, f"consumed {n} of 10")
    check(g in [x[0] for x in a.list_consumer_groups()], "list_consumer_groups lacks the group")
    d = a.describe_consumer_groups([g])[0]
    check(d.state == "Empty", f"state {d.state}")
    res = a.delete_consumer_groups([g])
    check(all(err.errno == 0 for _, err in res), f"delete_consumer_groups: {res}")


SCENARIOS = {k[2:]: v for k, v in globals().items() if k.startswith("s_")}
if __name__ == "__main__":
    main(SCENARIOS)
