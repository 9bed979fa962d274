#!/usr/bin/env python3
"""Simulated guests for src/bench/collector-fleet.sh: N agents (half TCP, half unix) pushing an overview
every second to one collector, plus lifecycle flips between healthy and degraded at a fixed rate,
timed from the write to the flip's arrival on the collector's GET /events. Prints the latencies."""
import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import sys
import threading
import time

tcp_port, unix_path, http_port, guests, seconds, flips_per_s = (
    int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]))

UNIT = ('{"service":{"id":"%s","unit":"%s.service","description":"%s"},"status":{"load_state":"loaded",'
        '"active_state":"active","sub_state":"running","unit_file_state":"enabled","main_pid":1234,"exit_code":0,'
        '"exit_status":0},"healthy":true,"error":null}')
# The agent's own typed sample for the real H100 capture (see the collector's test resource).
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../collector-stub/src/test/resources/h100-gpu-sample.json")) as sample:
    GPU = sample.read().strip()
SERVICES = ",".join(UNIT % (u, u, u) for u in ("k3s", "nvidia-persistenced", "containerd", "chutes-miner"))
GPU_CMD = ('{"command":["nvidia-smi"],"exit_code":0,"stdout":"","stdout_lines":[],"stderr":"","stdout_truncated":false,'
           '"stderr_truncated":false,"detail":false,"gpu":"all","status":"ok","error":null}')

sent = {}          # (agent_id, seq) -> wall time of the write
latencies = []


class Guest:
    def __init__(self, index, writer):
        self.id = "guest-%d" % index
        self.instance = secrets.token_hex(16)
        self.writer = writer
        self.seq = 0
        self.state = "healthy"

    def now(self):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    def lifecycle(self, state, message):
        self.seq += 1
        self.state = state
        sent[(self.id, self.seq)] = time.time()
        self.writer.write(('{"type":"lifecycle","payload":{"state":"%s","message":"%s","seq":%d,"timestamp":"%s",'
                           '"agent_id":"%s","instance":"%s"}}\n' % (state, message, self.seq, self.now(), self.id,
                                                                    self.instance)).encode())

    def overview(self):
        self.seq += 1
        self.writer.write(('{"type":"overview","payload":{"status":"ok","reasons":[],"services":[%s],"gpu":%s,"gpus":[%s],'
                           '"timestamp":"%s","seq":%d,"agent_id":"%s"}}\n' % (SERVICES, GPU_CMD, GPU, self.now(), self.seq,
                                                                            self.id)).encode())


def follow_events():
    """GET /events on a plain socket, decoding the chunked body as it comes (no client-side buffering)."""
    sock = socket.create_connection(("127.0.0.1", http_port))
    sock.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    raw, body = b"", b""
    while b"\r\n\r\n" not in raw:
        raw += sock.recv(65536)
    raw = raw.split(b"\r\n\r\n", 1)[1]
    while True:
        while True:   # as many complete chunks as arrived
            head, sep, rest = raw.partition(b"\r\n")
            if not sep:
                break
            size = int(head, 16)
            if len(rest) < size + 2:
                break
            body += rest[:size]
            raw = rest[size + 2:]
        arrived = time.time()
        *lines, body = body.split(b"\n")
        for line in lines:
            event = json.loads(line)
            if event.get("kind") == "state":
                key = (event["guest"]["agent_id"], event.get("seq"))
                if key in sent:
                    latencies.append((arrived - sent.pop(key)) * 1000)
        data = sock.recv(65536)
        if not data:
            return
        raw += data


async def heartbeat(guest, offset):
    await asyncio.sleep(offset)
    while True:
        guest.overview()
        await guest.writer.drain()
        await asyncio.sleep(1)


async def main():
    threading.Thread(target=follow_events, daemon=True).start()
    fleet = []
    for i in range(guests):
        if i % 2 == 0:
            _, writer = await asyncio.open_connection("127.0.0.1", tcp_port)
        else:
            _, writer = await asyncio.open_unix_connection(unix_path)
        guest = Guest(i, writer)
        guest.lifecycle("booting", "starting")
        guest.lifecycle("healthy", "all checks pass")
        fleet.append(guest)
    await asyncio.sleep(2)
    sent.clear()      # only the flips are timed
    latencies.clear()
    tasks = [asyncio.create_task(heartbeat(g, i / guests)) for i, g in enumerate(fleet)]
    print("guests: %d connected and pushing every second" % len(fleet), flush=True)
    began = time.time()
    end = began + seconds
    flipped = 0
    while time.time() < end:
        flipped += 1
        guest = random.choice(fleet)
        if guest.state == "healthy":
            guest.lifecycle("degraded", "k3s: failed/failed")
        else:
            guest.lifecycle("healthy", "all checks pass")
        await guest.writer.drain()
        await asyncio.sleep(1 / flips_per_s)
    await asyncio.sleep(2)
    for t in tasks:
        t.cancel()
    flips = len(latencies) + len(sent)
    ordered = sorted(latencies)
    print("flips: %d sent in %.1f s, %d timed, %d seen on /events" % (flipped, end - began, flips, len(latencies)))
    if ordered:
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print("push-to-event latency: median %.1f ms, p99 %.1f ms, max %.1f ms"
              % (statistics.median(ordered), p99, ordered[-1]))
    sys.exit(0 if ordered and not sent else 1)


asyncio.run(main())
