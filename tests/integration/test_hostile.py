#!/usr/bin/env python3
"""Integration tests of dnsdeck against a hostile responder (tests/hostile.py, issue 6).

The responder listens on 127.0.56.1 (scenario = the label left of "hostile.test.") and on one
pinned address per scenario (127.0.56.10 upwards, every name); this file starts it and stops
it at the end, failures included. Each scenario is asked with `--json` and `--text`, with
+time=1 +tries=2, and must: end by itself (no signal) within tries x time + slack with the
documented exit status (0 a reply, 9 none); give a specific error, or the good reply when one
follows the bad one (RFC 5452 §9.1) with the discarded count saying so; never let forged data
through; never write a raw control byte or a byte >= 0x7f; print JSON that parses. A few
scenarios also go through the comparison (-C, beside NSD of the lab) and the MX plan
(--mx, with a resolv.conf naming the responder). Only 127.0.53.0/24 and 127.0.56.0/24 are
asked.
"""
import atexit
import json
import os
import re
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from itlib import NSD, TMP, finish, no_raw_control, run, test

HERE = os.path.dirname(os.path.abspath(__file__))
HOSTILE = "127.0.56.1"
TIME, TRIES = 1, 2
OPTS = ["+time=%d" % TIME, "+tries=%d" % TRIES]
SLACK = 0.75                        # seconds over tries x time for start-up and scheduling
DEADLINE = TIME * TRIES + SLACK
GOOD_A = "198.51.100.56"            # the responder's good answer
FORGED = (b"203.0.113.66", b"forged")  # what its forged replies carry
RESOLV = os.path.join(TMP, "hostile.resolv.conf")
with open(RESOLV, "w") as f:
    f.write("nameserver %s\n" % HOSTILE)


def start_responder():
    """Start tests/hostile.py (dnspython: /usr/bin/python3); return (process, pins)."""
    errlog = open(os.path.join(TMP, "hostile.err"), "w")
    p = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "..", "hostile.py")],
                         stdout=subprocess.PIPE, stderr=errlog, text=True)
    pins, ready = {}, threading.Event()

    def read():
        for line in p.stdout:
            w = line.split()
            if w[:1] == ["pin"]:
                pins[w[2]] = w[1]
            elif w == ["ready"]:
                ready.set()
                return
    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(10):
        p.kill()
        with open(errlog.name) as e:
            raise SystemExit("hostile.py did not start: " + e.read())
    return p, pins


def stop_responder():
    if RESPONDER.poll() is None:
        RESPONDER.send_signal(signal.SIGTERM)
        try:
            RESPONDER.wait(timeout=5)
        except subprocess.TimeoutExpired:
            RESPONDER.kill()
            RESPONDER.wait()


RESPONDER, PINS = start_responder()
atexit.register(stop_responder)  # also when a test or finish() raises
signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))  # ... and when the runner is stopped


def ask(name, qtype="A", extra=(), servers=(HOSTILE,)):
    """dnsdeck --json and --text on the same question, in parallel.
    Returns {mode: (exit code, stdout, stderr, seconds)}; both outputs are checked for raw
    bytes, the JSON is parsed into out["doc"]."""
    args = ["@" + s for s in servers] + [name, qtype] + OPTS + list(extra)
    with ThreadPoolExecutor(2) as pool:
        jobs = {m: pool.submit(run, ["--" + m] + args, 30) for m in ("json", "text")}
        out = {m: j.result() for m, j in jobs.items()}
    for m, (rc, stdout, stderr, secs) in out.items():
        assert rc >= 0, "%s: killed by signal %d" % (m, -rc)
        assert stderr == b"", "%s: stderr %r" % (m, stderr[:300])  # e.g. a sanitizer report
        no_raw_control(stdout, allowed=b"\n\t" if m == "text" else b"\n")
        for bad in FORGED:
            assert bad not in stdout, "%s: forged data %r accepted" % (m, bad)
    out["doc"] = json.loads(out["json"][1])
    return out


def expect_exit(out, status, min_secs=0.0, max_secs=DEADLINE):
    """Both runs exited with this status within [min_secs, max_secs)."""
    for m in ("json", "text"):
        rc, _, err, secs = out[m]
        assert rc == status, "%s: exit %d (wanted %d) %r" % (m, rc, status, err)
        assert min_secs <= secs < max_secs, "%s: %.2f s not in [%.2f, %.2f)" % (
            m, secs, min_secs, max_secs)


