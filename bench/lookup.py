#!/usr/bin/env python3
"""One-query lookup benchmark: dnsdeck --text against dig, drill and kdig.

Run it through bench/lookup.sh, which builds the measuring helper
(bench/runner.c) first.  See bench/README.md.
"""
import argparse
import csv
import datetime
import ipaddress
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

DEFAULT_SERVER = "127.0.53.1"
DEFAULT_QUERY = "example.test MX"
DEFAULT_EXPECT = "mx1.example.test"  # only for the default query
ALL_TOOLS = ("dnsdeck", "dig", "drill", "kdig")
OTHERS = ("dig", "drill", "kdig")
VERSION_ARGS = {"dnsdeck": ["-v"], "dig": ["-v"], "drill": ["-v"],
                "kdig": ["-V"], "baseline": None}
RUN_TIMEOUT_S = 20      # a single run taking longer than this is a failure


def die(msg, code=2):
    print(f"lookup.sh: {msg}", file=sys.stderr)
    sys.exit(code)


def parse_args():
    p = argparse.ArgumentParser(
        prog="bench/lookup.sh",
        description="Median wall time and peak RSS of one DNS query: "
                    "dnsdeck --text against dig, drill and kdig, "
                    "interleaved round-robin in one run.")
    p.add_argument("-n", type=int, default=200, metavar="N",
                   help="timed runs per tool (default 200)")
    p.add_argument("-w", "--warmup", type=int, default=2, metavar="W",
                   help="untimed warm-up rounds first (default 2)")
    p.add_argument("--server", default=DEFAULT_SERVER, metavar="ADDR",
                   help=f"nameserver IP address (default {DEFAULT_SERVER}); "
                        "an address, not a host name, so that no tool "
                        "asks the system resolver")
    p.add_argument("--query", default=DEFAULT_QUERY, metavar="'NAME TYPE'",
                   help=f"the question (default '{DEFAULT_QUERY}')")
    p.add_argument("--expect", metavar="TEXT",
                   help="text every tool's output must contain (default: "
                        f"'{DEFAULT_EXPECT}' for the default query; for "
                        "others the tools must agree on rcode and answer "
                        "count)")
    p.add_argument("-o", "--output", nargs="?", const="", metavar="FILE",
                   help="write the raw per-run numbers as CSV (default "
                        "file: bench/out/lookup-<UTC time>.csv)")
    p.add_argument("--tools", default=",".join(ALL_TOOLS), metavar="LIST",
                   help="comma-separated subset of "
                        f"{','.join(ALL_TOOLS)} (default all)")
    p.add_argument("--dnsdeck", default=os.path.join(ROOT, "src", "dnsdeck"),
                   metavar="PATH", help="dnsdeck binary (default src/dnsdeck)")
    p.add_argument("--no-baseline", action="store_true",
                   help="do not time /bin/true (the fork+exec+wait floor)")
    p.add_argument("--runner", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.n < 1:
        p.error("-n must be at least 1")
    if a.warmup < 0:
        p.error("-w must not be negative")
    if not a.runner or not os.access(a.runner, os.X_OK):
        p.error("run this through bench/lookup.sh (it builds the runner)")
    try:
        a.server = str(ipaddress.ip_address(a.server))
    except ValueError:
        p.error(f"--server {a.server!r}: give an IPv4 or IPv6 address")
    words = a.query.split()
    if not 1 <= len(words) <= 2 or any(w[0] in "-+@" for w in words):
        p.error(f"--query {a.query!r}: expected 'NAME TYPE' (or 'NAME')")
    a.qname = words[0]
    a.qtype = words[1] if len(words) == 2 else "A"
    if a.expect is None and " ".join(words).lower() == DEFAULT_QUERY.lower():
        a.expect = DEFAULT_EXPECT
    a.tools = [t.strip() for t in a.tools.split(",") if t.strip()]
    bad = [t for t in a.tools if t not in ALL_TOOLS]
    if bad or not a.tools:
        p.error(f"--tools: unknown {','.join(bad) or '(empty)'}; "
                f"choose from {','.join(ALL_TOOLS)}")
    return a


def find_tool(name, args):
    if name == "dnsdeck":
        path = os.path.abspath(args.dnsdeck)
        return path if os.access(path, os.X_OK) else None
    if name == "baseline":
        return shutil.which("true")
    return shutil.which(name)


def command(name, path, args, resolv_conf):
    at = "@" + args.server
    if name == "dnsdeck":
        return [path, "--text", "--resolv-conf", resolv_conf, at,
                args.qname, args.qtype]
    if name == "baseline":
        return [path]
    return [path, at, args.qname, args.qtype]


def version(name, path):
    if VERSION_ARGS.get(name) is None:
        return ""
    try:
        r = subprocess.run([path] + VERSION_ARGS[name], capture_output=True,
                           text=True, timeout=10, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return "?"
    out = (r.stdout + r.stderr).strip().splitlines()
    return out[0].strip() if out else "?"


RCODE_RE = re.compile(r"\b(?:status|rcode): ?([A-Z]+)")
ANSWER_RE = re.compile(r"\bANSWER: ?(\d+)")


def check_output(name, cmd, args):
    """Run once with output captured; return (summary, error or None)."""
    try:
        r = subprocess.run(cmd, capture_output=True, text=True,
                           errors="replace", timeout=RUN_TIMEOUT_S,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {RUN_TIMEOUT_S} s"
    except OSError as e:
        return None, str(e)
    if r.returncode != 0:
        tail = (r.stderr or r.stdout).strip().splitlines()[-3:]
        return None, (f"exit status {r.returncode}: "
                      + (" | ".join(tail) or "(no output)"))
    rc = RCODE_RE.search(r.stdout)
    an = ANSWER_RE.search(r.stdout)
    if not rc or not an:
        return None, "no DNS header (status/ANSWER) in its output"
    summary = (rc.group(1), int(an.group(1)))
    if args.expect is not None and args.expect.lower() not in r.stdout.lower():
        return summary, (f"output lacks {args.expect!r} "
                         f"(rcode {summary[0]}, {summary[1]} answers)")
    return summary, None


def run_once(runner, cmd):
    """One measured run: (wall_ns, maxrss_kib, utime_us, stime_us, status)."""
    r = subprocess.run([runner, str(RUN_TIMEOUT_S)] + cmd,
                       stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                       text=True)
    f = r.stdout.split()
    if r.returncode != 0 or len(f) != 5:
        die(f"runner failed ({r.returncode}) on {cmd[0]}")
    return tuple(int(x) for x in f)


def pct(values, q):
    """Percentile by linear interpolation between closest ranks."""
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    k = (len(s) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def fmt_ratio(a, b):
    return f"{a / b:.2f}" if b else "n/a"


def main():
    args = parse_args()
    failures = []

    tools = []
    for name in args.tools:
        path = find_tool(name, args)
        if path is None:
            if name == "dnsdeck":
                failures.append(f"dnsdeck: no executable at {args.dnsdeck} "
                                "(build it: make -s)")
            else:
                print(f"lookup.sh: {name} not installed, skipped",
                      file=sys.stderr)
            continue
        tools.append((name, path))
    if not args.no_baseline and find_tool("baseline", args):
        tools.append(("baseline", find_tool("baseline", args)))

    with tempfile.TemporaryDirectory(prefix="dnsdeck-bench.") as tmp:
        resolv_conf = os.path.join(tmp, "resolv.conf")
        with open(resolv_conf, "w") as f:
            f.write(f"nameserver {args.server}\n")
        # Time a private copy of dnsdeck: others may rebuild src/dnsdeck
        # while this runs, which would swap the binary under test midway
        # or make single runs fail to exec.
        for i, (name, path) in enumerate(tools):
            if name == "dnsdeck":
                args.dnsdeck_orig = path
                copy = os.path.join(tmp, "dnsdeck")
                shutil.copy2(path, copy)
                tools[i] = (name, copy)
        return bench(args, tools, resolv_conf, failures)


def bench(args, tools, resolv_conf, failures):
    cmds = {name: command(name, path, args, resolv_conf)
            for name, path in tools}

    now = datetime.datetime.now(datetime.timezone.utc)
    print(f"# lookup benchmark, {now.strftime('%Y-%m-%d %H:%M:%SZ')}")
    print(f"# host: {platform.node()}, {os.cpu_count()} CPUs, Linux "
          f"{platform.release()}, LANG={os.environ.get('LANG', '')!r} "
          f"LC_ALL={os.environ.get('LC_ALL', '')!r}")
    print(f"# runs per tool: {args.n} timed + {args.warmup} warm-up, "
          "interleaved round-robin, start rotated every round")
    for name, path in tools:
        v = version(name, path)
        print(f"#   {name:<8} {' '.join(cmds[name])}"
              + (f"   [{v}]" if v else ""))
    if hasattr(args, "dnsdeck_orig"):
        st = os.stat(args.dnsdeck_orig)
        built = datetime.datetime.fromtimestamp(st.st_mtime).strftime(
            "%Y-%m-%d %H:%M:%S")
        print(f"# dnsdeck is a copy of {args.dnsdeck_orig} "
              f"({st.st_size} bytes, built {built})")

    # Correctness first: a tool that errs or answers wrongly cannot look fast.
    seen = {}
    for name, _ in tools:
        if name == "baseline":
            continue
        summary, err = check_output(name, cmds[name], args)
        if err:
            failures.append(f"{name}: {err}")
        elif summary:
            seen[name] = summary
    if args.expect is None and len(set(seen.values())) > 1:
        failures.append("tools disagree on (rcode, answer count): "
                        + ", ".join(f"{n}={s[0]}/{s[1]}"
                                    for n, s in seen.items()))
    if failures:
        for f in failures:
            print(f"lookup.sh: FAIL {f}", file=sys.stderr)
        measured = [n for n, _ in tools if n != "baseline"]
        if measured and not seen and all(
                "timed out" in f or "exit status" in f for f in failures):
            print(f"lookup.sh: does {args.server} answer?  (the lab: "
                  "contrib/lab/start.sh)", file=sys.stderr)
        return 1
    ok = [n for n, _ in tools if n != "baseline"]
    print(f"# output check: {', '.join(ok)} all answered "
          + (f"with {args.expect!r}" if args.expect else
             f"alike ({next(iter(seen.values()))[0]}, "
             f"{next(iter(seen.values()))[1]} answers)" if seen else ""))

    names = [n for n, _ in tools]
    rows = []                      # (round, slot, tool, ns, kib, ut, st, rc)
    bad_runs = {}
    total = args.warmup + args.n
    for rnd in range(total):
        k = rnd % len(names)
        order = names[k:] + names[:k]
        for slot, name in enumerate(order):
            ns, kib, ut, st, rc = run_once(args.runner, cmds[name])
            if rnd < args.warmup:
                continue
            if rc != 0:
                bad_runs.setdefault(name, []).append(rc)
            rows.append((rnd - args.warmup + 1, slot, name, ns, kib, ut, st,
                         rc))
        if sys.stderr.isatty():
            print(f"\r  round {rnd + 1}/{total}", end="", file=sys.stderr,
                  flush=True)
    if sys.stderr.isatty():
        print("\r" + " " * 30 + "\r", end="", file=sys.stderr)

    if args.output is not None:
        path = args.output or os.path.join(
            HERE, "out", "lookup-" + datetime.datetime.now(
                datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + ".csv")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["round", "slot", "tool", "wall_ns", "maxrss_kib",
                        "utime_us", "stime_us", "exit_status"])
            w.writerows(rows)
        print(f"# raw runs: {os.path.relpath(path)}")

    stats = {}
    for name in names:
        rs = [r for r in rows if r[2] == name and r[7] == 0]
        if not rs:
            continue
        ms = [r[3] / 1e6 for r in rs]
        kib = [r[4] for r in rs]
        cpu = [(r[5] + r[6]) / 1e3 for r in rs]
        stats[name] = dict(n=len(rs), med=statistics.median(ms),
                           p90=pct(ms, 0.9), rss=statistics.median(kib),
                           cpu=statistics.median(cpu))

    print()
    print(f"{'tool':<9} {'runs':>5} {'median ms':>10} {'p90 ms':>8} "
          f"{'median peak RSS KiB':>20} {'median CPU ms':>14}")
    for name in names:
        s = stats.get(name)
        if not s:
            print(f"{name:<9}  (no successful run)")
            continue
        print(f"{name:<9} {s['n']:>5} {s['med']:>10.2f} {s['p90']:>8.2f} "
              f"{s['rss']:>20.0f} {s['cpu']:>14.2f}")

    if "dnsdeck" in stats:
        d = stats["dnsdeck"]
        print()
        print(f"{'ratio':<15} {'time':>6} {'memory':>7}")
        for other in OTHERS:
            if other in stats:
                o = stats[other]
                print(f"dnsdeck/{other:<7} {fmt_ratio(d['med'], o['med']):>6} "
                      f"{fmt_ratio(d['rss'], o['rss']):>7}")
    print()
    if "dnsdeck" in stats and "drill" in stats:
        d, o = stats["dnsdeck"]["med"], stats["drill"]["med"]
        verdict = "met" if d <= o else "not met"
        print(f"goal (no slower than drill): {verdict} "
              f"(median {d:.2f} ms vs {o:.2f} ms, ratio {d / o:.2f})")
    else:
        print("goal (no slower than drill): unknown "
              "(dnsdeck and drill not both measured)")

    if bad_runs:
        for name, codes in bad_runs.items():
            print(f"lookup.sh: FAIL {name}: {len(codes)} of {args.n} runs "
                  f"failed (exit status {sorted(set(codes))})",
                  file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
