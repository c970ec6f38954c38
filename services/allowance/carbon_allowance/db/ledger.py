"""Ledger repository: append entries with their postings, keep `holdings` equal to their sum.

Callers hold the enterprise's `accounts` row lock (`accounts.lock`) before `load_balances` and
`append`, so two transactions never read the same balances and both write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlalchemy import String, case, cast, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_allowance.db.batch import execute_together
from carbon_allowance.db.tables import holdings, ledger_entries, ledger_postings
from carbon_allowance.domain.ledger import (
    Account,
    AccountKind,
    Balances,
    Instrument,
    InstrumentKind,
    Transaction,
)
from carbon_shared.db.engine import is_postgres

Slot = tuple[Account, Instrument]


def instrument_of(kind: str, vintage: int | None, project_ref: str | None) -> Instrument:
    return Instrument(InstrumentKind(kind), vintage=vintage, project_ref=project_ref)


async def load_balances(session: AsyncSession, enterprise_id: str) -> Balances:
    """The enterprise's available and frozen holdings (zero rows are kept out)."""
    rows = await session.execute(select(holdings).where(holdings.c.enterprise_id == enterprise_id))
    amounts = {
        (
            Account(AccountKind(r.account_kind), enterprise_id),
            instrument_of(r.instrument_kind, r.vintage, r.project_ref),
        ): int(r.quantity)
        for r in rows
        if r.quantity
    }
    return Balances(MappingProxyType(amounts))


async def append(session: AsyncSession, transaction: Transaction, *also: Any) -> None:
    """Insert the entry and its postings, move the holdings by the same amounts, and run `also`.

    All of it goes in one round trip on PostgreSQL (`batch.execute_together`); `also` carries the
    use case's own writes (its record, the obligation) so they travel with the ledger change.
    """
    await execute_together(session, [*append_statements(session, transaction), *also])


def append_statements(session: AsyncSession, transaction: Transaction) -> list[Any]:
    """The entry, its postings and one holdings change per touched slot.

    One single-row INSERT per posting rather than a multi-row VALUES: SQLAlchemy cannot cache the
    compiled form of a multi-row VALUES, and recompiling it cost more than the whole rest of a surrender.
    They still travel in the one round trip of `batch.execute_together`.
    """
    statements: list[Any] = [insert(ledger_entries).values(**_entry_row(transaction))]
    statements += [
        insert(ledger_postings).values(
            **_posting_row(transaction.transaction_id, p.account, p.instrument, p.quantity)
        )
        for p in transaction.postings
    ]
    deltas: dict[Slot, int] = defaultdict(int)
    for posting in transaction.postings:
        if posting.account.kind.belongs_to_enterprise:
            deltas[(posting.account, posting.instrument)] += posting.quantity
    for (account, instrument), delta in deltas.items():
        if delta:
            statements.append(_move_holding(session, account, instrument, delta))
    return statements


def _move_holding(session: AsyncSession, account: Account, instrument: Instrument, delta: int) -> Any:
    """Debits update the existing row (the CHECK refuses a negative result); credits upsert."""
    key = (
        (holdings.c.enterprise_id == account.enterprise_id)
        & (holdings.c.account_kind == account.kind.value)
        & (holdings.c.instrument_code == instrument.code)
    )
    if delta < 0:
        return update(holdings).where(key).values(quantity=holdings.c.quantity + delta)
    row = {
        "enterprise_id": account.enterprise_id,
        "account_kind": account.kind.value,
        "instrument_code": instrument.code,
        "instrument_kind": instrument.kind.value,
        "vintage": instrument.vintage,
        "project_ref": instrument.project_ref,
        "quantity": delta,
    }
    statement: Any = (postgresql.insert if is_postgres(session) else sqlite.insert)(holdings).values(**row)
    return statement.on_conflict_do_update(
        index_elements=[holdings.c.enterprise_id, holdings.c.account_kind, holdings.c.instrument_code],
        set_={"quantity": holdings.c.quantity + statement.excluded.quantity},
    )


def _entry_row(transaction: Transaction) -> dict[str, Any]:
    return {
        "entry_id": transaction.transaction_id,
        "kind": transaction.kind.value,
        "enterprise_id": transaction.enterprise_id,
        "actor": transaction.actor,
        "reason": transaction.reason,
        "occurred_at": transaction.occurred_at,
        "hold_id": transaction.hold_id,
        "counterparty": transaction.counterparty,
        "reference": transaction.reference,
    }


