"""The e2e checks only a real guest kernel can answer (nspawn could not): real AF_VSOCK bytes over the
guest's loopback transport, the device cgroup, the IP allowlist, the agent in listen mode, SIGTERM.
Runs inside the e2e VM, as root, called by check_guest.py."""
import json
import socket
import subprocess
import time

from e2e_checks import AGENT_PORT, UNIT, check, get, info, lifecycle_states, record_lines, run, section, show, wait_for

RECORD = "/run/e2e-collector.ndjson"
STUB = "/mnt/e2e/repo/collector-stub/target/collector-stub.jar"
PUSH_PORT = 5000          # the stub listens here; the installed agent dials vsock://1:5000 (vars.yml)
LISTEN_PORT = 5001        # the second agent, in listen mode
INTERVAL_S = 3.0          # vars.yml: system_status_push_interval
PROBE = "/usr/share/e2e-nvidia-smi/open-devices.sh"
NVIDIA = ["/dev/nvidiactl", "/dev/nvidia0", "/dev/nvidia-uvm", "/dev/nvidia-caps/nvidia-cap1"]
REFUSED = ["/dev/e2e-vda", "/dev/e2e-mem"]


def connect_outcome(host, port, timeout=3.0):
    """"connected", "refused" (a reset: nothing listens) or "timeout" (no answer: IPAddressDeny= drops the SYN)."""
    try:
        socket.create_connection((host, port), timeout=timeout).close()
        return "connected"
    except ConnectionRefusedError:
        return "refused"
    except socket.timeout:
        return "timeout"


def refused(host, port, timeout=3.0):
    """True when a TCP connect is refused or gets no answer."""
    return connect_outcome(host, port, timeout) != "connected"


def push_log():
    journal = run("journalctl", f"--unit={UNIT}", "--no-pager", "--output=cat")
    return [line for line in journal.splitlines() if "push:" in line]


def unit_jvm():
    """The installed unit's java and JVM flags: its ExecStart's argv up to the agent's own -D settings."""
    exec_start = show(UNIT, "ExecStart")["ExecStart"]
    argv = exec_start.split("argv[]=", 1)[1].split(" ;", 1)[0].split()
    return argv[:next(i for i, arg in enumerate(argv) if arg.startswith("-Dmicronaut.config.files="))]


def start_peers():
    """Starts the slow JVMs early: a second agent in listen mode, and the collector stub on vsock once
    the installed agent has really failed to dial (nothing listened on CID 1 port 5000 yet)."""
    # The installed unit's JVM flags (the role's options and its class-data archive): it starts as fast.
    run("systemd-run", "--unit=e2e-listen-agent", "--quiet", "--uid=chutes", *unit_jvm(),
        "-Dmicronaut.config.files=/etc/system-status/application.json",
        "-Dstatus.port=8081", "-Dstatus.bind-address=127.0.0.1", "-Dstatus.uds-path=/tmp/e2e-listen.sock",
        "-Dstatus.push.mode=listen", f"-Dstatus.push.address=vsock://-1:{LISTEN_PORT}", "-Dstatus.push.interval=60s",
        "-Dstatus.push.agent-id=e2e-listen", "-jar", "/opt/system-status/system-status.jar")
    section("push over real AF_VSOCK: the installed agent dials vsock://1:5000 before anything listens there")
    failed = wait_for(lambda: [l for l in push_log() if f"cannot reach the host collector at vsock://1:{PUSH_PORT}" in l], 240, 1.0)
    check(failed is not None, f"the agent's dial failed cleanly and is retried: {failed[0] if failed else 'no such log line'}")
    run("systemd-run", "--unit=e2e-collector", "--quiet", "/usr/bin/java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-jar", STUB, "--listen", f"vsock://-1:{PUSH_PORT}", "--interval", "1s", "--record", RECORD)


def device_results(text):
    line = next((l for l in text.splitlines() if l.startswith("e2e-devices: ")), "")
    return dict(item.split("=", 1) for item in line[len("e2e-devices: "):].split())


def transient_probe(properties):
    """Runs the device probe in a throw-away service with the given properties; returns its results."""
    out = run("systemd-run", "--wait", "--pipe", "--quiet", *[f"--property={p}" for p in properties],
              "/bin/sh", PROBE)
    return device_results(out)


