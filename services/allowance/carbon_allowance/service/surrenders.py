"""Surrender (清缴): allowances and CCER handed in against a year's obligation, CCER capped at 5%."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from carbon_allowance.db import accounts, ledger, obligations, records
from carbon_allowance.db.obligations import StoredObligation
from carbon_allowance.db.tables import surrenders
from carbon_allowance.domain.ledger_entries import build_surrender, select_surrender_lots
from carbon_allowance.domain.obligations import ObligationStatus, is_eligible_for, record_surrender
from carbon_allowance.service.common import context, new_id, now_utc, post, rules, today_local
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Conflict, NotFound
from carbon_shared.events import AllowanceSurrendered, ObligationFulfilled


@dataclass(frozen=True, kw_only=True)
class SurrenderRecord:
    surrender_id: str
    enterprise_id: str
    year: int
    allowances: int
    ccer: int
    surrendered_on: dt.date
    obligation: StoredObligation
    created_at: dt.datetime


async def surrender(
    uow: UnitOfWork, *, enterprise_id: str, year: int, allowances: int, ccer: int, actor: str
) -> SurrenderRecord:
    """Validate against the obligation (422), take eligible available units (409 if short), retire them.

    Four statements on PostgreSQL: lock account + obligation, read holdings, write everything (ledger
    entry, postings, holdings, obligation, surrender row) at once, then the outbox row at commit.
    """
    session, today = uow.session, today_local()
    stored = await _locked_obligation(uow, enterprise_id, year)
    outcome = record_surrender(
        obligation=stored.obligation, allowances=allowances, ccer=ccer, on=today, rules=rules().surrender
    )
    status = ObligationStatus.FULFILLED if outcome.obligation.is_fulfilled else stored.status
    record = SurrenderRecord(
        surrender_id=new_id(),
        enterprise_id=enterprise_id,
        year=year,
        allowances=allowances,
        ccer=ccer,
        surrendered_on=today,
        obligation=StoredObligation(outcome.obligation, status, stored.report_id, stored.overdue_on),
        created_at=now_utc(),
    )
    await _retire_units(session, record, actor)
    await uow.emit(
        AllowanceSurrendered(**_row(record, ("surrender_id", "enterprise_id", "year", "allowances", "ccer")))
    )
    if outcome.became_fulfilled:
        await uow.emit(_fulfilled(record.obligation, on=today, on_time=outcome.on_time))
    return record


async def _locked_obligation(uow: UnitOfWork, enterprise_id: str, year: int) -> StoredObligation:
    """The obligation with the account and obligation rows locked; 404 unknown account, 409 none yet."""
    stored = await obligations.lock_with_account(uow.session, enterprise_id, year)
    if stored is not None:
        return stored
    if await accounts.get(uow.session, enterprise_id) is None:
        raise NotFound(f"no account for enterprise {enterprise_id}: it is not registered")
    raise Conflict(f"{enterprise_id} has no {year} obligation yet: it is set when the report is verified")


async def _retire_units(session: AsyncSession, record: SurrenderRecord, actor: str) -> None:
    """One ledger entry moving the oldest eligible available lots to `surrendered`, written together
    with the obligation's new totals and the surrender record."""
    enterprise_id, year = record.enterprise_id, record.year
    balances = await ledger.load_balances(session, enterprise_id)
    eligible = functools.partial(is_eligible_for, year=year, rules=rules().surrender)
    lots = select_surrender_lots(
        balances=balances,
        enterprise_id=enterprise_id,
        allowances=record.allowances,
        ccer=record.ccer,
        eligible=eligible,
    )
    entry = context(actor=actor, reason=f"surrender for {year}", reference=record.surrender_id)
    transaction = build_surrender(context=entry, enterprise_id=enterprise_id, lots=lots, balances=balances)
    await post(
        session,
        balances,
        transaction,
        obligations.save_statement(record.obligation, now=record.created_at),
        records.insert_of(surrenders, **_row(record), entry_id=entry.transaction_id, actor=actor),
    )


_STORED_FIELDS = (
    "surrender_id",
    "enterprise_id",
    "year",
    "allowances",
    "ccer",
    "surrendered_on",
    "created_at",
)


def _row(record: SurrenderRecord, fields: tuple[str, ...] = _STORED_FIELDS) -> dict[str, Any]:
    return {name: getattr(record, name) for name in fields}


def _fulfilled(stored: StoredObligation, *, on: dt.date, on_time: bool) -> ObligationFulfilled:
    o = stored.obligation
    return ObligationFulfilled(
        enterprise_id=o.enterprise_id,
        year=o.year,
        obligation_tco2e=o.obligation_tco2e,
        fulfilled_on=on,
        on_time=on_time,
    )
