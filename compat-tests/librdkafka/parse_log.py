#!/usr/bin/env python3
"""Turns one test-runner log (one 4-digit test id) into result rows.

    parse_log.py <log> <exit-code> <harness-limit-s|-> <name>...

Prints `name TAB status TAB seconds TAB detail` for each name, status one of
pass | fail | skip. A test counts as passed when the runner printed its PASSED
banner, even if the runner then aborted on "N thread(s) still active" (a
client-side leak check of <MAIN>, not a broker property).
"""
import re
import sys

ANSI = re.compile(r"\x1b\[[0-9;]*m")
PREFIX = re.compile(r"^\[(?P<who>[^/\]]+?)\s*/\s*(?P<t>[0-9.]+)s\] ?(?P<msg>.*)$")


def main():
    log_path, rc, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    names = sys.argv[4:]
    try:
        lines = [ANSI.sub("", l.rstrip("\n")) for l in open(log_path, errors="replace")]
    except OSError as e:
        lines = []
        print(f"cannot read {log_path}: {e}", file=sys.stderr)
    state = {n: None for n in names}
    detail = {n: "" for n in names}
    started = {n: False for n in names}
    t_last = {n: 0.0 for n in names}

    def owner(who):
        who = who.strip()
        for n in names:
            if n == who or (len(who) >= 20 and n.startswith(who)):
                return n
        return None

    for i, line in enumerate(lines):
        m = PREFIX.match(line)
        if m:
            n = owner(m.group("who"))
            msg = m.group("msg")
            if n:
                t_last[n] = float(m.group("t"))
                if "SKIPPING TEST:" in msg and not detail[n]:
                    detail[n] = msg.split("SKIPPING TEST:", 1)[1].strip()
                    if state[n] is None:
                        state[n] = "skip"
            for n2 in names:
                if f"Running test {n2} " in msg:
                    started[n2] = True
                elif f"Test {n2} PASSED" in msg:
                    state[n2] = "pass"
                elif f"Test {n2} SKIPPED" in msg:
                    state[n2] = "skip"
                elif f"Test {n2} FAILED" in msg:
                    state[n2] = "fail"
            continue
        fm = re.match(r'^### Test "([^"]+)" failed at (.*): ###$', line)
        if fm:
            base = fm.group(1).split(" (", 1)[0]
            if base in state:
                reason = lines[i + 1].strip() if i + 1 < len(lines) else ""
                if not reason or reason.startswith("["):
                    reason = "failed at " + fm.group(2)
                sub = fm.group(1)[len(base):].strip()
                if sub:
                    reason = f"{sub}: {reason}"
                if state[base] != "pass" and not (state[base] == "fail" and detail[base]):
                    state[base] = "fail"
                    detail[base] = reason

    aborted = rc != 0
    killed = rc in (124, 137) and limit != "-"
    for n in names:
        st = state[n]
        d = detail[n]
        if st is None:
            if started[n]:
                st = "fail"
                if not d:
                    if killed:
                        d = f"no verdict: test-runner killed by the harness after {limit} s"
                    elif aborted:
                        d = f"no verdict: test-runner exited with code {rc}"
                    else:
                        d = "no verdict in the log"
            else:
                # Never started: not in this scenario, or the runner died first.
                st = "fail" if aborted else "skip"
                if not d:
                    d = (f"not started: test-runner exited with code {rc}" if aborted
                         else "not run by test-runner (scenario or filter)")
        elif st == "fail" and not d:
            d = "failed (no reason printed)"
        print(f"{n}\t{st}\t{t_last[n]:.1f}\t{d}")


if __name__ == "__main__":
    main()
