"""Entry point: `uvicorn carbon_notify.main:create_app --factory --port 8005`."""

from fastapi import FastAPI

from carbon_notify.api import ROUTERS
from carbon_notify.events.handlers import HANDLERS
from carbon_notify.service.jobs import JOBS
from carbon_notify.settings import NotifySettings
from carbon_shared.app import create_service_app


def create_app(settings: NotifySettings | None = None) -> FastAPI:
    return create_service_app(
        settings=settings or NotifySettings(),
        title="Notify: routing events to enterprises and departments",
        routers=ROUTERS,
        handlers=HANDLERS,
        jobs=JOBS,
    )
