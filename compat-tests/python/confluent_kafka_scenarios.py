#!/usr/bin/python3
"""confluent-kafka-python (Debian python3-confluent-kafka, over librdkafka) scenarios.

    confluent_kafka_scenarios.py <scenario> <bootstrap>
"""
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

from common import check, main, records, uniq, until

BASE = {"socket.timeout.ms": 15000, "client.id": "samsa-compat-confluent-kafka"}


def admin(b):
    return AdminClient({"bootstrap.servers": b, **BASE})


def wait_futures(fs, what):
    for k, f in fs.items():
        try:
            f.result(timeout=30)
        except KafkaException as e:
            raise AssertionError(f"{what} {k}: {e.args[0].name()}: {e.args[0].str()}") from None


def create(a, t, partitions, config=None):
    wait_futures(a.create_topics([NewTopic(t, num_partitions=partitions, replication_factor=1, config=config or {})],
                                 request_timeout=15), "create_topics")
    until(f"{t} in metadata", 15, lambda: t in a.list_topics(timeout=5).topics)


def produce(b, t, recs, **conf):
    p = Producer({"bootstrap.servers": b, "acks": "all", "message.timeout.ms": 30000, **BASE, **conf})
    errors, offsets = [], []

    def dr(err, msg):
        if err:
            errors.append(f"{err.name()}: {err.str()}")
        else:
            offsets.append((msg.partition(), msg.offset()))
    for k, v, h in recs:
        p.produce(t, key=k, value=v, headers=h, on_delivery=dr)
        p.poll(0)
    left = p.flush(40)
    check(not errors, f"{len(errors)} delivery errors, first: {errors[0] if errors else ''}")
    check(left == 0, f"{left} messages not delivered after 40 s")
    return offsets


def consume_assigned(b, t, partitions, n, **conf):
    c = Consumer({"bootstrap.servers": b, "group.id": uniq("unused"), "enable.auto.commit": False, **BASE, **conf})
    c.assign([TopicPartition(t, p, OFFSET_BEGINNING) for p in partitions])
    got = []
    end = time.monotonic() + 30
    while len(got) < n and time.monotonic() < end:
        m = c.poll(0.5)
        if m is None:
            continue
        if m.error():
            if m.error().code() == KafkaError._PARTITION_EOF:
                continue
            raise AssertionError(f"consume: {m.error().name()}: {m.error().str()}")
        got.append((m.key(), m.value(), m.headers() or []))
    c.close()
    return got


def s_cluster_metadata(b):
    md = admin(b).list_topics(timeout=10)
    check(sorted(md.brokers) == [1], f"brokers {md.brokers}")
    check(md.controller_id == 1, f"controller {md.controller_id}")
    check(len(md.cluster_id or "") == 22, f"cluster id {md.cluster_id}")


def s_admin_topics(b):
    a = admin(b); t = uniq("topics")
    create(a, t, 3, {"retention.ms": "3600000"})
    tm = a.list_topics(t, timeout=10).topics[t]
    parts = sorted((p.id, p.leader, p.replicas, p.isrs) for p in tm.partitions.values())
    check(parts == [(0, 1, [1], [1]), (1, 1, [1], [1]), (2, 1, [1], [1])], f"partitions {parts}")
    f = a.create_topics([NewTopic(t, num_partitions=1, replication_factor=1)], request_timeout=15)[t]
    try:
        f.result(timeout=30)
        raise AssertionError("creating an existing topic succeeded")
    except KafkaException as e:
        check(e.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS, f"expected TOPIC_ALREADY_EXISTS, got {e.args[0].name()}")
    wait_futures(a.delete_topics([t], request_timeout=15), "delete_topics")
    until("deleted topic to leave metadata", 30, lambda: t not in a.list_topics(timeout=5).topics)


def s_admin_configs(b):
    a = admin(b); t = uniq("configs")
    create(a, t, 1)
    wait_futures(a.alter_configs([ConfigResource("topic", t, set_config={"retention.ms": "86400000"})]), "alter_configs")
    fs = a.describe_configs([ConfigResource("topic", t)])
    entries = list(fs.values())[0].result(timeout=30)
    check(entries["retention.ms"].value == "86400000", f"retention.ms = {entries['retention.ms'].value}")
    check(entries["cleanup.policy"].value == "delete", f"cleanup.policy = {entries['cleanup.policy'].value}")


def s_admin_partitions(b):
    a = admin(b); t = uniq("parts")
    create(a, t, 2)
    wait_futures(a.create_partitions([NewPartitions(t, 4)]), "create_partitions")
    until("4 partitions", 15, lambda: len(a.list_topics(t, timeout=5).topics[t].partitions) == 4)


