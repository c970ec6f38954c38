"""Voluntary cancellation (自愿注销): an enterprise retires available units without settling anything.

The ledger entry is the record (kind `cancellation`, who, why): no table of its own. `AllowanceCancelled`
goes out in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from carbon_allowance.db import ledger
from carbon_allowance.domain.ledger import Instrument
from carbon_allowance.domain.ledger_entries import build_cancellation
from carbon_allowance.service.common import context, locked_account, post
from carbon_shared.db import UnitOfWork
from carbon_shared.events import AllowanceCancelled


@dataclass(frozen=True, kw_only=True)
class CancellationRecord:
    cancellation_id: str
    enterprise_id: str
    instrument: Instrument
    amount: int
    reason: str
    created_at: dt.datetime


async def cancel_units(
    uow: UnitOfWork, *, enterprise_id: str, instrument: Instrument, amount: int, reason: str, actor: str
) -> CancellationRecord:
    """Move `amount` available units of `instrument` to `cancelled`; 404 unknown, 409 not enough available."""
    session = uow.session
    await locked_account(session, enterprise_id, registered=False)
    balances = await ledger.load_balances(session, enterprise_id)
    entry = context(actor=actor, reason=f"voluntary cancellation: {reason}")
    transaction = build_cancellation(
        context=entry, enterprise_id=enterprise_id, instrument=instrument, amount=amount, balances=balances
    )
    await post(session, balances, transaction)
    await uow.emit(
        AllowanceCancelled(
            cancellation_id=entry.transaction_id,
            enterprise_id=enterprise_id,
            instrument=instrument.code,
            amount=amount,
            reason=reason,
        )
    )
    return CancellationRecord(
        cancellation_id=entry.transaction_id,
        enterprise_id=enterprise_id,
        instrument=instrument,
        amount=amount,
        reason=reason,
        created_at=entry.occurred_at,
    )