def device_policy(overview):
    section("device policy (DevicePolicy=closed, DeviceAllow=) enforced by the guest's device cgroup")
    opened = device_results(overview["gpu"]["stdout"])
    info("opens by the fake nvidia-smi the agent ran: " + " ".join(f"{k}={v}" for k, v in opened.items()))
    for node in NVIDIA:
        check(opened.get(node) == "ENXIO", f"{node}: {opened.get(node)} (let through, no driver behind it: ENXIO, not EPERM)")
    for node in REFUSED:
        check(opened.get(node) == "EPERM", f"{node} (mode 0666 twin of {node[9:]}): {opened.get(node)} (refused by the cgroup: EPERM)")
    info(f"the real /dev/vda: {opened.get('/dev/vda')}, /dev/mem: {opened.get('/dev/mem')} (file modes refuse chutes first)")
    check(opened.get("/dev/null") == "OK", "/dev/null opens (systemd's always-allowed pseudo devices)")

    allowed = [line.split("=", 1)[1] for line in run("systemctl", "show", UNIT, "-p", "DeviceAllow").splitlines()
               if line.startswith("DeviceAllow=") and line != "DeviceAllow="]
    nvidia_entries = [entry for entry in allowed if "nvidia" in entry]
    info(f"the unit's DeviceAllow: {allowed}")
    check(nvidia_entries and all(entry.startswith("char-nvidia") for entry in nvidia_entries),
          f"the NVIDIA nodes are allowed by device class only (no paths, no fixed majors): {nvidia_entries}")
    policy = ["DevicePolicy=closed"] + [f"DeviceAllow={entry}" for entry in allowed]
    closed = transient_probe(["DevicePolicy=closed"])
    check(all(closed.get(node) == "EPERM" for node in NVIDIA),
          f"control: DevicePolicy=closed without DeviceAllow refuses the NVIDIA nodes ({[closed.get(n) for n in NVIDIA]})")
    # Class entries resolve through /proc/devices when the service starts: without the driver's names
    # there they match nothing, with the newer driver's name for major 195 they still match.
    run("rmmod", "fake_nvidia")
    unregistered = transient_probe(policy)
    check(all(unregistered.get(node) == "EPERM" for node in NVIDIA),
          f"control: the role's DeviceAllow with no NVIDIA names in /proc/devices refuses them ({[unregistered.get(n) for n in NVIDIA]})")
    run("modprobe", "fake_nvidia", "frontend_name=nvidia")
    newer = transient_probe(policy)
    check(newer.get("/dev/nvidia0") == "ENXIO" and newer.get("/dev/nvidiactl") == "ENXIO",
          f"the role's DeviceAllow when major 195 is registered as \"nvidia\" (newer drivers): nvidia0 {newer.get('/dev/nvidia0')}")
    run("rmmod", "fake_nvidia")
    run("modprobe", "fake_nvidia")


def ip_allowlist():
    section("IPAddressDeny=any / IPAddressAllow= (system_status_ip_address_allow: [192.0.2.0/24])")
    props = show(UNIT, "IPAddressDeny", "IPAddressAllow")
    info(f"IPAddressDeny={props.get('IPAddressDeny')} IPAddressAllow={props.get('IPAddressAllow')}")
    check(get("/health") == (200, {"status": "ok"}), "from localhost (127.0.0.1): GET /health answers")
    outcome = connect_outcome("10.99.0.1", AGENT_PORT)
    check(outcome == "timeout",
          f"from the guest's dummy address 10.99.0.1 (not allowed): {outcome} (the SYN is dropped: no answer within 3 s, not a reset)")
    check(get("/health", host="192.0.2.1") == (200, {"status": "ok"}),
          "from 192.0.2.1 (on the dummy interface, inside the allowed prefix): GET /health answers")
    run("systemd-run", "--unit=e2e-ip-control", "--quiet", "/usr/bin/python3", "-m", "http.server", "--bind", "10.99.0.1", "8098")
    check(wait_for(lambda: not refused("10.99.0.1", 8098, 1.0), 30) is not None,
          "control: a service without the allowlist is reachable on 10.99.0.1")
    run("systemctl", "stop", "e2e-ip-control.service")


def state_change_latency(action, state, unit):
    """Runs action (which changes the unit's state) and returns the seconds from the unit's state
    change (systemd's monotonic timestamp, the clock time.monotonic() reads) until the stub recorded a
    lifecycle line with the given state; None when none came within 15 s."""
    before = len(lifecycle_states(RECORD))
    action()
    seen = wait_for(lambda: any(s == state for s, _ in lifecycle_states(RECORD)[before:]) and time.monotonic(), 15, 0.05)
    changed = int(show(unit, "StateChangeTimestampMonotonic")["StateChangeTimestampMonotonic"]) / 1e6
    return None if seen is None else seen - changed


