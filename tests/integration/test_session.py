#!/usr/bin/env python3
"""Integration tests of saved sessions (--save FILE, --load FILE, --diff A B) against the lab.

A session saved after a batch run and reopened with --load prints exactly what the run
printed, byte for byte, and sends nothing while doing so. The lab is out of step on purpose:
NSD (.1) serves serial 2026112101 with MX 10 mx1 / 20 mx2, Knot (.2) serial 2026112102 with
MX 10 mx1 / 30 mx3, so a session saved against each differs in exactly those two answers.
Only 127.0.53.0/24 is asked; 127.0.53.96 is a socket of this file that only listens.
"""
import json
import os
import re
import socket
import subprocess

from itlib import BIND, KNOT, NSD, TMP, UNBOUND, finish, no_raw_control, run, test

LISTENER = "127.0.53.96"


def path(name):
    return os.path.join(TMP, name)


def save_and_load(args, name, mode, want_rc):
    """Run args with --save, reopen the file with --load; return (file, run output)."""
    f = path(name)
    rc, out, err, _ = run([mode] + args + ["--save", f], timeout=30)
    assert rc == want_rc, "exit %d (wanted %d): %r" % (rc, want_rc, err)
    assert os.path.getsize(f) > 0
    rc2, out2, err2, secs = run(["--load", f, mode])
    assert rc2 == want_rc, "load exit %d (wanted %d): %r" % (rc2, want_rc, err2)
    assert out2 == out, "reloaded output differs:\n%s\n---\n%s" % (out.decode(), out2.decode())
    assert secs < 2, secs
    return f, out


@test
def comparison_reloads_byte_for_byte():
    servers = ["@" + s for s in (NSD, KNOT, BIND)]
    for qtype in ("MX", "SOA"):
        for mode in ("--text", "--json"):
            f, out = save_and_load(["-C"] + servers + ["example.test", qtype],
                                   "cmp-%s%s.session" % (qtype, mode), mode, 1)
            if mode == "--json":
                doc = json.loads(out)
                assert doc["newest_serial"] == 2026112102 and len(doc["results"]) == 3
            else:
                assert b"serial 2026112102 newest" in out, out
    with open(f) as fh:
        text = fh.read()
    assert text.startswith("dnsdeck-session 1\n"), text[:40]
    assert re.search(r"^saved at=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z t=\d+\.\d{6} "
                     r"view=compare results=6 dropped=0 ", text, re.M), text[:400]
    # one result per question asked: the question and the SOA alongside, of each server
    assert len(re.findall(r"^result \d+ ", text, re.M)) == 6
    for s in (NSD, KNOT, BIND):
        assert "\ncompare-row label=%s addr=%s#53 question=" % (s, s) in text


@test
def lookup_reloads_byte_for_byte():
    for mode in ("--text", "--json"):
        save_and_load(["@" + UNBOUND, "@" + NSD, "ttl30.example.test", "A"],
                      "lookup%s.session" % mode, mode, 0)
    # a failure is saved too: the same words and the same exit status
    save_and_load(["@127.0.53.99", "example.test", "A", "+tries=1", "+time=1"],
                  "refused.session", "--text", 9)
    # through TC and TCP: the transport facts come back as they were
    f, out = save_and_load(["@" + NSD, "big.example.test", "TXT"], "big.session", "--json", 0)
    doc = json.loads(out)
    assert doc["transport"] == "tcp" and doc["tc_retry"] is True, doc["transport"]


@test
def explain_reloads_too():
    save_and_load(["@" + NSD, "example.test", "MX"], "explain.session", "--explain", 0)


@test
def hostile_bytes_stay_escaped():
    f, out = save_and_load(["@" + NSD, "escape.example.test", "TXT"], "escape.session",
                           "--text", 0)
    no_raw_control(out, allowed=b"\n\t")
    with open(f, "rb") as fh:
        data = fh.read()
    no_raw_control(data)  # the file itself is printable ASCII


