#!/usr/bin/env python3
"""The end-to-end checks, run from the host by run-e2e.sh once the role has been applied in the guest.

Phase "main": the API against what systemd says inside the guest, the real journal, the overview,
the push channel to the collector stub, the service's credentials and sandbox, the unit checks
(systemd-analyze), and the host bridge. Phase "native": after the role re-applied the agent with a
unix socket push address, the push over it and junixsocket's native library loaded in the sandbox.

Environment: E2E_LEADER (the guest's PID 1 as seen from the host), E2E_AGENT_PORT, E2E_BRIDGE_PORT,
E2E_RECORD (the collector stub's NDJSON record), E2E_WORK.
"""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time

LEADER = os.environ["E2E_LEADER"]
AGENT_PORT = int(os.environ["E2E_AGENT_PORT"])
BRIDGE_PORT = int(os.environ.get("E2E_BRIDGE_PORT", "0"))
RECORD = os.environ.get("E2E_RECORD", "")
UNIT = "system-status.service"
SOCKET = "/run/system-status/status.sock"
EXPECTED = {
    # id: (unit, load, active, sub, healthy)
    "e2e-running": ("e2e-running.service", "loaded", "active", "running", True),
    "e2e-failing": ("e2e-failing.service", "loaded", "failed", "failed", False),
    "e2e-missing": ("e2e-missing.service", "not-found", "inactive", "dead", False),
}
# API field -> systemctl show property
FIELDS = {
    "load_state": "LoadState", "active_state": "ActiveState", "sub_state": "SubState",
    "unit_file_state": "UnitFileState", "main_pid": "MainPID", "exit_code": "ExecMainCode",
    "exit_status": "ExecMainStatus", "n_restarts": "NRestarts", "result": "Result",
}
failures = []


