#!/usr/bin/python3
"""Scripted DNS responder on many loopback addresses (for bench/propagation.sh).

Serves N addresses of 127.0.0.0/8 -- 127.0.54.1 ... 127.0.54.254, then
127.0.55.1 ... and so on (host octets .0 and .255 are skipped) -- on UDP port
53, and on TCP too with --tcp.  Every address answers every query, after a
fixed delay (--delay-ms), as an authoritative server (AA = 1, RA = 0) for a
zone whose apex is the name asked:

  * A (or ANY): one A RR, QNAME 300 IN A --a-rdata (default 192.0.2.1);
  * SOA: one SOA RR with the serial --serial (the last --behind servers serve
    --serial minus 1, so a comparison has something to find);
  * any other type: NODATA (NOERROR, no answer, the SOA in the authority
    section, RFC 2308 section 2.2).

Queries that are not a standard query with exactly one question (QR = 0,
OPCODE 0, QDCOUNT 1) get NOTIMP or FORMERR when the header is readable and are
dropped otherwise.  The delay is counted from the moment the datagram is read;
replies are built once per distinct question (a cache keyed by the question,
RD and whether the query had EDNS), so a burst of hundreds of queries is not
delayed by the responder's own parsing.  One asyncio loop runs every socket.

It prints "ready" on stdout once every socket is bound and exits 0 on SIGTERM
or SIGINT.  Exit status: 0 after a signal; 1 when a socket cannot be bound
(address in use, no permission for port 53); 2 for a usage error, which
includes any address outside 127.0.0.0/8: this program never binds anything
but loopback.

Usage:
  tests/responder.py -n 200 --delay-ms 100          # 127.0.54.1 ... 127.0.54.200
  tests/responder.py -n 500 --tcp --serial 7 --behind 3
  tests/responder.py -n 300 --print-addresses       # list them and exit

Needs python3-dnspython (Debian's, in /usr/bin/python3).
"""
import argparse
import asyncio
import ipaddress
import resource
import signal
import struct
import sys

import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
CACHE_MAX = 4096  # distinct questions whose replies are kept


def die(msg, code=2):
    print(f"responder.py: {msg}", file=sys.stderr)
    sys.exit(code)


def addresses(first, n):
    """n loopback addresses from first on, skipping host octets 0 and 255.
    Exits 2 when one would fall outside 127.0.0.0/8."""
    out = []
    a = first
    while len(out) < n:
        if a not in LOOPBACK:
            die(f"address {a} is outside 127.0.0.0/8; refusing")
        if a.packed[3] not in (0, 255):
            out.append(a)
        a += 1
    return out


def parse_args():
    p = argparse.ArgumentParser(
        prog="tests/responder.py",
        description="Answer DNS queries on N loopback addresses after a "
                    "fixed delay (127.0.0.0/8 only).")
    p.add_argument("-n", "--count", type=int, default=1, metavar="N",
                   help="addresses to serve (default 1)")
    p.add_argument("--first", default="127.0.54.1", metavar="ADDR",
                   help="first address (default 127.0.54.1); every "
                        "address must be in 127.0.0.0/8")
    p.add_argument("--port", type=int, default=53,
                   help="port (default 53)")
    p.add_argument("--delay-ms", type=float, default=100.0, metavar="MS",
                   help="delay before each reply in ms (default 100)")
    p.add_argument("--tcp", action="store_true",
                   help="serve TCP (RFC 7766 framing) as well as UDP")
    p.add_argument("--serial", type=int, default=2026112102,
                   help="SOA serial (default 2026112102)")
    p.add_argument("--behind", type=int, default=0, metavar="K",
                   help="the last K addresses serve serial - 1 (default 0)")
    p.add_argument("--a-rdata", default="192.0.2.1", metavar="ADDR",
                   help="the address in A answers (default 192.0.2.1)")
    p.add_argument("--print-addresses", action="store_true",
                   help="print the addresses, one a line, and exit")
    a = p.parse_args()
    if a.count < 1:
        p.error("-n must be at least 1")
    if not 0 < a.port < 65536:
        p.error("--port must be 1..65535")
    if a.delay_ms < 0:
        p.error("--delay-ms must not be negative")
    if not 0 <= a.serial < 2 ** 32:
        p.error("--serial must be 0..4294967295")
    if not 0 <= a.behind <= a.count:
        p.error("--behind must be 0..N")
    try:
        first = ipaddress.IPv4Address(a.first)
    except ValueError:
        p.error(f"--first {a.first!r}: give an IPv4 address in 127.0.0.0/8")
    if first not in LOOPBACK:
        die(f"--first {first} is outside 127.0.0.0/8; refusing")
    try:
        ipaddress.IPv4Address(a.a_rdata)
    except ValueError:
        p.error(f"--a-rdata {a.a_rdata!r}: give an IPv4 address")
    a.addrs = addresses(first, a.count)
    return a


