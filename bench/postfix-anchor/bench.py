#!/usr/bin/env python3
"""Anchor SMTP relay benchmark driver (Python standard library only).

Called by run_anchor.sh after the two Postfix instances are set up. Every
socket is on 127.0.0.1; every run is bounded in message count and wall time.

Modes (the next hop of the relay is always counted by smtp-sink on :2526):
  sink      smtp-source -> smtp-sink:2526                     (no relay; the ceiling)
  plain     smtp-source -> relay:2525 -> smtp-sink:2526       (outbound plaintext)
  tls       smtp-source -> relay:2525 =STARTTLS=> tlssink:2527 -> smtp-sink:2526
  tlsreuse  as tls, plus smtp_tls_connection_reuse = yes (Postfix >= 3.4, off by
            default: without it every TLS delivery is a new connection + handshake)
  plainhop  smtp-source -> relay:2525 -> tlssink:2528 -> smtp-sink:2526
            (same extra hop as tls but without TLS: separates TLS cost from hop cost)
  ext       smtp-source -> 127.0.0.1:<--ext-port> (e.g. our gateway, configured to
            relay to 127.0.0.1:2526 plain or 127.0.0.1:2527 STARTTLS) -> smtp-sink:2526;
            CPU of --ext-pid (and its children) is recorded as the relay CPU.
            With --ext-pending-cmd (a shell command printing the number of messages
            the gateway still has to deliver) ext runs wait for an empty queue first
            and record what is left afterwards.

Memory: relay_peak_pss_kb = the highest sum of PSS (proportional set size, so
shared pages are not counted twice) over the relay's processes, sampled every
0.5 s during the run -- comparable between multi-process Postfix and a
single-process gateway. For mode ext also relay_peak_rss_kb = VmHWM of the
gateway process, reset before each run (/proc/PID/clear_refs "5"), i.e. its exact
peak RSS during the run.

Timing per run: t0 = just before smtp-source starts; "accept" = smtp-source
exited (all messages got 250 from the first hop); "done" = smtp-sink's
counter reached the message count (all messages relayed out).
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import signal
import socket
import subprocess
import sys
import time

CLK = os.sysconf("SC_CLK_TCK")
SINK_PORT = 2526
RELAY_PORT = 2525
MODE_SETTINGS = {
    # relay main.cf settings per mode (applied with postconf -e + postfix reload)
    "plain": {"relayhost": "[127.0.0.1]:2526", "smtp_tls_security_level": "none",
              "smtp_tls_connection_reuse": "no"},
    "tls": {"relayhost": "[127.0.0.1]:2527", "smtp_tls_security_level": "encrypt",
            "smtp_tls_connection_reuse": "no"},
    "tlsreuse": {"relayhost": "[127.0.0.1]:2527", "smtp_tls_security_level": "encrypt",
                 "smtp_tls_connection_reuse": "yes"},
    "plainhop": {"relayhost": "[127.0.0.1]:2528", "smtp_tls_security_level": "none",
                 "smtp_tls_connection_reuse": "no"},
}
SIZES = {"1k": 1024, "20k": 20480, "200k": 204800}
QUEUE_SUBDIRS = ("maildrop", "incoming", "active", "deferred", "hold")
SENDER = "sender@origin.bench.test"
RCPT = "rcpt@dest.bench.test"


LIVE_CHILDREN = set()  # PIDs of smtp-sink / smtp-source that this driver started


def _on_signal(signum, _frame):
    for pid in list(LIVE_CHILDREN):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    raise SystemExit(128 + signum)


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------- CPU accounting
def _stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    rest = s[s.rindex(")") + 2:].split()
    # rest[1]=ppid, rest[11]=utime, [12]=stime, [13]=cutime, [14]=cstime
    return int(rest[1]), int(rest[11]) + int(rest[12]), int(rest[13]) + int(rest[14])


def instance_cpu(master_pid):
    """CPU seconds used so far by one Postfix instance: master (including the
    children it has reaped, via cutime/cstime) plus its live children."""
    if not master_pid:
        return 0.0
    try:
        _, own, reaped = _stat(master_pid)
    except OSError:
        return 0.0
    ticks = own + reaped
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            ppid, own, reaped = _stat(int(d))
        except OSError:
            continue
        if ppid == master_pid:
            ticks += own + reaped
    return ticks / CLK


PF_KTHREAD = 0x00200000


def process_table():
    """{pid: (ppid, own+reaped ticks, starttime, is_kernel_thread)} for all processes."""
    table = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue
        rest = s[s.rindex(")") + 2:].split()
        table[int(d)] = (int(rest[1]), sum(int(x) for x in rest[11:15]), int(rest[19]),
                         bool(int(rest[6]) & PF_KTHREAD))
    return table


def _ours(table, roots):
    """PIDs of the given roots and all their descendants."""
    kids = {}
    for pid, (ppid, _, _, _) in table.items():
        kids.setdefault(ppid, []).append(pid)
    out, todo = set(), [r for r in roots if r]
    while todo:
        pid = todo.pop()
        if pid in out:
            continue
        out.add(pid)
        todo.extend(kids.get(pid, []))
    return out


def foreign_cpu(t0, t1, roots):
    """CPU seconds used between two process tables by user-space processes that
    are not ours (not under roots). Children that exited in between are counted
    through their parent's cutime/cstime, minus what they had used before."""
    ours = _ours(t0, roots) | _ours(t1, roots)
    ticks = 0
    for pid, (ppid, tot, start, kthread) in t1.items():
        if kthread or pid in ours:
            continue
        old = t0.get(pid)
        ticks += tot - old[1] if old and old[2] == start else tot
    for pid, (ppid, tot, start, kthread) in t0.items():
        if kthread or pid in ours or pid in t1:
            continue
        if ppid in t1 and ppid not in ours:
            ticks -= tot  # its pre-window CPU is inside the parent's cutime delta
    return max(0, ticks) / CLK


