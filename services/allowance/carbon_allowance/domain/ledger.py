"""The holdings ledger: append-only, double-entry, by instrument.

A transaction is a set of postings that sum to zero per instrument across accounts. Enterprise accounts
(`enterprise:<id>:available`, `enterprise:<id>:frozen`) may never go negative; system accounts
(`issuance`, `surrendered`, `cancelled`, `external`) are the other side of every movement and may.
A balance is never stored here: it is derived from the postings (`derive_balances`) or advanced one
transaction at a time with every invariant checked (`apply_transaction`).

Frozen units cannot move: only a pledge or judicial freeze may credit the frozen account, and only the
matching release may debit it (back to available). Everything else touches `available` only.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from carbon_allowance.domain.errors import (
    FrozenUnitsCannotMove,
    InsufficientBalance,
    InvalidInput,
    UnbalancedTransaction,
)


class InstrumentKind(enum.StrEnum):
    ALLOWANCE = "allowance"  # 全国碳排放权配额 (CEA), by vintage year
    CCER = "ccer"  # 国家核证自愿减排量, by project


@dataclass(frozen=True, order=True)
class Instrument:
    kind: InstrumentKind
    vintage: int | None = None
    project_ref: str | None = None

    def __post_init__(self) -> None:
        if self.kind is InstrumentKind.ALLOWANCE and (self.vintage is None or self.project_ref is not None):
            raise InvalidInput("an allowance instrument names its vintage year and no project")
        if self.kind is InstrumentKind.CCER and (not self.project_ref or self.vintage is not None):
            raise InvalidInput("a CCER instrument names its project reference and no vintage")

    @classmethod
    def allowance(cls, vintage: int) -> Instrument:
        return cls(InstrumentKind.ALLOWANCE, vintage=vintage)

    @classmethod
    def ccer(cls, project_ref: str) -> Instrument:
        return cls(InstrumentKind.CCER, project_ref=project_ref.strip() or None)

    @property
    def code(self) -> str:
        return f"CEA-{self.vintage}" if self.kind is InstrumentKind.ALLOWANCE else f"CCER:{self.project_ref}"


class AccountKind(enum.StrEnum):
    AVAILABLE = "available"
    FROZEN = "frozen"
    ISSUANCE = "issuance"
    SURRENDERED = "surrendered"
    CANCELLED = "cancelled"
    EXTERNAL = "external"  # the national exchange / registry outside this city's books

    @property
    def belongs_to_enterprise(self) -> bool:
        return self in (AccountKind.AVAILABLE, AccountKind.FROZEN)


@dataclass(frozen=True, order=True)
class Account:
    kind: AccountKind
    enterprise_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind.belongs_to_enterprise != bool(self.enterprise_id):
            raise InvalidInput(f"account {self.kind.value!r} must name an enterprise exactly when it is one")

    @classmethod
    def available(cls, enterprise_id: str) -> Account:
        return cls(AccountKind.AVAILABLE, enterprise_id)

    @classmethod
    def frozen(cls, enterprise_id: str) -> Account:
        return cls(AccountKind.FROZEN, enterprise_id)

    @classmethod
    def system(cls, kind: AccountKind) -> Account:
        return cls(kind)

    @property
    def key(self) -> str:
        """`enterprise:<id>:available`, `enterprise:<id>:frozen`, or the system account's name."""
        if self.enterprise_id is None:
            return self.kind.value
        return f"enterprise:{self.enterprise_id}:{self.kind.value}"


ISSUANCE = Account.system(AccountKind.ISSUANCE)
SURRENDERED = Account.system(AccountKind.SURRENDERED)
CANCELLED = Account.system(AccountKind.CANCELLED)
EXTERNAL = Account.system(AccountKind.EXTERNAL)


class EntryKind(enum.StrEnum):
    ALLOCATION = "allocation"
    TRUE_UP = "true_up"
    DEDUCTION = "deduction"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    SURRENDER = "surrender"
    PLEDGE = "pledge"
    PLEDGE_RELEASE = "pledge_release"
    FREEZE = "freeze"
    FREEZE_RELEASE = "freeze_release"
    CANCELLATION = "cancellation"
    CCER_DEPOSIT = "ccer_deposit"


HOLD_KINDS = frozenset({EntryKind.PLEDGE, EntryKind.FREEZE})
RELEASE_KINDS = frozenset({EntryKind.PLEDGE_RELEASE, EntryKind.FREEZE_RELEASE})


