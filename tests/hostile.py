#!/usr/bin/python3
"""Scripted hostile DNS responder for the hostile-responder tests (issue 6).

Listens on 127.0.56.1 port 53, UDP and TCP, and answers each query according
to a scenario: malformed packets, forged replies, TCP tricks, bytes meant for
a terminal, silence.  The scenario is the label just left of "hostile.test."
in the question name, so `wrongid.hostile.test A` (and, for --mx, also
`_dmarc.wrongid.hostile.test TXT` or `mx.wrongid.hostile.test A`) all get the
"wrongid" treatment.  Every scenario also has an address of its own,
127.0.56.10 upwards ("pinned"), where it applies to every question whatever
the name: that is how a comparison (-C) or the TUI puts a lab server and
several hostile ones side by side on the same name.  The pinned addresses are
printed on stdout as "pin ADDRESS SCENARIO" lines before "ready".

The good reply comes from dnspython: an authoritative answer for the zone
SCENARIO.hostile.test (A 198.51.100.56, MX 10 mx.ZONE, TXT "v=spf1 -all",
SOA, NS ns.ZONE whose A is 127.0.56.1; other names NXDOMAIN), or for
example.test on a pinned address the lab's old copy (MX 10 mx1 / 20 mx2,
serial 2026112101), REFUSED for anything else.  The data in these answers
(198.51.100.0/24, 203.0.113.0/24) is never contacted.  Malformed packets are
written by hand as bytes around the good reply's header and question: that is
the point of the test.

Scenarios (SCENARIO-good = the same bad packet, then the good reply 50 ms
later, for the first twelve kinds below; the first three always do that):
  wrongid    a reply with another ID and forged data (A 203.0.113.66)
  wrongq     a reply to another question (forged.ZONE) with forged data
  wrongsrc   the forged reply with the right ID and question, sent from
             127.0.56.2 port 53 and from 127.0.56.1 port <other>
  qr0        the reply with QR = 0
  short      the first 7 bytes of the reply (a header cut short)
  cutrr      the message ends inside the answer RR's TTL field
  ptrloop    an owner name that is a compression pointer to itself
  longlabel  an owner name with a 64-octet label (length byte 0x40)
  longname   an owner name of 306 octets (5 labels of 60)
  rdlen      RDLENGTH 200 with 4 octets of rdata left
  counts     ANCOUNT 3, NSCOUNT 2, ARCOUNT 2 with one RR present
  trailing   a valid reply followed by 16 bytes of garbage (ESC, NUL, C1)
  tc         UDP: TC = 1 and no answer; TCP: the whole answer
  tcpslow    TC = 1; TCP: the reply written one byte at a time, 5 ms apart
  tcp65535   TC = 1; TCP: length prefix 65535 and 10 bytes, then silence
  tcphang    TC = 1; TCP: reads the query, never answers, never closes
  tcpclose   TC = 1; TCP: the length prefix and half the reply, then it closes
  tcp2000    TC = 1; TCP: 2000 A RRs (198.18.0.0/15, RFC 2544; data only)
  escape     owner names, CNAME/MX/NS targets, TXT, NSID and EDE text full of
             ESC/CSI/OSC sequences, C1 bytes (0x80-0x9f), NUL, DEL and
             invalid UTF-8
  silent     never answers, over UDP or TCP
Over TCP the malformed and forged scenarios send the same packets framed
(RFC 7766 §8), the tc* ones do what is listed, silent says nothing.

Only 127.0.56.0/24 is ever bound (checked where each socket is made).  Prints
"ready" once every socket is bound; exits 0 on SIGTERM/SIGINT, 1 when a socket
cannot be bound, 2 on a usage error.  -v logs each query on stderr.

Usage:  /usr/bin/python3 tests/hostile.py [-v]
Needs python3-dnspython (Debian's, in /usr/bin/python3).
"""
import argparse
import asyncio
import ipaddress
import signal
import socket
import struct
import sys

import dns.edns
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TXT
import dns.rrset

