#!/usr/bin/env python3
"""smtp_listener.py -- a scripted SMTP listener on loopback for dnsdeck's integration tests.

    smtp_listener.py --listen ADDR:PORT --mode answer|silent [--banner TEXT] [--log FILE]

answer  a minimal SMTP server: "220 <banner>" on connect (a banner with newlines becomes a
        multi-line "220-" greeting); EHLO -> 250 with PIPELINING, SIZE and STARTTLS;
        QUIT -> 221 and close; anything else -> 502. It never relays or accepts mail.
silent  accepts connections and never writes a byte (for timeout tests).

Every command line received (either mode) is appended to --log, one per line, CR/LF removed
and other bytes outside printable ASCII written as \\DDD. Once listening it prints "ready"
on stdout (and "port N" when PORT was 0) and flushes. It serves any number of connections
until SIGTERM or SIGINT, then exits 0.

HARD RULE: ADDR must be a literal IPv4 address in 127.0.0.0/8. Anything else (a host name,
0.0.0.0, ::1, a public address) is refused with exit status 2, so no traffic from these tests
can ever leave loopback. Standard library only.
"""

import argparse
import asyncio
import ipaddress
import signal
import sys

LINE_MAX = 4096  # octets of one command line before the connection is dropped
LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
EHLO_EXTENSIONS = ("PIPELINING", "SIZE 10240000", "STARTTLS")


def fail(msg, status=2):
    print(f"smtp_listener: {msg}", file=sys.stderr)
    sys.exit(status)


def parse_listen(text):
    """ADDR:PORT with ADDR a literal IPv4 address in 127.0.0.0/8; exits 2 otherwise."""
    host, sep, port = text.rpartition(":")
    if not sep or not host:
        fail(f"--listen wants ADDR:PORT, got {text!r}")
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        fail(f"refusing {host!r}: --listen takes a literal address in 127.0.0.0/8, not a name")
    if addr.version != 4 or addr not in LOOPBACK:
        fail(f"refusing {host}: only 127.0.0.0/8 may be bound (no traffic outside loopback)")
    portnum = int(port) if port.isascii() and port.isdigit() else -1
    if not 0 <= portnum <= 65535:
        fail(f"bad port {port!r}")
    return str(addr), portnum


def printable(raw):
    """Untrusted bytes as printable ASCII, the rest as \\DDD (backslash too)."""
    return "".join(chr(b) if 0x20 <= b <= 0x7E and b != 0x5C else f"\\{b:03d}" for b in raw)


class Listener:
    def __init__(self, mode, banner, log):
        self.mode = mode
        self.banner_lines = banner.split("\n")
        self.log = log
        self.clients = {}  # task -> its writer, to close them all on SIGTERM

    def record(self, line):
        if self.log is not None:
            self.log.write(printable(line) + "\n")
            self.log.flush()

    def greeting(self):
        last = len(self.banner_lines) - 1
        return "".join(
            f"220{' ' if i == last else '-'}{text}\r\n" for i, text in enumerate(self.banner_lines)
        ).encode("ascii", "replace")

    def answer(self, line):
        """The reply to one command line, and whether to close afterwards."""
        verb = line.split(b" ", 1)[0].upper()
        if verb == b"EHLO":
            name = self.banner_lines[0].split(" ", 1)[0] or "listener.test"
            lines = [name, *EHLO_EXTENSIONS]
            out = "".join(f"250{'-' if i < len(lines) - 1 else ' '}{t}\r\n"
                          for i, t in enumerate(lines))
            return out.encode("ascii", "replace"), False
        if verb == b"QUIT" and line.strip().upper() == b"QUIT":
            return b"221 2.0.0 bye\r\n", True
        return b"502 5.5.2 command not implemented\r\n", False

    async def serve(self, reader, writer):
        task = asyncio.current_task()
        self.clients[task] = writer
        try:
            if self.mode == "answer":
                writer.write(self.greeting())
                await writer.drain()
            while True:
                try:
                    raw = await reader.readuntil(b"\n")
                except asyncio.IncompleteReadError:
                    break  # peer closed (a partial line is dropped)
                except asyncio.LimitOverrunError:
                    break  # over-long line: drop the connection
                line = raw.rstrip(b"\r\n")
                self.record(line)
                if self.mode != "answer":
                    continue
                reply, close = self.answer(line)
                writer.write(reply)
                await writer.drain()
                if close:
                    break
        except (ConnectionError, OSError):
            pass
        finally:
            self.clients.pop(task, None)
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, OSError):
                pass


async def run(addr, port, listener):
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        server = await asyncio.start_server(
            listener.serve, host=addr, port=port, limit=LINE_MAX, reuse_address=True
        )
    except OSError as e:
        fail(f"cannot listen on {addr}:{port}: {e.strerror}", 1)
    bound = server.sockets[0].getsockname()
    print("ready", flush=True)
    if port == 0:
        print(f"port {bound[1]}", flush=True)
    async with server:
        await stop.wait()
        server.close()
        # Closing a client's transport ends its reader with EOF, so each handler finishes
        # on its own (cancelling them makes asyncio log the cancellations).
        for writer in list(listener.clients.values()):
            writer.close()
        if listener.clients:
            await asyncio.wait(list(listener.clients), timeout=2)


def main():
    ap = argparse.ArgumentParser(description="Scripted SMTP listener on 127.0.0.0/8 only.")
    ap.add_argument("--listen", required=True, metavar="ADDR:PORT")
    ap.add_argument("--mode", required=True, choices=("answer", "silent"))
    ap.add_argument("--banner", default="listener.test ESMTP dnsdeck test listener")
    ap.add_argument("--log", metavar="FILE")
    args = ap.parse_args()
    addr, port = parse_listen(args.listen)
    if any(c in args.banner for c in "\r\0"):
        fail("--banner may not contain CR or NUL (use newlines for a multi-line greeting)")
    log = open(args.log, "a", encoding="ascii") if args.log else None
    try:
        asyncio.run(run(addr, port, Listener(args.mode, args.banner, log)))
    finally:
        if log is not None:
            log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
