"""Entry point: `uvicorn carbon_registry.main:create_app --factory --port 8001`."""

from fastapi import FastAPI

from carbon_registry.api import ROUTERS
from carbon_registry.api.errors import install_domain_errors
from carbon_registry.events.handlers import HANDLERS
from carbon_registry.service.jobs import JOBS
from carbon_registry.settings import RegistrySettings
from carbon_shared.app import create_service_app


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    app = create_service_app(
        settings=settings or RegistrySettings(),
        title="Registry: enterprises, key-emitter directory, agencies, departments, CCER projects",
        routers=ROUTERS,
        handlers=HANDLERS,
        jobs=JOBS,
    )
    install_domain_errors(app)
    return app
