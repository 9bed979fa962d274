#!/usr/bin/env python3
"""The end-to-end checks, run inside the e2e VM by guest/run-checks.sh once the role has been applied
twice. First what the nspawn e2e checked (the API against systemd, the real journal, the overview, the
service's credentials and sandbox, the unit checks, the host bridge), then what only a real kernel
shows (check_vm: vsock bytes, the device policy, the IP allowlist, listen mode, SIGTERM).
Each check prints one line and goes to /mnt/e2e/results/checks.txt; exit status 1 if any failed.
"""
import json
import os
import re
import subprocess
import sys

import check_vm
from e2e_checks import (AGENT_PORT, RESULTS, UNIT, check, failures, get, info, main_pid, mark_phase, run, section,
                        show, wait_for)

REPO = "/mnt/e2e/repo"
SOCKET = "/run/system-status/status.sock"
CDS_LINK = "/var/lib/system-status/cds/system-status.jsa"   # the role's system_status_cds_archive
BRIDGE_PORT = 8099
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


def as_api(prop, value):
    if value == "":
        return None
    if prop in ("MainPID", "ExecMainCode", "ExecMainStatus", "NRestarts"):
        return int(value)
    return value


def proc_status(pid):
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        return dict(line.split(":", 1) for line in f.read().splitlines() if ":" in line)


def api_against_systemd():
    section("the API against systemd in the guest")
    check(wait_for(lambda: get("/health") == (200, {"status": "ok"}), 180) is not None,
          "GET /health answers {\"status\":\"ok\"} on 127.0.0.1:%d" % AGENT_PORT)
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
              f"/services/{service_id}/status equals `systemctl show {unit}`"
              + (f" (differs: {differing})" if differing else ""))
        check((api.get("load_state"), api.get("active_state"), api.get("sub_state"), body.get("healthy"))
              == (load, active, sub, healthy),
              f"{service_id} is really {load}/{active}/{sub}, healthy={healthy}")
    _, failing = get("/services/e2e-failing/status")
    check(failing["status"]["exit_status"] == 1 and failing["status"]["exit_code"] == 1,
          "e2e-failing's main process exited with status 1")

    section("logs from the real journal")
    status, logs = get("/services/e2e-failing/logs?lines=50")
    journal = [line for line in run("journalctl", "--unit=e2e-failing.service", "--no-pager",
                                    "--output=short-iso", "--lines=50").splitlines()
               if line != "-- No entries --"]
    check(status == 200 and logs["logs"] == journal and logs["returned_lines"] == len(journal),
          f"/services/e2e-failing/logs equals journalctl ({len(journal)} lines)")
    check(any("e2e-failing: /etc/e2e-ok is missing, exiting 1" in line for line in logs["logs"]),
          "the logs carry the line the failing unit wrote")

    section("the overview")
    status, overview = get("/overview")
    unhealthy = sorted(entry["service"]["unit"] for entry in overview["services"] if not entry["healthy"])
    check(status == 200 and overview["status"] == "degraded", "/overview is degraded")
    check("e2e-failing.service" in unhealthy, f"/overview names the failed unit (unhealthy: {unhealthy})")
    check(overview["gpu"]["status"] == "ok" and "H100" in overview["gpu"]["stdout"],
          "/overview's nvidia-smi (the fake on the agent's path) exited 0 with the H100 capture")
    return overview


