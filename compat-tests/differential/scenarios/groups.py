"""The group coordinator (classic protocol): FindCoordinator (10), JoinGroup (11), Heartbeat (12),
LeaveGroup (13), SyncGroup (14), DescribeGroups (15), ListGroups (16), DeleteGroups (42),
OffsetCommit (8), OffsetFetch (9), OffsetDelete (47). Every scenario mutates (the first creates
__consumer_offsets), so they run last, in this order. Only versions both brokers serve; member ids
are random and normalised."""
import time

from harness import Case, scenario

OFFSET_COMMIT, OFFSET_FETCH, FIND_COORDINATOR, JOIN_GROUP, HEARTBEAT = 8, 9, 10, 11, 12
LEAVE_GROUP, SYNC_GROUP, DESCRIBE_GROUPS, LIST_GROUPS, DELETE_GROUPS, OFFSET_DELETE = 13, 14, 15, 16, 42, 47
UNKNOWN_GROUP = "samsa-diff-unknown-group"
UNKNOWN_TOPIC = "samsa-diff-unknown-topic"
# Every group id the scenarios use: each must have its coordinator loaded before they start.
GROUP_IDS = [UNKNOWN_GROUP, "", "samsa-diff-g", "samsa-diff-j", "samsa-diff-np", "samsa-diff-c",
             "samsa-diff-other"] + [f"samsa-diff-new-{v}" for v in range(4, 10)]
NOT_READY = (14, 15, 16)  # COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR


def sorted_groups(obs, field):
    """Kafka answers groups in the order of its coordinator partitions (a HashMap), Samsa in
    request order; clients match answers by group id, so both are compared sorted."""
    body = obs.get("body")
    if isinstance(body, dict) and isinstance(body.get(field), list):
        body[field] = sorted(body[field], key=lambda g: g.get("GroupId") or "")
    return obs


def send(b, api_key, version, body):
    """Sends one request on its own connection without waiting: (connection, correlation id)."""
    conn = b.connect()
    cid, frame = b.request_frame(api_key, version, body)
    conn.send(frame)
    return conn, cid


def receive(b, conn, api_key, version, cid, wait_s=15.0):
    """The answer to send(): (observation as Broker.call makes it, raw decoded body or {}). The raw
    body keeps what the observation normalises away (the member ids a later request needs)."""
    try:
        kind, payload = conn.recv_frame(wait_s)
        if kind != "frame":
            return {"outcome": "closed" if kind == "closed" else "no response"}, {}
        _, raw = b.schemas.decode_response(api_key, version, payload, None)
        return b.decode(payload, api_key, version, cid), raw
    finally:
        conn.close()


def call_raw(b, api_key, version, body):
    conn, cid = send(b, api_key, version, body)
    return receive(b, conn, api_key, version, cid)


def find(v, key, key_type=0):
    return {"Key": key, "KeyType": key_type, "CoordinatorKeys": [key]}


@scenario("groups.find_coordinator", mutates=True)
def find_coordinator(b):
    """The first lookup starts creating __consumer_offsets (COORDINATOR_NOT_AVAILABLE); once it
    exists every version names the broker; v4+ answers each key; an unknown key type is an
    invalid request."""
    cases = [Case("first lookup, no offsets topic yet", 0, b.call(FIND_COORDINATOR, 0, find(0, "samsa-diff-g")))]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        obs = b.call(FIND_COORDINATOR, 3, find(3, "samsa-diff-g"))
        if obs.get("body", {}).get("ErrorCode") == 0:
            break
        time.sleep(0.2)
    # Kafka loads each __consumer_offsets partition's coordinator after the topic exists: wait
    # until every group the scenarios use is served (not recorded).
    for group in GROUP_IDS:
        while time.monotonic() < deadline:
            obs = b.call(OFFSET_FETCH, 8, {"Groups": [{"GroupId": group, "Topics": None}]})
            groups = obs.get("body", {}).get("Groups") or [{}]
            if groups[0].get("ErrorCode") not in NOT_READY:
                break
            time.sleep(0.2)
    for v in range(0, 7):
        cases.append(Case("group key", v, b.call(FIND_COORDINATOR, v, find(v, "samsa-diff-g"))))
    for v in range(4, 7):
        cases.append(Case("two keys", v, b.call(FIND_COORDINATOR, v, {"KeyType": 0, "CoordinatorKeys": ["a", "b"]})))
    for v in (1, 3, 4, 6):
        cases.append(Case("key type 9", v, b.call(FIND_COORDINATOR, v, find(v, "g", key_type=9))))
    return cases