def vsock_dial(healthy_again):
    section("push over real AF_VSOCK bytes: the installed agent dials CID 1, the stub listens (vsock_loopback)")
    first = wait_for(lambda: lifecycle_states(RECORD), 180, 0.1)
    check(first is not None and first[0][0] == "degraded" and "e2e-failing" in first[0][1],
          f"the stub on vsock://-1:{PUSH_PORT} received lifecycle degraded naming e2e-failing ({first[0] if first else None})")
    pushes = push_log()
    connected = [line for line in pushes if f"connected to vsock://1:{PUSH_PORT}" in line]
    check(bool(connected), f"the agent connected once the stub listened: {connected[0] if connected else pushes[-3:]}")
    kinds = {m.get("type") for m in record_lines(RECORD)}
    check("overview" in kinds, f"and overview heartbeats over vsock (types: {sorted(kinds)})")

    run("systemctl", "mask", "e2e-missing.service")
    run("touch", "/etc/e2e-ok")
    # Three flips each way; the median is checked, as in the benchmark (one sample under TCG on a busy
    # host varies by a second: the agent's tick is interval + the overview's own time, seconds here).
    start = lambda: run("systemctl", "start", "e2e-failing.service")
    # SIGKILL to the running unit: active -> failed in one step (no Restart=).
    kill = lambda: run("systemctl", "kill", "--signal=KILL", "e2e-failing.service")
    healthy, degraded = [], []
    for flip in range(3):
        healthy.append(state_change_latency(start, "healthy", "e2e-failing.service"))
        if flip == 0:
            healthy_again()
        degraded.append(state_change_latency(kill, "degraded", "e2e-failing.service"))
    for state, samples in (("started -> lifecycle healthy", healthy), ("killed (failed) -> lifecycle degraded", degraded)):
        known = sorted(sample for sample in samples if sample is not None)
        median = known[1] if len(known) == 3 else None
        check(median is not None and median <= INTERVAL_S + 1,
              f"e2e-failing {state} at the stub: median {_seconds(median)} after the unit's state change "
              f"(limit: interval {INTERVAL_S:g} s + 1 s; samples {', '.join(_seconds(x) for x in samples)})")
    check(show("e2e-failing.service", "ActiveState")["ActiveState"] == "failed", "and systemd says e2e-failing is failed")


def _seconds(latency):
    return "never (15 s)" if latency is None else f"{latency:.2f} s"


def vsock_listen():
    section(f"the agent in listen mode on vsock://-1:{LISTEN_PORT}: a host's ping and get_overview over CID 1")
    conn = wait_for(lambda: _vsock_connect(1, LISTEN_PORT), 240, 1.0)
    if not check(conn is not None, "a vsock client (the host's part) reached the listening agent on CID 1"):
        return
    seen = []
    with conn:
        conn.settimeout(15)
        reader = conn.makefile("r", encoding="utf-8")
        conn.sendall(b'{"type":"ping"}\n{"type":"get_overview"}\n')
        try:
            while not ("pong" in seen and "overview" in seen[seen.index("pong"):]):
                line = reader.readline()
                if not line:
                    break
                seen.append(json.loads(line).get("type"))
        except OSError as error:
            info(f"reading from the agent stopped: {error}")
    check("pong" in seen, f"ping -> pong (messages: {seen})")
    check("pong" in seen and "overview" in seen[seen.index("pong"):],
          "get_overview -> overview (heartbeat every 60 s, so the overview after pong is the answer)")


def stop_listen_agent():
    """Its JVM would only compete with the installed agent for the emulated CPUs from here on."""
    subprocess.run(["systemctl", "stop", "e2e-listen-agent.service"], capture_output=True)


def _vsock_connect(cid, port):
    sock = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    try:
        sock.settimeout(5)
        sock.connect((cid, port))
        return sock
    except OSError:
        sock.close()
        return None


def sigterm_shutdown():
    section("SIGTERM: the installed agent says shutdown as its last line")
    run("systemctl", "stop", UNIT)
    stopped = show(UNIT, "ActiveState", "Result")
    check(stopped == {"ActiveState": "inactive", "Result": "success"}, f"systemctl stop ends it cleanly ({stopped})")
    # The agent has exited: nothing can follow what it sent last, once the stub has written it down.
    wait_for(lambda: (record_lines(RECORD)[-1:] or [{}])[0].get("payload", {}).get("state") == "shutdown", 5, 0.1)
    messages = record_lines(RECORD)
    last = messages[-1] if messages else {}
    check(last.get("type") == "lifecycle" and last.get("payload", {}).get("state") == "shutdown",
          f"the stub's last line is lifecycle shutdown ({last.get('type')} {last.get('payload', {}).get('state')})")
    subprocess.run(["systemctl", "stop", "e2e-collector.service"], capture_output=True)