def expect_answer(out, discarded, tries=1, transport="udp", max_secs=DEADLINE):
    """The good reply won: exit 0, the good A, the discarded count in JSON and text."""
    r = out["doc"]
    expect_exit(out, 0, max_secs=max_secs)
    assert r["error"] is None, r["error"]
    assert [rr["rdataA"] for rr in r["message"]["answerRRs"]] == [GOOD_A], r["message"]
    assert (r["discarded"], r["tries"], r["transport"]) == (discarded, tries, transport), r
    text = out["text"][1].decode()
    assert re.search(r"\tA\t%s\n" % re.escape(GOOD_A), text), text
    assert ";; TRANSPORT: %s, tries: %d, discarded: %d\n" % (transport, tries, discarded) \
        in text, text
    return r


def expect_error(out, error, tries, min_secs=0.0, max_secs=DEADLINE, server=HOSTILE):
    """No usable reply: exit 9, this exact error in JSON and text, within the time bounds."""
    r = out["doc"]
    expect_exit(out, 9, min_secs, max_secs)
    assert r["error"] == error, r["error"]
    assert r["message"] is None and r["tries"] == tries, (r["message"], r["tries"])
    assert out["text"][1].decode() == ";; %s: %s\n" % (server, error), out["text"][1]
    return r


def result_line(name, out):
    """The table row of the closing report: scenario, what dnsdeck said, seconds."""
    r = out["doc"]
    first = r["message"]["answerRRs"][0] if r["error"] is None else {}
    rdata = next((v for k, v in first.items() if k.startswith("rdata")), "")
    said = r["error"] or "answer %s %s (%s, tries %d, discarded %d)" % (
        first["TYPEname"], rdata, r["transport"], r["tries"], r["discarded"])
    print("    %-12s %-100s %.2f s" % (name, said, max(out[m][3] for m in ("json", "text"))))


# --- forged replies: the right one follows ------------------------------------------------

@test
def wrong_id_then_right_reply():
    out = ask("wrongid.hostile.test")
    expect_answer(out, discarded=1)
    result_line("wrongid", out)


@test
def wrong_question_then_right_reply():
    out = ask("wrongq.hostile.test")
    expect_answer(out, discarded=1)
    result_line("wrongq", out)


@test
def reply_from_another_address_and_port_then_right_reply():
    # The forged replies carry the right ID and question. The query's UDP socket is
    # connected, so the kernel drops datagrams from any other address or port before
    # dnsdeck sees them: they are not even counted.
    out = ask("wrongsrc.hostile.test")
    expect_answer(out, discarded=0)
    result_line("wrongsrc", out)


# --- packets that are not a reply, or not a well-formed one -------------------------------

# scenario -> the error when it comes alone; with "-good" the right reply follows 50 ms later
MALFORMED = {
    "qr0": "timed out; 2 replies discarded (the last: not a response (QR=0))",
    "short": "timed out; 2 replies discarded (the last: shorter than a DNS header)",
    "cutrr": "malformed reply: answer RR 1 of 1 runs past the end of the message",
    "ptrloop": "malformed reply: answer RR 1 of 1: bad compression pointer (a loop, or "
               "outside the message)",
    "longlabel": "malformed reply: answer RR 1 of 1: a label over 63 octets, or cut by the "
                 "end of the message",
    "longname": "malformed reply: answer RR 1 of 1: a name over 255 octets",
    "rdlen": "malformed reply: answer RR 1 of 1 runs past the end of the message",
    "counts": "malformed reply: the header counts 3 answer RRs, the message ends after 1",
    "trailing": "malformed reply: 16 bytes of trailing data after the message",
}


def make_malformed_test(scenario, error):
    def fn():
        alone = ask(scenario + ".hostile.test")
        if error.startswith("timed out"):
            # discarded, never accepted: every try is spent, then it times out
            expect_error(alone, error, tries=TRIES, min_secs=TIME * TRIES - 0.1)
            assert alone["doc"]["discarded"] == TRIES
        else:
            # kept while the try runs (a good reply may still come), then reported,
            # without a second try: the server did answer
            expect_error(alone, error, tries=1, min_secs=TIME - 0.1, max_secs=TIME + SLACK)
            assert alone["doc"]["discarded"] == 1
        result_line(scenario, alone)
        good = ask(scenario + "-good.hostile.test")
        expect_answer(good, discarded=1, max_secs=0.5 + SLACK)
        result_line(scenario + "-good", good)
    fn.__name__ = "malformed_%s_then_right_reply" % scenario
    return fn


for _s, _e in MALFORMED.items():
    test(make_malformed_test(_s, _e))


@test
def tcp_stream_discards_a_wrong_id_and_ends_on_a_malformed_message():
    # +tcp: the same packets framed on one connection. A wrong ID is skipped and the next
    # message read; a malformed one ends the query at once (nobody else can inject into our
    # own connection), without waiting for the try to run out.
    out = ask("wrongid.hostile.test", extra=["+tcp"])
    expect_answer(out, discarded=1, transport="tcp")
    out = ask("ptrloop.hostile.test", extra=["+tcp"])
    expect_error(out, MALFORMED["ptrloop"], tries=1, max_secs=0.5 + SLACK)
    assert out["doc"]["transport"] == "tcp" and out["doc"]["discarded"] == 1
    result_line("ptrloop+tcp", out)


