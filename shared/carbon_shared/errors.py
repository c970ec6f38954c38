"""RFC 9457 problem details: every error a client sees is `application/problem+json`.

Use cases raise `Problem` subclasses; the handlers registered by `install_problem_handlers` turn
them, FastAPI's validation errors and anything unexpected into problem documents.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str
    type: str | None = None


class ProblemDocument(BaseModel):
    """RFC 9457 problem details as this API returns them (documented in every OpenAPI)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ValidationIssue] | None = None


def _documented(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/ProblemDocument"}
    return {
        "description": description,
        "model": ProblemDocument,
        "content": {PROBLEM_JSON: {"schema": schema}},
    }


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _documented("Bad request"),
    401: _documented("Missing, forged or expired token"),
    403: _documented("The caller's role may not do this"),
    404: _documented("Not found (or not yours)"),
    409: _documented("Conflicts with the current state"),
    422: _documented("Invalid input; `errors` lists each field"),
    429: _documented("Too many requests"),
}


class Problem(Exception):
    """An error with an HTTP status a client can act on."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None, code: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.code = code


class Unauthorized(Problem):
    status, title = 401, "Unauthorized"


class Forbidden(Problem):
    status, title = 403, "Forbidden"


class NotFound(Problem):
    status, title = 404, "Not found"


class Conflict(Problem):
    status, title = 409, "Conflict"


class Unprocessable(Problem):
    status, title = 422, "Unprocessable content"


class TooManyRequests(Problem):
    status, title = 429, "Too many requests"


def _printable(text: str) -> str:
    """Details may quote client input: drop control characters and unpaired surrogates so the
    document is always valid UTF-8 JSON."""
    cleaned = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(c if c.isprintable() or c in " " else "\ufffd" for c in cleaned)


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://carbon.zhongwei.gov.cn/problems/{code or status}",
        "title": title,
        "status": status,
        "detail": _printable(detail),
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type")} for e in exc.errors()
    ]


async def _on_problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return problem_response(
        exc.status, exc.title, exc.detail, errors=exc.errors, code=exc.code, headers=headers
    )


async def _on_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:5])
    return problem_response(422, "Validation failed", detail, errors=errors, code="validation")


async def _on_http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem_response(
        exc.status_code, str(exc.detail), str(exc.detail), headers=dict(exc.headers) if exc.headers else None
    )


# SQLSTATE class 22 is "data exception": a value the database cannot take (out of range, a NUL byte,
# malformed text for the type). That is the client's input, so 422, never a 500.
_DATA_EXCEPTION_CLASS = "22"


def _sqlstate(exc: DBAPIError) -> str | None:
    for candidate in (exc.orig, getattr(exc.orig, "__cause__", None)):
        code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if code:
            return str(code)
    return None


async def _on_database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    if isinstance(exc, DataError) or (_sqlstate(exc) or "").startswith(_DATA_EXCEPTION_CLASS):
        return problem_response(
            422, "Invalid value", "a value in the request is out of range or malformed", code="invalid_value"
        )
    return await _on_unexpected(request, exc)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(500, "Internal error", "The server failed; the error is logged.")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(DBAPIError, _on_database_error)
    app.add_exception_handler(Exception, _on_unexpected)
