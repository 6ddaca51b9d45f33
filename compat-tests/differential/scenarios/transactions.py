"""The transaction coordinator (transaction.version 1 flows as a client at these versions drives
them, and version 2's in transactions.version_2): FindCoordinator (10) key type 1, InitProducerId (22), AddPartitionsToTxn (24),
AddOffsetsToTxn (25), EndTxn (26), TxnOffsetCommit (28), DescribeProducers (61),
DescribeTransactions (65), ListTransactions (66), and transactional Produce (0) / read_committed
Fetch (1). Every scenario mutates (the first creates __transaction_state), so they run last, in
this order; each uses its own transactional ids and topics. Producer ids and timestamps are
allocated per broker (normalise.py); epochs are compared."""
import struct
import time

from harness import Case, scenario

PRODUCE, FETCH, LIST_OFFSETS, FIND_COORDINATOR, CREATE_TOPICS, INIT_PRODUCER_ID = 0, 1, 2, 10, 19, 22
ADD_PARTITIONS, ADD_OFFSETS, END_TXN, TXN_OFFSET_COMMIT, OFFSET_FETCH = 24, 25, 26, 28, 9
DESCRIBE_PRODUCERS, DESCRIBE_TRANSACTIONS, LIST_TRANSACTIONS, METADATA = 61, 65, 66, 3
NOT_READY = (14, 15, 16)  # COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR
CONCURRENT_TRANSACTIONS = 51
P = "samsa-diff-txn-"          # prefix of every transactional id, topic and group used here
TXN_IDS = [P + s for s in ("init-0", "init-1", "init-2", "init-3", "init-4", "init-5", "kip360",
                           "add", "end", "offsets", "produce", "unknown", "newest", "fence", "v2")]
TOPIC = P + "topic"            # 2 partitions: AddPartitionsToTxn, EndTxn, TxnOffsetCommit
DATA_TOPIC = P + "data"        # 1 partition: Produce / Fetch
UNKNOWN_TOPIC = P + "unknown-topic"
TIMEOUT_MS = 60000


def vals(x):
    """The elements of a decoded array: arrays with a mapKey are dicts keyed by it (kwire.keyed)."""
    return list(x.values()) if isinstance(x, dict) else (x or [])


def body_of(obs):
    return obs.get("body") if isinstance(obs.get("body"), dict) else {}


def raw_call(b, api_key, version, body):
    """The decoded response without normalisation (the producer id a later request needs)."""
    conn = b.connect()
    try:
        cid, frame = b.request_frame(api_key, version, body)
        conn.send(frame)
        kind, payload = conn.recv_frame(15.0)
        if kind != "frame":
            return {"outcome": kind}, {}
        _, raw = b.schemas.decode_response(api_key, version, payload, None)
        return b.decode(payload, api_key, version, cid), raw
    finally:
        conn.close()


def poll(fn, done, seconds=60):
    """Calls fn() until done(result) or the deadline; returns the last result."""
    deadline = time.monotonic() + seconds
    while True:
        r = fn()
        if done(r) or time.monotonic() > deadline:
            return r
        time.sleep(0.1)


def init(b, txn_id, version=4, timeout_ms=TIMEOUT_MS, **extra):
    body = {"TransactionalId": txn_id, "TransactionTimeoutMs": timeout_ms}
    body.update(extra)
    # A fenced Ongoing transaction answers CONCURRENT_TRANSACTIONS until its abort completes, and
    # Kafka answers COORDINATOR_LOAD_IN_PROGRESS while it loads the id's __transaction_state
    # partition: a client retries both, so does this (the answers are timing, not behaviour).
    obs, raw = poll(lambda: raw_call(b, INIT_PRODUCER_ID, version, body),
                    lambda r: r[1].get("ErrorCode") not in (CONCURRENT_TRANSACTIONS,) + NOT_READY, 30)
    return obs, raw.get("ProducerId", -1), raw.get("ProducerEpoch", -1)


def describe_txn(b, txn_ids):
    obs = b.call(DESCRIBE_TRANSACTIONS, 0, {"TransactionalIds": txn_ids})
    for s in vals(body_of(obs).get("TransactionStates")):
        for t in vals(s.get("Topics")):
            t["Partitions"] = sorted(t.get("Partitions") or [])
        if isinstance(s.get("Topics"), list):
            s["Topics"] = sorted(s["Topics"], key=lambda t: t.get("Topic") or "")
    return obs


