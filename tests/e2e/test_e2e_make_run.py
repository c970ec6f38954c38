"""`make run` on an empty data folder: five services on 8001-8005 over SQLite and the embedded bus, the
demo city seeded through the public APIs, and Ctrl-C stopping everything cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from carbon_shared.testing.system import ROOT

pytestmark = pytest.mark.e2e
PORTS = (8001, 8002, 8003, 8004, 8005)


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for_line(process: subprocess.Popen[str], text: str, within: float) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + within
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"{text!r} not seen; output tail:\n{''.join(seen[-30:])}")


def test_make_run_starts_seeds_the_demo_city_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    busy = [p for p in PORTS if port_in_use(p)]
    assert not busy, f"ports {busy} are taken: stop the running `make run` first"
    env = dict(os.environ, CARBON_DATA_DIR=str(tmp_path / "data"), CARBON_DEMO_COUNT="12")
    env.pop("CARBON_BUS", None)
    process = subprocess.Popen(
        [sys.executable, "scripts/run_local.py"],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_line(process, "all five services are up", within=300)
        for port in PORTS:
            assert httpx.get(f"http://127.0.0.1:{port}/healthz").json() == {"status": "ok"}
        directory = httpx.get("http://127.0.0.1:8001/v1/key-emitters", params={"year": 2024}).json()
        disclosed = httpx.get(
            "http://127.0.0.1:8002/v1/disclosures", params={"year": 2023, "limit": 500}
        ).json()
        assert directory["items"] and len(disclosed["items"]) == 12
        assert any("中卫市" in item["enterprise_name"] for item in directory["items"])
        assert (tmp_path / "data" / "bus.db").exists() and (tmp_path / "data" / "registry.db").exists()
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=60)[0]
    assert process.returncode == 0, output[-2000:]
    assert "all services stopped" in output
    assert not [p for p in PORTS if port_in_use(p)]