# --- TCP ---------------------------------------------------------------------------------

@test
def tc_with_an_empty_answer_then_tcp():
    out = ask("tc.hostile.test")
    r = expect_answer(out, discarded=0, tries=2, transport="tcp")
    assert r["tc_retry"] is True and r["message"]["TC"] == 0
    assert out["text"][1].startswith(b";; Truncated, retrying in TCP mode.\n")
    result_line("tc", out)


@test
def tcp_answer_one_byte_at_a_time():
    out = ask("tcpslow.hostile.test")
    r = expect_answer(out, discarded=0, tries=2, transport="tcp")
    # about 70 bytes 5 ms apart: read in many pieces, not in one
    assert out["json"][3] > 0.2, out["json"][3]
    assert r["tc_retry"] is True
    result_line("tcpslow", out)


@test
def tcp_length_65535_then_silence():
    out = ask("tcp65535.hostile.test")
    # one UDP try (TC = 1), then two TCP tries of 1 s each
    r = expect_error(out, "timed out over TCP after a truncated UDP reply; 12 of 65537 bytes "
                     "of the reply arrived", tries=3, min_secs=TIME * TRIES - 0.1)
    assert r["transport"] == "tcp" and r["tc_retry"] is True
    result_line("tcp65535", out)


@test
def tcp_connection_never_answers_never_closes():
    out = ask("tcphang.hostile.test")
    expect_error(out, "timed out over TCP after a truncated UDP reply", tries=3,
                 min_secs=TIME * TRIES - 0.1)
    result_line("tcphang", out)


@test
def tcp_connection_closed_half_way():
    out = ask("tcpclose.hostile.test")
    r = out["doc"]
    expect_exit(out, 9, max_secs=0.5 + SLACK)  # at once: no retry on a closed connection
    got = re.fullmatch(r"TCP connection closed before the reply was complete; (\d+) of (\d+) "
                       r"bytes of the reply arrived", r["error"])
    assert got and 2 < int(got.group(1)) < int(got.group(2)), r["error"]
    assert r["transport"] == "tcp" and r["tries"] == 2 and r["message"] is None, r
    assert out["text"][1].decode() == ";; %s: %s\n" % (HOSTILE, r["error"])
    result_line("tcpclose", out)


@test
def two_thousand_rrs_over_tcp():
    out = ask("tcp2000.hostile.test")
    r = out["doc"]
    expect_exit(out, 0)
    assert r["transport"] == "tcp" and r["tc_retry"] is True and r["error"] is None
    assert r["message"]["ANCOUNT"] == 2000 and r["size"] > 30000, (r["message"]["ANCOUNT"],
                                                                   r["size"])
    addrs = {rr["rdataA"] for rr in r["message"]["answerRRs"]}
    assert len(addrs) == 2000 and "198.18.7.207" in addrs
    assert out["text"][1].count(b"\tIN\tA\t198.18.") == 2000
    result_line("tcp2000", out)


# --- bytes meant for the terminal --------------------------------------------------------

@test
def escape_sequences_c1_and_invalid_utf8_are_escaped():
    for qtype, want in (("A", [rb"\027[2J\027[H.escape.hostile.test." + b"\t300\tIN\tA\t"]),
                        ("TXT", [rb'"\027[31mred\027[0m"', rb'"\1552J\144q\156"',
                                 rb'"\226\128\174\237\160\128\248\136\128\128\128"',
                                 rb'"\007\000\127\013\010\009"']),
                        ("MX", [rb"30 \15531m\133\141.escape.hostile.test.",
                                rb"40 \255\254\195\(\192\175.escape.hostile.test.",
                                rb"\027]52\;c\;aGk=\007.escape.hostile.test."])):
        out = ask("escape.hostile.test", qtype, extra=["+nsid"])
        expect_exit(out, 0)
        text = out["text"][1]
        for w in want:
            assert w in text, (qtype, w, text)
        assert rb"; NSID: 1B5B324A" in text and rb'("\027[2J\027[H\027]0;owned\007' in text
        assert rb"; EDE: 0 (Other Error): \027[31mred\027]0;title\007\194\1552J" in text
        m = out["doc"]["message"]
        blob = json.dumps(m)
        assert "\\\\027[2J" in blob and "\\\\155" in blob, blob[:300]
        assert out["doc"]["error"] is None
    result_line("escape", out)


# --- silence ------------------------------------------------------------------------------

@test
def never_answering():
    out = ask("silent.hostile.test")
    expect_error(out, "timed out", tries=TRIES, min_secs=TIME * TRIES - 0.1)
    assert out["doc"]["discarded"] == 0
    result_line("silent", out)


