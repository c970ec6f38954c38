"""Domain errors as problem+json: each domain error class has one HTTP status and keeps its code."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from carbon_allowance.domain import errors
from carbon_shared.errors import problem_response

_STATUS: dict[type[errors.AllowanceError], tuple[int, str]] = {
    errors.InvalidInput: (422, "Unprocessable content"),
    errors.ReferenceDataMissing: (422, "No reference data"),
    errors.CcerCapExceeded: (422, "CCER cap exceeded"),
    errors.SurrenderExceedsObligation: (422, "Surrender exceeds the obligation"),
    errors.InsufficientBalance: (409, "Insufficient balance"),
    errors.FrozenUnitsCannotMove: (409, "Frozen units cannot move"),
    errors.StaleRevision: (409, "Stale revision"),
    errors.HoldNotFound: (404, "Not found"),
}


def status_of(exc: errors.AllowanceError) -> tuple[int, str]:
    """409/422/404 for errors a caller can act on; 500 for broken reference data or a programming error."""
    for cls in type(exc).__mro__:
        if cls in _STATUS:
            return _STATUS[cls]
    return 500, "Internal error"


async def _on_domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.AllowanceError)
    status, title = status_of(exc)
    return problem_response(status, title, exc.message, code=exc.code)


def install_domain_errors(app: FastAPI) -> None:
    app.add_exception_handler(errors.AllowanceError, _on_domain_error)