def join(group, member_id="", session_ms=10000, protocol_type="consumer", protocols=None):
    return {"GroupId": group, "SessionTimeoutMs": session_ms, "RebalanceTimeoutMs": 10000,
            "MemberId": member_id, "ProtocolType": protocol_type,
            "Protocols": protocols if protocols is not None else [{"Name": "range", "Metadata": "0001"}]}


@scenario("groups.join_errors", mutates=True)
def join_errors(b):
    """JoinGroup refused before any member is added: empty group id, session timeouts out of
    bounds, a member id for a group that does not exist, no protocols; and v4+'s
    MEMBER_ID_REQUIRED."""
    cases = []
    for v in range(0, 10):
        cases.append(Case("empty group id", v, b.call(JOIN_GROUP, v, join(""))))
        cases.append(Case("session 1 ms", v, b.call(JOIN_GROUP, v, join("samsa-diff-j", session_ms=1))))
        cases.append(Case("session 30 min + 1", v, b.call(JOIN_GROUP, v, join("samsa-diff-j", session_ms=1800001))))
        cases.append(Case("member id, unknown group", v, b.call(JOIN_GROUP, v, join(UNKNOWN_GROUP, "nobody"))))
        cases.append(Case("no protocols", v, b.call(JOIN_GROUP, v, join("samsa-diff-np", protocols=[]))))
        if v >= 4:
            cases.append(Case("first join", v, b.call(JOIN_GROUP, v, join(f"samsa-diff-new-{v}"))))
    return cases


@scenario("groups.unknown_members", mutates=True)
def unknown_members(b):
    """SyncGroup, Heartbeat and LeaveGroup for a group that does not exist, and with an empty
    group id; SyncGroup v5 without protocol type and name."""
    cases = []
    for v in range(0, 6):
        body = {"GroupId": UNKNOWN_GROUP, "GenerationId": 1, "MemberId": "m", "Assignments": []}
        if v >= 5:
            body.update({"ProtocolType": "consumer", "ProtocolName": "range"})
        cases.append(Case("sync, unknown group", v, b.call(SYNC_GROUP, v, body)))
        cases.append(Case("sync, empty group id", v, b.call(SYNC_GROUP, v, dict(body, GroupId=""))))
    cases.append(Case("sync v5 without protocol", 5,
                      b.call(SYNC_GROUP, 5, {"GroupId": UNKNOWN_GROUP, "GenerationId": 1, "MemberId": "m",
                                             "ProtocolType": None, "ProtocolName": None})))
    for v in range(0, 5):
        cases.append(Case("heartbeat, unknown group", v,
                          b.call(HEARTBEAT, v, {"GroupId": UNKNOWN_GROUP, "GenerationId": 1, "MemberId": "m"})))
        cases.append(Case("heartbeat, empty group id", v,
                          b.call(HEARTBEAT, v, {"GroupId": "", "GenerationId": 1, "MemberId": "m"})))
    for v in range(0, 6):
        body = {"GroupId": UNKNOWN_GROUP, "MemberId": "m",
                "Members": [{"MemberId": "m"}, {"MemberId": "", "GroupInstanceId": "i"}]}
        cases.append(Case("leave, unknown group", v, b.call(LEAVE_GROUP, v, body)))
        cases.append(Case("leave, empty group id", v, b.call(LEAVE_GROUP, v, dict(body, GroupId=""))))
    return cases


def commit(group, topic, partition=0, offset=5, generation=-1, member=""):
    return {"GroupId": group, "GenerationIdOrMemberEpoch": generation, "MemberId": member,
            "RetentionTimeMs": -1,
            "Topics": [{"Name": topic, "Partitions": [{"PartitionIndex": partition, "CommittedOffset": offset,
                                                        "CommittedMetadata": "m"}]}]}