def txn_state(b, txn_id):
    states = vals(body_of(b.call(DESCRIBE_TRANSACTIONS, 0, {"TransactionalIds": [txn_id]})).get("TransactionStates"))
    return (states or [{}])[0].get("TransactionState")


def wait_state(b, txn_id, state):
    poll(lambda: txn_state(b, txn_id), lambda s: s == state, 30)


def add_partitions(b, version, txn_id, pid, epoch, topics):
    """topics: {name: [partitions]} in the v0-3 or the v4+ (batched) form."""
    tlist = [{"Name": n, "Partitions": ps} for n, ps in topics.items()]
    if version <= 3:
        return {"V3AndBelowTransactionalId": txn_id, "V3AndBelowProducerId": pid,
                "V3AndBelowProducerEpoch": epoch, "V3AndBelowTopics": tlist}
    return {"Transactions": [{"TransactionalId": txn_id, "ProducerId": pid, "ProducerEpoch": epoch,
                              "VerifyOnly": False, "Topics": tlist}]}


def end_txn(txn_id, pid, epoch, commit):
    return {"TransactionalId": txn_id, "ProducerId": pid, "ProducerEpoch": epoch, "Committed": commit}


def create_topic(b, name, partitions):
    b.call(CREATE_TOPICS, 5, {"Topics": [{"Name": name, "NumPartitions": partitions, "ReplicationFactor": 1,
                                          "Assignments": [], "Configs": []}], "TimeoutMs": 30000})

    def leaders():
        topics = vals(body_of(b.call(METADATA, 12, {"Topics": [{"Name": name}], "AllowAutoTopicCreation": False})).get("Topics"))
        return [p.get("ErrorCode") for t in topics for p in vals(t.get("Partitions"))]
    poll(leaders, lambda errs: len(errs) == partitions and not any(errs), 30)

    # Kafka's metadata cache names the leader before its replica manager has the log (a Produce
    # then answers NOT_LEADER_OR_FOLLOWER, which clients retry): wait until ListOffsets serves
    # every partition.
    def served():
        body = body_of(b.call(LIST_OFFSETS, 7, {"ReplicaId": -1, "IsolationLevel": 0, "Topics": [
            {"Name": name, "Partitions": [{"PartitionIndex": i, "CurrentLeaderEpoch": -1, "Timestamp": -1}
                                          for i in range(partitions)]}]}))
        return [p.get("ErrorCode") for t in vals(body.get("Topics")) for p in vals(t.get("Partitions"))]
    poll(served, lambda errs: len(errs) == partitions and not any(errs), 30)


# --- record batches (magic 2), built here: the harness has no record codec -------------------

