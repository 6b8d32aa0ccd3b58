"""Integration tests of TTL watching against the lab: --watch, --interval, --count, and the
comparison's cache view (stale until / all caches agree by).

The lab's flip.example.test A (TTL 30) is changed in BIND's copy of the zone with
tests/lab-flip.sh, as an operator would; the lab's Unbound, which asks BIND, keeps its
cached copy until the TTL runs out and only then sees the change (RFC 1035 section 7.4).
"""
import atexit
import json
import os
import re
import signal
import subprocess
import time

from itlib import BIND, DNSDECK, RESOLV, UNBOUND, finish, no_raw_control, run, test

HERE = os.path.dirname(os.path.abspath(__file__))
FLIP = os.path.join(os.path.dirname(HERE), "lab-flip.sh")
NAME = "flip.example.test"


def flip(arg):
    subprocess.run(["sh", FLIP, arg], check=True, timeout=20)


def start(args):
    return subprocess.Popen([DNSDECK, "--resolv-conf", RESOLV] + args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)


def first_line(p, timeout=5):
    """The first line a --watch process prints (polling, so a hang fails the test)."""
    os.set_blocking(p.stdout.fileno(), False)
    buf, t0 = b"", time.monotonic()
    while b"\n" not in buf and time.monotonic() - t0 < timeout:
        buf += p.stdout.read() or b""
        time.sleep(0.05)
    os.set_blocking(p.stdout.fileno(), True)
    assert b"\n" in buf, "no first line within %s s: %r" % (timeout, buf)
    return buf


def finish_proc(p, head, timeout):
    out, err = p.communicate(timeout=timeout)
    return p.returncode, head + out, err


LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)  (\S+)  (\S+) (\S+)  (initial|change)  (.*)$")

WATCHES = []


@atexit.register
def cleanup():
    """Whatever happened: no watch left running, the zone and Unbound's cache as they were."""
    for p in WATCHES:
        if p.poll() is None:
            p.kill()
    flip("restore")


# Both watches run across one change of the zone (one 30-second expiry in all).
flip("restore")
text_watch = start(["@" + UNBOUND, NAME, "A", "--watch", "--count", "2"])
WATCHES.append(text_watch)
text_head = first_line(text_watch)
json_watch = start(["@" + BIND, NAME, "A", "--watch", "--json", "--interval", "1", "--count", "2"])
WATCHES.append(json_watch)
json_head = first_line(json_watch)
flip("203.0.113.41")
t_flip = time.monotonic()


@test
def compare_shows_the_stale_cache():
    # BIND (authoritative) has the new address; Unbound still answers from its copy.
    rc, out, err, _ = run(["--json", "-C", NAME, "A", "@" + BIND, "@" + UNBOUND])
    assert rc == 1, (rc, err)  # the servers differ
    doc = json.loads(out)
    bind, unbound = doc["results"]
    assert bind["message"]["AA"] == 1 and bind["stale"] is False, bind
    assert unbound["message"]["AA"] == 0 and unbound["message"]["RA"] == 1
    assert unbound["stale"] is True, unbound
    assert 0 < unbound["cache_ttl"] <= 30
    until = unbound["stale_until"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", until), until
    assert doc["caches_agree_by"] == until  # the only stale cache decides it
    # the text form says the same in words
    rc, out, err, _ = run(["--text", "-C", NAME, "A", "@" + BIND, "@" + UNBOUND])
    no_raw_control(out)
    text = out.decode()
    assert re.search(r"127\.0\.53\.53 .*stale until \d\d:\d\d:\d\d \(in \d+s\)", text), text
    assert re.search(r"^;; all caches agree by \d\d:\d\d:\d\d \(in \d+s\)", text, re.M), text


@test
def watch_interval_json_prints_the_change():
    rc, out, err = finish_proc(json_watch, json_head, 10)
    assert rc == 0, (rc, err)
    no_raw_control(out)
    recs = [json.loads(l) for l in out.decode().splitlines()]
    assert len(recs) == 2, recs
    assert recs[0]["event"] == "initial" and recs[0]["answer"] == "203.0.113.40", recs[0]
    assert recs[0]["server"] == BIND + "#53" and recs[0]["ttl"] == 30
    c = recs[1]
    assert c["event"] == "change", c
    assert (c["before"], c["answer"]) == ("203.0.113.40", "203.0.113.41"), c
    assert c["added"] == ["flip.example.test. 30 IN A 203.0.113.41"], c
    assert c["removed"] == ["flip.example.test. 30 IN A 203.0.113.40"], c
    assert c["time"] >= recs[0]["time"]


@test
def watch_sees_the_change_when_the_cache_expires():
    rc, out, err = finish_proc(text_watch, text_head, 40)
    waited = time.monotonic() - t_flip
    assert rc == 0, (rc, err)
    no_raw_control(out)
    lines = out.decode().splitlines()
    assert len(lines) == 2, lines
    m0, m1 = LINE.match(lines[0]), LINE.match(lines[1])
    assert m0 and m1, lines
    assert m0.group(2) == UNBOUND + "#53" and m0.group(3) == "flip.example.test."
    assert m0.group(5) == "initial" and m0.group(6).startswith("203.0.113.40  TTL "), lines[0]
    assert m1.group(5) == "change", lines[1]
    assert m1.group(6).startswith("203.0.113.40 -> 203.0.113.41  +1 -1  TTL "), lines[1]
    # the cache kept its copy for what was left of the TTL: not before, not much after
    assert waited <= 33, waited


@test
def watch_ctrl_c_exits_0():
    p = start(["@" + BIND, NAME, "A", "--watch"])
    head = first_line(p)
    p.send_signal(signal.SIGINT)
    rc, out, err = finish_proc(p, head, 5)
    assert rc == 0, (rc, err)
    assert out.decode().count("\n") == 1 and " initial " in out.decode(), out
    p = start(["@" + BIND, NAME, "A", "--watch", "--json"])
    head = first_line(p)
    p.send_signal(signal.SIGTERM)
    rc, out, err = finish_proc(p, head, 5)
    assert rc == 0, (rc, err)
    json.loads(out.decode().splitlines()[0])


@test
def watch_negative_answer_uses_the_soa_minimum():
    # NXDOMAIN is cached for min(SOA TTL, SOA MINIMUM) (RFC 2308 section 5)
    p = start(["@" + BIND, "nosuch.example.test", "A", "--watch", "--json"])
    head = first_line(p)
    p.send_signal(signal.SIGINT)
    rc, out, err = finish_proc(p, head, 5)
    rec = json.loads(out.decode().splitlines()[0])
    assert rec["answer"] == "NXDOMAIN", rec
    soa = subprocess.run(["dig", "@" + BIND, "example.test", "SOA", "+short"],
                         capture_output=True, timeout=10).stdout.split()
    dig_ttl = subprocess.run(["dig", "@" + BIND, "example.test", "SOA", "+noall", "+answer"],
                             capture_output=True, timeout=10).stdout.split()
    assert rec["ttl"] == min(int(soa[6]), int(dig_ttl[1])), (rec, soa, dig_ttl)


@test
def watch_usage_errors():
    for args, word in ((["--count", "2", NAME], "--count needs --watch"),
                       (["--watch", "-C", NAME, "@" + BIND], "--watch"),
                       (["--watch", "--mx", NAME], "--watch"),
                       (["--watch", "--interval", "0", NAME], "--interval"),
                       (["--watch", "--count", "x", NAME], "--count")):
        rc, out, err, _ = run(args, timeout=10)
        assert rc == 1, (args, rc, out, err)
        assert word in err.decode(), (args, err)


finish("watch")
