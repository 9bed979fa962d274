"""What every e2e check module shares: the named check, HTTP to the agent, polling, systemctl show,
and the collector stub's NDJSON record. Runs inside the e2e VM, as root."""
import http.client
import json
import os
import socket
import subprocess
import time

RESULTS = os.environ.get("E2E_RESULTS", "/mnt/e2e/results")
AGENT_PORT = 8080
UNIT = "system-status.service"
failures = []


def check(condition, what):
    line = ("  ok   " if condition else "  FAIL ") + what
    print(line, flush=True)
    with open(os.path.join(RESULTS, "checks.txt"), "a", encoding="utf-8") as f:
        f.write(line + "\n")
    if not condition:
        failures.append(what)
    return condition


def info(what):
    line = "  info " + what
    print(line, flush=True)
    with open(os.path.join(RESULTS, "checks.txt"), "a", encoding="utf-8") as f:
        f.write(line + "\n")


def section(title, phase=None):
    """A heading in checks.txt; with phase, also the start of a timed phase (phase())."""
    print(f"e2e: {title}", flush=True)
    with open(os.path.join(RESULTS, "checks.txt"), "a", encoding="utf-8") as f:
        f.write(f"e2e: {title}\n")
    if phase:
        mark_phase(phase)


def mark_phase(name):
    """Notes that a phase starts now, in seconds since the guest booted: results/phases.txt, which
    run-e2e.sh turns into the phase table (guest/run-checks.sh writes the phases before the checks)."""
    with open("/proc/uptime", encoding="utf-8") as f:
        uptime = f.read().split()[0]
    with open(os.path.join(RESULTS, "phases.txt"), "a", encoding="utf-8") as f:
        f.write(f"{uptime} {name}\n")


def run(*argv, check_rc=True, timeout=120):
    """Runs argv as root in the guest; returns stdout."""
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if check_rc and done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, socket_path):
        super().__init__("localhost", timeout=30)
        self.socket_path = socket_path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def get(path, port=AGENT_PORT, unix_socket=None, host="127.0.0.1"):
    """GET over TCP (or a unix socket); returns (HTTP status, parsed JSON body)."""
    conn = UnixConnection(unix_socket) if unix_socket else http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def wait_for(probe, timeout, every=0.2):
    """Polls probe until it returns something true (returned) or the timeout passes (None)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = probe()
            if result:
                return result
        except (OSError, ValueError, http.client.HTTPException):
            pass
        if time.monotonic() > deadline:
            return None
        time.sleep(every)


def show(unit, *properties):
    out = run("systemctl", "show", unit, "--no-pager", *[f"--property={p}" for p in properties])
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def main_pid(unit=UNIT):
    return int(show(unit, "MainPID")["MainPID"])


def record_lines(path):
    """The collector stub's record: every NDJSON message it received, parsed, in order."""
    if not os.path.exists(path):
        return []
    messages = []
    with open(path, encoding="utf-8") as record:
        for line in record:
            try:
                messages.append(json.loads(line))
            except ValueError:
                continue
    return messages


def lifecycle_states(path):
    return [(m.get("payload", {}).get("state"), m.get("payload", {}).get("message", ""))
            for m in record_lines(path) if m.get("type") == "lifecycle"]
