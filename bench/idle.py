#!/usr/bin/env python3
"""bench/idle.py - what idle costs: dnsdeck's full-screen view with 50 TTL countdowns on
screen and nothing arriving, against `watch -n1 dig` doing the same job (showing the same
50 RRs' remaining TTLs, refreshed every second), measured over the same window in one run.

Both run in a private tmux server (a real terminal), asking the lab's Unbound (127.0.53.53)
for many.example.test A (50 A RRs, TTL 3600: nothing expires during the window). After a
settle time, for WINDOW seconds:
  * dnsdeck: CPU (utime + stime from /proc/PID/stat) and wake-ups (voluntary context
    switches from /proc/PID/status: the process went to sleep and was woken) of the one
    process, and the involuntary switches (preemptions) beside them;
  * watch -n1 dig: CPU of watch itself plus every dig it ran (each dig is wrapped in
    /usr/bin/time, whose own cost is NOT counted: the figures favour dig), and wake-ups the
    same way (watch's voluntary switches plus each dig's, %w of time(1)).
Prints one table and the ratios; exits 1 if dnsdeck exceeds the goal (2 wake-ups a second,
1 % of a core). Only loopback is ever asked.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

CLK = os.sysconf("SC_CLK_TCK")
NAME = "many.example.test"
SERVER = "127.0.53.53"


def proc_cpu(pid, children=False):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is state (field 3); utime = field 14, stime 15, cutime 16, cstime 17
    t = int(fields[11]) + int(fields[12])
    if children:
        t += int(fields[13]) + int(fields[14])
    return t / CLK


def proc_switches(pid):
    """(voluntary, involuntary) context switches. A voluntary one is the process going to
    sleep (epoll_wait, a blocking call): one per wake-up. An involuntary one is the
    scheduler preempting it, here mostly for the terminal (tmux) that its writes woke."""
    v = n = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("voluntary_ctxt_switches:"):
                v = int(line.split()[1])
            elif line.startswith("nonvoluntary_ctxt_switches:"):
                n = int(line.split()[1])
    return v, n


def tmux(sock, *args, check=True):
    return subprocess.run(["tmux", "-L", sock] + list(args), check=check,
                          capture_output=True, text=True)


def pane_pid(sock, sess):
    return int(tmux(sock, "display-message", "-p", "-t", sess, "#{pane_pid}").stdout)


def child_named(pid, comm, timeout=5):
    """The first descendant of pid whose command name is comm."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % d) as f:
                    st = f.read()
            except OSError:
                continue
            c = st[st.index("(") + 1:st.rindex(")")]
            ppid = int(st.rsplit(")", 1)[1].split()[1])
            if c == comm and (ppid == pid or int(d) == pid):
                return int(d)
        time.sleep(0.05)
    raise RuntimeError("no %s process under %d" % (comm, pid))


def screen(sock, sess):
    return tmux(sock, "capture-pane", "-p", "-t", sess).stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dnsdeck", default=os.path.join(os.path.dirname(__file__), "..", "src",
                                                      "dnsdeck"))
    ap.add_argument("--window", type=float, default=30.0, help="seconds measured (30)")
    ap.add_argument("--settle", type=float, default=3.0, help="seconds before measuring (3)")
    a = ap.parse_args()
    for tool in ("tmux", "watch", "dig"):
        if not shutil.which(tool):
            print("idle.py: needs %s" % tool, file=sys.stderr)
            return 2
    if not os.path.exists("/usr/bin/time"):
        print("idle.py: needs /usr/bin/time (Debian package time)", file=sys.stderr)
        return 2
    chk = subprocess.run(["dig", "@" + SERVER, NAME, "A", "+short", "+time=1", "+tries=1"],
                         capture_output=True, text=True)
    if len(chk.stdout.split()) != 50:
        print("idle.py: the lab does not answer 50 A RRs for %s on %s (contrib/lab/start.sh)"
              % (NAME, SERVER), file=sys.stderr)
        return 2
    tmp = tempfile.mkdtemp(prefix="dnsdeck-idle-")
    resolv = os.path.join(tmp, "resolv.conf")
    with open(resolv, "w") as f:
        f.write("nameserver %s\n" % SERVER)
    diglog = os.path.join(tmp, "dig.log")
    sock = "dnsdeck-idle-%d" % os.getpid()
    try:
        dd = os.path.abspath(a.dnsdeck)
        tmux(sock, "new-session", "-d", "-s", "dd", "-x", "120", "-y", "70",
             "env LC_ALL=C.UTF-8 %s --resolv-conf %s @%s %s A" % (dd, resolv, SERVER, NAME))
        cmd = ("/usr/bin/time -a -o %s -f '%%e %%U %%S %%w %%c' dig @%s %s A"
               % (diglog, SERVER, NAME))
        tmux(sock, "new-session", "-d", "-s", "w", "-x", "120", "-y", "70",
             "watch -n1 \"%s\"" % cmd)
        ddpid = child_named(pane_pid(sock, "dd"), "dnsdeck")
        wpid = child_named(pane_pid(sock, "w"), "watch")
        time.sleep(a.settle)
        rows = sum(1 for l in screen(sock, "dd").splitlines()
                   if l.startswith(" many.example.test.") and " IN " in l)
        if rows < 50:
            print("idle.py: only %d countdown rows on dnsdeck's screen" % rows, file=sys.stderr)
            return 1
        open(diglog, "w").close()
        d0, s0 = proc_cpu(ddpid), proc_switches(ddpid)
        w0, ws0 = proc_cpu(wpid, children=False), proc_switches(wpid)
        t0 = time.monotonic()
        time.sleep(a.window)
        d1, s1 = proc_cpu(ddpid), proc_switches(ddpid)
        w1, ws1 = proc_cpu(wpid, children=False), proc_switches(wpid)
        span = time.monotonic() - t0
        digs = [l.split() for l in open(diglog) if len(l.split()) == 5]
        dig_cpu = sum(float(x[1]) + float(x[2]) for x in digs)
        dig_sw = sum(int(x[3]) for x in digs)
        dig_inv = sum(int(x[4]) for x in digs)
    finally:
        tmux(sock, "kill-server", check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    dd_cpu, dd_wake, dd_inv = d1 - d0, s1[0] - s0[0], s1[1] - s0[1]
    wt_cpu, wt_wake = (w1 - w0) + dig_cpu, (ws1[0] - ws0[0]) + dig_sw
    wt_inv = (ws1[1] - ws0[1]) + dig_inv
    print("idle cost over %.1f s, 50 TTL countdowns on screen (%s A via %s)"
          % (span, NAME, SERVER))
    print("%-20s %8s %12s %14s %16s" % ("", "CPU s", "% of a core", "wake-ups / s",
                                          "preempted / s"))
    print("%-20s %8.3f %12.2f %14.2f %16.2f" % ("dnsdeck (TUI)", dd_cpu, 100 * dd_cpu / span,
                                                dd_wake / span, dd_inv / span))
    print("%-20s %8.3f %12.2f %14.2f %16.2f   (%d dig runs)"
          % ("watch -n1 dig", wt_cpu, 100 * wt_cpu / span, wt_wake / span, wt_inv / span,
             len(digs)))
    cr = dd_cpu / wt_cpu if wt_cpu > 0 else float("nan")
    wr = dd_wake / wt_wake if wt_wake > 0 else float("nan")
    print("ratio dnsdeck / watch-dig: CPU %.3f, wake-ups %.3f" % (cr, wr))
    ok = dd_wake / span <= 2.0 and 100 * dd_cpu / span < 1.0
    print("goal (<= 2 wake-ups/s, < 1 %% of a core): %s" % ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
