"""Entry point: `uvicorn carbon_allowance.main:create_app --factory --port 8003`."""

from fastapi import FastAPI

from carbon_allowance.api import ROUTERS, install_domain_errors
from carbon_allowance.events.handlers import HANDLERS
from carbon_allowance.service.jobs import JOBS
from carbon_allowance.settings import AllowanceSettings
from carbon_shared.app import create_service_app


def create_app(settings: AllowanceSettings | None = None) -> FastAPI:
    app = create_service_app(
        settings=settings or AllowanceSettings(),
        title="Allowance: holdings ledger, allocation, obligations, surrender, pledges",
        routers=ROUTERS,
        handlers=HANDLERS,
        jobs=JOBS,
    )
    install_domain_errors(app)
    return app