def s_produce_consume(b):
    a = admin(b); t = uniq("pc")
    create(a, t, 1)
    offs = produce(b, t, records(200))
    check(sorted(o for _, o in offs) == list(range(200)), "offsets are not 0..199")
    got = consume_assigned(b, t, [0], 200)
    check(got == [(k, v, h) for k, v, h in records(200)], f"consumed {len(got)} of 200, or records differ")


def s_produce_compression(b):
    a = admin(b)
    for codec in ("gzip", "snappy", "lz4", "zstd"):
        t = uniq(codec)
        create(a, t, 1)
        produce(b, t, records(100), **{"compression.type": codec})
        got = consume_assigned(b, t, [0], 100)
        check([v for _, v, _ in got] == [v for _, v, _ in records(100)], f"{codec}: consumed {len(got)}, content differs")


def s_produce_idempotent(b):
    a = admin(b); t = uniq("idem")
    create(a, t, 1)
    offs = produce(b, t, records(500), **{"enable.idempotence": True})
    check(sorted(o for _, o in offs) == list(range(500)), "idempotent offsets are not 0..499")


def s_offsets(b):
    a = admin(b); t = uniq("offs")
    create(a, t, 3)
    produce(b, t, records(300))
    c = Consumer({"bootstrap.servers": b, "group.id": uniq("unused"), **BASE})
    wm = [c.get_watermark_offsets(TopicPartition(t, p), timeout=10) for p in range(3)]
    c.close()
    check(all(lo == 0 for lo, _ in wm) and sum(hi for _, hi in wm) == 300, f"watermarks {wm}")


def s_offsets_by_timestamp(b):
    a = admin(b); t = uniq("ts")
    create(a, t, 1)
    base = int(time.time() * 1000) - 60000
    p = Producer({"bootstrap.servers": b, **BASE})
    for i in range(10):
        p.produce(t, value=b"x%d" % i, timestamp=base + i * 1000)
    check(p.flush(30) == 0, "produce did not complete")
    c = Consumer({"bootstrap.servers": b, "group.id": uniq("unused"), **BASE})
    r = c.offsets_for_times([TopicPartition(t, 0, base + 4500)], timeout=10)
    c.close()
    check(r[0].offset == 5, f"offset for base+4.5 s: {r[0].offset} ({r[0].error})")


def s_group_consume(b):
    a = admin(b); t = uniq("grp"); g = uniq("g")
    create(a, t, 2)
    produce(b, t, records(100))
    c = Consumer({"bootstrap.servers": b, "group.id": g, "auto.offset.reset": "earliest",
                  "enable.auto.commit": False, "session.timeout.ms": 10000, **BASE})
    c.subscribe([t])
    got = []
    end = time.monotonic() + 45
    while len(got) < 100 and time.monotonic() < end:
        m = c.poll(0.5)
        if m is None:
            continue
        if m.error():
            raise AssertionError(f"consume: {m.error().name()}: {m.error().str()}")
        got.append(m.value())
    check(len(got) == 100, f"consumed {len(got)} of 100")
    c.commit(asynchronous=False)
    committed = c.committed([TopicPartition(t, 0), TopicPartition(t, 1)], timeout=10)
    c.close()
    check(sum(tp.offset for tp in committed) == 100, f"committed {[(tp.partition, tp.offset) for tp in committed]}")
    check(g in [x.id for x in a.list_groups(timeout=10)], "list_groups lacks the group")


def s_transactions(b):
    a = admin(b); t = uniq("txn")
    create(a, t, 1)
    p = Producer({"bootstrap.servers": b, "transactional.id": uniq("tx"), **BASE})
    p.init_transactions(30)
    for prefix, commit in (("c", True), ("a", False), ("d", True)):
        p.begin_transaction()
        for k, v, h in records(10, prefix):
            p.produce(t, key=k, value=v, headers=h)
        (p.commit_transaction if commit else p.abort_transaction)(30)
    got = consume_assigned(b, t, [0], 20, **{"isolation.level": "read_committed"})
    values = [v for _, v, _ in got]
    check(values == [v for _, v, _ in records(10, "c") + records(10, "d")],
          f"read_committed saw {len(values)} records; aborted ones: {sum(v.startswith(b'a') for v in values)}")


SCENARIOS = {k[2:]: v for k, v in globals().items() if k.startswith("s_")}
if __name__ == "__main__":
    main(SCENARIOS)
