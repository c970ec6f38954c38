"""Entry point: `uvicorn carbon_credit.main:create_app --factory --port 8004`."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from carbon_credit.api import ROUTERS
from carbon_credit.domain import errors
from carbon_credit.events.handlers import HANDLERS
from carbon_credit.service.jobs import JOBS
from carbon_credit.settings import CreditSettings
from carbon_shared.app import create_service_app
from carbon_shared.errors import problem_response

# A domain rule violation is the client's to fix: 404 for a fact the caller has not got, 409 for a
# decision already taken, 422 for everything else (too early, not repairable, missing reason...).
_STATUS = {
    errors.FactNotFound: (404, "Not found"),
    errors.DecisionAlreadyMade: (409, "Conflict"),
    errors.TransitionNotAllowed: (409, "Conflict"),
}


def create_app(settings: CreditSettings | None = None) -> FastAPI:
    app = create_service_app(
        settings=settings or CreditSettings(),
        title="Credit: environmental credit ratings, repair, complaints",
        routers=ROUTERS,
        handlers=HANDLERS,
        jobs=JOBS,
    )
    app.add_exception_handler(errors.CreditDomainError, _on_domain_error)
    return app


async def _on_domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.CreditDomainError)
    status, title = _STATUS.get(type(exc), (422, "Unprocessable content"))
    return problem_response(status, title, exc.message, code=exc.code)