@test
def diff_lists_exactly_the_changes():
    a, b = path("nsd.session"), path("knot.session")
    for server, f in ((NSD, a), (KNOT, b)):
        rc, _, err, _ = run(["--text", "-C", "@" + server, "example.test", "MX", "--save", f])
        assert rc == 0, err
    rc, out, err, _ = run(["--diff", a, b])
    assert rc == 1, (rc, err)
    lines = out.decode().splitlines()
    assert lines[0].startswith("--- %s  saved " % a) and lines[1].startswith("+++ %s  saved " % b)
    soa = "example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. %d " \
          "3600 900 1209600 300"
    assert lines[2:] == [
        "example.test. MX IN  @%s#53 -> @%s#53" % (NSD, KNOT),
        "  - example.test. 3600 IN MX 20 mx2.example.test.",
        "  + example.test. 3600 IN MX 30 mx3.example.test.",
        "example.test. SOA IN  @%s#53 -> @%s#53" % (NSD, KNOT),
        "  serial 2026112101 -> 2026112102",
        "  - " + soa % 2026112101,
        "  + " + soa % 2026112102,
        ";; 2 differences: 2 changed, 0 only in %s, 0 only in %s" % (a, b),
    ], lines
    rc, out, err, _ = run(["--diff", a, b, "--json"])
    doc = json.loads(out)
    assert rc == 1 and doc["equal"] is False and len(doc["changes"]) == 2
    assert doc["changes"][1]["serial_a"] == 2026112101
    assert doc["changes"][1]["serial_b"] == 2026112102
    # a session against itself, and against a second run of the same question: no change
    rc, out, err, _ = run(["--diff", a, a])
    assert rc == 0 and out == b"", (rc, out, err)
    c = path("nsd2.session")
    rc, _, err, _ = run(["--text", "-C", "@" + NSD, "example.test", "MX", "--save", c])
    rc, out, err, _ = run(["--diff", a, c])
    assert rc == 0 and out == b"", (rc, out, err)


@test
def diff_before_and_after_a_zone_change():
    """The same question of the same server, saved before and after the zone changed (BIND's
    copy of flip.example.test, tests/lab-flip.sh): the diff lists exactly that change."""
    flip = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "lab-flip.sh")
    a, b = path("before.session"), path("after.session")
    try:
        subprocess.run(["sh", flip, "restore"], check=True, timeout=20)
        rc, _, err, _ = run(["--text", "@" + BIND, "flip.example.test", "A", "--save", a])
        assert rc == 0, err
        subprocess.run(["sh", flip, "203.0.113.41"], check=True, timeout=20)
        rc, _, err, _ = run(["--text", "@" + BIND, "flip.example.test", "A", "--save", b])
        assert rc == 0, err
    finally:
        subprocess.run(["sh", flip, "restore"], timeout=20)
    rc, out, err, _ = run(["--diff", a, b])
    assert rc == 1, (rc, out, err)
    lines = out.decode().splitlines()
    assert lines[2:] == [
        "flip.example.test. A IN  @%s#53" % BIND,
        "  - flip.example.test. 30 IN A 203.0.113.40",
        "  + flip.example.test. 30 IN A 203.0.113.41",
        ";; 1 difference: 1 changed, 0 only in %s, 0 only in %s" % (a, b),
    ], lines


@test
def load_sends_nothing():
    """A saved reply moved onto a socket that only listens: --load shows it at once and
    the socket never hears a query (a query would also leave the view waiting 2 s x 2)."""
    f = path("nsd-lookup.session")
    rc, out, err, _ = run(["--text", "@" + NSD, "example.test", "MX", "--save", f])
    assert rc == 0, err
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((LISTENER, 0))
    port = sock.getsockname()[1]
    try:
        moved = path("moved.session")
        with open(f) as fh:
            text = fh.read()
        text = text.replace("label=%s hostname=- port=53 addr=%s#53" % (NSD, NSD),
                            "label=%s hostname=- port=%d addr=%s#%d" % (LISTENER, port, LISTENER,
                                                                          port))
        text = text.replace("server=%s#53" % NSD, "server=%s#%d" % (LISTENER, port))
        assert text.count(LISTENER) == 3, text
        with open(moved, "w") as fh:
            fh.write(text)
        rc, out2, err, secs = run(["--load", moved, "--text"])
        assert rc == 0, err
        assert secs < 1, secs
        assert ("SERVER: %s#%d" % (LISTENER, port)).encode() in out2, out2
        assert b"MX\t20 mx2.example.test." in out2, out2
        sock.settimeout(0.5)
        try:
            data = sock.recv(4096)
            raise AssertionError("--load sent a query: %r" % data)
        except socket.timeout:
            pass
    finally:
        sock.close()


