"""Entry point: `uvicorn carbon_credit.main:create_app --factory --port 8004`."""

from fastapi import FastAPI

from carbon_credit.api import ROUTERS
from carbon_credit.events.handlers import HANDLERS
from carbon_credit.service.jobs import JOBS
from carbon_credit.settings import CreditSettings
from carbon_shared.app import create_service_app


def create_app(settings: CreditSettings | None = None) -> FastAPI:
    return create_service_app(
        settings=settings or CreditSettings(),
        title="Credit: environmental credit ratings, repair, complaints",
        routers=ROUTERS,
        handlers=HANDLERS,
        jobs=JOBS,
    )