def _posting_row(entry_id: str, account: Account, instrument: Instrument, quantity: int) -> dict[str, Any]:
    return {
        "entry_id": entry_id,
        "account_kind": account.kind.value,
        "enterprise_id": account.enterprise_id,
        "instrument_kind": instrument.kind.value,
        "vintage": instrument.vintage,
        "project_ref": instrument.project_ref,
        "quantity": quantity,
    }


@dataclass(frozen=True)
class EntryView:
    seq: int
    entry: Any  # the ledger_entries row
    postings: Sequence[Any]  # its ledger_postings rows


async def list_entries(
    session: AsyncSession, *, enterprise_id: str, after_seq: int | None, limit: int
) -> list[EntryView]:
    """Entries of one enterprise in the order they were recorded, keyset-paged by `seq`."""
    query = select(ledger_entries).where(ledger_entries.c.enterprise_id == enterprise_id)
    if after_seq is not None:
        query = query.where(ledger_entries.c.seq > after_seq)
    entries = list(await session.execute(query.order_by(ledger_entries.c.seq).limit(limit)))
    by_entry: dict[str, list[Any]] = defaultdict(list)
    if entries:
        ids = [e.entry_id for e in entries]
        rows = await session.execute(
            select(ledger_postings).where(ledger_postings.c.entry_id.in_(ids)).order_by(ledger_postings.c.id)
        )
        for row in rows:
            by_entry[row.entry_id].append(row)
    return [EntryView(e.seq, e, by_entry[e.entry_id]) for e in entries]


async def posting_sums(
    session: AsyncSession, enterprise_ids: Iterable[str] | None = None
) -> dict[tuple[str, str, str], int]:
    """Sum of postings per (enterprise, account kind, instrument code) of enterprise accounts."""
    code = _instrument_code_sql()
    query = (
        select(
            ledger_postings.c.enterprise_id,
            ledger_postings.c.account_kind,
            code,
            func.sum(ledger_postings.c.quantity),
        )
        .where(ledger_postings.c.enterprise_id.is_not(None))
        .group_by(ledger_postings.c.enterprise_id, ledger_postings.c.account_kind, code)
    )
    if enterprise_ids is not None:
        query = query.where(ledger_postings.c.enterprise_id.in_(list(enterprise_ids)))
    return {(r[0], r[1], r[2]): int(r[3]) for r in await session.execute(query) if r[3]}


async def holding_amounts(session: AsyncSession) -> dict[tuple[str, str, str], int]:
    rows = await session.execute(select(holdings))
    return {(r.enterprise_id, r.account_kind, r.instrument_code): int(r.quantity) for r in rows if r.quantity}


async def unbalanced_entries(session: AsyncSession) -> list[str]:
    """Entries whose postings of one instrument do not sum to zero (always empty for a sound ledger)."""
    query = (
        select(ledger_postings.c.entry_id)
        .group_by(
            ledger_postings.c.entry_id,
            ledger_postings.c.instrument_kind,
            ledger_postings.c.vintage,
            ledger_postings.c.project_ref,
        )
        .having(func.sum(ledger_postings.c.quantity) != 0)
    )
    return list((await session.execute(query)).scalars())


def _instrument_code_sql() -> Any:
    """The same text as `Instrument.code`, computed in SQL: CEA-<vintage> or CCER:<project>."""
    vintage_text = cast(ledger_postings.c.vintage, String)
    return case(
        (ledger_postings.c.instrument_kind == InstrumentKind.ALLOWANCE.value, literal("CEA-") + vintage_text),
        else_=literal("CCER:") + ledger_postings.c.project_ref,
    )


async def available_by_enterprise(session: AsyncSession) -> dict[str, dict[tuple[str, int | None], int]]:
    """Available units per enterprise by (instrument kind, vintage); CCER projects are summed."""
    query = (
        select(
            holdings.c.enterprise_id,
            holdings.c.instrument_kind,
            holdings.c.vintage,
            func.sum(holdings.c.quantity),
        )
        .where(holdings.c.account_kind == AccountKind.AVAILABLE.value)
        .group_by(holdings.c.enterprise_id, holdings.c.instrument_kind, holdings.c.vintage)
    )
    result: dict[str, dict[tuple[str, int | None], int]] = defaultdict(dict)
    for enterprise_id, kind, vintage, units in await session.execute(query):
        result[enterprise_id][(kind, vintage)] = int(units or 0)
    return result