def identity_and_sandbox():
    section("the service's identity and sandbox")
    pid = main_pid()
    status_lines = proc_status(pid)
    uid = run("id", "-u", "chutes").strip()
    gid = run("id", "-g", "chutes").strip()
    wanted_groups = {run("getent", "group", g).split(":")[2] for g in ("systemd-journal", "video")}
    check(status_lines["Uid"].split() == [uid] * 4, f"the agent (pid {pid}) runs as chutes (uid {uid}) in every uid slot")
    check(status_lines["Gid"].split() == [gid] * 4, "and with chutes' group in every gid slot")
    check(wanted_groups <= set(status_lines["Groups"].split()), "with the groups systemd-journal and video")
    check(status_lines["NoNewPrivs"].strip() == "1", "NoNewPrivs: 1")
    for cap in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        check(int(status_lines[cap].strip(), 16) == 0, f"{cap}: 0 (empty capability set)")
    check(status_lines["Seccomp"].strip() == "2", "Seccomp: 2 (a system call filter is on)")
    mounts = open(f"/proc/{pid}/mountinfo", encoding="utf-8").read().splitlines()
    root_mount = [m.split() for m in mounts if m.split()[4] == "/"][-1]
    check("ro" in root_mount[5].split(","), "ProtectSystem=strict: / is read-only in the service's mount namespace")
    check(any(m.split()[4] == "/tmp" for m in mounts), "PrivateTmp: /tmp is a mount of its own")
    sock = run("stat", "-c", "%U:%G %a %F", SOCKET).strip()
    check(sock == "chutes:chutes 660 socket", f"the unix socket {SOCKET} is chutes:chutes 0660 ({sock})")
    check(get("/health", unix_socket=SOCKET) == (200, {"status": "ok"}),
          "GET /health over the unix socket in the RuntimeDirectory")
    maps = open(f"/proc/{pid}/maps", encoding="utf-8").read()
    libraries = sorted({line.split(None, 5)[-1] for line in maps.splitlines() if "junixsocket" in line})
    check(any(lib.startswith("/tmp/") for lib in libraries),
          f"junixsocket's native library (vsock, unix) was unpacked into the private /tmp and mapped: {libraries}")

    section("the installed unit (systemd-analyze)")
    verify = subprocess.run(["systemd-analyze", "verify", f"/etc/systemd/system/{UNIT}"], capture_output=True, text=True)
    check(verify.returncode == 0 and not verify.stderr.strip(),
          "systemd-analyze verify passes" + (f": {verify.stderr.strip()}" if verify.stderr.strip() else ""))
    offline = run("systemd-analyze", "security", "--offline=true", "--threshold=30", "--no-pager",
                  f"/etc/systemd/system/{UNIT}", check_rc=False)
    score = re.search(r"Overall exposure level for \S+: ([0-9.]+)", offline)
    check(score is not None and float(score.group(1)) <= 3.0,
          f"systemd-analyze security --offline=true scores {score.group(1) if score else '?'} (3.0 or lower)")
    online = run("systemd-analyze", "security", "--no-pager", UNIT, check_rc=False)
    score = re.search(r"Overall exposure level for \S+: ([0-9.]+)", online)
    info(f"the running unit as the guest's systemd loaded it scores {score.group(1) if score else '?'}")
    with open(os.path.join(RESULTS, "security-offline.txt"), "w", encoding="utf-8") as f:
        f.write(offline)


def agent_argv(pid):
    """The installed agent's command line, as the kernel has it."""
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return [arg.decode() for arg in f.read().split(b"\0") if arg]


def configuration_file():
    """The role writes the agent's settings as JSON (no YAML parser at start-up), the unit reads that file,
    and the YAML file of an earlier role version (run-checks.sh leaves one before the role runs) is gone."""
    section("the configuration file")
    path = "/etc/system-status/application.json"
    argv = agent_argv(main_pid())
    check(f"-Dmicronaut.config.files={path}" in argv, f"the agent's JVM was started with -Dmicronaut.config.files={path}")
    with open(path, encoding="utf-8") as f:
        services = json.load(f)["status"]["services"]
    st = os.stat(path)
    yaml_left = os.path.exists("/etc/system-status/application.yml")
    check(st.st_uid == 0 and st.st_mode & 0o7777 == 0o640 and bool(services) and not yaml_left,
          f"it is JSON, root's, mode {st.st_mode & 0o7777:o}, with {len(services)} services; "
          f"a YAML file beside it: {yaml_left}")


