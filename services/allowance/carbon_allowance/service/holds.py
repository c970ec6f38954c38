"""Pledges to a bank (质押) and judicial freezes: units parked in the frozen account until released."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from carbon_allowance.db import holds, ledger
from carbon_allowance.domain.holds import Hold, HoldKind, build_hold, build_release
from carbon_allowance.service.common import context, locked_account, new_id, now_utc, post
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Conflict, NotFound
from carbon_shared.events import AllowanceFrozen, AllowancePledged, DomainEvent, FreezeLifted, PledgeReleased


@dataclass(frozen=True, kw_only=True)
class HoldRecord:
    hold: Hold
    status: str
    reason: str
    created_at: dt.datetime
    released_at: dt.datetime | None = None


async def place_hold(
    uow: UnitOfWork, *, kind: HoldKind, enterprise_id: str, amount: int, holder: str, reason: str, actor: str
) -> HoldRecord:
    """Move `amount` available allowances (oldest vintage first) into the frozen account."""
    session = uow.session
    await locked_account(session, enterprise_id)
    balances = await ledger.load_balances(session, enterprise_id)
    open_holds = await holds.open_for_enterprise(session, enterprise_id)
    hold_id = new_id()
    entry = context(actor=actor, reason=reason, reference=hold_id)
    transaction = build_hold(
        context=entry,
        kind=kind,
        enterprise_id=enterprise_id,
        hold_id=hold_id,
        holder=holder,
        amount=amount,
        balances=balances,
        holds=open_holds,
    )
    await post(session, balances, transaction)
    hold = Hold(
        hold_id,
        kind,
        enterprise_id,
        tuple((p.instrument, p.quantity) for p in transaction.postings if p.quantity > 0),
        holder,
    )
    now = now_utc()
    await holds.add(session, hold=hold, reason=reason, entry_id=entry.transaction_id, now=now)
    await uow.emit(_placed_event(hold))
    return HoldRecord(hold=hold, status=holds.OPEN, reason=reason, created_at=now)


async def release_hold(
    uow: UnitOfWork, *, kind: HoldKind, hold_id: str, reason: str, actor: str
) -> HoldRecord:
    """Release a pledge or lift a freeze: exactly the units it took go back to available."""
    session = uow.session
    row = await holds.get(session, hold_id)
    if row is None or row.kind != kind.value:
        raise NotFound(f"no {kind.value} {hold_id}")
    await locked_account(session, row.enterprise_id)
    open_holds = await holds.open_for_enterprise(session, row.enterprise_id)
    if hold_id not in open_holds:
        raise Conflict(f"{kind.value} {hold_id} was already released")
    entry = context(actor=actor, reason=reason, reference=hold_id)
    transaction = build_release(
        context=entry, kind=kind, enterprise_id=row.enterprise_id, hold_id=hold_id, holds=open_holds
    )
    await post(session, await ledger.load_balances(session, row.enterprise_id), transaction)
    now = now_utc()
    await holds.mark_released(session, hold_id=hold_id, entry_id=entry.transaction_id, now=now)
    hold = open_holds[hold_id]
    await uow.emit(_released_event(hold))
    return HoldRecord(
        hold=hold, status=holds.RELEASED, reason=row.reason, created_at=row.created_at, released_at=now
    )


def _placed_event(hold: Hold) -> DomainEvent:
    if hold.kind is HoldKind.PLEDGE:
        return AllowancePledged(
            pledge_id=hold.hold_id, enterprise_id=hold.enterprise_id, amount=hold.amount, pledgee=hold.holder
        )
    return AllowanceFrozen(
        freeze_id=hold.hold_id, enterprise_id=hold.enterprise_id, amount=hold.amount, authority=hold.holder
    )


def _released_event(hold: Hold) -> DomainEvent:
    if hold.kind is HoldKind.PLEDGE:
        return PledgeReleased(pledge_id=hold.hold_id, enterprise_id=hold.enterprise_id, amount=hold.amount)
    return FreezeLifted(freeze_id=hold.hold_id, enterprise_id=hold.enterprise_id, amount=hold.amount)
