#!/usr/bin/env python3
"""Integration tests of the MX failover plan (dnsdeck --mx) against the lab.

Every demo mail case of contrib/lab/example.test.zone through the lab's Unbound, the same
plan asked of Knot's newer copy, --text agreeing with --json, and the SMTP probe against
listeners this file starts on loopback: smtp1 (127.0.53.25) silent, smtp2 (127.0.53.26)
refusing (nothing listens), smtp3 (127.0.53.27) answering. No traffic leaves 127.0.53.0/24.
"""
import os
import signal
import subprocess
import sys

from itlib import KNOT, TMP, UNBOUND, finish, no_raw_control, run, run_json, test

HERE = os.path.dirname(os.path.abspath(__file__))


def plan(target, *extra):
    return run_json(["@" + UNBOUND, "--mx", target] + list(extra), timeout=30)


def codes(p):
    return {f["code"] for f in p["findings"]}


def names(step):
    return [x["name"] for x in step["exchanges"]]


@test
def pair_in_preference_order():
    p = plan("user@example.test")  # a mail address: its domain is used
    assert p["domain"] == "example.test." and p["mode"] == "mx", (p["domain"], p["mode"])
    assert [s["preference"] for s in p["steps"]] == [10, 20]
    assert [names(s) for s in p["steps"]] == [["mx1.example.test."], ["mx2.example.test."]]
    mx1 = p["steps"][0]["exchanges"][0]
    assert mx1["state"] == "resolved"
    # IPv6 first, then IPv4, each with its TTL
    assert [a["address"] for a in mx1["addresses"]] == ["2001:db8::11", "198.51.100.11"]
    assert [a["family"] for a in mx1["addresses"]] == [6, 4]
    assert all(a["ttl"] > 0 for a in mx1["addresses"])
    assert "same-network" in codes(p) and "exchange-special-address" in codes(p)
    assert p["records"]["SPF"]["texts"] == ['"v=spf1 mx -all"'], p["records"]["SPF"]
    assert p["records"]["DMARC"]["texts"][0].startswith('"v=DMARC1; p=reject')
    assert p["records"]["MTA-STS"]["texts"] == [] and p["smtp"] is None


@test
def equal_preference_group_is_one_step():
    p = plan("group.example.test")
    assert len(p["steps"]) == 2
    g = p["steps"][0]
    assert g["preference"] == 10 and g["random_order"] is True
    assert sorted(names(g)) == ["mxa.example.test.", "mxb.example.test.", "mxc.example.test."]
    assert p["steps"][1]["random_order"] is False and names(p["steps"][1]) == ["mx2.example.test."]
    assert "no-spf" in codes(p)


@test
def null_mx_accepts_no_mail():
    p = plan("nullmx.example.test")
    assert p["mode"] == "null-mx" and p["steps"] == []
    f = [f for f in p["findings"] if f["code"] == "null-mx"][0]
    assert f["rfc"] == "RFC 7505 \u00a73" and "accepts no mail" in f["message"]


@test
def implicit_mx_is_the_domain_itself():
    p = plan("implicit.example.test")
    assert p["mode"] == "implicit" and len(p["steps"]) == 1
    x = p["steps"][0]["exchanges"][0]
    assert x["name"] == "implicit.example.test." and x["preference"] == 0
    assert [a["address"] for a in x["addresses"]] == ["2001:db8::25", "203.0.113.25"]
    assert "implicit-mx" in codes(p)


def exchange_finding(target, code, severity):
    p = plan(target)
    f = [f for f in p["findings"] if f["code"] == code]
    assert f, (target, codes(p))
    assert f[0]["severity"] == severity, f[0]
    return p, f[0]


@test
def cname_exchange_is_named():
    p, f = exchange_finding("cname-mx.example.test", "exchange-cname", "warning")
    assert f["rfc"].startswith("RFC 2181 \u00a710.3")
    x = p["steps"][0]["exchanges"][0]
    assert x["alias_target"] == "mx1.example.test." and x["state"] == "resolved"


@test
def dangling_exchange_is_named():
    p, f = exchange_finding("dangling.example.test", "exchange-nxdomain", "error")
    assert p["steps"][0]["exchanges"][0]["state"] == "nxdomain"
    assert f["subject"] == "missing.example.test."