@scenario("groups.offsets", mutates=True)
def offsets(b):
    """OffsetCommit to a topic that does not exist, with an empty group id, with a generation to
    an unknown group; OffsetFetch of unknown groups, all partitions and named ones, one group
    (v1-7) and batched (v8-9); OffsetDelete of an unknown group."""
    cases = []
    for v in range(2, 10):
        cases.append(Case("commit, unknown topic", v, b.call(OFFSET_COMMIT, v, commit("samsa-diff-c", UNKNOWN_TOPIC))))
        cases.append(Case("commit, empty group id, unknown topic", v,
                          b.call(OFFSET_COMMIT, v, commit("", UNKNOWN_TOPIC))))
    for v in range(1, 8):
        cases.append(Case("fetch, unknown group, named partitions", v,
                          b.call(OFFSET_FETCH, v, {"GroupId": UNKNOWN_GROUP,
                                                   "Topics": [{"Name": UNKNOWN_TOPIC, "PartitionIndexes": [0, 1]}]})))
        if v >= 2:
            cases.append(Case("fetch, unknown group, all partitions", v,
                              b.call(OFFSET_FETCH, v, {"GroupId": UNKNOWN_GROUP, "Topics": None})))
    for v in (8, 9):
        cases.append(Case("fetch, batched", v, b.call(OFFSET_FETCH, v, {"Groups": [
            {"GroupId": UNKNOWN_GROUP, "Topics": None},
            {"GroupId": "samsa-diff-other", "Topics": [{"Name": UNKNOWN_TOPIC, "PartitionIndexes": [3]}]},
            {"GroupId": "", "Topics": None}]})))
    cases.append(Case("offset delete, unknown group", 0,
                      b.call(OFFSET_DELETE, 0, {"GroupId": UNKNOWN_GROUP,
                                                "Topics": [{"Name": UNKNOWN_TOPIC, "Partitions": [{"PartitionIndex": 0}]}]})))
    cases.append(Case("offset delete, empty group id", 0,
                      b.call(OFFSET_DELETE, 0, {"GroupId": "", "Topics": []})))
    return cases


@scenario("groups.admin", mutates=True)
def admin(b):
    """DescribeGroups of unknown groups, ListGroups (the groups earlier scenarios created, all
    Empty) and with state and type filters, DeleteGroups of unknown groups."""
    cases = []
    for v in range(0, 6):
        cases.append(Case("describe unknown and empty id", v,
                          sorted_groups(b.call(DESCRIBE_GROUPS, v, {"Groups": [UNKNOWN_GROUP, ""],
                                                                    "IncludeAuthorizedOperations": True}),
                                        "Groups")))
    for v in range(0, 6):
        body = {}
        if v >= 4:
            body["StatesFilter"] = ["Stable"]
        if v >= 5:
            body["TypesFilter"] = ["consumer"]
        cases.append(Case("list, filtered to nothing" if v >= 4 else "list", v,
                          sorted_groups(b.call(LIST_GROUPS, v, body), "Groups")))
    for v in range(0, 3):
        cases.append(Case("delete unknown", v, b.call(DELETE_GROUPS, v, {"GroupsNames": [UNKNOWN_GROUP]})))
    return cases


CREATE_TOPICS = 19
FLOW_GROUP = "samsa-diff-flow"
FLOW_TOPIC = "samsa-diff-flow-topic"


def subscription(topic):
    """ConsumerProtocolSubscription v0: version, one topic, null user data (hex)."""
    name = topic.encode().hex()
    return "0000" + "00000001" + f"{len(topic):04x}" + name + "ffffffff"


