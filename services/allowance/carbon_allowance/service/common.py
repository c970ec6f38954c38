"""What every use case shares: the rule tables in force, the clock, ids, the account lock, posting."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from carbon_allowance.db import accounts, ledger
from carbon_allowance.domain.ledger import Balances, Transaction, apply_transaction
from carbon_allowance.domain.ledger_entries import EntryContext
from carbon_allowance.domain.rules import ComplianceCalendar, PowerAllocationRules, PriceTable, SurrenderRules
from carbon_allowance.reference.loader import (
    load_compliance_calendar,
    load_power_allocation_rules,
    load_price_table,
    load_surrender_rules,
)
from carbon_shared.errors import Conflict, NotFound


@dataclass(frozen=True)
class RuleSet:
    power: PowerAllocationRules
    surrender: SurrenderRules
    calendar: ComplianceCalendar
    prices: PriceTable


@functools.cache
def rules() -> RuleSet:
    """The reference tables in force (`reference.loader.CURRENT_VERSIONS`)."""
    return RuleSet(
        power=load_power_allocation_rules(),
        surrender=load_surrender_rules(),
        calendar=load_compliance_calendar(),
        prices=load_price_table(),
    )


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today_local() -> dt.date:
    """Today's date where deadlines are kept (China Standard Time, from the compliance calendar)."""
    zone = dt.timezone(dt.timedelta(hours=rules().calendar.utc_offset_hours))
    return now_utc().astimezone(zone).date()


def new_id() -> str:
    return str(uuid.uuid4())


def context(*, actor: str, reason: str, reference: str | None = None) -> EntryContext:
    return EntryContext(
        transaction_id=new_id(), actor=actor, reason=reason, occurred_at=now_utc(), reference=reference
    )


async def locked_account(session: AsyncSession, enterprise_id: str, *, registered: bool = True) -> Any:
    """Lock the enterprise's account row; 404 if unknown (or, when `registered`, not in the registry)."""
    row = await accounts.lock(session, enterprise_id)
    if row is None or (registered and row.status == accounts.UNREGISTERED):
        raise NotFound(f"no account for enterprise {enterprise_id}: it is not registered")
    return row


def refuse_closed(account: Any, action: str) -> None:
    if account.status == accounts.CLOSED:
        raise Conflict(f"enterprise {account.enterprise_id} is closed (停业/关闭); no {action}")


async def post(session: AsyncSession, balances: Balances, transaction: Transaction, *also: Any) -> Balances:
    """Check the entry against the balances (no negative holding), append it with `also` (one round trip)."""
    after = apply_transaction(balances, transaction)
    await ledger.append(session, transaction, *also)
    return after