@test
def exchange_without_address_is_named():
    p, _ = exchange_finding("noaddr.example.test", "exchange-nodata", "error")
    assert p["steps"][0]["exchanges"][0]["state"] == "nodata"


@test
def ip_literal_exchange_is_named():
    p, _ = exchange_finding("iplit.example.test", "exchange-ip-literal", "error")
    assert p["steps"][0]["exchanges"][0]["ip_literal"] is True


@test
def two_spf_records_are_an_error():
    p, f = exchange_finding("spf2.example.test", "spf-multiple", "error")
    assert f["rfc"] == "RFC 7208 \u00a74.5" and len(p["records"]["SPF"]["texts"]) == 2


@test
def missing_domain():
    p, f = exchange_finding("nosuch.example.test", "domain-nxdomain", "error")
    assert p["mode"] == "none" and p["steps"] == []


@test
def knot_sees_the_changed_mx():
    p = run_json(["@" + KNOT, "--mx", "example.test"])
    assert [names(s) for s in p["steps"]] == [["mx1.example.test."], ["mx3.example.test."]]
    assert p["steps"][1]["preference"] == 30


@test
def authoritative_servers_disagreeing_on_mx_is_named():
    # Knot's copy has MX 30 mx3 where NSD and BIND have MX 20 mx2 (contrib/lab)
    p = plan("example.test")
    f = [f for f in p["findings"] if f["code"] == "mx-differs"]
    assert f and f[0]["severity"] == "warning", codes(p)
    assert "1 with another answer" in f[0]["message"], f[0]["message"]
    assert "mx-differs" not in codes(plan("group.example.test"))  # the same in all copies


@test
def text_renders_the_same_plan():
    rc, out, err, _ = run(["--text", "@" + UNBOUND, "--mx", "group.example.test"])
    assert rc == 0, err
    no_raw_control(out.replace("\u00a7".encode(), b""))
    text = out.decode()
    assert "MX failover plan for group.example.test. (mode: mx)" in text, text
    assert "any order: mxa.example.test., mxb.example.test., mxc.example.test." in text
    assert "step 2  pref 20  mx2.example.test." in text
    rc, out, err, _ = run(["--text", "@" + UNBOUND, "--mx", "nullmx.example.test"])
    assert "accepts no mail" in out.decode()


@test
def bad_targets_are_usage_errors():
    for target in ("@example.test", "user@", "a..b"):
        rc, out, err, _ = run(["--json", "@" + UNBOUND, "--mx", target])
        assert rc == 1 and err.startswith(b"dnsdeck: "), (target, rc, err)


def listener(addr, mode, log=None):
    args = [sys.executable, os.path.join(HERE, "..", "smtp_listener.py"), "--listen",
            addr + ":25", "--mode", mode]
    if log:
        args += ["--log", log]
    errlog = os.path.join(TMP, "listener-%s.err" % addr)
    with open(errlog, "w") as err:
        p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, text=True)
    line = p.stdout.readline()
    if line.strip() != "ready":
        p.kill()
        with open(errlog) as err:
            raise AssertionError("SMTP listener on %s did not start: %s" % (addr, err.read()))
    return p


@test
def smtp_probe_finds_the_first_reachable_exchange():
    log = os.path.join(TMP, "smtp3.log")
    silent = listener("127.0.53.25", "silent")
    answer = listener("127.0.53.27", "answer", log)
    try:
        p = plan("smtp-lab.example.test", "--smtp")
    finally:
        for proc in (silent, answer):
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=5)
    ex = [s["exchanges"][0] for s in p["steps"]]
    assert [x["name"] for x in ex] == ["smtp1.example.test.", "smtp2.example.test.",
                                       "smtp3.example.test."]
    st = [x["addresses"][0]["smtp"]["status"] for x in ex]
    assert st == ["timed out", "refused", "reachable"], st
    s3 = ex[2]["addresses"][0]["smtp"]
    assert s3["greeting_code"] == 220 and s3["starttls"] is True, s3
    assert p["smtp"]["first_reachable"] == "smtp3.example.test.", p["smtp"]
    summary = p["smtp"]["summary"]
    assert "smtp1.example.test. (timed out)" in summary and "smtp2.example.test. (refused)" \
        in summary, summary
    with open(log) as f:
        commands = f.read()
    assert "EHLO" in commands and "QUIT" in commands and "MAIL" not in commands, commands


finish("mx")