@dataclass(frozen=True)
class Posting:
    """A signed movement of whole units: positive credits the account, negative debits it."""

    account: Account
    instrument: Instrument
    quantity: int

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity == 0:
            raise InvalidInput(f"a posting moves a non-zero whole number of units, got {self.quantity!r}")


@dataclass(frozen=True, kw_only=True)
class Transaction:
    """One append-only ledger entry; construction checks every structural invariant."""

    transaction_id: str
    kind: EntryKind
    enterprise_id: str
    postings: tuple[Posting, ...]
    actor: str
    reason: str
    occurred_at: dt.datetime
    hold_id: str | None = None  # the pledge or freeze this entry makes or releases
    counterparty: str | None = None  # pledgee bank, freezing authority, exchange counterparty
    reference: str | None = None  # the business id behind it: allocation, surrender, trade...

    def __post_init__(self) -> None:
        for name in ("transaction_id", "enterprise_id", "actor", "reason"):
            if not getattr(self, name).strip():
                raise InvalidInput(f"every ledger entry names its {name}; it was blank")
        if self.occurred_at.tzinfo is None:
            raise InvalidInput("occurred_at must carry a time zone")
        if not self.postings:
            raise InvalidInput("a ledger entry has at least one posting")
        if (self.kind in HOLD_KINDS | RELEASE_KINDS) != bool(self.hold_id):
            raise InvalidInput(
                f"a {self.kind.value} entry names a hold_id exactly when it makes or releases one"
            )
        self._check_balanced()
        self._check_enterprise_accounts()
        self._check_frozen_account_use()

    def _check_balanced(self) -> None:
        sums: dict[Instrument, int] = defaultdict(int)
        for posting in self.postings:
            sums[posting.instrument] += posting.quantity
        unbalanced = {instrument.code: total for instrument, total in sums.items() if total}
        if unbalanced:
            raise UnbalancedTransaction(f"{self.transaction_id}: postings do not sum to zero: {unbalanced}")

    def _check_enterprise_accounts(self) -> None:
        for posting in self.postings:
            owner = posting.account.enterprise_id
            if owner is not None and owner != self.enterprise_id:
                raise InvalidInput(
                    f"{self.transaction_id} posts to {posting.account.key} of another enterprise"
                )

    def _check_frozen_account_use(self) -> None:
        for posting in self.postings:
            if posting.account.kind is not AccountKind.FROZEN:
                continue
            credits_on_hold = posting.quantity > 0 and self.kind in HOLD_KINDS
            debits_on_release = posting.quantity < 0 and self.kind in RELEASE_KINDS
            if not (credits_on_hold or debits_on_release):
                raise FrozenUnitsCannotMove(
                    f"a {self.kind.value} cannot move pledged or frozen units; "
                    "release the pledge or freeze first"
                )


@dataclass(frozen=True)
class Balances:
    """Units per (account, instrument), derived from postings; absent means zero."""

    amounts: Mapping[tuple[Account, Instrument], int] = field(default_factory=lambda: MappingProxyType({}))

    def of(self, account: Account, instrument: Instrument) -> int:
        return self.amounts.get((account, instrument), 0)

    def holdings(self, account: Account) -> dict[Instrument, int]:
        """Non-zero holdings of one account, ordered by instrument (allowances by vintage, then CCER)."""
        held = {instrument: units for (acc, instrument), units in self.amounts.items() if acc == account}
        return {instrument: held[instrument] for instrument in sorted(held) if held[instrument]}

    def total(self, account: Account, kind: InstrumentKind) -> int:
        return sum(units for instrument, units in self.holdings(account).items() if instrument.kind is kind)


def derive_balances(transactions: Iterable[Transaction]) -> Balances:
    """Replay the ledger with every invariant checked; the result is the only source of balances."""
    balances = Balances()
    for transaction in transactions:
        balances = apply_transaction(balances, transaction)
    return balances


def apply_transaction(balances: Balances, transaction: Transaction) -> Balances:
    """The balances after `transaction`; raises InsufficientBalance if an enterprise account would go
    negative (so a use case can call this before appending the entry)."""
    amounts = dict(balances.amounts)
    for posting in transaction.postings:
        slot = (posting.account, posting.instrument)
        amounts[slot] = amounts.get(slot, 0) + posting.quantity
        if posting.account.kind.belongs_to_enterprise and amounts[slot] < 0:
            held = balances.of(posting.account, posting.instrument)
            raise InsufficientBalance(
                f"{posting.account.key} holds {held} {posting.instrument.code}; "
                f"{transaction.kind.value} needs {-posting.quantity}"
            )
    return Balances(MappingProxyType(amounts))
