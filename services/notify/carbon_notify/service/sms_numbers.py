"""Use cases of department SMS numbers: the phones a route's sms channel texts for a department.

Numbers are stored normalised (11-digit mainland mobile), so "+86 139-0000-0000" and "13900000000"
are the same registration. A number reaches notifications routed after it was registered.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Row

from carbon_notify.db import sms_numbers
from carbon_notify.domain.errors import InvalidPhoneNumber
from carbon_notify.domain.model import Recipient
from carbon_notify.domain.sms import normalize_mobile
from carbon_notify.service.webhooks import RowPage
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Conflict, NotFound, Unprocessable
from carbon_shared.pagination import decode_cursor, encode_cursor


async def register_sms_number(uow: UnitOfWork, *, owner: Recipient, phone: str, label: str) -> Row:
    try:
        normalised = normalize_mobile(phone)
    except InvalidPhoneNumber as exc:
        raise Unprocessable(exc.message, errors=[{"loc": ["body", "phone"], "msg": exc.message}]) from exc
    number_id = uuid.uuid4()
    row = {
        "id": number_id,
        "owner_kind": owner.kind.value,
        "owner_id": owner.id,
        "phone": normalised,
        "label": label,
        "created_at": dt.datetime.now(dt.UTC),
    }
    if not await sms_numbers.add(uow.session, row):
        raise Conflict(f"{owner} already registered {normalised}", code="sms_number_exists")
    stored = await sms_numbers.get(uow.session, number_id)
    assert stored is not None  # inserted just above, in this transaction
    return stored


async def list_sms_numbers(
    uow: UnitOfWork, *, owner: Recipient | None, cursor: str | None, limit: int
) -> RowPage:
    values = decode_cursor(cursor)
    after = None
    if values and len(values) == 2:
        after = (dt.datetime.fromisoformat(str(values[0])), uuid.UUID(str(values[1])))
    rows = await sms_numbers.page(uow.session, owner, after=after, limit=limit)
    items = list(rows[:limit])
    more = len(rows) > limit
    return RowPage(
        items, encode_cursor([items[-1].created_at.isoformat(), str(items[-1].id)]) if more else None
    )


async def remove_sms_number(uow: UnitOfWork, *, owner: Recipient | None, number_id: uuid.UUID) -> None:
    """Another owner's number is 404 (its existence is not disclosed); operations may remove any."""
    row = await sms_numbers.get(uow.session, number_id)
    if row is None or (owner is not None and (row.owner_kind, row.owner_id) != (owner.kind.value, owner.id)):
        raise NotFound(f"no SMS number {number_id}")
    await sms_numbers.remove(uow.session, number_id)
