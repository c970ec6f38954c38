"""The enterprise read model kept from registry events (name, sector, county, status)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from carbon_allowance.db import accounts
from carbon_allowance.service.common import now_utc
from carbon_shared.db import UnitOfWork


async def record_snapshot(uow: UnitOfWork, *, snapshot: dict[str, Any]) -> None:
    await accounts.save_snapshot(uow.session, snapshot=snapshot, now=now_utc())


async def record_closure(uow: UnitOfWork, *, enterprise_id: str, closed_on: dt.date) -> None:
    await accounts.mark_closed(uow.session, enterprise_id=enterprise_id, closed_on=closed_on, now=now_utc())
