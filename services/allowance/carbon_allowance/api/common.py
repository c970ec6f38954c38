"""Helpers every router shares: who acts, which enterprise a caller may see, cursors, obligation bodies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from carbon_allowance.api.schemas import ObligationOut
from carbon_allowance.db.obligations import StoredObligation
from carbon_allowance.domain.ledger import Instrument
from carbon_shared.auth import Principal
from carbon_shared.errors import NotFound, Unprocessable
from carbon_shared.pagination import decode_cursor

READERS = ("regulator", "region", "ops", "department", "enterprise")


def actor_of(who: Principal) -> str:
    return f"{who.role}:{who.sub}"


def own_enterprise(who: Principal, enterprise_id: str | None) -> str | None:
    """An enterprise caller sees only itself (another enterprise's data is a 404); others see any."""
    if who.role != "enterprise":
        return enterprise_id
    if enterprise_id is not None and enterprise_id != who.enterprise_id:
        raise NotFound(f"no account for enterprise {enterprise_id}")
    return who.enterprise_id


def time_cursor(cursor: str | None) -> tuple[dt.datetime, str] | None:
    values = decode_cursor(cursor)
    if values is None:
        return None
    try:
        return dt.datetime.fromisoformat(values[0]), str(values[1])
    except (ValueError, IndexError, TypeError) as exc:
        raise Unprocessable(
            "malformed cursor", errors=[{"loc": ["query", "cursor"], "msg": "malformed cursor"}]
        ) from exc


def time_key(created_at_field: str, id_field: str) -> Any:
    return lambda item: [getattr(item, created_at_field).isoformat(), getattr(item, id_field)]


def obligation_out(stored: StoredObligation) -> ObligationOut:
    o = stored.obligation
    return ObligationOut(
        year=o.year,
        obligation_tco2e=o.obligation_tco2e,
        surrendered_allowances=o.surrendered_allowances,
        surrendered_ccer=o.surrendered_ccer,
        status=stored.status.value,  # type: ignore[arg-type]
        due_date=o.due_date,
        revision=o.revision,
        required_units=o.required_units,
        remaining_units=o.remaining_units,
        fulfilled_on=o.fulfilled_on,
    )


def instrument_named(kind: str, *, vintage: int | None, project_ref: str | None) -> Instrument:
    """An allowance names its vintage, a CCER its project_ref, and not the other (422 otherwise)."""
    if kind == "allowance" and vintage is not None and project_ref is None:
        return Instrument.allowance(vintage)
    if kind == "ccer" and project_ref is not None and vintage is None:
        return Instrument.ccer(project_ref)
    raise Unprocessable(
        "an allowance names its vintage, a CCER its project_ref (and not the other)",
        errors=[{"loc": ["body", "instrument"], "msg": "vintage xor project_ref"}],
    )
