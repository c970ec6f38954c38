"""CCER deposits and trades settled on the national exchange, imported into the city's books."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from carbon_allowance.db import ledger, records
from carbon_allowance.db.tables import ccer_deposits, transfers
from carbon_allowance.domain.ledger import Instrument
from carbon_allowance.domain.ledger_entries import build_ccer_deposit, build_transfer_in, build_transfer_out
from carbon_allowance.service.common import context, locked_account, new_id, now_utc, post
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Conflict
from carbon_shared.events import AllowanceTransferred, CcerDeposited


@dataclass(frozen=True, kw_only=True)
class DepositRecord:
    deposit_id: str
    enterprise_id: str
    amount: int
    project_ref: str
    created_at: dt.datetime


async def deposit_ccer(
    uow: UnitOfWork, *, enterprise_id: str, amount: int, project_ref: str, actor: str
) -> DepositRecord:
    session = uow.session
    await locked_account(session, enterprise_id)
    balances = await ledger.load_balances(session, enterprise_id)
    record = DepositRecord(
        deposit_id=new_id(),
        enterprise_id=enterprise_id,
        amount=amount,
        project_ref=project_ref,
        created_at=now_utc(),
    )
    entry = context(
        actor=actor, reason=f"CCER deposit from project {project_ref}", reference=record.deposit_id
    )
    deposit = build_ccer_deposit(
        context=entry, enterprise_id=enterprise_id, project_ref=project_ref, amount=amount
    )
    row = records.insert_of(ccer_deposits, **vars(record), entry_id=entry.transaction_id, actor=actor)
    await post(session, balances, deposit, row)
    await uow.emit(
        CcerDeposited(
            deposit_id=record.deposit_id, enterprise_id=enterprise_id, amount=amount, project_ref=project_ref
        )
    )
    return record


@dataclass(frozen=True, kw_only=True)
class TransferRecord:
    transfer_id: str
    trade_ref: str
    enterprise_id: str
    direction: Literal["in", "out"]
    instrument: Instrument
    amount: int
    counterparty: str
    settled_on: dt.date
    created_at: dt.datetime


async def import_transfer(
    uow: UnitOfWork,
    *,
    trade_ref: str,
    enterprise_id: str,
    direction: Literal["in", "out"],
    instrument: Instrument,
    amount: int,
    counterparty: str,
    settled_on: dt.date,
    actor: str,
) -> TransferRecord:
    """Record a settled trade once (409 for a trade_ref already imported); a sale needs available units.

    Emits `AllowanceTransferred` in the same transaction.
    """
    await locked_account(uow.session, enterprise_id)
    if await records.get(uow.session, transfers, "trade_ref", trade_ref) is not None:
        raise Conflict(f"trade {trade_ref} was already imported")
    record = TransferRecord(
        transfer_id=new_id(),
        trade_ref=trade_ref,
        enterprise_id=enterprise_id,
        direction=direction,
        instrument=instrument,
        amount=amount,
        counterparty=counterparty,
        settled_on=settled_on,
        created_at=now_utc(),
    )
    await _move_traded_units(uow.session, record, actor)
    await uow.emit(_transferred(record))
    return record


async def _move_traded_units(session: AsyncSession, record: TransferRecord, actor: str) -> None:
    """The ledger entry of the trade (from or to the exchange), written with the transfer record."""
    balances = await ledger.load_balances(session, record.enterprise_id)
    entry = context(
        actor=actor,
        reason=f"exchange trade {record.trade_ref} settled {record.settled_on}",
        reference=record.transfer_id,
    )
    common = {
        "context": entry,
        "enterprise_id": record.enterprise_id,
        "instrument": record.instrument,
        "amount": record.amount,
        "counterparty": record.counterparty,
    }
    if record.direction == "in":
        transaction = build_transfer_in(**common)
    else:
        transaction = build_transfer_out(**common, balances=balances)
    row = _transfer_row(record)
    await post(
        session,
        balances,
        transaction,
        records.insert_of(transfers, **row, entry_id=entry.transaction_id, actor=actor),
    )


def _transferred(record: TransferRecord) -> AllowanceTransferred:
    return AllowanceTransferred(
        transfer_id=record.transfer_id,
        trade_ref=record.trade_ref,
        enterprise_id=record.enterprise_id,
        direction=record.direction,
        instrument=record.instrument.kind.value,
        amount=record.amount,
        vintage=record.instrument.vintage,
        project_ref=record.instrument.project_ref,
        counterparty=record.counterparty,
        settled_on=record.settled_on,
    )


def _transfer_row(record: TransferRecord) -> dict[str, object]:
    row = {k: v for k, v in vars(record).items() if k != "instrument"}
    row.update(
        instrument_kind=record.instrument.kind.value,
        vintage=record.instrument.vintage,
        project_ref=record.instrument.project_ref,
    )
    return row