def check(condition, what):
    print(("  ok   " if condition else "  FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)
    return condition


def guest(*argv, check_rc=True):
    """Runs argv inside the guest (all its namespaces) as root; returns stdout."""
    done = subprocess.run(
        ["nsenter", "-t", LEADER, "-a", "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", *argv],
        capture_output=True, text=True, timeout=120)
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


def get(path, port=AGENT_PORT, unix_socket=None):
    """GET over TCP on loopback (or a unix socket); returns (HTTP status, parsed JSON body)."""
    conn = UnixConnection(unix_socket) if unix_socket else http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def wait_for(probe, timeout):
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
        time.sleep(0.2)


def show(unit, *properties):
    out = guest("systemctl", "show", unit, "--no-pager", *[f"--property={p}" for p in properties])
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def main_pid():
    return int(show(UNIT, "MainPID")["MainPID"])


def as_api(prop, value):
    if value == "":
        return None
    if prop in ("MainPID", "ExecMainCode", "ExecMainStatus", "NRestarts"):
        return int(value)
    return value


def lifecycle_states():
    if not os.path.exists(RECORD):
        return []
    states = []
    with open(RECORD, encoding="utf-8") as record:
        for line in record:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if message.get("type") == "lifecycle":
                payload = message.get("payload", {})
                states.append((payload.get("state"), payload.get("message", "")))
    return states


def proc_status(pid):
    with open(f"/proc/{LEADER}/root/proc/{pid}/status", encoding="utf-8") as f:
        return dict(line.split(":", 1) for line in f.read().splitlines() if ":" in line)


def phase_main():
    print("e2e: the API against systemd in the guest")
    check(wait_for(lambda: get("/health") == (200, {"status": "ok"}), 90) is not None,
          "GET /health answers {\"status\":\"ok\"} from the host")
    status, body = get("/services")
    check(status == 200 and [s["id"] for s in body["services"]] == list(EXPECTED),
          f"GET /services lists the allowlist {list(EXPECTED)}")

    for service_id, (unit, load, active, sub, healthy) in EXPECTED.items():
        status, body = get(f"/services/{service_id}/status")
        inside = show(unit, *FIELDS.values())
        api = body.get("status") or {}
        differing = {field: (api.get(field), as_api(prop, inside.get(prop, "")))
                     for field, prop in FIELDS.items() if api.get(field) != as_api(prop, inside.get(prop, ""))}
        check(status == 200 and not differing,
              f"/services/{service_id}/status equals `systemctl show {unit}` inside"
              + (f" (differs: {differing})" if differing else ""))
        check((api.get("load_state"), api.get("active_state"), api.get("sub_state"), body.get("healthy"))
              == (load, active, sub, healthy),
              f"{service_id} is really {load}/{active}/{sub}, healthy={healthy}")
    _, failing = get("/services/e2e-failing/status")
    check(failing["status"]["exit_status"] == 1 and failing["status"]["exit_code"] == 1,
          "e2e-failing's main process exited with status 1")

    print("e2e: logs from the real journal")
    status, logs = get("/services/e2e-failing/logs?lines=50")
    journal = [line for line in guest("journalctl", "--unit=e2e-failing.service", "--no-pager",
                                      "--output=short-iso", "--lines=50").splitlines()
               if line != "-- No entries --"]
    check(status == 200 and logs["logs"] == journal and logs["returned_lines"] == len(journal),
          f"/services/e2e-failing/logs equals journalctl inside ({len(journal)} lines)")
    check(any("e2e-failing: /etc/e2e-ok is missing, exiting 1" in line for line in logs["logs"]),
          "the logs carry the line the failing unit wrote")

    print("e2e: the overview")
    status, overview = get("/overview")
    unhealthy = sorted(entry["service"]["unit"] for entry in overview["services"] if not entry["healthy"])
    check(status == 200 and overview["status"] == "degraded", "/overview is degraded")
    check("e2e-failing.service" in unhealthy, f"/overview names the failed unit (unhealthy: {unhealthy})")
    check(overview["gpu"]["status"] == "ok" and "H100" in overview["gpu"]["stdout"],
          "/overview's nvidia-smi (the fake on the guest's path) exited 0 with the H100 capture")
    check(wait_for(lambda: any(state == "degraded" and "e2e-failing" in message
                                                  for state, message in lifecycle_states()), 15) is not None,
          "the collector stub on the host received lifecycle degraded naming e2e-failing")

    print("e2e: the service's identity and sandbox")
    pid = main_pid()
    status_lines = proc_status(pid)
    uid = guest("id", "-u", "chutes").strip()
    gid = guest("id", "-g", "chutes").strip()
    wanted_groups = {guest("getent", "group", g).split(":")[2] for g in ("systemd-journal", "video")}
    check(status_lines["Uid"].split() == [uid] * 4, f"the agent (pid {pid}) runs as chutes (uid {uid}) in every uid slot")
    check(status_lines["Gid"].split() == [gid] * 4, "and with chutes' group in every gid slot")
    check(wanted_groups <= set(status_lines["Groups"].split()), "with the groups systemd-journal and video")
    check(status_lines["NoNewPrivs"].strip() == "1", "NoNewPrivs: 1")
    for cap in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        check(int(status_lines[cap].strip(), 16) == 0, f"{cap}: 0 (empty capability set)")
    check(status_lines["Seccomp"].strip() == "2", "Seccomp: 2 (a system call filter is on)")
    mounts = open(f"/proc/{LEADER}/root/proc/{pid}/mountinfo", encoding="utf-8").read().splitlines()
    root_mount = [m.split() for m in mounts if m.split()[4] == "/"][-1]
    check("ro" in root_mount[5].split(","), "ProtectSystem=strict: / is read-only in the service's mount namespace")
    check(any(m.split()[4] == "/tmp" for m in mounts), "PrivateTmp: /tmp is a mount of its own")
    sock = guest("stat", "-c", "%U:%G %a %F", SOCKET).strip()
    check(sock == "chutes:chutes 660 socket", f"the unix socket {SOCKET} is chutes:chutes 0660 ({sock})")
    check(get("/health", unix_socket=f"/proc/{LEADER}/root{SOCKET}") == (200, {"status": "ok"}),
          "GET /health over the unix socket in the RuntimeDirectory")

    print("e2e: the installed unit (systemd-analyze inside the guest)")
    verify = subprocess.run(["nsenter", "-t", LEADER, "-a", "systemd-analyze", "verify", f"/etc/systemd/system/{UNIT}"],
                            capture_output=True, text=True)
    check(verify.returncode == 0 and not verify.stderr.strip(),
          "systemd-analyze verify passes" + (f": {verify.stderr.strip()}" if verify.stderr.strip() else ""))
    offline = subprocess.run(["nsenter", "-t", LEADER, "-a", "systemd-analyze", "security", "--offline=true",
                              "--threshold=30", "--no-pager", f"/etc/systemd/system/{UNIT}"],
                             capture_output=True, text=True)
    score = re.search(r"Overall exposure level for \S+: ([0-9.]+)", offline.stdout)
    check(offline.returncode == 0 and score is not None and float(score.group(1)) <= 3.0,
          f"systemd-analyze security --offline=true scores {score.group(1) if score else '?'} (3.0 or lower)")
    online = guest("systemd-analyze", "security", "--no-pager", UNIT, check_rc=False)
    score = re.search(r"Overall exposure level for \S+: ([0-9.]+)", online)
    print(f"  info the running unit as the guest's systemd loaded it scores {score.group(1) if score else '?'}")
    with open(os.path.join(os.environ.get("E2E_WORK", "/tmp"), "security-offline.txt"), "w", encoding="utf-8") as f:
        f.write(offline.stdout)

    print("e2e: what this container enforces (information for the report, not a check)")
    for directive, enforced in enforcement_probes().items():
        verdict = {True: "enforced", False: "NOT enforced in this container", None: "probe not applicable"}[enforced]
        print(f"  info {directive}: {verdict}")

    print("e2e: the failed unit started, the missing one masked -> healthy")
    guest("touch", "/etc/e2e-ok")
    guest("systemctl", "start", "e2e-failing.service")
    guest("systemctl", "mask", "e2e-missing.service")
    before = len(lifecycle_states())
    check(wait_for(lambda: any(state == "healthy" for state, _ in lifecycle_states()[before:]), 15)
          is not None, "the collector stub received lifecycle healthy")
    status, overview = get("/overview")
    check(status == 200 and overview["status"] == "ok", "/overview is ok")
    _, failing = get("/services/e2e-failing/status")
    inside = show("e2e-failing.service", "ActiveState", "SubState", "MainPID")
    check((failing["status"]["active_state"], failing["status"]["sub_state"], failing["status"]["main_pid"])
          == (inside["ActiveState"], inside["SubState"], int(inside["MainPID"])) and failing["healthy"],
          "e2e-failing is now active/running and healthy, as systemctl show says")

    print("e2e: the host bridge (inside the guest, whose systemd plays the host; loopback ports only)")
    bridge = ["bash", "/mnt/system-status/ansible/files/host-bridge.sh", "--name", "e2e",
              "--listen", f"127.0.0.1:{BRIDGE_PORT}", "--guest", f"127.0.0.1:{AGENT_PORT}"]
    first = guest(*bridge).strip()
    check("forwards" in first, f"first run installs the bridge ({first})")
    check(wait_for(lambda: get("/health", BRIDGE_PORT) == (200, {"status": "ok"}), 15) is not None,
          f"GET /health through the bridge on 127.0.0.1:{BRIDGE_PORT}")
    bridge_pid = show("system-status-bridge-e2e.service", "MainPID")["MainPID"]
    second = guest(*bridge).strip()
    check("unchanged" in second and show("system-status-bridge-e2e.service", "MainPID")["MainPID"] == bridge_pid,
          f"second run changes nothing, no restart ({second})")
    removed = guest("bash", "/mnt/system-status/ansible/files/host-bridge.sh", "--remove", "--name", "e2e").strip()
    gone = show("system-status-bridge-e2e.service", "LoadState")["LoadState"] == "not-found"
    check("removed" in removed and gone, f"--remove stops and deletes the unit ({removed})")
    check(wait_for(lambda: _refused(BRIDGE_PORT), 5) is not None, "the bridge port is closed again")
    again = guest("bash", "/mnt/system-status/ansible/files/host-bridge.sh", "--remove", "--name", "e2e").strip()
    check("nothing to remove" in again, f"--remove again is a no-op ({again})")


def enforcement_probes():
    """Runs a command in a throw-away transient service, without and then with one restricting
    directive: enforced when it succeeds without and fails with it."""
    def run(properties, argv):
        return subprocess.run(["nsenter", "-t", LEADER, "-a", "systemd-run", "--wait", "--pipe", "--quiet",
                               *[f"--property={p}" for p in properties], *argv],
                              capture_output=True, text=True, timeout=60).returncode == 0
    connect = f"import socket; socket.create_connection(('127.0.0.1', {AGENT_PORT}), timeout=3)"
    probes = {
        "DevicePolicy=closed (open /dev/net/tun)": ("DevicePolicy=closed", ["/bin/sh", "-c", ": </dev/net/tun"]),
        "IPAddressDeny=any (connect to the agent)": ("IPAddressDeny=any", ["/usr/bin/python3", "-c", connect]),
        "ProtectSystem=strict (write /etc)": ("ProtectSystem=strict", ["/bin/sh", "-c", "touch /etc/.p && rm /etc/.p"]),
        "SystemCallFilter= (deny uname)": ("SystemCallFilter=~uname", ["/bin/uname"]),
    }
    results = {}
    for name, (directive, argv) in probes.items():
        if not run([], argv):
            results[name] = None
        else:
            results[name] = not run([directive], argv)
    return results


def _refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return False
    except ConnectionRefusedError:
        return True


def phase_native(old_pid):
    print("e2e: push over a unix socket: junixsocket's native library under the sandbox")
    check(wait_for(lambda: main_pid() not in (0, old_pid), 30) is not None,
          "the configuration change restarted the service (new main PID)")
    check(wait_for(lambda: get("/health") == (200, {"status": "ok"}), 90) is not None,
          "GET /health answers after the restart")
    check(wait_for(lambda: any(state == "healthy" for state, _ in lifecycle_states()), 20) is not None,
          "the collector stub on the unix socket received lifecycle healthy")
    pid = main_pid()
    maps = open(f"/proc/{LEADER}/root/proc/{pid}/maps", encoding="utf-8").read()
    libraries = sorted({line.split(None, 5)[-1] for line in maps.splitlines() if "junixsocket" in line})
    check(any(lib.startswith("/tmp/") for lib in libraries),
          f"junixsocket's library was unpacked into the private /tmp and mapped: {libraries}")
    journal = guest("journalctl", f"--unit={UNIT}", f"_PID={pid}", "--no-pager", "--output=cat")
    check("cannot start" not in journal and "UnsatisfiedLinkError" not in journal,
          "no start-up error in the service's journal")


if __name__ == "__main__":
    phase = sys.argv[1] if len(sys.argv) > 1 else "main"
    try:
        if phase == "main":
            phase_main()
        elif phase == "pid":
            print(main_pid())
            sys.exit(0)
        else:
            phase_native(int(sys.argv[2]))
    except Exception as error:  # a broken step is a failure with its reason, not a traceback to read
        check(False, f"{type(error).__name__}: {error}")
    if failures:
        print(f"e2e: {len(failures)} check(s) failed")
        sys.exit(1)