@scenario("groups.classic_flow", mutates=True)
def classic_flow(b):
    """One member through a group's life: JoinGroup v3 (no member id round trip; the initial
    rebalance delay), SyncGroup, Heartbeat, DescribeGroups and ListGroups while Stable, commits
    with the right and wrong generation and member, OffsetFetch, DeleteGroups and OffsetDelete of
    a non-empty group, LeaveGroup, then the Empty group described, its offsets deleted, and the
    group deleted."""
    create = {"Topics": [{"Name": FLOW_TOPIC, "NumPartitions": 2, "ReplicationFactor": 1,
                          "Assignments": [], "Configs": []}], "TimeoutMs": 30000}
    b.call(CREATE_TOPICS, 5, create)
    cases = []
    joined, raw = call_raw(b, JOIN_GROUP, 3, {"GroupId": FLOW_GROUP, "SessionTimeoutMs": 30000, "RebalanceTimeoutMs": 30000,
                                     "MemberId": "", "ProtocolType": "consumer",
                                     "Protocols": [{"Name": "range", "Metadata": subscription(FLOW_TOPIC)},
                                                   {"Name": "roundrobin", "Metadata": subscription(FLOW_TOPIC)}]})
    member = raw.get("MemberId", "")
    cases.append(Case("join", 3, joined))
    cases.append(Case("sync", 3, b.call(SYNC_GROUP, 3, {
        "GroupId": FLOW_GROUP, "GenerationId": 1, "MemberId": member,
        "Assignments": [{"MemberId": member, "Assignment": "0102"}]})))
    cases.append(Case("sync again, stable", 5, b.call(SYNC_GROUP, 5, {
        "GroupId": FLOW_GROUP, "GenerationId": 1, "MemberId": member, "ProtocolType": "consumer",
        "ProtocolName": "range", "Assignments": []})))
    cases.append(Case("sync, wrong protocol name", 5, b.call(SYNC_GROUP, 5, {
        "GroupId": FLOW_GROUP, "GenerationId": 1, "MemberId": member, "ProtocolType": "consumer",
        "ProtocolName": "roundrobin", "Assignments": []})))
    for v, gen in ((3, 1), (4, 1), (4, 2)):
        cases.append(Case(f"heartbeat, generation {gen}", v,
                          b.call(HEARTBEAT, v, {"GroupId": FLOW_GROUP, "GenerationId": gen, "MemberId": member})))
    cases.append(Case("heartbeat, unknown member", 4,
                      b.call(HEARTBEAT, 4, {"GroupId": FLOW_GROUP, "GenerationId": 1, "MemberId": "stranger"})))
    for v in (0, 3, 5):
        cases.append(Case("describe, stable", v, b.call(DESCRIBE_GROUPS, v, {"Groups": [FLOW_GROUP]})))
    cases.append(Case("list stable", 5, sorted_groups(b.call(LIST_GROUPS, 5, {"StatesFilter": ["stable"],
                                                                               "TypesFilter": ["classic"]}), "Groups")))
    for v, gen, who in ((8, 1, member), (9, 1, member), (9, 2, member), (9, 1, "stranger"), (9, -1, "")):
        body = commit(FLOW_GROUP, FLOW_TOPIC, partition=1, offset=42 + v, generation=gen, member=who)
        cases.append(Case(f"commit, generation {gen}, {'member' if who == member else repr(who)}", v,
                          b.call(OFFSET_COMMIT, v, body)))
    for v in (5, 7):
        cases.append(Case("fetch", v, b.call(OFFSET_FETCH, v, {
            "GroupId": FLOW_GROUP, "Topics": [{"Name": FLOW_TOPIC, "PartitionIndexes": [0, 1]}]})))
    cases.append(Case("fetch all, batched", 8, b.call(OFFSET_FETCH, 8, {"Groups": [{"GroupId": FLOW_GROUP, "Topics": None}]})))
    cases.append(Case("delete, not empty", 2, b.call(DELETE_GROUPS, 2, {"GroupsNames": [FLOW_GROUP]})))
    cases.append(Case("offset delete, subscribed", 0, b.call(OFFSET_DELETE, 0, {
        "GroupId": FLOW_GROUP, "Topics": [{"Name": FLOW_TOPIC, "Partitions": [{"PartitionIndex": 1}]},
                                          {"Name": UNKNOWN_TOPIC, "Partitions": [{"PartitionIndex": 0}]}]})))
    cases.append(Case("leave", 3, b.call(LEAVE_GROUP, 3, {"GroupId": FLOW_GROUP,
                                                            "Members": [{"MemberId": member}]})))
    cases.append(Case("describe, empty", 5, b.call(DESCRIBE_GROUPS, 5, {"Groups": [FLOW_GROUP]})))
    cases.append(Case("heartbeat after leaving", 4,
                      b.call(HEARTBEAT, 4, {"GroupId": FLOW_GROUP, "GenerationId": 1, "MemberId": member})))
    cases.append(Case("offset delete, empty", 0, b.call(OFFSET_DELETE, 0, {
        "GroupId": FLOW_GROUP, "Topics": [{"Name": FLOW_TOPIC, "Partitions": [{"PartitionIndex": 1},
                                                                               {"PartitionIndex": 0}]}]})))
    cases.append(Case("fetch after offset delete", 7, b.call(OFFSET_FETCH, 7, {
        "GroupId": FLOW_GROUP, "Topics": [{"Name": FLOW_TOPIC, "PartitionIndexes": [1]}]})))
    cases.append(Case("delete, empty", 2, b.call(DELETE_GROUPS, 2, {"GroupsNames": [FLOW_GROUP]})))
    cases.append(Case("describe, deleted", 5, b.call(DESCRIBE_GROUPS, 5, {"Groups": [FLOW_GROUP]})))
    return cases