def class_data_archive():
    """The role's training run left an archive for this jar and JRE, and the running agent uses it."""
    section("the class-data archive (AppCDS) from the role's training run")
    pid = main_pid()
    argv = agent_argv(pid)
    flag = next((arg for arg in argv if arg.startswith("-XX:SharedArchiveFile=")), None)
    check(flag == f"-XX:SharedArchiveFile={CDS_LINK}" and "-Xshare:auto" in argv,
          f"the agent's JVM was started with -Xshare:auto and the archive link ({flag})")
    archive = os.path.realpath(CDS_LINK)
    built = re.fullmatch(r"/var/lib/system-status/cds/system-status-[0-9a-f]{16}\.jsa", archive) and os.path.getsize(archive) > 0
    check(bool(built), f"the link points to the archive named for this jar and JRE ({archive}"
          + (f", {os.path.getsize(archive) >> 20} MiB)" if built else ")"))
    left = sorted(name for name in os.listdir(os.path.dirname(CDS_LINK)) if name != os.path.basename(CDS_LINK))
    check(left == [os.path.basename(archive)], f"and nothing else is left in its folder (no failed mark, no log, no work folder): {left}")
    # The training JVM ran as the service user; the file the unit maps is root's, so the agent cannot alter it.
    owner = os.stat(archive) if built else None
    check(owner is not None and owner.st_uid == 0 and owner.st_mode & 0o7777 == 0o644,
          f"the archive is root's, mode 0644 ({'uid %d, mode %o' % (owner.st_uid, owner.st_mode & 0o7777) if owner else 'missing'})")
    with open(f"/proc/{pid}/maps", encoding="utf-8") as f:
        mapped = sum(1 for line in f if line.rstrip().endswith(" " + archive))
    check(mapped > 0, f"the running agent (pid {pid}) has the archive mapped ({mapped} regions in /proc/{pid}/maps)")
    said = run("journalctl", f"_PID={pid}", "--no-pager", "--output=cat")
    check("class-data sharing is off" not in said, "and it did not warn that class-data sharing is off")


def host_bridge():
    section("the host bridge (the guest's systemd plays the host; loopback ports only)")
    bridge = ["bash", f"{REPO}/ansible/files/host-bridge.sh", "--name", "e2e",
              "--listen", f"127.0.0.1:{BRIDGE_PORT}", "--guest", f"127.0.0.1:{AGENT_PORT}"]
    first = run(*bridge).strip()
    check("forwards" in first, f"first run installs the bridge ({first})")
    check(wait_for(lambda: get("/health", BRIDGE_PORT) == (200, {"status": "ok"}), 30) is not None,
          f"GET /health through the bridge on 127.0.0.1:{BRIDGE_PORT}")
    bridge_pid = show("system-status-bridge-e2e.service", "MainPID")["MainPID"]
    second = run(*bridge).strip()
    check("unchanged" in second and show("system-status-bridge-e2e.service", "MainPID")["MainPID"] == bridge_pid,
          f"second run changes nothing, no restart ({second})")
    # A changed setting on an installed, enabled bridge: the new file is loaded before the restart.
    moved = run(*bridge[:-3], f"127.0.0.1:{BRIDGE_PORT + 1}", *bridge[-2:]).strip()
    check("forwards" in moved and wait_for(lambda: get("/health", BRIDGE_PORT + 1) == (200, {"status": "ok"}), 30) is not None
          and wait_for(lambda: check_vm.refused("127.0.0.1", BRIDGE_PORT), 5) is not None,
          f"a changed listen port is applied: /health on 127.0.0.1:{BRIDGE_PORT + 1}, the old port closed ({moved})")
    removed = run("bash", f"{REPO}/ansible/files/host-bridge.sh", "--remove", "--name", "e2e").strip()
    gone = show("system-status-bridge-e2e.service", "LoadState")["LoadState"] == "not-found"
    check("removed" in removed and gone, f"--remove stops and deletes the unit ({removed})")
    check(wait_for(lambda: check_vm.refused("127.0.0.1", BRIDGE_PORT + 1), 5) is not None, "the bridge port is closed again")
    again = run("bash", f"{REPO}/ansible/files/host-bridge.sh", "--remove", "--name", "e2e").strip()
    check("nothing to remove" in again, f"--remove again is a no-op ({again})")


