"""Fixtures of the notify tests: the service on a fresh database, a real SMTP server (aiosmtpd), a real
HTTP receiver (webhooks and the SMS gateway) and a real HTTP server for the SSE stream."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from aiosmtpd.controller import Controller
from fastapi import FastAPI

from carbon_notify.domain.errors import NotifyError
from carbon_notify.domain.webhook_signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature
from carbon_notify.main import create_app
from carbon_notify.settings import NotifySettings
from carbon_shared.settings import PlatformSettings
from carbon_shared.testing.apps import running
from carbon_shared.testing.fixtures import create_database, drop_database, migrate
from carbon_shared.testing.services import RunningService

MIGRATIONS = "carbon_notify:migrations"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- SMTP ---------------------------------------------------------------------------------------
class _Collector:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


@dataclass
class SmtpSink:
    port: int
    collector: _Collector

    @property
    def messages(self) -> list[EmailMessage]:
        return self.collector.messages


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpSink(controller.port, collector)
    finally:
        controller.stop()


# --- HTTP receiver (webhooks, SMS gateway) -------------------------------------------------------
@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signature_ok: bool | None

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HttpReceiver:
    port: int
    secret: str = "receiver-secret-0123456789"
    fail: bool = False
    fail_phones_once: set[str] = field(default_factory=set)  # the SMS gateway refuses these once (503)
    received: list[Received] = field(default_factory=list)

    def refuses_once(self, body: bytes) -> bool:
        phone = json.loads(body).get("phone") if body.startswith(b"{") else None
        if phone in self.fail_phones_once:
            self.fail_phones_once.discard(phone)
            return True
        return False

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def check(self, headers: dict[str, str], body: bytes) -> bool | None:
        """A webhook receiver's check, as a department would write it (None: not a signed request)."""
        if SIGNATURE_HEADER.lower() not in {k.lower() for k in headers}:
            return None
        try:
            verify_signature(
                body=body,
                secret=self.secret,
                timestamp_header=headers.get(TIMESTAMP_HEADER),
                signature_header=headers.get(SIGNATURE_HEADER),
                now=dt.datetime.now(dt.UTC),
                tolerance_seconds=300,
            )
        except NotifyError:
            return False
        return True


def _handler_for(receiver: HttpReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = dict(self.headers.items())
            ok = receiver.check(headers, body)
            receiver.received.append(Received(self.path, headers, body, ok))
            failing = receiver.fail or receiver.refuses_once(body)
            status = 500 if failing else (401 if ok is False else 200)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def http_receiver() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver(port=free_port())
    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), _handler_for(receiver))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


# --- the service ----------------------------------------------------------------------------------
def notify_settings(url: str, platform: PlatformSettings, **knobs: Any) -> NotifySettings:
    return NotifySettings(database_url=url, platform=platform, **knobs)


def kafka_platform(kafka_bootstrap: str, topic_prefix: str, **overrides: Any) -> PlatformSettings:
    knobs: dict[str, Any] = {"consumer_backoff_seconds": 0.05, "outbox_poll_seconds": 0.05, **overrides}
    return PlatformSettings(
        bus="kafka", kafka_bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, log_json=False, **knobs
    )


@pytest.fixture
async def notify_pg(pg_admin_url: str) -> AsyncIterator[str]:
    """A migrated PostgreSQL database for the notify service, dropped after the test."""
    name = f"test_notify_{free_port()}_{id(object())}"
    url = await create_database(pg_admin_url, name)
    try:
        await migrate(MIGRATIONS, url)
        yield url
    finally:
        await drop_database(pg_admin_url, name)


StartNotify = Callable[..., AbstractAsyncContextManager[RunningService]]


@pytest.fixture
def start_notify(kafka_bootstrap: str, topic_prefix: str) -> StartNotify:
    """Start the service (lifespan: consumer, relay, workers) on a database over real Kafka."""

    @asynccontextmanager
    async def start(
        url: str, *, platform: dict[str, Any] | None = None, **knobs: Any
    ) -> AsyncIterator[RunningService]:
        settings = notify_settings(
            url, kafka_platform(kafka_bootstrap, topic_prefix, **(platform or {})), **knobs
        )
        app = create_app(settings)
        async with running(app) as client:
            yield RunningService(client, app, settings)

    return start


@pytest.fixture
def start_embedded(tmp_path: Path) -> StartNotify:
    """The `make run` shape: SQLite + embedded bus in tmp_path (fast API tests)."""

    @asynccontextmanager
    async def start(**knobs: Any) -> AsyncIterator[RunningService]:
        url = f"sqlite+aiosqlite:///{tmp_path / 'notify'}.db"
        await migrate(MIGRATIONS, url)
        platform = PlatformSettings(
            bus="embedded",
            data_dir=tmp_path,
            log_json=False,
            consumer_backoff_seconds=0.05,
            outbox_poll_seconds=0.05,
        )
        app = create_app(notify_settings(url, platform, **knobs))
        async with running(app) as client:
            yield RunningService(client, app, app.state.settings)

    return start


@asynccontextmanager
async def _served(app: FastAPI) -> AsyncIterator[str]:
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), lifespan="on", log_level="warning")
    config.timeout_graceful_shutdown = 2
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
def kafka_app(kafka_bootstrap: str, topic_prefix: str) -> Callable[[str], FastAPI]:
    """An app (not started) on a database over real Kafka, for serving over a real socket."""
    return lambda url: create_app(notify_settings(url, kafka_platform(kafka_bootstrap, topic_prefix)))


@pytest.fixture
def serve() -> Callable[[FastAPI], AbstractAsyncContextManager[str]]:
    """Serve an app over real HTTP (uvicorn, lifespan on): streaming responses need a real socket."""
    return _served