TWO_GROUP = "samsa-diff-two"


def join_body(group, member_id, topic):
    return {"GroupId": group, "SessionTimeoutMs": 30000, "RebalanceTimeoutMs": 30000, "MemberId": member_id,
            "ProtocolType": "consumer", "Protocols": [{"Name": "range", "Metadata": subscription(topic)}]}


@scenario("groups.two_members", mutates=True)
def two_members(b):
    """Two members of one group with JoinGroup v5 (KIP-394: MEMBER_ID_REQUIRED, then the join
    with the given id): both wait out the initial rebalance delay, the first is the leader and
    alone gets the member list; a follower's SyncGroup waits for the leader's; the second leaves,
    the first learns of the rebalance from its heartbeat and rejoins alone into the next
    generation."""
    cases = []
    ids = []
    for who in ("first", "second"):
        obs, raw = call_raw(b, JOIN_GROUP, 5, join_body(TWO_GROUP, "", FLOW_TOPIC))
        cases.append(Case(f"{who} join without id", 5, obs))
        ids.append(raw.get("MemberId", ""))
    first, second = ids
    # The first member's join must reach the group before the second's (the first added leads):
    # wait until the broker shows it as a member.
    pending = [send(b, JOIN_GROUP, 5, join_body(TWO_GROUP, first, FLOW_TOPIC))]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        d = b.call(DESCRIBE_GROUPS, 5, {"Groups": [TWO_GROUP]})
        if len((d.get("body", {}).get("Groups") or [{}])[0].get("Members") or []) == 1:
            break
        time.sleep(0.05)
    pending.append(send(b, JOIN_GROUP, 5, join_body(TWO_GROUP, second, FLOW_TOPIC)))
    answers = [receive(b, conn, JOIN_GROUP, 5, cid) for conn, cid in pending]
    cases.append(Case("first join with id (leader)", 5, answers[0][0]))
    cases.append(Case("second join with id (follower)", 5, answers[1][0]))
    generation = answers[0][1].get("GenerationId", -1)
    follower_sync = send(b, SYNC_GROUP, 5, {"GroupId": TWO_GROUP, "GenerationId": generation, "MemberId": second,
                                            "ProtocolType": "consumer", "ProtocolName": "range", "Assignments": []})
    cases.append(Case("leader sync", 5, call_raw(b, SYNC_GROUP, 5, {
        "GroupId": TWO_GROUP, "GenerationId": generation, "MemberId": first, "ProtocolType": "consumer",
        "ProtocolName": "range", "Assignments": [{"MemberId": first, "Assignment": "01"},
                                                 {"MemberId": second, "Assignment": "02"}]})[0]))
    cases.append(Case("follower sync, answered after the leader's", 5, receive(b, *follower_sync[:1], SYNC_GROUP, 5,
                                                                               follower_sync[1])[0]))
    described = b.call(DESCRIBE_GROUPS, 5, {"Groups": [TWO_GROUP]})
    for g in described.get("body", {}).get("Groups", []):
        # Member order is a HashMap's in Kafka; ids are normalised away, so sort by assignment.
        g["Members"] = sorted(g.get("Members", []), key=lambda m: m.get("MemberAssignment") or "")
    cases.append(Case("describe, two members", 5, described))
    cases.append(Case("second leaves", 4, b.call(LEAVE_GROUP, 4, {"GroupId": TWO_GROUP,
                                                                    "Members": [{"MemberId": second}]})))
    cases.append(Case("first's heartbeat", 4, b.call(HEARTBEAT, 4, {"GroupId": TWO_GROUP, "GenerationId": generation,
                                                                     "MemberId": first})))
    rejoined = call_raw(b, JOIN_GROUP, 5, join_body(TWO_GROUP, first, FLOW_TOPIC))
    cases.append(Case("first rejoins alone", 5, rejoined[0]))
    cases.append(Case("leave", 4, b.call(LEAVE_GROUP, 4, {"GroupId": TWO_GROUP, "Members": [{"MemberId": first}]})))
    return cases