def system_cpu():
    """(busy, iowait) CPU seconds since boot, all cores."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (v + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / CLK, iowait / CLK


def self_cpu():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def wait_quiet(a):
    """Wait (bounded) until the machine is idle apart from us; return the
    busy cores seen in the last 1 s sample and the seconds waited."""
    start = time.monotonic()
    while True:
        b0, _ = system_cpu()
        time.sleep(1.0)
        b1, _ = system_cpu()
        busy = b1 - b0
        waited = time.monotonic() - start
        if busy <= a.quiet_threshold:
            return round(busy, 2), round(waited, 1)
        if waited > a.quiet_wait or a.quiet_spent + waited > a.quiet_budget:
            log(f"machine still busy ({busy:.2f} cores used by other processes); measuring anyway")
            return round(busy, 2), round(waited, 1)
        if waited < 1.5:
            log(f"machine busy ({busy:.2f} cores used by other processes); waiting for quiet")


def tree_pids(root):
    """root and all its live descendants."""
    if not root:
        return set()
    return _ours(process_table(), [root])


def reset_peak_rss(pids):
    """Reset VmHWM to the current RSS (Linux >= 4.0, needs root for other users' processes)."""
    for pid in pids:
        try:
            with open(f"/proc/{pid}/clear_refs", "w") as f:
                f.write("5")
        except OSError:
            pass


def pss_kb(pids):
    """Sum of Pss (kB) over the given live processes (/proc/PID/smaps_rollup)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError):
            pass
    return total


def peak_rss_kb(pids):
    """Sum of VmHWM (kB) over the given live processes."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError):
            pass
    return total


def ext_pending(a):
    """Messages the gateway under test still has to deliver (--ext-pending-cmd), or None."""
    if not a.ext_pending_cmd:
        return None
    try:
        out = subprocess.run(a.ext_pending_cmd, shell=True, capture_output=True, text=True,
                             timeout=60).stdout.strip()
        return int(out.split()[-1]) if out else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def ext_drain(a, timeout):
    """Wait (bounded) until the gateway under test reports an empty queue."""
    end = time.monotonic() + timeout
    n = ext_pending(a)
    while n and time.monotonic() < end:
        time.sleep(1)
        n = ext_pending(a)
    if n:
        log(f"{a.ext_name} still has {n} messages to deliver after {timeout}s")
    return n


def master_pid(queue_dir):
    try:
        with open(os.path.join(queue_dir, "pid", "master.pid")) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return 0


# ---------------------------------------------------------------- helpers
def queue_count(queue_dir):
    n = 0
    for sub in QUEUE_SUBDIRS:
        for _, _, files in os.walk(os.path.join(queue_dir, sub)):
            n += len(files)
    return n


def sink_counters(path):
    """Last 'sess=N quit=N mesg=N' record written by smtp-sink -c."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 200))
            tail = f.read().decode("ascii", "replace")
    except OSError:
        return {}
    for rec in reversed(tail.replace("\n", "\r").split("\r")):
        kv = dict(re.findall(r"(\w+)=(\d+)", rec))
        if "mesg" in kv:
            return {k: int(v) for k, v in kv.items()}
    return {"mesg": 0}


def wait_port(port, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def reap(pid, block):
    """os.wait4 wrapper -> (exited, status, cpu_seconds)."""
    try:
        p, status, ru = os.wait4(pid, 0 if block else os.WNOHANG)
    except ChildProcessError:
        LIVE_CHILDREN.discard(pid)
        return True, None, None
    if p == 0:
        return False, None, None
    LIVE_CHILDREN.discard(pid)
    return True, os.waitstatus_to_exitcode(status), ru.ru_utime + ru.ru_stime


def stop_child(pid, grace=5.0):
    """Terminate a child we started, by its PID; return its CPU seconds."""
    done, code, cpu = reap(pid, False)
    if done:
        return code, cpu
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    end = time.monotonic() + grace
    while time.monotonic() < end:
        done, code, cpu = reap(pid, False)
        if done:
            return code, cpu
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _, code, cpu = reap(pid, True)
    return code, cpu


class LogSlice:
    """Counts lines a Postfix instance logs (maillog_file) during one run."""

    def __init__(self, path):
        self.path = path
        self.start = os.path.getsize(path) if path and os.path.exists(path) else 0

    def read(self):
        if not self.path or not os.path.exists(self.path):
            return ""
        with open(self.path, "rb") as f:
            f.seek(self.start)
            return f.read().decode("utf-8", "replace")


def postconf_set(conf, **kv):
    args = ["postconf", "-c", conf, "-e"] + [f"{k}={v}" for k, v in kv.items()]
    subprocess.run(args, check=True)


def postfix_reload(conf):
    subprocess.run(["postfix", "-c", conf, "reload"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---------------------------------------------------------------- one run
def run_case(a, mode, size_name, conc, count, record=True):
    size = SIZES[size_name]
    sink_file = os.path.join(a.workdir, "sink-counter.out")
    relay_q, tls_q = a.relay_queue, a.tlssink_queue
    if mode not in ("sink", "ext"):
        if queue_count(relay_q):
            log(f"relay queue not empty ({queue_count(relay_q)}); waiting")
            drain(a, 60)
    pending_before = ext_drain(a, 60) if mode == "ext" else None

    with open(sink_file, "wb") as out:
        sink = subprocess.Popen(
            ["smtp-sink", "-u", "postfix", "-c", f"127.0.0.1:{SINK_PORT}", "1024"],
            stdout=out, stderr=subprocess.DEVNULL)
    LIVE_CHILDREN.add(sink.pid)
    if not wait_port(SINK_PORT):
        stop_child(sink.pid)
        raise RuntimeError("smtp-sink did not start")
    time.sleep(0.2)

    if record:
        pre_busy, waited = wait_quiet(a)
        a.quiet_spent += waited
    else:
        pre_busy, waited = None, 0
    rlog = LogSlice(a.relay_log)
    tlog = LogSlice(a.tlssink_log)
    rpid, tpid = master_pid(relay_q), master_pid(tls_q)
    target = f"127.0.0.1:{RELAY_PORT}"
    if mode == "sink":
        target, rpid = f"127.0.0.1:{SINK_PORT}", 0
    elif mode == "ext":
        target, rpid = f"127.0.0.1:{a.ext_port}", a.ext_pid

    if mode == "ext":
        reset_peak_rss(tree_pids(rpid))
    peak_pss = pss_kb(tree_pids(rpid)) if rpid else 0
    next_pss = time.monotonic() + 0.5
    sys0, iow0 = system_cpu()
    relay0, tls0 = instance_cpu(rpid), instance_cpu(tpid)
    roots = [os.getpid(), rpid, tpid]
    ptab0 = process_table()
    me0 = self_cpu()
    t0 = time.monotonic()
    src = subprocess.Popen(
        ["smtp-source", "-s", str(conc), "-m", str(count), "-l", str(size),
         "-f", SENDER, "-t", RCPT, "-M", "client.bench.test", target],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    LIVE_CHILDREN.add(src.pid)
    deadline = t0 + a.run_timeout
    t_accept = t_done = None
    src_code = src_cpu = None
    timed_out = False
    while True:
        now = time.monotonic()
        if t_accept is None:
            done, code, cpu = reap(src.pid, False)
            if done:
                t_accept, src_code, src_cpu = now, code, cpu
        if sink_counters(sink_file).get("mesg", 0) >= count:
            t_done = now
            break
        if now > deadline:
            timed_out = True
            break
        if rpid and now >= next_pss:
            peak_pss = max(peak_pss, pss_kb(tree_pids(rpid)))
            next_pss = now + 0.5
        if t_accept is not None and src_code not in (0, None) and now - t_accept > 30:
            break  # source failed; nothing more is coming
        time.sleep(0.005)
    t_end = time.monotonic()
    sys1, iow1 = system_cpu()
    relay1, tls1 = instance_cpu(rpid), instance_cpu(tpid)
    me1 = self_cpu()
    ptab1 = process_table()
    relay_peak_kb = peak_rss_kb(_ours(ptab1, [rpid])) if rpid and mode == "ext" else None
    if rpid:
        peak_pss = max(peak_pss, pss_kb(_ours(ptab1, [rpid])))

    if t_accept is None:
        src_code, src_cpu = stop_child(src.pid)
        src.returncode = src_code
        t_accept = time.monotonic()
    src_err = src.stderr.read().decode("utf-8", "replace").strip().splitlines()[-3:]
    src.returncode = src_code

    # let Postfix finish and close its cached connections before the sink goes
    left = 0
    if mode != "sink":
        if mode != "ext":
            left = drain(a, 120)
        time.sleep(a.settle)
        if mode == "ext":
            left = ext_pending(a)
    counters = sink_counters(sink_file)
    _, sink_cpu = stop_child(sink.pid)

    rtxt, ttxt = rlog.read(), tlog.read()
    tls_line = re.search(r"TLS connection established to [^:]+:\d+: (.*)", rtxt)
    wall = t_end - t0
    got = counters.get("mesg", 0)
    res = {
        "mode": mode, "size": size_name, "size_bytes": size, "sessions": conc,
        "messages": count, "received": got, "timed_out": timed_out,
        "seconds_done": round(wall, 3),
        "seconds_accept": round(t_accept - t0, 3),
        "msgs_per_s": round(min(got, count) / wall, 1) if wall > 0 else None,
        "MB_per_s": round(min(got, count) * size / wall / 1e6, 2) if wall > 0 else None,
        "accept_msgs_per_s": round(count / (t_accept - t0), 1) if src_code == 0 else None,
        "cpu_s": {
            "relay": round(relay1 - relay0, 2),
            "tlssink_postfix": round(tls1 - tls0, 2),
            "smtp_sink": round(sink_cpu or 0, 2),
            "smtp_source": round(src_cpu or 0, 2),
            "system_busy": round(sys1 - sys0, 2),
            "system_iowait": round(iow1 - iow0, 2),
            "driver": round(me1 - me0, 2),
            "foreign": round(foreign_cpu(ptab0, ptab1, roots), 2),
        },
        "pre_run_busy_cores": pre_busy,
        "quiet_wait_s": waited,
        "sink_sessions": counters.get("sess"),
        "source_exit": src_code,
        "source_stderr": src_err if src_code else [],
        "relay_log": {
            "sent": rtxt.count("status=sent"),
            "deferred": rtxt.count("status=deferred"),
            "bounced": rtxt.count("status=bounced"),
            # count the smtp client's lines only (with connection reuse tlsproxy logs too)
            "tls_out": len(re.findall(r"postfix/smtp\[\d+\]: \S+ TLS connection established to", rtxt)),
            "warnings": len(re.findall(r"(warning|fatal|panic):", rtxt)),
        },
        "tlssink_log": {
            "tls_in": ttxt.count("TLS connection established from"),
            "warnings": len(re.findall(r"(warning|fatal|panic):", ttxt)),
        },
        "tls_params": tls_line.group(1).strip() if tls_line else None,
        "queue_left_after": left,
        "queue_before": pending_before,
        "relay_peak_rss_kb": relay_peak_kb,
        "relay_peak_pss_kb": peak_pss if rpid else None,
    }
    busy = res["cpu_s"]["system_busy"]
    c = res["cpu_s"]
    # CPU the machine spent that none of our processes account for: other
    # processes (contamination) plus unattributed kernel softirq work.
    c["unattributed"] = round(busy - c["relay"] - c["tlssink_postfix"] - c["smtp_sink"]
                              - c["smtp_source"] - c["driver"], 2)
    res["cores_busy"] = round(busy / wall, 2) if wall > 0 else None
    res["relay_cpu_ms_per_msg"] = (round(1000 * res["cpu_s"]["relay"] / got, 3)
                                   if got and rpid else None)
    log(f"{'RUN ' if record else 'warm'} {mode:8s} {size_name:>4s} c={conc:<3d} n={count:<6d}"
        f" recv={got:<6d} {res['seconds_done']:7.2f}s {res['msgs_per_s']:8.1f} msg/s"
        f" {res['MB_per_s']:7.2f} MB/s  accept={res['seconds_accept']:.2f}s"
        f" relayCPU={res['cpu_s']['relay']:.2f}s cores={res['cores_busy']}"
        f" relayPSSpeak={(peak_pss or 0) / 1024:.0f}MB"
        f" other={c['unattributed']:.2f}s foreign={c['foreign']:.2f}s pre={pre_busy}"
        + (f" relayRSSpeak={relay_peak_kb / 1024:.0f}MB" if relay_peak_kb else "")
        + (" TIMEOUT" if timed_out else "") + (f" src_exit={src_code}" if src_code else ""))
    return res


def contaminated(r):
    """True when a foreign process was busy before or during the run: its
    numbers then understate what the measured processes can do alone."""
    c = r["cpu_s"]
    pre = r.get("pre_run_busy_cores") or 0
    if pre > 0.3:
        return True
    if "foreign" in c:  # CPU of other user-space processes during the run
        return c["foreign"] > max(0.3, 0.03 * c["system_busy"])
    return (c.get("unattributed") or 0) > max(0.5, 0.06 * c["system_busy"])


def drain(a, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        n = queue_count(a.relay_queue)
        if n == 0:
            return 0
        time.sleep(0.1)
    n = queue_count(a.relay_queue)
    log(f"relay queue still has {n} files after {timeout}s; deleting them (postsuper -d ALL)")
    subprocess.run(["postsuper", "-c", a.relay_conf, "-d", "ALL"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return n


def set_mode(a, mode):
    if mode in ("sink", "ext"):
        return
    postconf_set(a.relay_conf, **MODE_SETTINGS[mode])
    postfix_reload(a.relay_conf)
    time.sleep(2)


# ---------------------------------------------------------------- main
def parse_counts(spec):
    """'sink:1k=20000,...' -> {(mode,size): count}; also 'mode:size:conc=count'."""
    out = {}
    for item in filter(None, spec.split(",")):
        key, val = item.split("=")
        out[tuple(key.split(":"))] = int(val)
    return out


def count_for(counts, mode, size, conc):
    for key in ((mode, size, str(conc)), (mode, size), ("*", size, str(conc)), ("*", size)):
        if key in counts:
            return counts[key]
    raise KeyError(f"no message count for {mode}/{size}/{conc}")


def env_info():
    def cmd(args):
        try:
            return subprocess.run(args, capture_output=True, text=True, timeout=10).stdout.strip()
        except OSError:
            return None
    cpu = None
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "kernel": platform.release(), "cpu": cpu, "cores": os.cpu_count(),
        "mem_gib": round(mem_kb / 1048576, 1),
        "postfix": cmd(["postconf", "-d", "-h", "mail_version"]),
        "openssl": cmd(["openssl", "version"]),
        "os": cmd(["sh", "-c", ". /etc/os-release; echo $PRETTY_NAME"]),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--relay-conf", required=True)
    p.add_argument("--relay-queue", required=True)
    p.add_argument("--relay-log", required=True)
    p.add_argument("--tlssink-queue", required=True)
    p.add_argument("--tlssink-log", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--out", required=True, help="JSON lines output")
    p.add_argument("--modes", default="sink,plain,tls,tlsreuse,plainhop")
    p.add_argument("--ext-port", type=int, default=0, help="SMTP port of the relay under test (mode ext)")
    p.add_argument("--ext-pid", type=int, default=0, help="its PID, for CPU accounting (mode ext)")
    p.add_argument("--ext-name", default="gateway", help="label for mode ext")
    p.add_argument("--ext-pending-cmd", default="",
                   help="shell command printing how many messages the gateway still has to "
                        "deliver (mode ext: drain before a run, report after it)")
    p.add_argument("--sizes", default="1k,20k,200k")
    p.add_argument("--sessions", default="1,10,50")
    p.add_argument("--counts", required=True)
    p.add_argument("--cases", default="",
                   help="only these runs, e.g. tls:20k:10,plainhop:200k:50 (default: all)")
    p.add_argument("--run-timeout", type=float, default=90)
    p.add_argument("--budget", type=float, default=900, help="skip runs after this many seconds")
    p.add_argument("--settle", type=float, default=3.0)
    p.add_argument("--warmup", type=int, default=300)
    p.add_argument("--quiet-threshold", type=float, default=0.15,
                   help="busy cores allowed before a run starts")
    p.add_argument("--quiet-wait", type=float, default=120, help="max wait per run")
    p.add_argument("--quiet-budget", type=float, default=600, help="max wait over the bench")
    p.add_argument("--repass-budget", type=float, default=600,
                   help="seconds for re-measuring disturbed runs at the end (waits included)")
    p.add_argument("--retries", type=int, default=2,
                   help="repeat a run this often when a foreign process disturbed it")
    a = p.parse_args()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    counts = parse_counts(a.counts)
    a.quiet_spent = 0.0
    started = time.monotonic()
    disturbed = []
    with open(a.out, "w") as out:
        out.write(json.dumps({"env": env_info(), "counts": a.counts, "ext_name": a.ext_name,
                              "ext_port": a.ext_port}) + "\n")
        modes = a.modes.split(",")
        if a.cases:
            modes = [m for m in modes if any(c.startswith(m + ":") for c in a.cases.split(","))]
        for mode in modes:
            if mode == "ext" and not a.ext_port:
                raise SystemExit("mode ext needs --ext-port")
            set_mode(a, mode)
            if a.warmup:
                run_case(a, mode, "1k", 10, a.warmup, record=False)
            for size in a.sizes.split(","):
                for conc in (int(c) for c in a.sessions.split(",")):
                    if a.cases and f"{mode}:{size}:{conc}" not in a.cases.split(","):
                        continue
                    if time.monotonic() - started - a.quiet_spent > a.budget:
                        log(f"budget of {a.budget}s used up; skipping {mode}/{size}/c={conc}")
                        out.write(json.dumps({"mode": mode, "size": size, "sessions": conc,
                                              "skipped": "budget"}) + "\n")
                        continue
                    n = count_for(counts, mode, size, conc)
                    for attempt in range(1, a.retries + 2):
                        res = run_case(a, mode, size, conc, n)
                        res["attempt"] = attempt
                        res["contaminated"] = contaminated(res)
                        if not res["contaminated"] or attempt > a.retries:
                            break
                        if (res.get("pre_run_busy_cores") or 0) > a.quiet_threshold:
                            break  # no quiet to be had now: leave it to the second pass
                        log("another process was busy during that run; repeating it")
                    out.write(json.dumps(res) + "\n")
                    out.flush()
                    if res["contaminated"]:
                        disturbed.append((mode, size, conc, n))
        # second chance, at the end, for runs still disturbed (the report keeps
        # the last undisturbed run of each case)
        if disturbed:
            log(f"re-measuring {len(disturbed)} disturbed run(s); extra budget {a.repass_budget:.0f}s")
        second = time.monotonic()
        waited_first = a.quiet_spent
        a.quiet_spent, a.quiet_budget = 0.0, a.repass_budget
        current = None
        for mode, size, conc, n in disturbed:
            if time.monotonic() - second > a.repass_budget:
                log("re-measure budget used up")
                break
            if mode != current:
                set_mode(a, mode)
                current = mode
            res = run_case(a, mode, size, conc, n)
            res["attempt"] = "second-pass"
            res["contaminated"] = contaminated(res)
            out.write(json.dumps(res) + "\n")
            out.flush()
        a.quiet_spent += waited_first
        set_mode(a, "plain")
    log(f"all runs done in {time.monotonic() - started:.0f}s "
        f"({a.quiet_spent:.0f}s of it waiting for other processes to go quiet)")


if __name__ == "__main__":
    main()