NET = ipaddress.ip_network("127.0.56.0/24")
MAIN = "127.0.56.1"     # scenario from the question name
ALT = "127.0.56.2"      # the "other source address" of wrongsrc
PIN_FIRST = 10          # 127.0.56.10 ... one address per scenario
PORT = 53
DELAY_GOOD = 0.05       # seconds between a bad packet and the good reply
BYTE_GAP = 0.005        # seconds between the bytes of tcpslow
SUFFIX = dns.name.from_text("hostile.test.")
LAB = dns.name.from_text("example.test.")
LAB_SOA = "ns1.example.test. hostmaster.example.test. 2026112101 3600 900 1209600 300"

# Bad packets that can be followed by the good reply ("-good"), then the rest.
BAD = ["qr0", "short", "cutrr", "ptrloop", "longlabel", "longname", "rdlen", "counts",
       "trailing"]
FORGED = ["wrongid", "wrongq", "wrongsrc"]
OTHER = ["tc", "tcpslow", "tcp65535", "tcphang", "tcpclose", "tcp2000", "escape", "silent"]
SCENARIOS = FORGED + BAD + [b + "-good" for b in BAD] + OTHER

TRAILING = b"\x1b[2J\x00garbage\x9b\x85\xff\x07"  # 16 bytes after a valid message

# Labels a terminal would act on: CSI clear screen, OSC title, OSC 52 clipboard, C1 CSI
# and NEL, invalid UTF-8 (lone continuation, overlong, truncated sequence), NUL, BS, DEL.
EVIL = [b"\x1b[2J\x1b[H", b"\x1b]0;owned\x07", b"\x9b31m\x85\x8d", b"\xff\xfe\xc3(\xc0\xaf",
        b"\x1b]52;c;aGk=\x07", b"\x00\x08\x7f\x1b\\"]
EVIL_TXT = [b"\x1b[31mred\x1b[0m", b"\x1b]8;;http://x/\x07link\x1b]8;;\x07", b"\x9b2J\x90q\x9c",
            b"\xe2\x80\xae\xed\xa0\x80\xf8\x88\x80\x80\x80", b"\x07\x00\x7f\r\n\t"]


def die(msg, code=2):
    print(f"hostile.py: {msg}", file=sys.stderr)
    sys.exit(code)


def pinned():
    """{address: scenario} for the pinned addresses."""
    return {f"127.0.56.{PIN_FIRST + i}": s for i, s in enumerate(SCENARIOS)}


def scenario_of(qname):
    """(scenario, zone apex) from a question name, or (None, None) outside hostile.test."""
    if not qname.is_subdomain(SUFFIX) or len(qname) <= len(SUFFIX):
        return None, None
    label = qname.relativize(SUFFIX).labels[-1]
    apex = dns.name.Name((label,) + SUFFIX.labels)
    s = label.decode("ascii", "replace").lower()
    return (s if s in SCENARIOS else None), apex


def evil_name(i, apex):
    return dns.name.Name((EVIL[i % len(EVIL)],) + apex.labels)


def add(section, name, rtype, *rdata, ttl=300):
    section.append(dns.rrset.from_text(name, ttl, dns.rdataclass.IN, rtype, *rdata))


def escape_answer(r, qname, qtype, apex):
    """Answers whose every name and string is full of bytes a terminal would act on."""
    ev = evil_name(0, apex)
    if qtype == dns.rdatatype.TXT:
        r.answer.append(dns.rrset.from_rdata(qname, 300, dns.rdtypes.ANY.TXT.TXT(
            dns.rdataclass.IN, dns.rdatatype.TXT, EVIL_TXT)))
    elif qtype == dns.rdatatype.MX:
        add(r.answer, qname, "MX", *(f"{10 * (i + 1)} {evil_name(i, apex)}"
                                     for i in range(len(EVIL))))
    elif qtype == dns.rdatatype.SOA:
        add(r.answer, qname, "SOA", f"{ev} {evil_name(1, apex)} 1 3600 900 604800 300")
    else:
        add(r.answer, qname, "CNAME", ev.to_text())
        add(r.answer, ev, "A", "198.51.100.56")
    for i in range(len(EVIL)):
        add(r.additional, evil_name(i, apex), "A", f"198.51.100.{60 + i}")
    add(r.authority, apex, "NS", *(evil_name(i, apex).to_text() for i in range(2)))
    if r.edns >= 0:
        r.use_edns(0, 0, 1232, options=[
            dns.edns.GenericOption(dns.edns.OptionType.NSID, b"".join(EVIL)),
            dns.edns.EDEOption(dns.edns.EDECode.OTHER, "\x1b[31mred\x1b]0;title\x07\x9b2J")])


