"""ASGI middleware: correlation ids, request metrics, and `Idempotency-Key` replay for POSTs."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from carbon_shared.context import correlation_id_var
from carbon_shared.db.tables import idempotency_keys
from carbon_shared.errors import PROBLEM_JSON
from carbon_shared.metrics import Metrics

CORRELATION_HEADER = "x-correlation-id"
access_log = logging.getLogger("carbon.access")
_QUIET_ROUTES = {"/healthz", "/readyz", "/metrics"}


def _header(scope: Scope, name: str) -> str | None:
    raw = name.encode()
    for key, value in scope.get("headers", []):
        if key.lower() == raw:
            return value.decode("latin-1")
    return None


class CorrelationMiddleware:
    """Takes `X-Correlation-ID` from the caller or starts one, and returns it on the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        correlation_id = (_header(scope, CORRELATION_HEADER) or str(uuid.uuid4()))[:100]
        token = correlation_id_var.set(correlation_id)

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append(
                    (CORRELATION_HEADER.encode(), correlation_id.encode())
                )
            await send(message)

        try:
            await self.app(scope, receive, send_with_header)
        finally:
            correlation_id_var.reset(token)


class MetricsMiddleware:
    """Request count and latency by route template and status, and one access-log line per request
    (it carries the correlation id, like every log line)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            elapsed = time.perf_counter() - started
            self.metrics.requests.labels(scope["method"], route, str(status["code"])).inc()
            self.metrics.request_seconds.labels(scope["method"], route).observe(elapsed)
            if route not in _QUIET_ROUTES:
                access_log.info(
                    "%s %s %s",
                    scope["method"],
                    scope["path"],
                    status["code"],
                    extra={"route": route, "status": status["code"], "duration_ms": round(elapsed * 1000, 1)},
                )


class IdempotencyMiddleware:
    """A POST repeated with the same `Idempotency-Key` (same caller) gets the first response again.

    The key is scoped by the caller's credentials, method and path; reusing a key for a different body
    is refused with 422. Responses of 5xx are not stored, so a retry after a server failure runs again.
    """

    def __init__(self, app: ASGIApp, session_factory: Callable[[], async_sessionmaker[AsyncSession]]) -> None:
        self.app = app
        self.session_factory = session_factory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, "idempotency-key") if scope["type"] == "http" else None
        if key is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        scope_hash = _scope_hash(scope, key)
        request_hash = hashlib.sha256(body).hexdigest()
        stored = await self._load(scope_hash)
        if stored is not None:
            await _replay(send, stored, request_hash)
            return
        captured = await _run_capturing(self.app, scope, body, send)
        if captured["status"] < 500:
            await self._store(scope_hash, request_hash, captured)

    async def _load(self, scope_hash: str) -> Any:
        async with self.session_factory()() as session:
            return (
                await session.execute(select(idempotency_keys).where(idempotency_keys.c.scope == scope_hash))
            ).first()

    async def _store(self, scope_hash: str, request_hash: str, captured: dict[str, Any]) -> None:
        row = {
            "scope": scope_hash,
            "request_hash": request_hash,
            "status_code": captured["status"],
            "content_type": captured["content_type"],
            "body": captured["body"],
            "created_at": dt.datetime.now(dt.UTC),
        }
        async with self.session_factory()() as session:
            try:
                await session.execute(insert(idempotency_keys).values(**row))
                await session.commit()
            except IntegrityError:
                await session.rollback()  # a concurrent twin stored it first


def _scope_hash(scope: Scope, key: str) -> str:
    caller = _header(scope, "authorization") or "anonymous"
    return hashlib.sha256(f"{caller}\n{scope['path']}\n{key}".encode()).hexdigest()


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _replay(send: Send, stored: Any, request_hash: str) -> None:
    if stored.request_hash != request_hash:
        body = (
            b'{"type":"https://carbon.zhongwei.gov.cn/problems/idempotency","title":"Idempotency-Key reused",'
            b'"status":422,"detail":"this Idempotency-Key was used for a different request body"}'
        )
        status, content_type = 422, PROBLEM_JSON
    else:
        body, status, content_type = stored.body, stored.status_code, stored.content_type
    headers = [(b"content-type", content_type.encode()), (b"idempotent-replayed", b"true")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _run_capturing(app: ASGIApp, scope: Scope, body: bytes, send: Send) -> dict[str, Any]:
    captured: dict[str, Any] = {"status": 500, "content_type": "application/json", "body": b""}
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            captured["status"] = message["status"]
            for k, v in message.get("headers", []):
                if k.lower() == b"content-type":
                    captured["content_type"] = v.decode()
        elif message["type"] == "http.response.body":
            captured["body"] += message.get("body", b"")
        await send(message)

    await app(scope, receive, capture)
    return captured
