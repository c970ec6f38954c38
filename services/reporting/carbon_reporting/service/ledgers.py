"""Use cases of the monthly ledger (月度存证): filing and listing.

A ledger is filed once per enterprise and month (nothing is overwritten: a second filing is a 409), only
after the month has ended in China Standard Time, by the enterprise itself or the regulator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from carbon_reporting.db import ledgers, readmodels
from carbon_reporting.db.ledgers import StoredLedger
from carbon_reporting.domain.deadlines import cst_date
from carbon_reporting.domain.errors import ActionForbidden, FieldIssue, InvalidInput
from carbon_reporting.domain.policy import Actor, Role
from carbon_reporting.service.reference import deadline_rules
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Conflict


@dataclass(frozen=True)
class LedgerFiling:
    enterprise_id: str
    year: int
    month: int
    emissions_tco2e: Decimal
    fuels: list[dict[str, Any]]
    note: str = ""


async def file_ledger(uow: UnitOfWork, *, actor: Actor, filing: LedgerFiling) -> StoredLedger:
    _ensure_may_file(actor, filing.enterprise_id)
    now = dt.datetime.now(dt.UTC)
    _ensure_month_ended(filing, today=cst_date(instant=now, rules=deadline_rules()))
    if await readmodels.get_enterprise(uow.session, filing.enterprise_id) is None:
        raise InvalidInput((FieldIssue("enterprise_id", "no enterprise with this id is registered"),))
    key = {"enterprise_id": filing.enterprise_id, "year": filing.year, "month": filing.month}
    if await ledgers.get_ledger(uow.session, **key) is not None:
        raise Conflict(
            f"the ledger of {filing.year}-{filing.month:02d} is already filed; it is not overwritten"
        )
    ledger = StoredLedger(
        **key,
        emissions_tco2e=filing.emissions_tco2e,
        fuels=filing.fuels,
        note=filing.note,
        filed_by=actor.subject,
        filed_at=now,
    )
    await ledgers.insert_ledger(uow.session, ledger)
    return ledger


def _ensure_may_file(actor: Actor, enterprise_id: str) -> None:
    if actor.role is Role.ENTERPRISE and actor.enterprise_id != enterprise_id:
        raise ActionForbidden("an enterprise files ledgers only for itself")


def _ensure_month_ended(filing: LedgerFiling, *, today: dt.date) -> None:
    if (filing.year, filing.month) >= (today.year, today.month):
        raise InvalidInput((FieldIssue("month", "a month's ledger is filed after the month has ended"),))
    if not filing.emissions_tco2e.is_finite() or filing.emissions_tco2e < 0:
        raise InvalidInput((FieldIssue("emissions_tco2e", "must be a number >= 0"),))


async def list_ledgers(
    uow: UnitOfWork,
    *,
    actor: Actor,
    enterprise_id: str | None,
    year: int | None,
    after: tuple[str, int, int] | None,
    limit: int,
) -> list[StoredLedger]:
    if actor.role is Role.ENTERPRISE:
        enterprise_id = actor.enterprise_id
    return await ledgers.list_ledgers(
        uow.session, enterprise_id=enterprise_id, year=year, after=after, limit=limit + 1
    )