def question_end(data):
    """Offset just past the one question of a query, or None when it is not
    readable (compression is not valid in a query's question)."""
    pos = 12
    while pos < len(data):
        n = data[pos]
        if n == 0:
            end = pos + 1 + 4
            return end if end <= len(data) else None
        if n & 0xC0:
            return None
        pos += 1 + n
    return None


class Zone:
    """Builds and caches the reply of each distinct question for one
    serial."""

    def __init__(self, serial, a_rdata):
        self.serial = serial
        self.a_rdata = a_rdata
        self.cache = {}

    def reply(self, data):
        """The reply to a query's wire bytes, or None to drop it."""
        if len(data) < 12:
            return None
        qid, flags, qdcount, _, _, arcount = struct.unpack("!6H", data[:12])
        if flags & 0x8000:  # a response: never answer it
            return None
        opcode = (flags >> 11) & 0xF
        if opcode != 0 or qdcount != 1:
            rcode = dns.rcode.NOTIMP if opcode != 0 else dns.rcode.FORMERR
            # header only, QR set, opcode and RD kept
            return struct.pack("!6H", qid, 0x8000 | (flags & 0x7900) | rcode,
                               0, 0, 0, 0)
        end = question_end(data)
        if end is None:
            return None
        key = (bytes(data[12:end]), flags & 0x0100, arcount > 0)
        wire = self.cache.get(key)
        if wire is None:
            wire = self.build(data)
            if wire is None:
                return None
            if len(self.cache) >= CACHE_MAX:
                self.cache.clear()
            self.cache[key] = wire
        return data[:2] + wire[2:]

    def build(self, data):
        try:
            q = dns.message.from_wire(data)
        except Exception:  # anything dnspython cannot read is dropped
            return None
        r = dns.message.make_response(q)
        r.flags |= dns.flags.AA
        r.flags &= ~dns.flags.RA
        question = q.question[0]
        name, qtype = question.name, question.rdtype
        soa = dns.rrset.from_text(
            name, 3600, dns.rdataclass.IN, dns.rdatatype.SOA,
            f"ns1.{name} hostmaster.{name} {self.serial} 3600 900 604800 300")
        if qtype in (dns.rdatatype.A, dns.rdatatype.ANY):
            r.answer.append(dns.rrset.from_text(
                name, 300, dns.rdataclass.IN, dns.rdatatype.A, self.a_rdata))
        elif qtype == dns.rdatatype.SOA:
            r.answer.append(soa)
        else:
            r.authority.append(soa)
        return r.to_wire()


class Udp(asyncio.DatagramProtocol):
    def __init__(self, zone, delay):
        self.zone = zone
        self.delay = delay
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        loop = asyncio.get_running_loop()
        due = loop.time() + self.delay
        wire = self.zone.reply(data)
        if wire is not None:
            loop.call_at(due, self.send, wire, addr)

    def send(self, wire, addr):
        if not self.transport.is_closing():
            self.transport.sendto(wire, addr)

    def error_received(self, exc):
        pass  # ICMP errors for replies to clients that left: nothing to do


def tcp_handler(zone, delay):
    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readexactly(2)
                data = await reader.readexactly(struct.unpack("!H", head)[0])
                due = asyncio.get_running_loop().time() + delay
                wire = zone.reply(data)
                if wire is None:
                    continue
                await asyncio.sleep(max(0.0, due - asyncio.get_running_loop().time()))
                writer.write(struct.pack("!H", len(wire)) + wire)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
    return handle


def raise_nofile(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        new = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))


async def serve(a):
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    delay = a.delay_ms / 1000.0
    current = Zone(a.serial, a.a_rdata)
    older = Zone((a.serial - 1) % 2 ** 32, a.a_rdata)
    closers = []
    try:
        for i, addr in enumerate(a.addrs):
            # addresses() checked it; check again right where we bind
            assert addr in LOOPBACK
            zone = older if i >= a.count - a.behind else current
            host = str(addr)
            tr, _ = await loop.create_datagram_endpoint(
                lambda z=zone: Udp(z, delay), local_addr=(host, a.port))
            closers.append(tr.close)
            if a.tcp:
                srv = await asyncio.start_server(
                    tcp_handler(zone, delay), host, a.port, reuse_address=True)
                closers.append(srv.close)
    except OSError as e:
        for c in closers:
            c()
        die(f"cannot bind {host} port {a.port}: {e.strerror}", 1)
    print("ready", flush=True)
    await stop.wait()
    for c in closers:
        c()


def main():
    a = parse_args()
    if a.print_addresses:
        for addr in a.addrs:
            print(addr)
        return 0
    raise_nofile(a.count * (2 if a.tcp else 1) + 64)
    asyncio.run(serve(a))
    return 0


if __name__ == "__main__":
    sys.exit(main())
