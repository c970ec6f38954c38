"""Domain errors as problem+json: the status each `ReportingError` means to a client.

422 invalid input (each field in `errors`, located in the request body), 404 not found or not yours,
403 role or agency refused, 409 the report's state or the agency forbids it; a broken reference file is
a 500 the operator must fix.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from carbon_reporting.domain.errors import (
    ActionForbidden,
    AgencyNotAssignable,
    InvalidInput,
    ReferenceYearMissing,
    ReportingError,
    ReportNotFound,
    ReportNotVerified,
    TransitionRefused,
)
from carbon_reporting.domain.policy import Actor, Role
from carbon_shared.auth import Principal
from carbon_shared.errors import Problem, problem_response

_STATUS: tuple[tuple[type[ReportingError], int, str], ...] = (
    (InvalidInput, 422, "Unprocessable content"),
    (ReferenceYearMissing, 422, "Unprocessable content"),
    (ReportNotFound, 404, "Not found"),
    (ActionForbidden, 403, "Forbidden"),
    (TransitionRefused, 409, "Conflict"),
    (AgencyNotAssignable, 409, "Conflict"),
    (ReportNotVerified, 409, "Conflict"),
)
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def body_loc(dotted: str) -> list[str | int]:
    """`fuels[2].oxidation` -> ["body", "fuels", 2, "oxidation"], as FastAPI locates body fields."""
    return ["body", *(name if name else int(index) for name, index in _PART.findall(dotted))]


def problem_of(exc: ReportingError) -> Problem:
    """The `Problem` a domain error is to a client (used for batch results too)."""
    errors: list[dict[str, Any]] | None = None
    if isinstance(exc, InvalidInput):
        errors = [{"loc": body_loc(issue.loc), "msg": issue.msg} for issue in exc.issues]
    elif isinstance(exc, ReferenceYearMissing):
        errors = [{"loc": ["body", "year"], "msg": exc.message}]
    for cls, status, title in _STATUS:
        if isinstance(exc, cls):
            problem = Problem(exc.message, errors=errors, code=exc.code)
            problem.status, problem.title = status, title
            return problem
    problem = Problem("reference data is broken; the operator is told", code=exc.code)
    problem.status, problem.title = 500, "Internal error"
    return problem


async def _on_domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ReportingError)
    problem = problem_of(exc)
    return problem_response(
        problem.status, problem.title, problem.detail, errors=problem.errors, code=problem.code
    )


def install_domain_error_handler(app: FastAPI) -> None:
    app.add_exception_handler(ReportingError, _on_domain_error)


def actor_of(principal: Principal) -> Actor:
    """The JWT principal as the domain policy sees it."""
    return Actor(
        subject=principal.sub,
        role=Role(principal.role),
        enterprise_id=principal.enterprise_id,
        agency_id=principal.agency_id,
    )
