"""Pure builders: one command in, one balanced `Transaction` out, validated against current balances.

Every builder takes an `EntryContext` (who, why, when, the new entry's id). Builders that debit an
enterprise check the available balance first so the caller gets an InsufficientBalance naming the
shortfall; `ledger.apply_transaction` re-checks the same invariant when the entry is applied.

Which units move when a command names only a quantity: `select_lots` takes the OLDEST allowance vintage
first, then CCER by project reference, so older units are used before they might lose eligibility.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from carbon_allowance.domain.errors import InsufficientBalance, InvalidInput
from carbon_allowance.domain.ledger import (
    CANCELLED,
    EXTERNAL,
    ISSUANCE,
    SURRENDERED,
    Account,
    Balances,
    EntryKind,
    Instrument,
    InstrumentKind,
    Posting,
    Transaction,
)
from carbon_allowance.domain.quantities import require_positive_units

Lot = tuple[Instrument, int]


@dataclass(frozen=True, kw_only=True)
class EntryContext:
    """Who records the entry, why, when, and the id it will carry."""

    transaction_id: str
    actor: str
    reason: str
    occurred_at: dt.datetime
    reference: str | None = None


def select_lots(
    *, balances: Balances, account: Account, quantity: int, eligible: Callable[[Instrument], bool]
) -> tuple[Lot, ...]:
    """Pick `quantity` units from `account`, oldest vintage first; InsufficientBalance if short."""
    require_positive_units(quantity, name="quantity")
    lots: list[Lot] = []
    remaining = quantity
    for instrument, units in balances.holdings(account).items():
        if remaining == 0:
            break
        if units > 0 and eligible(instrument):
            take = min(units, remaining)
            lots.append((instrument, take))
            remaining -= take
    if remaining:
        raise InsufficientBalance(
            f"{account.key} holds {quantity - remaining} eligible units, {quantity} are needed "
            f"({remaining} short); pledged or frozen units do not count"
        )
    return tuple(lots)


def movement(
    *,
    context: EntryContext,
    kind: EntryKind,
    enterprise_id: str,
    source: Account,
    target: Account,
    lots: tuple[Lot, ...],
    hold_id: str | None = None,
    counterparty: str | None = None,
) -> Transaction:
    """A transaction moving each lot from `source` to `target` (one debit and one credit per lot)."""
    postings: list[Posting] = []
    for instrument, units in lots:
        require_positive_units(units, name=f"units of {instrument.code}")
        postings += [Posting(source, instrument, -units), Posting(target, instrument, units)]
    return Transaction(
        transaction_id=context.transaction_id,
        kind=kind,
        enterprise_id=enterprise_id,
        postings=tuple(postings),
        actor=context.actor,
        reason=context.reason,
        occurred_at=context.occurred_at,
        hold_id=hold_id,
        counterparty=counterparty,
        reference=context.reference,
    )


def _ensure_available(balances: Balances, enterprise_id: str, lots: tuple[Lot, ...]) -> None:
    account = Account.available(enterprise_id)
    for instrument, units in lots:
        held = balances.of(account, instrument)
        if held < units:
            raise InsufficientBalance(
                f"{account.key} holds {held} available {instrument.code}, "
                f"{units} are needed ({units - held} short)"
            )


def build_allocation(*, context: EntryContext, enterprise_id: str, vintage: int, amount: int) -> Transaction:
    """Issue `amount` allowances of `vintage` to the enterprise (a pre-allocation or a direct final)."""
    return movement(
        context=context,
        kind=EntryKind.ALLOCATION,
        enterprise_id=enterprise_id,
        source=ISSUANCE,
        target=Account.available(enterprise_id),
        lots=((Instrument.allowance(vintage), amount),),
    )


def build_true_up(
    *, context: EntryContext, enterprise_id: str, vintage: int, difference: int, balances: Balances
) -> Transaction:
    """多退少补: a positive difference issues more; a negative one returns units to issuance."""
    if difference == 0:
        raise InvalidInput("a true-up of zero moves nothing; record no ledger entry for it")
    lots = ((Instrument.allowance(vintage), abs(difference)),)
    available, kind = Account.available(enterprise_id), EntryKind.TRUE_UP
    if difference > 0:
        return movement(
            context=context,
            kind=kind,
            enterprise_id=enterprise_id,
            source=ISSUANCE,
            target=available,
            lots=lots,
        )
    return _out_of_available(
        context=context, kind=kind, enterprise_id=enterprise_id, target=ISSUANCE, lots=lots, balances=balances
    )


def _out_of_available(
    *,
    context: EntryContext,
    kind: EntryKind,
    enterprise_id: str,
    target: Account,
    lots: tuple[Lot, ...],
    balances: Balances,
    counterparty: str | None = None,
) -> Transaction:
    """Units leaving the enterprise's available account: refused unless they are there, unfrozen."""
    _ensure_available(balances, enterprise_id, lots)
    return movement(
        context=context,
        kind=kind,
        enterprise_id=enterprise_id,
        source=Account.available(enterprise_id),
        target=target,
        lots=lots,
        counterparty=counterparty,
    )


