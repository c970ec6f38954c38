"""Domain errors as problem+json: field-level 422s name the field, refused state changes are 409s."""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from carbon_registry.domain.errors import (
    DirectoryActionRefused,
    FieldsInvalid,
    ReasonRequired,
    RegistryError,
    StatusChangeRefused,
)
from carbon_shared.errors import problem_response

_SEGMENT = re.compile(r"(\w+)(?:\[(\d+)\])?")
# A contact's issue names the contact; its code says which of its fields is wrong.
_SUBFIELD_BY_CODE = {"invalid_email": "email", "invalid_phone": "phone"}


def field_loc(field: str) -> list[str | int]:
    """`contacts[0]` -> ["body", "contacts", 0]: the same shape as FastAPI's own validation errors."""
    loc: list[str | int] = ["body"]
    for part in field.split("."):
        found = _SEGMENT.fullmatch(part)
        if found is None:
            loc.append(part)
            continue
        loc.append(found[1])
        if found[2] is not None:
            loc.append(int(found[2]))
    return loc


def _issue_loc(field: str, code: str) -> list[str | int]:
    loc = field_loc(field)
    subfield = _SUBFIELD_BY_CODE.get(code)
    return [*loc, subfield] if subfield and field.startswith("contacts[") else loc


async def _on_registry_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RegistryError)
    if isinstance(exc, DirectoryActionRefused | StatusChangeRefused):
        return problem_response(409, "Conflict", exc.message, code=exc.code)
    if isinstance(exc, FieldsInvalid):
        errors = [{"loc": _issue_loc(i.field, i.code), "msg": i.message, "type": i.code} for i in exc.issues]
        return problem_response(422, "Validation failed", exc.message, errors=errors, code=exc.code)
    loc = ["body", "reason"] if isinstance(exc, ReasonRequired) else ["body"]
    errors = [{"loc": loc, "msg": exc.message, "type": exc.code}]
    return problem_response(422, "Unprocessable content", exc.message, errors=errors, code=exc.code)


def install_domain_errors(app: FastAPI) -> None:
    app.add_exception_handler(RegistryError, _on_registry_error)
