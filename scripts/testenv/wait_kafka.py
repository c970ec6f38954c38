#!/usr/bin/env python3
"""Wait until a Kafka broker answers: standard library only (raw Kafka protocol over a socket).

Used by scripts/testenv/testenv.sh; it must run before any project venv exists, so no pip packages.

Ready means all of:
  * (if --pid) the broker JVM is still alive (else fail fast: exit 2),
  * (if --log) the broker log contains "Kafka Server started",
  * ApiVersions v0 answers with error_code 0,
  * a Metadata request (highest non-flexible version both sides know, v1..v8) lists at least one
    broker and a controller id,
  * (if --warm-groups) FindCoordinator for a group answers without error (this makes the broker create
    __consumer_offsets up front).

Exit codes: 0 ready, 1 timeout, 2 broker process died.
Usage: wait_kafka.py --bootstrap 127.0.0.1:9092 [--timeout 120] [--pid N] [--log FILE] [--quiet]
"""

from __future__ import annotations

import argparse
import os
import socket
import struct
import sys
import time

API_METADATA = 3
API_FIND_COORDINATOR = 10
API_VERSIONS = 18
STARTED_LINE = b"Kafka Server started"


class ProbeError(Exception):
    pass


class Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise ProbeError("short response")
        (value,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return value

    def int16(self) -> int:
        return self.take(">h")

    def int32(self) -> int:
        return self.take(">i")

    def string(self) -> str | None:
        length = self.int16()
        if length < 0:
            return None
        raw = self.data[self.pos : self.pos + length]
        self.pos += length
        return raw.decode("utf-8", "replace")


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ProbeError("connection closed by broker")
        buf += chunk
    return bytes(buf)


def _request(sock: socket.socket, api_key: int, version: int, corr: int, body: bytes) -> Reader:
    client_id = b"carbon-testenv-wait"
    # Request header v1: api_key, api_version, correlation_id, client_id (nullable string).
    header = struct.pack(">hhih", api_key, version, corr, len(client_id)) + client_id
    payload = header + body
    sock.sendall(struct.pack(">i", len(payload)) + payload)
    size = struct.unpack(">i", _recv_exact(sock, 4))[0]
    reader = Reader(_recv_exact(sock, size))
    # Response header v0: correlation_id only (non-flexible versions, and ApiVersions always).
    if reader.int32() != corr:
        raise ProbeError("correlation id mismatch")
    return reader


def _warm_group_coordinator(sock: socket.socket, versions: dict) -> None:
    """FindCoordinator for a group key: makes the broker create __consumer_offsets now, so the first
    consumer group of a test does not hit GROUP_COORDINATOR_NOT_AVAILABLE while it is being created."""
    if API_FIND_COORDINATOR not in versions:
        return
    lo, hi = versions[API_FIND_COORDINATOR]
    v = min(hi, 2)  # v3+ are flexible
    if v < lo:
        return  # broker only speaks flexible versions: skip the warm-up, clients retry anyway
    key = b"carbon-testenv-warmup"
    body = struct.pack(">h", len(key)) + key
    if v >= 1:
        body += b"\x00"  # key_type = group
    r = _request(sock, API_FIND_COORDINATOR, v, 3, body)
    if v >= 1:
        r.int32()  # throttle_time_ms
    err = r.int16()
    if err != 0:
        raise ProbeError(f"group coordinator not available yet (FindCoordinator error_code={err})")


def probe(host: str, port: int, timeout: float = 3.0, warm_groups: bool = False) -> dict:
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        r = _request(sock, API_VERSIONS, 0, 1, b"")
        err = r.int16()
        if err != 0:
            raise ProbeError(f"ApiVersions error_code={err}")
        versions = {}
        for _ in range(r.int32()):
            key, lo, hi = r.int16(), r.int16(), r.int16()
            versions[key] = (lo, hi)
        if API_METADATA not in versions:
            raise ProbeError("broker does not list Metadata")
        lo, hi = versions[API_METADATA]
        v = min(hi, 8)  # v9+ are flexible (tagged fields); v1..v8 are enough here
        if v < max(lo, 1):
            raise ProbeError(f"no usable Metadata version (broker supports {lo}..{hi})")

        body = struct.pack(">i", 0)  # topics: empty array = no topics (v1+)
        if v >= 4:
            body += b"\x00"  # allow_auto_topic_creation = false
        if v >= 8:
            body += b"\x00\x00"  # include_cluster/topic_authorized_operations = false
        r = _request(sock, API_METADATA, v, 2, body)
        if v >= 3:
            r.int32()  # throttle_time_ms
        brokers = []
        for _ in range(r.int32()):
            node_id = r.int32()
            bhost = r.string()
            bport = r.int32()
            r.string()  # rack
            brokers.append((node_id, bhost, bport))
        cluster_id = r.string() if v >= 2 else None
        controller_id = r.int32()
        if warm_groups:
            _warm_group_coordinator(sock, versions)
        return {
            "metadata_version": v,
            "brokers": brokers,
            "cluster_id": cluster_id,
            "controller_id": controller_id,
        }


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) counts as dead.
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
        return state != b"Z"
    except OSError:
        return True


def _log_has_started(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return STARTED_LINE in fh.read()
    except OSError:
        return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", required=True, help="host:port")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--pid", type=int, help="broker pid: fail fast if it exits")
    ap.add_argument("--log", help="broker log file: also wait for 'Kafka Server started'")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument(
        "--warm-groups",
        action="store_true",
        help="also wait until the group coordinator answers (creates __consumer_offsets)",
    )
    args = ap.parse_args()

    host, _, port_s = args.bootstrap.rpartition(":")
    port = int(port_s)
    deadline = time.monotonic() + args.timeout
    last_err = "not tried"
    while True:
        if args.pid and not _pid_alive(args.pid):
            print(f"wait_kafka: broker process {args.pid} exited", file=sys.stderr)
            return 2
        if not args.log or _log_has_started(args.log):
            try:
                info = probe(host, port, warm_groups=args.warm_groups)
                if info["brokers"] and info["controller_id"] >= 0:
                    if not args.quiet:
                        print(
                            f"wait_kafka: ready at {host}:{port} brokers={info['brokers']} "
                            f"controller={info['controller_id']} cluster={info['cluster_id']} "
                            f"(Metadata v{info['metadata_version']})",
                            file=sys.stderr,
                        )
                    return 0
                last_err = f"metadata not ready: {info}"
            except (OSError, ProbeError) as exc:
                last_err = f"{type(exc).__name__}: {exc}"
        else:
            last_err = "log has no 'Kafka Server started' yet"
        if time.monotonic() >= deadline:
            print(f"wait_kafka: timeout after {args.timeout:.0f}s ({last_err})", file=sys.stderr)
            return 1
        time.sleep(0.25)


if __name__ == "__main__":
    sys.exit(main())
