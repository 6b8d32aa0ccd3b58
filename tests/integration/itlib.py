"""Shared harness of the integration tests (tests/integration/test_*.py).

Each test is a function decorated with @test; failures print their traceback and the run
goes on. finish() prints "<suite>: N passed, N failed" and writes "PASS FAIL" to
$TMPDIR/dnsdeck-it-counts.<parent pid> for tests/run-integration.sh. dnsdeck always gets a
resolv.conf of ours pointing at the lab's Unbound: nothing outside 127.0.53.0/24 is asked.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback

DNSDECK = os.environ.get("DNSDECK", "src/dnsdeck")
NSD, KNOT, BIND, UNBOUND = "127.0.53.1", "127.0.53.2", "127.0.53.3", "127.0.53.53"

TMP = tempfile.mkdtemp(prefix="dnsdeck-it-")
RESOLV = os.path.join(TMP, "resolv.conf")
with open(RESOLV, "w") as f:
    f.write("nameserver %s\n" % UNBOUND)

results = [0, 0]


def test(fn):
    try:
        fn()
        print("ok - %s" % fn.__name__)
        results[0] += 1
    except Exception:  # a failed assert or a crash: report and go on
        print("not ok - %s" % fn.__name__)
        for line in traceback.format_exc().splitlines():
            print("    " + line)
        results[1] += 1
    sys.stdout.flush()
    return fn


def run(args, timeout=20):
    """Run dnsdeck; return (exit code, stdout bytes, stderr bytes, seconds)."""
    t0 = time.monotonic()
    p = subprocess.run([DNSDECK, "--resolv-conf", RESOLV] + args, capture_output=True,
                       timeout=timeout, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


def run_json(args, timeout=20):
    rc, out, err, _ = run(["--json"] + args, timeout)
    assert rc == 0, "exit %d: %r" % (rc, err)
    return json.loads(out)


def no_raw_control(data, allowed=b"\n"):
    bad = [b for b in data if (b < 0x20 and b not in allowed) or b >= 0x7f]
    assert not bad, "raw bytes %r" % bytes(bad[:10])


def finish(suite):
    print("%s: %d passed, %d failed" % ((suite,) + tuple(results)))
    counts = os.path.join(os.environ.get("TMPDIR", "/tmp"),
                          "dnsdeck-it-counts.%d" % os.getppid())
    with open(counts, "a") as f:
        f.write("%d %d\n" % tuple(results))
    sys.exit(1 if results[1] else 0)