# --- the same servers in a comparison and in the MX plan ----------------------------------

@test
def comparison_with_the_lab_keeps_good_replies_and_names_the_bad():
    pins = ["wrongid", "wrongsrc", "qr0-good", "ptrloop-good", "trailing-good", "tc",
            "ptrloop", "counts", "silent", "tcp65535", "escape"]
    servers = [NSD] + [PINS[s] for s in pins]
    for mode in ("json", "text"):
        rc, out, err, secs = run(["-C", "--" + mode] + ["@" + s for s in servers] +
                                 ["example.test", "MX"] + OPTS, timeout=30)
        assert rc == 1, "exit %d (the servers differ): %r" % (rc, err)
        assert secs < DEADLINE, secs
        no_raw_control(out, allowed=b"\n\t" if mode == "text" else b"\n")
        for bad in FORGED:
            assert bad not in out, bad
    doc = json.loads(run(["-C", "--json"] + ["@" + s for s in servers] +
                         ["example.test", "MX"] + OPTS, timeout=30)[1])
    rows = {r["address"].split("#")[0]: r for r in doc["results"]}
    lab = rows[NSD]["group"]
    for s in ("wrongid", "wrongsrc", "qr0-good", "ptrloop-good", "trailing-good", "tc"):
        r = rows[PINS[s]]
        # the right reply won: the same answer as the lab's, in the lab's group
        assert r["status"] == "answer" and r["group"] == lab, (s, r["status"], r["error"])
        assert r["discarded"] == (0 if s in ("wrongsrc", "tc") else 1), (s, r["discarded"])
    for s in ("ptrloop", "counts"):
        r = rows[PINS[s]]
        assert r["status"] == "error" and r["error"].startswith("malformed reply"), (s, r)
        assert r["outlier"] is True and r["group"] is None
    for s in ("silent", "tcp65535"):
        assert rows[PINS[s]]["status"] == "timeout", (s, rows[PINS[s]])
    esc = rows[PINS["escape"]]
    assert esc["status"] == "answer" and esc["group"] != lab, esc
    assert "10 \\027[2J\\027[H.example.test." in doc["groups"][esc["group"]]["answer"]
    print("    %-12s %s" % ("-C", doc["summary"]))


def mx_plan(target):
    rc, out, err, secs = run(["--resolv-conf", RESOLV, "--json", "--mx", target] + OPTS,
                             timeout=30)  # the last --resolv-conf wins: the responder's
    assert rc == 0, "exit %d (the plan was computed): %r" % (rc, err)
    no_raw_control(out)
    for bad in FORGED:
        assert bad not in out, bad
    return json.loads(out), secs


@test
def mx_plan_through_a_hostile_resolver():
    for s in ("wrongid", "qr0-good", "ptrloop-good", "tc"):
        p, secs = mx_plan(s + ".hostile.test")
        assert p["mode"] == "mx", (s, p["mode"], p["findings"][:1])
        ex = p["steps"][0]["exchanges"][0]
        assert ex["name"] == "mx.%s.hostile.test." % s and ex["state"] == "resolved", (s, ex)
        assert [a["address"] for a in ex["addresses"]] == [GOOD_A], (s, ex["addresses"])
        assert p["records"]["SPF"]["texts"] == ['"v=spf1 -all"'], (s, p["records"]["SPF"])
        assert secs < DEADLINE, (s, secs)
    for s, why, bound in (("ptrloop", "malformed reply", TIME + SLACK),
                          ("silent", "timed out", DEADLINE), ("tcp65535", "timed out", DEADLINE)):
        p, secs = mx_plan(s + ".hostile.test")
        assert p["mode"] == "none" and secs < bound, (s, p["mode"], secs)
        f = [f for f in p["findings"] if f["code"] == "mx-lookup-failed"]
        assert f and f[0]["message"].endswith("failed: " + why), (s, p["findings"])
        print("    %-12s --mx: %s  %.2f s" % (s, f[0]["message"], secs))
    p, secs = mx_plan("escape.hostile.test")
    names = [x["name"] for st in p["steps"] for x in st["exchanges"]]
    assert len(names) == 6 and "\\027[2J\\027[H.escape.hostile.test." in names, names
    rc, out, err, _ = run(["--resolv-conf", RESOLV, "--text", "--mx", "escape.hostile.test"] +
                          OPTS, timeout=30)
    assert rc == 0 and b"\\027]0\\;owned\\007.escape.hostile.test." in out, out
    # The plan's own text cites RFC sections with the section sign U+00A7 in UTF-8;
    # that sign is dnsdeck's, not the network's: every other byte must be printable ASCII.
    no_raw_control(out.replace("\u00a7".encode(), b""), allowed=b"\n\t")


stop_responder()
finish("hostile")
