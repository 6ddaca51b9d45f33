"""Shared bits of the Python client scenarios (run with /usr/bin/python3, where
Debian's python3-kafka and python3-confluent-kafka are importable).

A scenario script is run as `script.py <scenario> <bootstrap>`; it exits 0 on
success, or prints "FAIL: <first error line>" and exits 1.
"""
import os
import sys
import time
import traceback
import uuid


def uniq(prefix):
    return f"py-{prefix}-{uuid.uuid4().hex[:8]}"


def until(what, seconds, cond, interval=0.1):
    """Polls cond() until it is true; raises after the deadline."""
    end = time.monotonic() + seconds
    last = None
    while True:
        try:
            if cond():
                return
        except Exception as e:  # keep polling; report the last error at the deadline
            last = e
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}"
                                 + (f" (last error: {type(last).__name__}: {last})" if last else ""))
        time.sleep(interval)


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def records(n, prefix="v"):
    return [(f"k{i}".encode(), f"{prefix}{i}".encode(), [("h", f"x{i}".encode())]) for i in range(n)]


def main(scenarios):
    name, bootstrap = sys.argv[1], sys.argv[2]
    fn = scenarios.get(name)
    if fn is None:
        print(f"FAIL: no scenario {name}", file=sys.stderr)
        sys.exit(2)
    try:
        fn(bootstrap)
    except BaseException as e:  # noqa: BLE001 - report anything, including client errors
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        name = type(e).__name__
        if first.startswith(name + ":"):  # kafka-python's errors repeat their class name
            first = first[len(name) + 1:].strip()
        print(f"FAIL: {name}: {first}", file=sys.stderr)
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)  # do not wait on client threads stuck on a dead broker
    sys.stdout.flush()
    os._exit(0)
