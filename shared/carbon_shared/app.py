"""The FastAPI app factory every service uses: errors, auth, logs, CORS, idempotency, health, metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from carbon_shared.auth import TokenVerifier
from carbon_shared.consumer import Handler
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import (
    PROBLEM_JSON,
    PROBLEM_RESPONSES,
    ProblemDocument,
    install_problem_handlers,
    problem_response,
)
from carbon_shared.events import DomainEvent
from carbon_shared.logs import configure_logging
from carbon_shared.middleware import CorrelationMiddleware, IdempotencyMiddleware, MetricsMiddleware
from carbon_shared.runtime import PeriodicJob, ServiceRuntime
from carbon_shared.settings import ServiceSettings


def create_service_app(
    *,
    settings: ServiceSettings,
    title: str,
    routers: Sequence[APIRouter],
    handlers: Mapping[type[DomainEvent], Handler | Sequence[Handler]] | None = None,
    jobs: Sequence[PeriodicJob] = (),
    description: str = "",
) -> FastAPI:
    platform = settings.platform
    configure_logging(settings.service_name, level=platform.log_level, as_json=platform.log_json)
    runtime = ServiceRuntime(settings, handlers=handlers or {}, jobs=jobs)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runtime.start(background=platform.run_consumers)
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=title, description=description, version="1.0.0", lifespan=lifespan, responses=PROBLEM_RESPONSES
    )
    app.state.settings = settings
    app.state.runtime = runtime
    app.state.token_verifier = TokenVerifier(platform)
    install_problem_handlers(app)
    app.add_middleware(IdempotencyMiddleware, session_factory=lambda: runtime.session_factory)
    if platform.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=platform.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Correlation-ID"],
        )
    app.add_middleware(MetricsMiddleware, metrics=runtime.metrics)
    app.add_middleware(CorrelationMiddleware)
    app.include_router(_operations_router())
    for router in routers:
        app.include_router(router)
    return app


def _operations_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="Liveness (public)")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/readyz",
        summary="Readiness: database and bus reachable (public)",
        responses={
            503: {
                "description": "Not ready",
                "model": ProblemDocument,
                "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDocument"}}},
            }
        },
    )
    async def readyz(request: Request) -> Response:
        checks = await request.app.state.runtime.ready()
        if all(checks.values()):
            return _json({"status": "ready", "checks": checks})
        return problem_response(503, "Not ready", f"failing checks: {checks}")

    @router.get(
        "/metrics",
        summary="Prometheus metrics (public, scrape on the internal network)",
        response_class=PlainTextResponse,
    )
    async def metrics(request: Request) -> Response:
        runtime: ServiceRuntime = request.app.state.runtime
        await runtime.refresh_gauges()
        return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router


def _json(body: object) -> Response:
    from fastapi.responses import JSONResponse

    return JSONResponse(body)


def get_runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


def get_uow(request: Request) -> UnitOfWork:
    """A fresh unit of work per request; the use case commits it (or it rolls back)."""
    return request.app.state.runtime.uow()


UoW = Annotated[UnitOfWork, Depends(get_uow)]
Runtime = Annotated[ServiceRuntime, Depends(get_runtime)]