def answer(r, qname, qtype, apex, scen, forged):
    """Fill response r for the question with the good (or forged) data."""
    if scen == "escape" and not forged:
        escape_answer(r, qname, qtype, apex or qname)
        return
    if apex is None:  # a pinned address asked about the lab's zone, or anything else
        if qname == LAB and qtype in (dns.rdatatype.MX, dns.rdatatype.SOA):
            if qtype == dns.rdatatype.MX:
                add(r.answer, qname, "MX", "10 mx1.example.test.", "20 mx2.example.test.",
                    ttl=3600)
            else:
                add(r.answer, qname, "SOA", LAB_SOA, ttl=3600)
        elif qname.is_subdomain(LAB):
            if qname != LAB:
                r.set_rcode(dns.rcode.NXDOMAIN)
            add(r.authority, LAB, "SOA", LAB_SOA, ttl=300)
        else:
            r.set_rcode(dns.rcode.REFUSED)
        return
    soa = f"ns.{apex} hostmaster.{apex} 1 3600 900 604800 300"
    if forged:
        add(r.answer, qname, "A" if qtype != dns.rdatatype.MX else "MX",
            "203.0.113.66" if qtype != dns.rdatatype.MX else f"10 forged.{apex}")
        return
    if scen == "tcp2000" and qtype == dns.rdatatype.A:
        add(r.answer, qname, "A", *(f"198.18.{i // 256}.{i % 256}" for i in range(2000)))
        return
    host = qname.relativize(apex).to_text() if qname != apex else "@"
    if host == "@":
        rdata = {dns.rdatatype.A: ("A", "198.51.100.56"), dns.rdatatype.MX:
                 ("MX", f"10 mx.{apex}"), dns.rdatatype.TXT: ("TXT", '"v=spf1 -all"'),
                 dns.rdatatype.SOA: ("SOA", soa), dns.rdatatype.NS: ("NS", f"ns.{apex}")}
    elif host in ("ns", "mx"):
        rdata = {dns.rdatatype.A: ("A", "127.0.56.1" if host == "ns" else "198.51.100.56")}
    else:
        r.set_rcode(dns.rcode.NXDOMAIN)
        rdata = {}
    if qtype in rdata:
        add(r.answer, qname, *rdata[qtype])
    else:
        add(r.authority, apex, "SOA", soa)


def reply(q, scen, apex, forged=False, qname=None):
    """Wire bytes of the good (or forged) reply to query q."""
    r = dns.message.make_response(q)
    r.flags |= dns.flags.AA
    r.flags &= ~dns.flags.RA
    question = q.question[0]
    if qname is not None:  # a reply to another question
        r.question = [dns.rrset.RRset(qname, question.rdclass, question.rdtype)]
    answer(r, qname or question.name, question.rdtype, apex, scen, forged)
    return r.to_wire(max_size=65535)


