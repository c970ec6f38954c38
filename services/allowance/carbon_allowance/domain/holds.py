"""Pledges to a bank (质押, seed task 10) and judicial freezes: units parked in the frozen account.

A hold moves units from `available` to `frozen` and remembers exactly which lots it took, so its
release returns those same lots. While held, the units cannot be transferred, surrendered or
cancelled (the ledger forbids any other entry from touching `frozen`). A hold is released in full;
partial release is not modelled (a bank releasing part of a pledge is recorded as release + new pledge).
Holds are derived from the ledger (`open_holds`), never stored beside it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from carbon_allowance.domain.errors import HoldNotFound, InvalidInput
from carbon_allowance.domain.ledger import (
    Account,
    Balances,
    EntryKind,
    Instrument,
    InstrumentKind,
    Transaction,
)
from carbon_allowance.domain.ledger_entries import EntryContext, Lot, movement, select_lots


class HoldKind(enum.StrEnum):
    PLEDGE = "pledge"
    JUDICIAL_FREEZE = "judicial_freeze"


_MAKE = {HoldKind.PLEDGE: EntryKind.PLEDGE, HoldKind.JUDICIAL_FREEZE: EntryKind.FREEZE}
_RELEASE = {HoldKind.PLEDGE: EntryKind.PLEDGE_RELEASE, HoldKind.JUDICIAL_FREEZE: EntryKind.FREEZE_RELEASE}


@dataclass(frozen=True)
class Hold:
    hold_id: str
    kind: HoldKind
    enterprise_id: str
    lots: tuple[Lot, ...]
    holder: str  # the pledgee bank or the freezing authority

    @property
    def amount(self) -> int:
        return sum(units for _, units in self.lots)


def open_holds(transactions: Iterable[Transaction]) -> Mapping[str, Hold]:
    """Pledges and freezes made and not yet released, by hold id, from the ledger in order."""
    holds: dict[str, Hold] = {}
    for transaction in transactions:
        if transaction.hold_id is None:
            continue
        if transaction.kind in (EntryKind.PLEDGE, EntryKind.FREEZE):
            holds[transaction.hold_id] = _hold_from(transaction.hold_id, transaction)
        else:
            holds.pop(transaction.hold_id, None)
    return MappingProxyType(holds)


def _hold_from(hold_id: str, transaction: Transaction) -> Hold:
    kind = HoldKind.PLEDGE if transaction.kind is EntryKind.PLEDGE else HoldKind.JUDICIAL_FREEZE
    lots = tuple((p.instrument, p.quantity) for p in transaction.postings if p.quantity > 0)
    return Hold(hold_id, kind, transaction.enterprise_id, lots, transaction.counterparty or "")


def build_hold(
    *,
    context: EntryContext,
    kind: HoldKind,
    enterprise_id: str,
    hold_id: str,
    holder: str,
    amount: int,
    balances: Balances,
    holds: Mapping[str, Hold],
    instrument_kind: InstrumentKind = InstrumentKind.ALLOWANCE,
) -> Transaction:
    """Pledge or freeze `amount` available units (oldest vintage first); never more than available."""
    if not holder.strip():
        raise InvalidInput(
            f"a {kind.value} names the {'pledgee bank' if kind is HoldKind.PLEDGE else 'authority'}"
        )
    if hold_id in holds:
        raise InvalidInput(f"{kind.value} {hold_id!r} is already open; use a new id")
    available = Account.available(enterprise_id)
    lots = select_lots(
        balances=balances,
        account=available,
        quantity=amount,
        eligible=lambda instrument: instrument.kind is instrument_kind,
    )
    return movement(
        context=context,
        kind=_MAKE[kind],
        enterprise_id=enterprise_id,
        source=available,
        target=Account.frozen(enterprise_id),
        lots=lots,
        hold_id=hold_id,
        counterparty=holder,
    )


def build_release(
    *, context: EntryContext, kind: HoldKind, enterprise_id: str, hold_id: str, holds: Mapping[str, Hold]
) -> Transaction:
    """Release an open pledge or lift a freeze: its exact lots go back to available."""
    hold = holds.get(hold_id)
    if hold is None or hold.kind is not kind or hold.enterprise_id != enterprise_id:
        raise HoldNotFound(
            f"no open {kind.value} {hold_id!r} for enterprise {enterprise_id}; "
            "it was never made or has already been released"
        )
    return movement(
        context=context,
        kind=_RELEASE[kind],
        enterprise_id=enterprise_id,
        source=Account.frozen(enterprise_id),
        target=Account.available(enterprise_id),
        lots=hold.lots,
        hold_id=hold_id,
        counterparty=hold.holder,
    )


def held_units(holds: Mapping[str, Hold], *, enterprise_id: str, instrument: Instrument | None = None) -> int:
    """Units an enterprise has under open holds (optionally of one instrument)."""
    return sum(
        units
        for hold in holds.values()
        if hold.enterprise_id == enterprise_id
        for held_instrument, units in hold.lots
        if instrument is None or held_instrument == instrument
    )