def healthy_again():
    """The failed unit started and the missing one masked: the API agrees with systemd."""
    status, overview = get("/overview")
    check(status == 200 and overview["status"] == "ok", "/overview is ok")
    _, failing = get("/services/e2e-failing/status")
    inside = show("e2e-failing.service", "ActiveState", "SubState", "MainPID")
    check((failing["status"]["active_state"], failing["status"]["sub_state"], failing["status"]["main_pid"])
          == (inside["ActiveState"], inside["SubState"], int(inside["MainPID"])) and failing["healthy"],
          "e2e-failing is now active/running and healthy, as systemctl show says")


def jvm_starts():
    """How long each JVM took from its start to its first working line (the time TCG costs most)."""
    for unit, line in ((UNIT, "push: dialing"), ("e2e-listen-agent.service", "push: listening on"),
                       ("e2e-collector.service", "collector listening")):
        started = int(show(unit, "ExecMainStartTimestampMonotonic")["ExecMainStartTimestampMonotonic"] or 0)
        entries = [json.loads(entry) for entry in run("journalctl", f"--unit={unit}", "--output=json", "--no-pager").splitlines()]
        first = next((int(e["__MONOTONIC_TIMESTAMP"]) for e in entries
                      if line in str(e.get("MESSAGE", "")) and int(e["__MONOTONIC_TIMESTAMP"]) >= started), None)
        info(f"{unit}: \"{line}\" {(first - started) / 1e6:.1f} s after its JVM started" if first and started
             else f"{unit}: no \"{line}\" line after its last start")
    # What the installed agent costs the guest's CPUs: its 1 s push ticks refresh the overview
    # (systemctl, the fake nvidia-smi) whether or not a collector listens.
    pid = main_pid()
    with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    own, kernel, commands = (int(fields[11]) / ticks, int(fields[12]) / ticks,
                             (int(fields[13]) + int(fields[14])) / ticks)   # utime, stime, cutime + cstime
    with open("/proc/uptime", encoding="utf-8") as f:
        alive = float(f.read().split()[0]) - int(fields[19]) / ticks
    cpu = own + kernel + commands
    info(f"{UNIT}: {cpu:.0f} s of CPU in its {alive:.0f} s so far ({100 * cpu / alive:.0f}% of one CPU): "
         f"the JVM {own:.0f} s user + {kernel:.0f} s system, its commands {commands:.0f} s")


def main():
    mark_phase("checks: peers started, the agent's failed dial")
    check_vm.start_peers()
    mark_phase("checks: the API against systemd, logs, overview")
    overview = api_against_systemd()
    mark_phase("checks: device policy")
    check_vm.device_policy(overview)
    mark_phase("checks: identity, sandbox, systemd-analyze")
    identity_and_sandbox()
    configuration_file()
    class_data_archive()
    mark_phase("checks: IP allowlist")
    check_vm.ip_allowlist()
    mark_phase("checks: host bridge")
    host_bridge()
    mark_phase("checks: vsock listen mode")
    try:
        check_vm.vsock_listen()
        section("JVM start under TCG")
        jvm_starts()
    finally:
        check_vm.stop_listen_agent()
    mark_phase("checks: vsock push, state-change latency")
    check_vm.vsock_dial(healthy_again)
    mark_phase("checks: SIGTERM")
    check_vm.sigterm_shutdown()


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a broken step is a failure with its reason, not a traceback to read
        check(False, f"{type(error).__name__}: {error}")
    if failures:
        print(f"e2e: {len(failures)} check(s) failed")
    sys.exit(1 if failures else 0)