def malformed(kind, good, qname):
    """A hand-made bad variant of the good reply to qname (same ID, flags and question)."""
    qid, flags = good[:2], struct.unpack("!H", good[2:4])[0]
    qoff = 12  # the question follows the header, its name never compressed
    question = good[qoff:qoff + len(qname.to_wire()) + 4]

    def msg(rrs, an=1, ns=0, ar=0, fl=flags):
        return qid + struct.pack("!5H", fl, 1, an, ns, ar) + question + rrs

    fixed = struct.pack("!HHIH", 1, 1, 300, 4)  # type A, class IN, TTL 300, RDLENGTH 4
    rdata = bytes([198, 51, 100, 56])
    ptr_q = struct.pack("!H", 0xC000 | qoff)     # compression pointer to the qname
    if kind == "qr0":
        return good[:2] + struct.pack("!H", flags & 0x7FFF) + good[4:]
    if kind == "short":
        return good[:7]
    if kind == "cutrr":
        return msg(ptr_q + fixed[:6])  # type, class and half the TTL
    if kind == "ptrloop":
        here = 12 + len(question)
        return msg(struct.pack("!H", 0xC000 | here) + fixed + rdata)
    if kind == "longlabel":
        return msg(b"\x40" + b"a" * 64 + b"\x00" + fixed + rdata)
    if kind == "longname":
        return msg((b"\x3c" + b"b" * 60) * 5 + b"\x00" + fixed + rdata)
    if kind == "rdlen":
        return msg(ptr_q + struct.pack("!HHIH", 1, 1, 300, 200) + rdata)
    if kind == "counts":
        return msg(ptr_q + fixed + rdata, an=3, ns=2, ar=2)
    if kind == "trailing":
        return good + TRAILING
    raise ValueError(kind)


def tc_reply(q):
    """TC = 1 and no answer (RFC 2181 §9 lets a server send only what fits)."""
    r = dns.message.make_response(q)
    r.flags |= dns.flags.AA | dns.flags.TC
    r.flags &= ~dns.flags.RA
    return r.to_wire()


class Plan:
    """What one query gets: UDP datagrams [(delay, sender, bytes)], TCP behaviour."""

    def __init__(self, data, scen_pin):
        self.udp = []   # (delay s, "main" | "alt" | "port", wire)
        self.tcp = []   # messages to write, each framed when written
        self.tcp_mode = "write"
        try:
            q = dns.message.from_wire(data)
        except Exception:
            self.scen = None
            return
        question = q.question[0] if q.question else None
        if question is None:
            self.scen = None
            return
        scen, apex = scenario_of(question.name)
        if scen_pin is not None:
            scen = scen_pin
        self.scen = scen
        good = reply(q, scen, apex)
        base = scen[:-5] if scen and scen.endswith("-good") else scen
        if scen in FORGED:
            if scen == "wrongid":
                w = bytearray(reply(q, scen, apex, forged=True))
                w[0] ^= 0x5A
                w[1] ^= 0xA5
                bad = bytes(w)
            elif scen == "wrongq":
                bad = reply(q, scen, apex or LAB, forged=True,
                            qname=dns.name.Name((b"forged",) + (apex or LAB).labels))
            else:
                bad = reply(q, scen, apex or LAB, forged=True)
            senders = ["alt", "port"] if scen == "wrongsrc" else ["main"]
            self.udp = [(0.0, s, bad) for s in senders] + [(DELAY_GOOD * 2, "main", good)]
            self.tcp = [good] if scen == "wrongsrc" else [bad, good]
        elif base in BAD:
            bad = malformed(base, good, question.name)
            self.udp = [(0.0, "main", bad)]
            self.tcp = [bad]
            if scen.endswith("-good"):
                self.udp.append((DELAY_GOOD, "main", good))
                self.tcp.append(good)
        elif scen in ("tc", "tcpslow", "tcp65535", "tcphang", "tcpclose", "tcp2000"):
            self.udp = [(0.0, "main", tc_reply(q))]
            self.tcp = [good]
            self.tcp_mode = {"tcpslow": "slow", "tcp65535": "stall", "tcphang": "hang",
                             "tcpclose": "close"}.get(scen, "write")
        elif scen == "silent":
            self.tcp_mode = "hang"
        else:  # escape, or a name without a scenario
            self.udp = [(0.0, "main", good)]
            self.tcp = [good]


def framed(wire):
    return struct.pack("!H", len(wire)) + wire