STATIC_GROUP = "samsa-diff-static"


@scenario("groups.static_member", mutates=True)
def static_member(b):
    """KIP-345: a static member joins without a member id round trip, syncs, then comes back with
    an empty member id (a restarted client): it replaces itself without a rebalance (v5: the
    current generation; v9: the leader skips the assignment and gets the members), and the old
    member id is fenced."""
    def body(v, member_id=""):
        return {"GroupId": STATIC_GROUP, "SessionTimeoutMs": 30000, "RebalanceTimeoutMs": 30000,
                "MemberId": member_id, "GroupInstanceId": "instance-1", "ProtocolType": "consumer",
                "Protocols": [{"Name": "range", "Metadata": subscription(FLOW_TOPIC)}]}
    cases = []
    obs, raw = call_raw(b, JOIN_GROUP, 5, body(5))
    cases.append(Case("first join", 5, obs))
    first = raw.get("MemberId", "")
    cases.append(Case("sync", 5, b.call(SYNC_GROUP, 5, {
        "GroupId": STATIC_GROUP, "GenerationId": 1, "MemberId": first, "GroupInstanceId": "instance-1",
        "ProtocolType": "consumer", "ProtocolName": "range", "Assignments": [{"MemberId": first, "Assignment": "07"}]})))
    obs, raw = call_raw(b, JOIN_GROUP, 5, body(5))
    cases.append(Case("rejoin with a new id, v5", 5, obs))
    second = raw.get("MemberId", "")
    cases.append(Case("old id fenced", 4, b.call(HEARTBEAT, 4, {
        "GroupId": STATIC_GROUP, "GenerationId": 1, "MemberId": first, "GroupInstanceId": "instance-1"})))
    cases.append(Case("new id heartbeats", 4, b.call(HEARTBEAT, 4, {
        "GroupId": STATIC_GROUP, "GenerationId": 1, "MemberId": second, "GroupInstanceId": "instance-1"})))
    obs, raw = call_raw(b, JOIN_GROUP, 9, body(9))
    cases.append(Case("rejoin with a new id, v9", 9, obs))
    third = raw.get("MemberId", "")
    cases.append(Case("sync of the third incarnation", 5, b.call(SYNC_GROUP, 5, {
        "GroupId": STATIC_GROUP, "GenerationId": 1, "MemberId": third, "GroupInstanceId": "instance-1",
        "ProtocolType": "consumer", "ProtocolName": "range", "Assignments": []})))
    cases.append(Case("leave by instance id", 4, b.call(LEAVE_GROUP, 4, {
        "GroupId": STATIC_GROUP, "Members": [{"MemberId": "", "GroupInstanceId": "instance-1"}]})))
    cases.append(Case("describe after leaving", 5, b.call(DESCRIBE_GROUPS, 5, {"Groups": [STATIC_GROUP]})))
    return cases
