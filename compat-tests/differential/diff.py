"""Structural diff of two normalised observations, and grouping of differences across versions.

diff(kafka, samsa) -> [(path, kafka_value, samsa_value)]. Paths are '/'-joined field names; a
keyed array element is named by its key ('ApiKeys/ApiKey=18/MaxVersion'). When the two sides
hold different key sets, that is one difference at '<path> (keys)' listing the keys only on each
side, and only the common keys are compared further. ABSENT marks a field one side lacks.
"""
import json
import re

ABSENT = "<absent>"


def summary(obs):
    """A short form of an observation: its outcome, the top-level error code, `then`."""
    if not isinstance(obs, dict) or "outcome" not in obs:
        return obs
    out = {"outcome": obs["outcome"]}
    body = obs.get("body")
    if isinstance(body, dict):
        for k in ("ErrorCode", "ErrorMessage"):
            if k in body:
                out[k] = body[k]
    for k in ("answered as", "error", "then"):
        if k in obs:
            out[k] = obs[k]
    return out


def diff_observations(kafka, samsa):
    """As diff(), but when the outcomes differ (an answer against a closed connection, ...) that
    is one difference at 'outcome' holding a summary of each side, not one per field."""
    if isinstance(kafka, dict) and isinstance(samsa, dict) and "outcome" in kafka and "outcome" in samsa \
            and (kafka["outcome"] != samsa["outcome"] or kafka.get("answered as") != samsa.get("answered as")):
        return [("outcome", summary(kafka), summary(samsa))]
    return diff(kafka, samsa)


def diff(kafka, samsa, path=""):
    if isinstance(kafka, dict) and isinstance(samsa, dict):
        return _diff_dicts(kafka, samsa, path)
    if isinstance(kafka, list) and isinstance(samsa, list) and _structured(kafka + samsa):
        out = []
        for i in range(min(len(kafka), len(samsa))):
            out += diff(kafka[i], samsa[i], f"{path}[{i}]")
        if len(kafka) != len(samsa):
            out.append((f"{path} (length)", len(kafka), len(samsa)))
        return out
    return [] if kafka == samsa else [(path or "/", kafka, samsa)]


def _structured(items):
    return any(isinstance(x, (dict, list)) for x in items)


def _is_keyed(d):
    return bool(d) and all("=" in k for k in d)


def _diff_dicts(kafka, samsa, path):
    out = []
    join = (lambda k: f"{path}/{k}") if path else (lambda k: k)
    if _is_keyed(kafka) or _is_keyed(samsa):
        only_k = [k for k in kafka if k not in samsa]
        only_s = [k for k in samsa if k not in kafka]
        if only_k or only_s:
            out.append((f"{path} (keys)", {"only on Kafka": only_k} if only_k else {},
                        {"only on Samsa": only_s} if only_s else {}))
        common_k = [k for k in kafka if k in samsa]
        common_s = [k for k in samsa if k in kafka]
        if common_k != common_s:
            out.append((f"{path} (order)", common_k, common_s))
        for k in common_k:
            out += diff(kafka[k], samsa[k], join(k))
        return out
    for k in list(kafka) + [k for k in samsa if k not in kafka]:
        out += diff(kafka.get(k, ABSENT), samsa.get(k, ABSENT), join(k))
    return out


def version_ranges(versions):
    """[0, 1, 2, 5] -> 'v0-2, v5'; None entries (unversioned cases) -> ''."""
    vs = sorted(v for v in set(versions) if v is not None)
    parts, i = [], 0
    while i < len(vs):
        j = i
        while j + 1 < len(vs) and vs[j + 1] == vs[j] + 1:
            j += 1
        parts.append(f"v{vs[i]}" if i == j else f"v{vs[i]}-{vs[j]}")
        i = j + 1
    return ", ".join(parts)


def canonical(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def group(differences):
    """differences: [(scenario, label, version, path, kafka, samsa)] -> one entry per distinct fact
    (path, kafka value, samsa value), listing every scenario, case and version it was seen at, in
    first-seen order."""
    groups = {}
    for scenario, label, version, path, k, s in differences:
        # The same fact inside a list of observations (responses[2]/...) is the same fact.
        key = (re.sub(r"^responses\[\d+\]/", "", path), canonical(k), canonical(s))
        g = groups.setdefault(key, {"scenario": scenario, "label": label, "path": path,
                                    "kafka": k, "samsa": s, "versions": [], "seen": {}})
        if (scenario, label) == (g["scenario"], g["label"]):
            g["versions"].append(version)
        g["seen"].setdefault((scenario, label), []).append(version)
    return list(groups.values())
