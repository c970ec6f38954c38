"""Entry point: `uvicorn carbon_reporting.main:create_app --factory --port 8002`."""

from fastapi import FastAPI

from carbon_reporting.api import ROUTERS
from carbon_reporting.api.errors import install_domain_error_handler
from carbon_reporting.events.handlers import HANDLERS
from carbon_reporting.service.jobs import JOBS
from carbon_reporting.settings import ReportingSettings
from carbon_shared.app import create_service_app


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    app = create_service_app(
        settings=settings or ReportingSettings(),
        title="Reporting: annual GHG reports, accounting, verification, ledgers, disclosure",
        routers=ROUTERS,
        handlers=HANDLERS,
        jobs=JOBS,
    )
    install_domain_error_handler(app)
    return app
