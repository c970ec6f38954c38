"""The whole system for end-to-end tests: five uvicorn processes on the real PostgreSQL and Kafka.

Each service gets its own fresh database, migrated by Alembic, and the run gets its own topic prefix.
Faults are injected for real: `kill -9` of a service process, the Kafka broker stopped and restarted,
PostgreSQL restarted (through scripts/testenv/testenv.sh, which owns those servers).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from carbon_shared.auth import mint_token
from carbon_shared.launch import uvicorn_command
from carbon_shared.settings import DEV_JWT_SECRET
from carbon_shared.testing.fixtures import create_database, drop_database, migrate

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("registry", "reporting", "allowance", "credit", "notify")
TESTENV = ROOT / "scripts" / "testenv" / "testenv.sh"


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """Distinct free ports: all sockets stay open until every port is chosen, or the kernel may hand the
    same port out twice and two services would race for it."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


@dataclass
class System:
    pg_admin_url: str
    kafka_bootstrap: str
    log_dir: Path
    prefix: str = field(default_factory=lambda: f"e2e{uuid.uuid4().hex[:8]}.")
    ports: dict[str, int] = field(default_factory=dict)
    databases: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def client(self, service: str, role: str | None = None, **claims: str) -> httpx.AsyncClient:
        headers = {}
        if role is not None:
            headers["Authorization"] = f"Bearer {mint_token(secret=DEV_JWT_SECRET, role=role, **claims)}"
        return httpx.AsyncClient(base_url=self.url(service), headers=headers, timeout=60)

    async def start(self) -> None:
        for service in SERVICES:
            name = f"e2e_{service}_{uuid.uuid4().hex[:6]}"
            self.databases[service] = name
            url = await create_database(self.pg_admin_url, name)
            await migrate(f"carbon_{service}:migrations", url)
        self.ports = dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True))
        for service in SERVICES:
            self.launch(service)
        try:
            await asyncio.gather(*(self.wait_ready(s) for s in SERVICES))
        except BaseException:
            await self.stop()
            raise

    def env(self, service: str) -> dict[str, str]:
        from sqlalchemy.engine import make_url

        env = dict(os.environ)
        url = make_url(self.pg_admin_url).set(database=self.databases[service])
        env.update(
            {
                "CARBON_BUS": "kafka",
                "CARBON_KAFKA_BOOTSTRAP": self.kafka_bootstrap,
                "CARBON_TOPIC_PREFIX": self.prefix,
                f"CARBON_{service.upper()}_DATABASE_URL": url.render_as_string(hide_password=False),
                "CARBON_LOG_JSON": "true",
                "CARBON_OUTBOX_POLL_SECONDS": "0.05",
                # A past compliance year is replayed: the scheduled checks would judge it by today's date
                # at whatever moment a (re)started process runs them; the scenario calls them itself.
                "CARBON_RUN_JOBS": "false",
            }
        )
        return env

    def launch(self, service: str) -> None:
        log = (self.log_dir / f"{service}.log").open("ab")
        command = uvicorn_command(service, port=self.ports[service])
        self.processes[service] = subprocess.Popen(
            command, cwd=ROOT, env=self.env(service), stdout=log, stderr=log, start_new_session=True
        )

    async def wait_ready(self, service: str, within: float = 120) -> None:
        deadline = time.monotonic() + within
        async with httpx.AsyncClient(base_url=self.url(service), timeout=3) as client:
            while time.monotonic() < deadline:
                if self.processes[service].poll() is not None:
                    raise AssertionError(f"{service} exited: {self.log_tail(service)}")
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.3)
        raise AssertionError(f"{service} not ready: {self.log_tail(service)}")

    def kill9(self, service: str) -> None:
        """The crash nobody plans for: no shutdown hooks, no flush."""
        os.killpg(self.processes[service].pid, signal.SIGKILL)
        self.processes[service].wait(timeout=30)

    async def restart(self, service: str) -> None:
        self.launch(service)
        await self.wait_ready(service)

    @staticmethod
    def testenv(command: str) -> None:
        subprocess.run([str(TESTENV), command], check=True, cwd=ROOT)

    def log_tail(self, service: str, lines: int = 40) -> str:
        path = self.log_dir / f"{service}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    async def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for name in self.databases.values():
            await drop_database(self.pg_admin_url, name)
