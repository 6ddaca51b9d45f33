"""Metadata (key 3) at every version: all topics, no topics, unknown and invalid names, topic
ids, authorized operations, and (mutating, so last) auto-creation."""
import json
import time

from harness import Case, scenario
import kwire

METADATA = 3
UNKNOWN = "samsa-diff-unknown-topic"
INVALID_NAMES = {"empty": "", "dot": ".", "dot dot": "..", "250 chars": "a" * 250, "space": "has space",
                 "slash": "a/b", "non-ascii": "t\u00f6pic", "colon": "a:b"}


def req(v, topics, allow=False, cluster_ops=False, topic_ops=False):
    body = {"Topics": topics}
    if v >= 4:
        body["AllowAutoTopicCreation"] = allow
    if 8 <= v <= 10:
        body["IncludeClusterAuthorizedOperations"] = cluster_ops
    if v >= 8:
        body["IncludeTopicAuthorizedOperations"] = topic_ops
    return body


@scenario("metadata.all_topics")
def all_topics(b):
    """Every topic: an empty list in v0, a null list from v1."""
    return [Case("", v, b.call(METADATA, v, req(v, [] if v == 0 else None)))
            for v in b.versions(METADATA)]


@scenario("metadata.no_topics")
def no_topics(b):
    """An empty topic list from v1 asks for no topics (brokers and cluster only)."""
    return [Case("", v, b.call(METADATA, v, req(v, []))) for v in b.versions(METADATA) if v >= 1]


@scenario("metadata.unknown_topic")
def unknown_topic(b):
    """A valid name that does not exist, auto-creation off (v4+: below v4 a request always
    allows auto-creation; that is in metadata.auto_create)."""
    return [Case("", v, b.call(METADATA, v, req(v, [{"Name": UNKNOWN}])))
            for v in b.versions(METADATA) if v >= 4]


@scenario("metadata.duplicate_topics")
def duplicate_topics(b):
    """The same unknown name twice."""
    return [Case("", v, b.call(METADATA, v, req(v, [{"Name": UNKNOWN}, {"Name": UNKNOWN}])))
            for v in b.versions(METADATA) if v >= 4]


@scenario("metadata.invalid_names")
def invalid_names(b):
    """Invalid topic names, with auto-creation off and on (invalid names are never created), and
    at v0-3 where auto-creation is implied."""
    cases = []
    for v in b.versions(METADATA):
        for label, name in INVALID_NAMES.items():
            for allow in ((False, True) if v >= 4 else (True,)):
                cases.append(Case(f"{label}, auto-create {'on' if allow else 'off'}", v,
                                  b.call(METADATA, v, req(v, [{"Name": name}], allow=allow))))
    return cases


@scenario("metadata.topic_ids")
def topic_ids(b):
    """Topics by id: unknown ids (v12+), ids below v12 (not implemented by Kafka's server), id and
    name together, the zero id with a null name."""
    unknown_id = kwire.uuid_text(bytes.fromhex("7e57" * 8))
    cases = []
    for v in b.versions(METADATA):
        if v < 10:
            continue
        cases.append(Case("unknown id, name set", v,
                          b.call(METADATA, v, req(v, [{"TopicId": unknown_id, "Name": UNKNOWN}]))))
        cases.append(Case("unknown id + unknown name in two entries", v,
                          b.call(METADATA, v, req(v, [{"TopicId": unknown_id, "Name": None},
                                                      {"Name": UNKNOWN}]))))
        cases.append(Case("unknown id, null name", v,
                          b.call(METADATA, v, req(v, [{"TopicId": unknown_id, "Name": None}]))))
        cases.append(Case("zero id, null name", v,
                          b.call(METADATA, v, req(v, [{"TopicId": kwire.ZERO_UUID, "Name": None}]))))
    return cases


@scenario("metadata.authorized_operations")
def authorized_operations(b):
    """Cluster (v8-10) and topic (v8+) authorized operations requested or not, for all topics and
    for an unknown topic. No authorizer is configured on either broker."""
    cases = []
    for v in b.versions(METADATA):
        if v < 8:
            continue
        for cluster_ops in ((False, True) if v <= 10 else (False,)):
            for topic_ops in (False, True):
                label = f"cluster ops {'on' if cluster_ops else 'off'}, topic ops {'on' if topic_ops else 'off'}"
                cases.append(Case(f"all topics, {label}", v,
                                  b.call(METADATA, v, req(v, None, cluster_ops=cluster_ops, topic_ops=topic_ops))))
                cases.append(Case(f"unknown topic, {label}", v,
                                  b.call(METADATA, v, req(v, [{"Name": UNKNOWN}], cluster_ops=cluster_ops,
                                                          topic_ops=topic_ops))))
    return cases


@scenario("metadata.auto_create", mutates=True)
def auto_create(b):
    """A new valid name with auto-creation allowed (implied below v4; auto.create.topics.enable is
    at its default, true, on both brokers): the first answer, then what Metadata v12 reports for
    that name once it settles (all names polled together for up to 5 s). Each version uses its own
    name, shown as <new topic>."""
    names = {v: f"samsa-diff-auto-v{v}" for v in b.versions(METADATA, extra_above=0)}
    cases = [Case("first answer", v, b.call(METADATA, v, req(v, [{"Name": n}], allow=True)))
             for v, n in names.items()]
    settled = settle(b, list(names.values()))
    cases += [Case("settled, seen by v12", v, settled[n]) for v, n in names.items()]
    return [Case(c.label, c.version, rename(c.observation, names[c.version], "<new topic>")) for c in cases]


def rename(obs, old, new):
    return json.loads(json.dumps(obs).replace(json.dumps(old)[1:-1], new))


def settle(b, names, deadline_s=5.0):
    """Polls Metadata v12 for each name until it has no error and every partition a leader, or
    until the shared deadline; returns the last observation per name."""
    end = time.monotonic() + deadline_s
    last = {}
    pending = list(names)
    while pending:
        for name in list(pending):
            obs = last[name] = b.call(METADATA, 12, req(12, [{"Name": name}]))
            topics = obs.get("body", {}).get("Topics", {})
            topic = next(iter(topics.values()), {}) if isinstance(topics, dict) else {}
            parts = topic.get("Partitions") or []
            parts = list(parts.values()) if isinstance(parts, dict) else parts
            if obs["outcome"] != "response" or (topic.get("ErrorCode") == 0 and
                                                all(p.get("LeaderId") != -1 for p in parts)):
                pending.remove(name)
        if time.monotonic() >= end:
            break
        time.sleep(0.05)
    return last
