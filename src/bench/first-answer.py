#!/usr/bin/env python3
"""Waits for the agent's first 200 to GET /health on 127.0.0.1:PORT, trying every 5 ms from this one
process, so that the start being timed keeps the machine's CPUs. The loop it replaces started a curl every
5 ms: each costs ~10 ms of CPU, two thirds of a core taken from the starting JVM on 2 cores (measured with
`time` on a loop against a closed port: 0.66 s of CPU per second, this script 0.15 s with its own start).
  python3 src/bench/first-answer.py PORT PID   -> exit 0 on a 200; 1 when PID is gone or after 60 s"""
import os
import socket
import sys
import time

port, pid = int(sys.argv[1]), int(sys.argv[2])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            if s.recv(64).startswith(b"HTTP/1.1 200"):
                sys.exit(0)
    except OSError:
        pass  # not listening yet
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    time.sleep(0.005)
sys.exit(1)