class Udp(asyncio.DatagramProtocol):
    def __init__(self, server, addr, pin):
        self.server, self.addr, self.pin = server, addr, pin
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, peer):
        if len(data) < 12 or data[2] & 0x80:  # never answer a response
            return
        plan = Plan(data, self.pin)
        self.server.log(f"udp {self.addr} {plan.scen} from {peer[0]}#{peer[1]}")
        loop = asyncio.get_running_loop()
        for delay, sender, wire in plan.udp:
            tr = self.transport if sender == "main" else self.server.senders[sender]
            loop.call_later(delay, self.send, tr, wire, peer)

    @staticmethod
    def send(tr, wire, peer):
        if not tr.is_closing():
            tr.sendto(wire, peer)

    def error_received(self, exc):
        pass  # ICMP for a client that left


def tcp_handler(server, addr, pin):
    async def handle(reader, writer):
        server.conns.add(writer)
        try:
            while True:
                head = await reader.readexactly(2)
                data = await reader.readexactly(struct.unpack("!H", head)[0])
                plan = Plan(data, pin)
                server.log(f"tcp {addr} {plan.scen} {plan.tcp_mode}")
                if plan.tcp_mode == "hang":
                    await reader.read()  # until the client gives up; never answer
                    return
                if plan.tcp_mode == "close":
                    wire = framed(plan.tcp[0])
                    writer.write(wire[:len(wire) // 2])
                    await writer.drain()
                    return  # finally: closes the connection
                if plan.tcp_mode == "stall":
                    writer.write(b"\xff\xff" + plan.tcp[0][:10])
                    await writer.drain()
                    await reader.read()
                    return
                for wire in plan.tcp:
                    if plan.tcp_mode == "slow":
                        sock = writer.get_extra_info("socket")
                        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                        for b in framed(wire):
                            writer.write(bytes([b]))
                            await writer.drain()
                            await asyncio.sleep(BYTE_GAP)
                    else:
                        writer.write(framed(wire))
                        await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            server.conns.discard(writer)
            writer.close()
    return handle


class Server:
    def __init__(self, verbose):
        self.verbose = verbose
        self.senders = {}
        self.conns = set()
        self.closers = []

    def log(self, msg):
        if self.verbose:
            print(f"hostile.py: {msg}", file=sys.stderr, flush=True)

    async def udp(self, addr, port, pin=None):
        assert ipaddress.ip_address(addr) in NET, addr  # never bind outside 127.0.56.0/24
        tr, _ = await asyncio.get_running_loop().create_datagram_endpoint(
            lambda: Udp(self, addr, pin), local_addr=(addr, port))
        self.closers.append(tr.close)
        return tr

    async def tcp(self, addr, port, pin=None):
        assert ipaddress.ip_address(addr) in NET, addr
        srv = await asyncio.start_server(tcp_handler(self, addr, pin), addr, port,
                                         reuse_address=True)
        self.closers.append(srv.close)

    async def run(self):
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        where = MAIN
        try:
            await self.udp(MAIN, PORT)
            await self.tcp(MAIN, PORT)
            where = ALT
            self.senders["alt"] = await self.udp(ALT, PORT)
            where = MAIN + " (another port)"
            self.senders["port"] = await self.udp(MAIN, 0)
            for addr, scen in pinned().items():
                where = addr
                await self.udp(addr, PORT, scen)
                await self.tcp(addr, PORT, scen)
        except OSError as e:
            for c in self.closers:
                c()
            die(f"cannot bind {where} port {PORT}: {e.strerror}", 1)
        for addr, scen in pinned().items():
            print(f"pin {addr} {scen}")
        print("ready", flush=True)
        await stop.wait()
        for c in self.closers:
            c()
        for w in list(self.conns):
            w.close()


def main():
    p = argparse.ArgumentParser(
        prog="tests/hostile.py",
        description="Hostile DNS responder on 127.0.56.0/24 (see the file's docstring).")
    p.add_argument("-v", "--verbose", action="store_true", help="log each query on stderr")
    a = p.parse_args()
    asyncio.run(Server(a.verbose).run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
