#!/usr/bin/env python3
"""Propagation benchmark: one question to N servers, dnsdeck -C against dig.

Run it through bench/propagation.sh, which builds the measuring helper
(bench/runner.c) first.  See bench/README.md.

tests/responder.py serves N loopback addresses (127.0.54.1 ...), each
answering after --delay-ms.  For every N the same question is put to all N
servers by:
  dnsdeck     dnsdeck --resolv-conf TMP -C --json @a1 ... @aN example.test A
  dig-seq     for a in a1 ... aN; do dig @$a example.test A +time=2 +tries=1; done
  dig-xargs   xargs -P 32 -I{} dig @{} example.test A +time=2 +tries=1 < list
Wall time and peak RSS come from bench/runner.c.  Traffic goes to
127.0.0.0/8 only: every address is checked before anything runs.
"""
import argparse
import csv
import datetime
import ipaddress
import json
import os
import platform
import select
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESPONDER = os.path.join(ROOT, "tests", "responder.py")
LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
QNAME, QTYPE = "example.test", "A"
SERIAL = 2026112102
DIG_OPTS = "+time=2 +tries=1"


def die(msg, code=2):
    print(f"propagation.sh: {msg}", file=sys.stderr)
    sys.exit(code)


def int_list(s):
    try:
        v = [int(x) for x in s.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{s!r}: expected numbers, e.g. 10,100,200")
    if not v or any(x < 1 for x in v):
        raise argparse.ArgumentTypeError(f"{s!r}: every N must be at least 1")
    return v


def parse_args():
    p = argparse.ArgumentParser(
        prog="bench/propagation.sh",
        description="Wall time of one question asked of N loopback servers: "
                    "dnsdeck -C against a sequential dig loop and xargs -P dig, "
                    "measured in one run.")
    p.add_argument("--counts", type=int_list, default=[10, 100, 200],
                   metavar="N,N,...", help="server counts (default 10,100,200)")
    p.add_argument("--big", type=int, default=500, metavar="N",
                   help="also time dnsdeck alone at this N and compare its peak "
                        "RSS with N=100 (default 500; 0 skips)")
    p.add_argument("--delay-ms", type=float, default=100.0, metavar="MS",
                   help="the responder's delay before every reply (default 100)")
    p.add_argument("-n", type=int, default=5, metavar="R",
                   help="timed runs of dnsdeck and dig-xargs per N (default 5)")
    p.add_argument("--seq-n", type=int, default=2, metavar="R",
                   help="timed runs of the sequential dig loop per N (default 2; "
                        "one takes about N x (delay + 20 ms))")
    p.add_argument("-P", "--parallel", type=int, default=32, metavar="J",
                   help="xargs -P value (default 32)")
    p.add_argument("--first", default="127.0.54.1", metavar="ADDR",
                   help="first responder address (default 127.0.54.1; "
                        "127.0.0.0/8 only)")
    p.add_argument("--dnsdeck", default=os.path.join(ROOT, "src", "dnsdeck"),
                   metavar="PATH", help="dnsdeck binary (default src/dnsdeck)")
    p.add_argument("-o", "--output", nargs="?", const="", metavar="FILE",
                   help="write every run as CSV (default file: "
                        "bench/out/propagation-<UTC time>.csv)")
    p.add_argument("--runner", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.n < 1 or a.seq_n < 0 or a.parallel < 1 or a.big < 0 or a.delay_ms < 0:
        p.error("-n and -P must be at least 1; --seq-n, --big and --delay-ms "
                "must not be negative")
    if not a.runner or not os.access(a.runner, os.X_OK):
        p.error("run this through bench/propagation.sh (it builds the runner)")
    try:
        first = ipaddress.IPv4Address(a.first)
    except ValueError:
        p.error(f"--first {a.first!r}: give an IPv4 address in 127.0.0.0/8")
    if first not in LOOPBACK:
        die(f"--first {first} is outside 127.0.0.0/8; refusing")
    return a


def dns_python():
    """An interpreter that has dnspython (Debian's is in /usr/bin/python3)."""
    for py in (os.environ.get("RESPONDER_PYTHON"), "/usr/bin/python3",
               sys.executable, shutil.which("python3")):
        if not py:
            continue
        try:
            r = subprocess.run([py, "-c", "import dns.message"],
                               capture_output=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            continue
        if r.returncode == 0:
            return py
    die("no python3 with dnspython for tests/responder.py "
        "(apt-get install python3-dnspython)")


def responder_addresses(py, first, n):
    r = subprocess.run([py, RESPONDER, "--first", first, "-n", str(n),
                        "--print-addresses"], capture_output=True, text=True)
    if r.returncode != 0:
        die(f"responder refused: {r.stderr.strip()}")
    addrs = r.stdout.split()
    if len(addrs) != n:
        die(f"responder listed {len(addrs)} addresses, not {n}")
    for a in addrs:  # the hard rule, checked once more on our side
        if ipaddress.IPv4Address(a) not in LOOPBACK:
            die(f"{a} is outside 127.0.0.0/8; refusing")
    return addrs


def start_responder(py, first, n, delay_ms):
    proc = subprocess.Popen(
        [py, RESPONDER, "--first", first, "-n", str(n), "--delay-ms",
         str(delay_ms), "--serial", str(SERIAL)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    deadline = time.monotonic() + 30
    line = ""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            break
        if proc.poll() is not None:
            break
    if line.strip() != "ready":
        stop_responder(proc)
        err = proc.stderr.read().strip() if proc.stderr else ""
        die(f"the responder did not start: {err or 'no ready line'}", 1)
    return proc


def stop_responder(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_once(runner, timeout_s, cmd):
    """One measured run: (wall_ns, maxrss_kib, utime_us, stime_us, status)."""
    r = subprocess.run([runner, str(int(timeout_s))] + cmd,
                       stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    f = r.stdout.split()
    if r.returncode != 0 or len(f) != 5:
        die(f"runner failed ({r.returncode}) on {cmd[0]}")
    return tuple(int(x) for x in f)


def dnsdeck_cmd(path, has_c, resolv_conf, addrs):
    cmd = [path, "--resolv-conf", resolv_conf]
    if has_c:
        cmd.append("-C")
    return cmd + ["--json"] + ["@" + a for a in addrs] + [QNAME, QTYPE]


def check_dnsdeck(cmd, has_c, addrs):
    """Run once with output captured; None when right, else why not."""
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "timed out after 60 s"
    if r.returncode != 0:
        return f"exit status {r.returncode}: {r.stderr.strip()[:200]}"
    try:
        doc = json.loads(r.stdout)
    except ValueError as e:
        return f"output is not JSON: {e}"
    results = doc.get("results") if has_c else (doc if isinstance(doc, list) else [doc])
    if not isinstance(results, list) or len(results) != len(addrs):
        return f"{len(results or [])} results for {len(addrs)} servers"
    for res, a in zip(results, addrs):
        msg = res.get("message") or {}
        if res.get("address") != f"{a}#53" or msg.get("RCODE") != 0 \
                or msg.get("ANCOUNT") != 1:
            return f"unexpected result for {a}: {json.dumps(res)[:200]}"
        if has_c and (res.get("status") != "answer" or res.get("soa_serial") != SERIAL):
            return f"unexpected comparison row for {a}"
    if has_c and (doc.get("consistent") is not True or doc.get("newest_serial") != SERIAL
                  or len(doc.get("groups", [])) != 1):
        return f"comparison not consistent: {doc.get('summary')!r}"
    return None


def check_dig_output(path, n):
    with open(path, errors="replace") as f:
        text = f.read()
    ok = text.count("status: NOERROR")
    answers = text.count("ANSWER: 1,")
    if ok != n or answers != n:
        return f"{ok} NOERROR replies and {answers} with one answer, for {n} servers"
    return None


def stats_of(rows, tool, n):
    rs = [r for r in rows if r[1] == tool and r[0] == n and r[7] == 0]
    if not rs:
        return None
    ms = [r[3] / 1e6 for r in rs]
    kib = [r[4] for r in rs]
    return dict(runs=len(rs), med=statistics.median(ms), min=min(ms), max=max(ms),
                rss=statistics.median(kib))


def main():
    args = parse_args()
    dig = shutil.which("dig")
    xargs = shutil.which("xargs")
    if dig is None or xargs is None:
        die("needs dig (bind9-dnsutils) and xargs")
    dnsdeck = os.path.abspath(args.dnsdeck)
    if not os.access(dnsdeck, os.X_OK):
        die(f"no executable at {dnsdeck} (build it: make -s)", 1)
    py = dns_python()
    biggest = max(args.counts + ([args.big] if args.big else []))
    addrs = responder_addresses(py, args.first, biggest)

    with tempfile.TemporaryDirectory(prefix="dnsdeck-bench.") as tmp:
        resolv_conf = os.path.join(tmp, "resolv.conf")
        with open(resolv_conf, "w") as f:
            f.write(f"nameserver {addrs[0]}\n")
        # a private copy: a rebuild during the run must not swap the binary
        copy = os.path.join(tmp, "dnsdeck")
        shutil.copy2(dnsdeck, copy)
        help_text = subprocess.run([copy, "--help"], capture_output=True,
                                   text=True).stdout
        has_c = any(l.lstrip().startswith("-C ") for l in help_text.splitlines())
        proc = start_responder(py, args.first, biggest, args.delay_ms)
        try:
            return bench(args, tmp, copy, dnsdeck, has_c, dig, xargs, addrs)
        finally:
            stop_responder(proc)


def bench(args, tmp, copy, dnsdeck_orig, has_c, dig, xargs, all_addrs):
    now = datetime.datetime.now(datetime.timezone.utc)
    st = os.stat(dnsdeck_orig)
    dig_v = subprocess.run([dig, "-v"], capture_output=True, text=True)
    print(f"# propagation benchmark, {now.strftime('%Y-%m-%d %H:%M:%SZ')}")
    print(f"# host: {platform.node()}, {os.cpu_count()} CPUs, Linux {platform.release()}, "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"# responder: tests/responder.py, {len(all_addrs)} addresses from "
          f"{all_addrs[0]}, reply delay {args.delay_ms:g} ms")
    print(f"# dnsdeck: copy of {os.path.relpath(dnsdeck_orig)} ({st.st_size} bytes, built "
          f"{datetime.datetime.fromtimestamp(st.st_mtime).strftime('%Y-%m-%d %H:%M')}), "
          + ("-C --json" if has_c else "--json (no -C in this build: plain fan-out)"))
    print(f"# dig: {(dig_v.stdout + dig_v.stderr).strip()}")
    print(f"# runs per N: dnsdeck {args.n}, dig-xargs{args.parallel} {args.n}, "
          f"dig-seq {args.seq_n}; interleaved, start rotated every round")

    rows = []          # (N, tool, round, wall_ns, kib, utime_us, stime_us, status)
    failures = []
    xname = f"dig-xargs{args.parallel}"
    counts = list(args.counts)
    plan = [(n, False) for n in counts]
    if args.big and args.big not in counts:
        plan.append((args.big, True))
    for n, alone in plan:
        addrs = all_addrs[:n]
        listfile = os.path.join(tmp, f"servers-{n}")
        with open(listfile, "w") as f:
            f.write("".join(a + "\n" for a in addrs))
        out = os.path.join(tmp, "dig.out")
        dig_one = f"{shlex.quote(dig)} @\"$a\" {QNAME} {QTYPE} {DIG_OPTS}"
        cmds = {"dnsdeck": dnsdeck_cmd(copy, has_c, os.path.join(tmp, "resolv.conf"), addrs)}
        timeouts = {"dnsdeck": 60}
        if not alone:
            cmds["dig-seq"] = ["/bin/sh", "-c",
                               f"for a in \"$@\"; do {dig_one}; done > {shlex.quote(out)}",
                               "sh"] + addrs
            timeouts["dig-seq"] = 10 + n * 2.5
            cmds[xname] = ["/bin/sh", "-c",
                           f"{shlex.quote(xargs)} -P {args.parallel} -I{{}} "
                           f"{shlex.quote(dig)} @{{}} {QNAME} {QTYPE} {DIG_OPTS} "
                           f"< {shlex.quote(listfile)} > {shlex.quote(out)}"]
            timeouts[xname] = 10 + n * 2.5
        # correctness (and warm-up) before any timing
        err = check_dnsdeck(cmds["dnsdeck"], has_c, addrs)
        if err:
            failures.append(f"N={n} dnsdeck: {err}")
            continue
        names = list(cmds)
        rounds = max(args.n, args.seq_n)
        for rnd in range(rounds):
            k = rnd % len(names)
            for name in names[k:] + names[:k]:
                if name == "dig-seq" and rnd >= args.seq_n:
                    continue
                if name != "dig-seq" and rnd >= args.n:
                    continue
                ns, kib, ut, stime, rc = run_once(args.runner, timeouts[name], cmds[name])
                if rc == 0 and name != "dnsdeck":
                    e = check_dig_output(out, n)
                    if e:
                        failures.append(f"N={n} {name}: {e}")
                        rc = -1
                elif rc != 0:
                    failures.append(f"N={n} {name}: exit status {rc}")
                rows.append((n, name, rnd + 1, ns, kib, ut, stime, rc))
            if sys.stderr.isatty():
                print(f"\r  N={n} round {rnd + 1}/{rounds}", end="", file=sys.stderr,
                      flush=True)
        if sys.stderr.isatty():
            print("\r" + " " * 40 + "\r", end="", file=sys.stderr)

    if args.output is not None:
        path = args.output or os.path.join(
            HERE, "out", "propagation-" + datetime.datetime.now(
                datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + ".csv")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["n", "tool", "round", "wall_ns", "maxrss_kib", "utime_us",
                        "stime_us", "exit_status"])
            w.writerows(rows)
        print(f"# raw runs: {os.path.relpath(path)}")

    tools = ["dnsdeck", "dig-seq", xname]
    print()
    print(f"{'N':>5}  {'tool':<12} {'runs':>4} {'median ms':>10} {'min ms':>9} "
          f"{'max ms':>9} {'peak RSS KiB':>13}")
    for n, _ in plan:
        for t in tools:
            s = stats_of(rows, t, n)
            if s:
                print(f"{n:>5}  {t:<12} {s['runs']:>4} {s['med']:>10.1f} {s['min']:>9.1f} "
                      f"{s['max']:>9.1f} {s['rss']:>13.0f}")
    print()
    print("ratio of median wall times (below 1.00: dnsdeck is faster)")
    print(f"{'N':>5}  {'dnsdeck/dig-seq':>16} {'dnsdeck/' + xname:>22}")
    for n in counts:
        d = stats_of(rows, "dnsdeck", n)
        if not d:
            continue
        cells = []
        for t in ("dig-seq", xname):
            o = stats_of(rows, t, n)
            cells.append(f"{d['med'] / o['med']:.3f}" if o else "n/a")
        print(f"{n:>5}  {cells[0]:>16} {cells[1]:>22}")

    print()
    limit = 1.1 * args.delay_ms + 20
    goal_n = 200
    d = stats_of(rows, "dnsdeck", goal_n)
    if d:
        verdict = "met" if d["med"] <= limit else "not met"
        print(f"goal (N={goal_n}: dnsdeck wall <= 1.1 x {args.delay_ms:g} ms + 20 ms "
              f"= {limit:.0f} ms): {verdict} (median {d['med']:.1f} ms, max {d['max']:.1f} ms)")
    else:
        print(f"goal (N={goal_n}): not measured (N={goal_n} not in --counts)")
    if args.big:
        small, big = stats_of(rows, "dnsdeck", 100), stats_of(rows, "dnsdeck", args.big)
        if small and big:
            per = (big["rss"] - small["rss"]) / (args.big - 100) if args.big != 100 else 0
            print(f"memory: dnsdeck peak RSS {small['rss']:.0f} KiB at N=100, "
                  f"{big['rss']:.0f} KiB at N={args.big} "
                  f"({big['rss'] / small['rss']:.2f}x; {per:.1f} KiB per extra server); "
                  f"wall at N={args.big}: median {big['med']:.1f} ms")
    if failures:
        for f in failures:
            print(f"propagation.sh: FAIL {f}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