def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for byte in data:
        c = _CRC_TABLE[(c ^ byte) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def varint(n):
    n = (n << 1) ^ (n >> 63)
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def read_varint(data, pos):
    shift = n = 0
    while True:
        byte = data[pos]
        pos += 1
        n |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return (n >> 1) ^ -(n & 1), pos


def batch(pid, epoch, sequence, values, transactional=True):
    # Now, not a fixed past time: an old timestamp makes retention.ms (7 days) delete the data
    # while the scenario runs. Timestamps are left out of every comparison.
    timestamp = int(time.time() * 1000)
    records = b""
    for i, value in enumerate(values):
        v = value.encode()
        rec = b"\x00" + varint(0) + varint(i) + varint(-1) + varint(len(v)) + v + varint(0)
        records += varint(len(rec)) + rec
    attributes = 0x10 if transactional else 0
    after_crc = struct.pack(">hiqqqhii", attributes, len(values) - 1, timestamp, timestamp, pid, epoch,
                            sequence, len(values)) + records
    return (struct.pack(">qiibI", 0, 4 + 1 + 4 + len(after_crc), -1, 2, crc32c(after_crc)) + after_crc).hex()


def summarise_records(hexdata):
    """What a consumer sees of each batch, without the per-broker producer id, timestamps, CRC:
    offsets, attributes (transactional, control), epoch, sequence, record values or the marker."""
    if not hexdata:
        return hexdata
    data, pos, out = bytes.fromhex(hexdata), 0, []
    while pos + 61 <= len(data):
        base, length = struct.unpack(">qi", data[pos:pos + 12])
        end = pos + 12 + length
        if end > len(data):
            out.append({"partial batch at": base})
            break
        attributes, last_delta = struct.unpack(">hi", data[pos + 21:pos + 27])
        epoch, seq, count = struct.unpack(">hii", data[pos + 51:pos + 61])
        entry = {"BaseOffset": base, "LastOffsetDelta": last_delta, "Attributes": attributes,
                 "ProducerEpoch": epoch, "BaseSequence": seq, "Count": count}
        values, rpos = [], pos + 61
        for _ in range(count):
            rlen, rpos = read_varint(data, rpos)
            rec, rpos = data[rpos:rpos + rlen], rpos + rlen
            p = 1
            _, p = read_varint(rec, p)
            _, p = read_varint(rec, p)
            klen, p = read_varint(rec, p)
            key = rec[p:p + klen] if klen >= 0 else None
            p += max(klen, 0)
            vlen, p = read_varint(rec, p)
            val = rec[p:p + vlen] if vlen >= 0 else None
            if attributes & 0x20:   # control record: key = version, type; value = version, coordinator epoch
                values.append({"control type": struct.unpack(">hh", key)[1] if key else None,
                               "coordinator epoch": struct.unpack(">hi", val[:6])[1] if val else None})
            else:
                values.append(val.decode(errors="replace") if val is not None else None)
        entry["Records"] = values
        out.append(entry)
        pos = end
    return out


def fetch(b, version, topic, isolation, offset=0):
    obs = b.call(FETCH, version, {"ReplicaId": -1, "MaxWaitMs": 0, "MinBytes": 0, "MaxBytes": 1 << 20,
                                  "IsolationLevel": isolation, "SessionId": 0, "SessionEpoch": -1,
                                  "Topics": [{"Topic": topic, "Partitions": [{"Partition": 0, "FetchOffset": offset,
                                                                               "PartitionMaxBytes": 1 << 20}]}],
                                  "ForgottenTopicsData": [], "RackId": ""})
    for t in vals(body_of(obs).get("Responses")):
        for p in vals(t.get("Partitions")):
            if isinstance(p, dict) and "Records" in p:
                p["Records"] = summarise_records(p["Records"])
    return obs


def produce(b, version, txn_id, topic, records_hex):
    return b.call(PRODUCE, version, {"TransactionalId": txn_id, "Acks": -1, "TimeoutMs": 30000,
                                     "TopicData": [{"Name": topic, "PartitionData": [{"Index": 0, "Records": records_hex}]}]})


# --- scenarios -------------------------------------------------------------------------------

@scenario("transactions.find_coordinator", mutates=True)
def find_coordinator(b):
    """The first transaction-coordinator lookup starts creating __transaction_state; once it
    exists every version names the broker for a transactional id (v4+: each key of a batch)."""
    first = {"Key": P + "find", "KeyType": 1, "CoordinatorKeys": [P + "find"]}
    cases = [Case("first lookup, no transaction state topic yet", 1, b.call(FIND_COORDINATOR, 1, first))]
    poll(lambda: b.call(FIND_COORDINATOR, 3, first), lambda o: body_of(o).get("ErrorCode") == 0)
    # Kafka loads each __transaction_state partition after the topic exists: wait (not recorded)
    # until every id the scenarios use is served.
    for txn_id in TXN_IDS:
        poll(lambda: body_of(b.call(DESCRIBE_TRANSACTIONS, 0, {"TransactionalIds": [txn_id]})),
             lambda body: ((vals(body.get("TransactionStates")) or [{}])[0].get("ErrorCode")) not in NOT_READY)
    for v in range(1, 7):
        cases.append(Case("transactional id", v, b.call(FIND_COORDINATOR, v, first)))
    for v in (4, 6):
        cases.append(Case("two transactional ids", v, b.call(FIND_COORDINATOR, v, {
            "KeyType": 1, "CoordinatorKeys": [P + "a", P + "b"]})))
    return cases


@scenario("transactions.init_producer_id", mutates=True)
def init_producer_id(b):
    """InitProducerId v0-5 for a new transactional id (epoch 0) and again (epoch bump); a
    transaction timeout above transaction.max.timeout.ms; an empty and a null transactional id;
    v3+ KIP-360 recovery with the current, a wrong and an unknown producer id/epoch."""
    cases = []
    for v in range(0, 6):
        cases.append(Case("new transactional id", v, init(b, P + f"init-{v}", v)[0]))
        cases.append(Case("same id again", v, init(b, P + f"init-{v}", v)[0]))
    cases.append(Case("timeout above transaction.max.timeout.ms", 4,
                      init(b, P + "init-4", 4, timeout_ms=900001)[0]))
    cases.append(Case("timeout 0", 4, init(b, P + "init-4", 4, timeout_ms=0)[0]))
    for v in (1, 4):
        cases.append(Case("empty transactional id", v, init(b, "", v)[0]))
        cases.append(Case("null transactional id (idempotent)", v, init(b, None, v)[0]))
    _, pid, epoch = init(b, P + "kip360", 4)
    cases.append(Case("KIP-360: current producer id and epoch", 4,
                      init(b, P + "kip360", 4, ProducerId=pid, ProducerEpoch=epoch)[0]))
    cases.append(Case("KIP-360: stale epoch", 4, init(b, P + "kip360", 4, ProducerId=pid, ProducerEpoch=0)[0]))
    cases.append(Case("KIP-360: other producer id", 4,
                      init(b, P + "kip360", 4, ProducerId=pid + 1000, ProducerEpoch=epoch)[0]))
    cases.append(Case("KIP-360: producer id without epoch", 4,
                      init(b, P + "kip360", 4, ProducerId=pid, ProducerEpoch=-1)[0]))
    cases.append(Case("describe after KIP-360 requests", 0, describe_txn(b, [P + "kip360"])))
    return cases


@scenario("transactions.add_partitions", mutates=True)
def add_partitions_scenario(b):
    """AddPartitionsToTxn v0-5 (v0-3 form and v4+ batched form): right producer id and epoch,
    a wrong epoch, an unknown producer id, an unknown transactional id, an unknown topic next to
    a known one; the transaction described while Ongoing, then aborted."""
    create_topic(b, TOPIC, 2)
    txn = P + "add"
    _, pid, epoch = init(b, txn)
    cases = []
    for v in range(0, 6):
        cases.append(Case("right producer id and epoch", v,
                          b.call(ADD_PARTITIONS, v, add_partitions(b, v, txn, pid, epoch, {TOPIC: [0]}))))
        cases.append(Case("wrong epoch (higher)", v,
                          b.call(ADD_PARTITIONS, v, add_partitions(b, v, txn, pid, epoch + 1, {TOPIC: [1]}))))
        cases.append(Case("unknown producer id", v,
                          b.call(ADD_PARTITIONS, v, add_partitions(b, v, txn, pid + 1000, epoch, {TOPIC: [1]}))))
        cases.append(Case("unknown transactional id", v,
                          b.call(ADD_PARTITIONS, v, add_partitions(b, v, P + "unknown", pid, epoch, {TOPIC: [1]}))))
        cases.append(Case("unknown topic next to a known one", v,
                          b.call(ADD_PARTITIONS, v, add_partitions(b, v, txn, pid, epoch,
                                                                   {TOPIC: [1], UNKNOWN_TOPIC: [0]}))))
        cases.append(Case("partition out of range", v,
                          b.call(ADD_PARTITIONS, v, add_partitions(b, v, txn, pid, epoch, {TOPIC: [7]}))))
    cases.append(Case("v4 verify only, partition added", 4, b.call(ADD_PARTITIONS, 4, {"Transactions": [
        {"TransactionalId": txn, "ProducerId": pid, "ProducerEpoch": epoch, "VerifyOnly": True,
         "Topics": [{"Name": TOPIC, "Partitions": [0, 1]}]}]})))
    cases.append(Case("describe, ongoing", 0, describe_txn(b, [txn])))
    cases.append(Case("abort", 3, b.call(END_TXN, 3, end_txn(txn, pid, epoch, False))))
    wait_state(b, txn, "CompleteAbort")
    cases.append(Case("describe, aborted", 0, describe_txn(b, [txn])))
    return cases


@scenario("transactions.end_txn", mutates=True)
def end_txn_scenario(b):
    """EndTxn v0-4 with no transaction ongoing (commit and abort), with a stale epoch, a wrong
    producer id; commit of an ongoing transaction, its retry once complete, the opposite outcome;
    abort of an ongoing transaction."""
    txn = P + "end"
    init(b, txn)
    _, pid, epoch = init(b, txn)   # epoch 1: epoch 0 is stale
    cases = []
    for v in range(0, 5):
        cases.append(Case("commit, nothing ongoing", v, b.call(END_TXN, v, end_txn(txn, pid, epoch, True))))
        cases.append(Case("abort, nothing ongoing", v, b.call(END_TXN, v, end_txn(txn, pid, epoch, False))))
    b.call(ADD_PARTITIONS, 3, add_partitions(b, 3, txn, pid, epoch, {TOPIC: [0, 1]}))
    for v in range(0, 5):
        cases.append(Case("commit, stale epoch", v, b.call(END_TXN, v, end_txn(txn, pid, epoch - 1, True))))
        cases.append(Case("commit, other producer id", v, b.call(END_TXN, v, end_txn(txn, pid + 1000, epoch, True))))
        cases.append(Case("commit, unknown transactional id", v,
                          b.call(END_TXN, v, end_txn(P + "unknown", pid, epoch, True))))
    cases.append(Case("commit, ongoing", 4, b.call(END_TXN, 4, end_txn(txn, pid, epoch, True))))
    wait_state(b, txn, "CompleteCommit")
    cases.append(Case("describe, committed", 0, describe_txn(b, [txn])))
    cases.append(Case("commit again (retry)", 4, b.call(END_TXN, 4, end_txn(txn, pid, epoch, True))))
    cases.append(Case("abort after commit", 4, b.call(END_TXN, 4, end_txn(txn, pid, epoch, False))))
    b.call(ADD_PARTITIONS, 3, add_partitions(b, 3, txn, pid, epoch, {TOPIC: [1]}))
    cases.append(Case("abort, ongoing", 2, b.call(END_TXN, 2, end_txn(txn, pid, epoch, False))))
    wait_state(b, txn, "CompleteAbort")
    cases.append(Case("abort again (retry)", 2, b.call(END_TXN, 2, end_txn(txn, pid, epoch, False))))
    cases.append(Case("commit after abort", 2, b.call(END_TXN, 2, end_txn(txn, pid, epoch, True))))
    return cases


def txn_commit(txn, group, pid, epoch, offset, v, topic=TOPIC):
    body = {"TransactionalId": txn, "GroupId": group, "ProducerId": pid, "ProducerEpoch": epoch,
            "Topics": [{"Name": topic, "Partitions": [{"PartitionIndex": 0, "CommittedOffset": offset,
                                                       "CommittedMetadata": "m"}]}]}
    if v >= 3:
        body.update({"GenerationId": -1, "MemberId": "", "GroupInstanceId": None})
    return body


@scenario("transactions.offsets", mutates=True)
def offsets(b):
    """AddOffsetsToTxn v0-4 (right, wrong epoch, unknown producer id), TxnOffsetCommit v0-4 to
    the added group, to a group not added, with a wrong epoch and an unknown topic; the offsets
    invisible to a stable OffsetFetch until the commit, then visible."""
    txn, group = P + "offsets", P + "group"
    # The group's __consumer_offsets partition must be loaded (and the topic exist).
    poll(lambda: b.call(FIND_COORDINATOR, 3, {"Key": group, "KeyType": 0}),
         lambda o: body_of(o).get("ErrorCode") == 0)
    poll(lambda: body_of(b.call(OFFSET_FETCH, 8, {"Groups": [{"GroupId": group, "Topics": None}]})),
         lambda body: (body.get("Groups") or [{}])[0].get("ErrorCode") not in NOT_READY)
    _, pid, epoch = init(b, txn)
    cases = []
    for v in range(0, 5):
        cases.append(Case("add offsets", v, b.call(ADD_OFFSETS, v, {
            "TransactionalId": txn, "ProducerId": pid, "ProducerEpoch": epoch, "GroupId": group})))
        cases.append(Case("add offsets, wrong epoch", v, b.call(ADD_OFFSETS, v, {
            "TransactionalId": txn, "ProducerId": pid, "ProducerEpoch": epoch + 1, "GroupId": group})))
        cases.append(Case("add offsets, unknown producer id", v, b.call(ADD_OFFSETS, v, {
            "TransactionalId": txn, "ProducerId": pid + 1000, "ProducerEpoch": epoch, "GroupId": group})))
    for v in range(0, 5):
        cases.append(Case("txn offset commit", v, b.call(TXN_OFFSET_COMMIT, v, txn_commit(txn, group, pid, epoch, 10 + v, v))))
        cases.append(Case("txn offset commit, wrong epoch", v,
                          b.call(TXN_OFFSET_COMMIT, v, txn_commit(txn, group, pid, epoch + 1, 99, v))))
        cases.append(Case("txn offset commit, unknown topic", v,
                          b.call(TXN_OFFSET_COMMIT, v, txn_commit(txn, group, pid, epoch, 5, v, UNKNOWN_TOPIC))))
    cases.append(Case("txn offset commit, group not added", 3,
                      b.call(TXN_OFFSET_COMMIT, 3, txn_commit(txn, P + "other-group", pid, epoch, 7, 3))))
    stable = {"GroupId": group, "Topics": [{"Name": TOPIC, "PartitionIndexes": [0]}], "RequireStable": True}
    cases.append(Case("offset fetch, require stable, pending", 7, b.call(OFFSET_FETCH, 7, stable)))
    cases.append(Case("describe, ongoing with the group", 0, describe_txn(b, [txn])))
    cases.append(Case("commit", 3, b.call(END_TXN, 3, end_txn(txn, pid, epoch, True))))
    wait_state(b, txn, "CompleteCommit")
    cases.append(Case("offset fetch, require stable, committed", 7,
                      poll(lambda: b.call(OFFSET_FETCH, 7, stable),
                           lambda o: body_of(o).get("ErrorCode") != 88, 10)))   # UNSTABLE_OFFSET_COMMIT
    return cases


@scenario("transactions.produce_fetch", mutates=True)
def produce_fetch(b):
    """Transactional Produce to a partition not added to the transaction; an aborted then a
    committed transaction on one partition; Fetch read_committed and read_uncommitted of it
    (high watermark, last stable offset, aborted transactions, batches and markers);
    DescribeProducers of the partition; a fenced producer's Produce."""
    create_topic(b, DATA_TOPIC, 1)
    txn = P + "produce"
    _, pid, epoch = init(b, txn)
    cases = [Case("produce, partition not added", 9, produce(b, 9, txn, DATA_TOPIC, batch(pid, epoch, 0, ["x"])))]
    b.call(ADD_PARTITIONS, 3, add_partitions(b, 3, txn, pid, epoch, {DATA_TOPIC: [0]}))
    cases.append(Case("produce, first transaction", 9, produce(b, 9, txn, DATA_TOPIC, batch(pid, epoch, 0, ["a1", "a2"]))))
    cases.append(Case("fetch read_committed, open transaction", 12, fetch(b, 12, DATA_TOPIC, 1)))
    cases.append(Case("describe producers, open transaction", 0, b.call(DESCRIBE_PRODUCERS, 0, {
        "Topics": [{"Name": DATA_TOPIC, "PartitionIndexes": [0]}]})))
    cases.append(Case("abort", 3, b.call(END_TXN, 3, end_txn(txn, pid, epoch, False))))
    wait_state(b, txn, "CompleteAbort")
    b.call(ADD_PARTITIONS, 3, add_partitions(b, 3, txn, pid, epoch, {DATA_TOPIC: [0]}))
    cases.append(Case("produce, second transaction", 8, produce(b, 8, txn, DATA_TOPIC, batch(pid, epoch, 2, ["c1", "c2", "c3"]))))
    cases.append(Case("produce, sequence gap", 9, produce(b, 9, txn, DATA_TOPIC, batch(pid, epoch, 9, ["g"]))))
    cases.append(Case("commit", 3, b.call(END_TXN, 3, end_txn(txn, pid, epoch, True))))
    wait_state(b, txn, "CompleteCommit")
    for v in (4, 11, 12):
        cases.append(Case("fetch read_committed", v, fetch(b, v, DATA_TOPIC, 1)))
    cases.append(Case("fetch read_uncommitted", 12, fetch(b, 12, DATA_TOPIC, 0)))
    cases.append(Case("fetch read_committed from the committed batch", 12, fetch(b, 12, DATA_TOPIC, 1, offset=3)))
    cases.append(Case("describe producers", 0, b.call(DESCRIBE_PRODUCERS, 0, {
        "Topics": [{"Name": DATA_TOPIC, "PartitionIndexes": [0, 5]}, {"Name": UNKNOWN_TOPIC, "PartitionIndexes": [0]}]})))
    init(b, txn)   # fences epoch
    b.call(ADD_PARTITIONS, 3, add_partitions(b, 3, txn, pid, epoch + 1, {DATA_TOPIC: [0]}))
    cases.append(Case("produce, fenced epoch", 9, produce(b, 9, txn, DATA_TOPIC, batch(pid, epoch, 5, ["f"]))))
    cases.append(Case("abort new epoch", 3, b.call(END_TXN, 3, end_txn(txn, pid, epoch + 1, False))))
    return cases


@scenario("transactions.fencing", mutates=True)
def fencing(b):
    """InitProducerId of an id whose transaction is Ongoing (a new producer instance): the first
    answer fences (bumps the epoch, aborts the transaction) with CONCURRENT_TRANSACTIONS, the
    retry gets the next epoch; the old producer's Produce, AddPartitionsToTxn and EndTxn are then
    fenced; the partition shows the aborted batch."""
    txn = P + "fence"
    _, pid, epoch = init(b, txn)
    b.call(ADD_PARTITIONS, 3, add_partitions(b, 3, txn, pid, epoch, {DATA_TOPIC: [0]}))
    cases = [Case("produce, ongoing", 9, produce(b, 9, txn, DATA_TOPIC, batch(pid, epoch, 0, ["f1"])))]
    cases.append(Case("init while ongoing", 4, b.call(INIT_PRODUCER_ID, 4, {
        "TransactionalId": txn, "TransactionTimeoutMs": TIMEOUT_MS})))
    retried, _, _ = init(b, txn)
    cases.append(Case("init retried", 4, retried))   # answered once the fencing abort completed
    cases.append(Case("describe, fenced", 0, describe_txn(b, [txn])))
    cases.append(Case("old producer's produce", 9, produce(b, 9, txn, DATA_TOPIC, batch(pid, epoch, 1, ["f2"]))))
    cases.append(Case("old producer's add partitions", 3,
                      b.call(ADD_PARTITIONS, 3, add_partitions(b, 3, txn, pid, epoch, {DATA_TOPIC: [0]}))))
    cases.append(Case("old producer's commit", 4, b.call(END_TXN, 4, end_txn(txn, pid, epoch, True))))
    cases.append(Case("fetch read_committed", 12, fetch(b, 12, DATA_TOPIC, 1)))
    return cases


@scenario("transactions.describe_list", mutates=True)
def describe_list(b):
    """DescribeTransactions of known ids (every state the earlier scenarios left) and an unknown
    one; ListTransactions v0-1 unfiltered (only this area's ids, sorted), by state, by producer
    id, by duration, with an unknown state."""
    cases = [Case("describe known and unknown", 0, describe_txn(b, [P + "add", P + "end", P + "init-0",
                                                                  P + "never-used", P + "offsets"]))]
    cases.append(Case("describe empty id", 0, describe_txn(b, [""])))

    def listing(v, body):
        obs = b.call(LIST_TRANSACTIONS, v, body)
        bd = body_of(obs)
        states = bd.get("TransactionStates")
        if isinstance(states, dict):
            bd["TransactionStates"] = {k: s for k, s in sorted(states.items()) if k.split("=", 1)[-1].startswith(P)}
        elif isinstance(states, list):
            bd["TransactionStates"] = sorted([s for s in states if (s.get("TransactionalId") or "").startswith(P)],
                                             key=lambda s: s.get("TransactionalId") or "")
        return obs
    pid = (raw_call(b, DESCRIBE_TRANSACTIONS, 0, {"TransactionalIds": [P + "end"]})[1]
           .get("TransactionStates") or [{}])[0].get("ProducerId", -1)   # raw: lists, not keyed
    for v in (0, 1):
        cases.append(Case("list all", v, listing(v, {"StateFilters": [], "ProducerIdFilters": []})))
        cases.append(Case("list CompleteCommit, Empty", v, listing(v, {"StateFilters": ["CompleteCommit", "Empty"],
                                                                       "ProducerIdFilters": []})))
        cases.append(Case("list unknown state", v, listing(v, {"StateFilters": ["Bogus"], "ProducerIdFilters": []})))
        cases.append(Case("list by producer id", v, listing(v, {"StateFilters": [], "ProducerIdFilters": [pid]})))
        cases.append(Case("list unknown producer id", v, listing(v, {"StateFilters": [], "ProducerIdFilters": [123456789]})))
    cases.append(Case("list, duration 1 h", 1, listing(1, {"StateFilters": [], "ProducerIdFilters": [], "DurationFilter": 3600000})))
    cases.append(Case("list, duration 0", 1, listing(1, {"StateFilters": [], "ProducerIdFilters": [], "DurationFilter": 0})))
    return cases


@scenario("transactions.newest_versions", mutates=True)
def newest_versions(b):
    """The versions of Kafka 4.4's schemas past transaction.version 1: InitProducerId v6 (KIP-939
    fields off), transactional Produce v10 and v11 to a partition not added (v11+: the abortable
    error), ListTransactions v2 (a transactional id pattern), EndTxn v5 (KIP-890: the commit bumps
    the epoch and returns it)."""
    txn = P + "newest"
    cases = [Case("new transactional id", 6, b.call(INIT_PRODUCER_ID, 6, {
        "TransactionalId": txn, "TransactionTimeoutMs": TIMEOUT_MS, "Enable2Pc": False, "KeepPreparedTxn": False}))]
    _, pid, epoch = init(b, txn)
    for v in (10, 11):
        cases.append(Case("produce, partition not added", v, produce(b, v, txn, DATA_TOPIC, batch(pid, epoch, 0, ["n"]))))
    cases.append(Case("list with a pattern", 2, b.call(LIST_TRANSACTIONS, 2, {
        "StateFilters": [], "ProducerIdFilters": [], "TransactionalIdPattern": P + "newest.*"})))
    b.call(ADD_PARTITIONS, 3, add_partitions(b, 3, txn, pid, epoch, {TOPIC: [0]}))
    committed = b.call(END_TXN, 5, end_txn(txn, pid, epoch, True))
    cases.append(Case("commit", 5, committed))
    if body_of(committed).get("ErrorCode") == 0:
        wait_state(b, txn, "CompleteCommit")
    cases.append(Case("describe after a v5 commit", 0, describe_txn(b, [txn])))
    return cases


@scenario("transactions.version_2", mutates=True)
def version_2(b):
    """Transaction version 2 (KIP-890 part 2, what Java 4.x clients use once transaction.version 2
    is finalized): transactional Produce v12 to a partition never added (the broker adds it),
    DescribeTransactions of it, EndTxn v5 commit (the epoch bumped and returned) and its retry
    with the old epoch, the old epoch's Produce v12, an EndTxn v5 abort and commit with nothing
    ongoing, TxnOffsetCommit v5 without AddOffsetsToTxn, Fetch read_committed of the topic."""
    topic = P + "v2"
    create_topic(b, topic, 1)
    txn = P + "v2"
    _, pid, epoch = init(b, txn)
    cases = [Case("produce v12, partition not added", 12, produce(b, 12, txn, topic, batch(pid, epoch, 0, ["a", "b"])))]
    cases.append(Case("describe, implicitly added", 0, describe_txn(b, [txn])))
    committed = b.call(END_TXN, 5, end_txn(txn, pid, epoch, True))
    cases.append(Case("commit", 5, committed))
    if body_of(committed).get("ErrorCode") == 0:
        wait_state(b, txn, "CompleteCommit")
    cases.append(Case("commit retried with the old epoch", 5, b.call(END_TXN, 5, end_txn(txn, pid, epoch, True))))
    cases.append(Case("abort with the old epoch", 5, b.call(END_TXN, 5, end_txn(txn, pid, epoch, False))))
    cases.append(Case("produce v12, old epoch", 12, produce(b, 12, txn, topic, batch(pid, epoch, 2, ["c"]))))
    bumped = epoch + 1
    cases.append(Case("commit, nothing ongoing", 5, b.call(END_TXN, 5, end_txn(txn, pid, bumped, True))))
    aborted = b.call(END_TXN, 5, end_txn(txn, pid, bumped, False))
    cases.append(Case("abort, nothing ongoing", 5, aborted))
    if body_of(aborted).get("ErrorCode") == 0:
        wait_state(b, txn, "CompleteAbort")
    cases.append(Case("describe after the empty abort", 0, describe_txn(b, [txn])))
    bumped += 1
    cases.append(Case("txn offset commit v5, offsets not added", 5,
                      b.call(TXN_OFFSET_COMMIT, 5, txn_commit(txn, P + "v2-group", pid, bumped, 3, 5, topic))))
    cases.append(Case("describe after the offset commit", 0, describe_txn(b, [txn])))
    aborted = b.call(END_TXN, 5, end_txn(txn, pid, bumped, False))
    cases.append(Case("abort the offsets", 5, aborted))
    if body_of(aborted).get("ErrorCode") == 0:
        wait_state(b, txn, "CompleteAbort")
    cases.append(Case("fetch read_committed", 12, fetch(b, 12, topic, 1)))
    return cases