def build_deduction(
    *, context: EntryContext, enterprise_id: str, vintage: int, amount: int, balances: Balances
) -> Transaction:
    """Withhold an overdue shortfall from an allocation just credited: units go back to issuance."""
    lots = ((Instrument.allowance(vintage), amount),)
    return _out_of_available(
        context=context,
        kind=EntryKind.DEDUCTION,
        enterprise_id=enterprise_id,
        target=ISSUANCE,
        lots=lots,
        balances=balances,
    )


def build_transfer_in(
    *, context: EntryContext, enterprise_id: str, instrument: Instrument, amount: int, counterparty: str
) -> Transaction:
    """A purchase settled on the national exchange, imported into the city's books."""
    return movement(
        context=context,
        kind=EntryKind.TRANSFER_IN,
        enterprise_id=enterprise_id,
        source=EXTERNAL,
        target=Account.available(enterprise_id),
        lots=((instrument, amount),),
        counterparty=counterparty,
    )


def build_transfer_out(
    *,
    context: EntryContext,
    enterprise_id: str,
    instrument: Instrument,
    amount: int,
    counterparty: str,
    balances: Balances,
) -> Transaction:
    """A sale settled on the national exchange; only available (unfrozen) units can leave."""
    return _out_of_available(
        context=context,
        kind=EntryKind.TRANSFER_OUT,
        enterprise_id=enterprise_id,
        target=EXTERNAL,
        lots=((instrument, amount),),
        balances=balances,
        counterparty=counterparty,
    )


def build_surrender(
    *, context: EntryContext, enterprise_id: str, lots: tuple[Lot, ...], balances: Balances
) -> Transaction:
    """Hand units in against an obligation: they leave the balance for good (the `surrendered` account)."""
    return _out_of_available(
        context=context,
        kind=EntryKind.SURRENDER,
        enterprise_id=enterprise_id,
        target=SURRENDERED,
        lots=lots,
        balances=balances,
    )


def build_cancellation(
    *, context: EntryContext, enterprise_id: str, instrument: Instrument, amount: int, balances: Balances
) -> Transaction:
    """Voluntary cancellation (自愿注销): units retired without settling any obligation."""
    return _out_of_available(
        context=context,
        kind=EntryKind.CANCELLATION,
        enterprise_id=enterprise_id,
        target=CANCELLED,
        lots=((instrument, amount),),
        balances=balances,
    )


def build_ccer_deposit(
    *, context: EntryContext, enterprise_id: str, project_ref: str, amount: int
) -> Transaction:
    """CCER credited to the enterprise from the national voluntary-reduction registry."""
    return movement(
        context=context,
        kind=EntryKind.CCER_DEPOSIT,
        enterprise_id=enterprise_id,
        source=EXTERNAL,
        target=Account.available(enterprise_id),
        lots=((Instrument.ccer(project_ref), amount),),
    )


def select_surrender_lots(
    *,
    balances: Balances,
    enterprise_id: str,
    allowances: int,
    ccer: int,
    eligible: Callable[[Instrument], bool],
) -> tuple[Lot, ...]:
    """The lots a surrender of `allowances` + `ccer` units takes (oldest eligible first for each kind).

    `eligible` is the obligation's rule (`obligations.is_eligible_for` bound to the year and rules).
    """
    account = Account.available(enterprise_id)
    lots: tuple[Lot, ...] = ()
    for kind, quantity in ((InstrumentKind.ALLOWANCE, allowances), (InstrumentKind.CCER, ccer)):
        if quantity:
            lots += select_lots(
                balances=balances, account=account, quantity=quantity, eligible=_of_kind(kind, eligible)
            )
    return lots


def _of_kind(kind: InstrumentKind, eligible: Callable[[Instrument], bool]) -> Callable[[Instrument], bool]:
    return lambda instrument: instrument.kind is kind and eligible(instrument)
