#!/usr/bin/env python3
"""Load for src/bench/backpressure.sh: /health latency of a well-behaved client (a new connection per
request, like a load balancer's check) while N clients pipeline GET /metrics and never read the answers,
and/or while M idle connections are open. Prints one line of figures. Usage:
  backpressure.py PORT AGENT_PID HAMMERS IDLE SECONDS"""
import socket
import sys
import threading
import time

port, pid, hammers, idle, seconds = (int(a) for a in sys.argv[1:6])
stop = threading.Event()
sent = [0]
reconnects = [0]
rss_peak = [0]
lock = threading.Lock()
REQUEST = b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 64


def hammer():
    while not stop.is_set():
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(1)
        try:
            s.connect(("127.0.0.1", port))
            while not stop.is_set():
                try:
                    s.sendall(REQUEST)  # never reads an answer
                    with lock:
                        sent[0] += 64
                except socket.timeout:
                    pass  # the agent stopped reading: keep the connection, try again
        except OSError:
            with lock:
                reconnects[0] += 1  # closed by the agent (answer write timeout): come back
        finally:
            s.close()


def rss():
    while not stop.is_set():
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        rss_peak[0] = max(rss_peak[0], int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.1)


def health_once():
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        ok = data.startswith(b"HTTP/1.1 200")
    except OSError:
        ok = False
    return (time.monotonic() - started) * 1000, ok


idle_sockets = []
for _ in range(idle):
    s = socket.socket()
    s.connect(("127.0.0.1", port))
    idle_sockets.append(s)
threads = [threading.Thread(target=hammer, daemon=True) for _ in range(hammers)]
threads.append(threading.Thread(target=rss, daemon=True))
for t in threads:
    t.start()
time.sleep(1)  # let the hammers fill their connections
latencies, failures = [], 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    millis, ok = health_once()
    latencies.append(millis)
    failures += 0 if ok else 1
    time.sleep(0.02)
stop.set()
still_open = 0
for s in idle_sockets:
    s.setblocking(False)
    try:
        still_open += 1 if s.recv(1) is None else 0
    except BlockingIOError:
        still_open += 1
    except OSError:
        pass
    s.close()
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(f"health_requests={len(latencies)} p50_ms={p(0.5):.1f} p99_ms={p(0.99):.1f} max_ms={latencies[-1]:.1f} "
      f"failures={failures} metrics_requests_sent={sent[0]} hammer_reconnects={reconnects[0]} "
      f"idle_open_at_end={still_open} rss_peak_mib={rss_peak[0] / 1024:.0f}")