@test
def mx_is_saved_not_reopened():
    f = path("mx.session")
    rc, out, err, _ = run(["@" + UNBOUND, "--mx", "example.test", "--text", "--save", f],
                          timeout=30)
    assert rc == 0 and b"mx1.example.test." in out, err
    with open(f) as fh:
        text = fh.read()
    assert "\nmx target=example.test smtp=0\n" in text
    assert "view=mx" in text and " qtype=MX " in text
    rc, out, err, _ = run(["--load", f, "--text"])
    assert rc == 1 and out == b"", (rc, out)
    assert b"MX plans cannot be reopened yet" in err, err
    rc, out, err, _ = run(["--diff", f, f])
    assert rc == 0 and out == b"", err


@test
def bad_files_name_file_and_line():
    good = path("cmp-MX--text.session")
    with open(good) as fh:
        text = fh.read()
    cases = [
        (text.replace("dnsdeck-session 1", "dnsdeck-session 7", 1),
         ":1: session format version 7; this dnsdeck reads version 1"),
        (text.replace(" rd=1 ", " rd=2 ", 1), ":5: rd: '2' is not a number from 0 to 1"),
        (text.replace("compare-row label=", "compare-row label=\\027[2J", 1),
         "label: byte 0x1b is not printable"),
        (text.replace("\nresult 6 ", "\nresult 7 ", 1), "result number '7' out of order"),
        (text[: text.index("\nresult 6 ")] + "\n", "says 6 results but holds 5 (cut short?)"),
        ("\x1b]0;owned\x07" + text, ":1: byte 0x1b at column 1: only printable ASCII"),
        ("hello\n" + text, ":1: not a dnsdeck session file"),
    ]
    for i, (bad, want) in enumerate(cases):
        f = path("bad%d.session" % i)
        with open(f, "w") as fh:
            fh.write(bad)
        rc, out, err, _ = run(["--load", f, "--text"])
        assert rc == 1 and out == b"", (i, rc, out)
        assert err.startswith(("dnsdeck: %s:" % f).encode()), (i, err)
        assert want.encode() in err, (i, want, err)
        no_raw_control(err)
        rc, out, err2, _ = run(["--diff", f, good])
        assert rc == 1 and out == b"" and err2 == err, (i, err2)
    big = path("big.session")
    with open(big, "w") as fh:
        fh.write("dnsdeck-session 1\n# " + "x" * (64 * 1024 * 1024) + "\n")
    rc, _, err, _ = run(["--load", big])
    assert rc == 1 and b"larger than 64 MiB" in err, err
    os.unlink(big)


@test
def usage_errors():
    f = path("lookup--text.session")
    for args, want in (
        (["--load", f, "@" + NSD], b"--load reopens a saved session"),
        (["--load", f, "example.test"], b"--load reopens a saved session"),
        (["--diff", f], b"--diff needs two session files"),
        (["--diff", f, f, "--load", f], b"--diff compares two session files"),
        (["--save", path("w.session"), "--watch", "@" + NSD, "x.test"], b"--save records"),
        (["--save", "/nonexistent-dir/x.session", "@" + NSD, "example.test"],
         b"directory is not writable"),
        (["--load", path("missing.session")], b"No such file"),
    ):
        rc, out, err, secs = run(args)
        assert rc == 1 and out == b"" and want in err, (args, rc, err)
        assert secs < 1, (args, secs)


finish("session")
