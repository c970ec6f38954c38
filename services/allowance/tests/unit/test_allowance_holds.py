"""Pledges to a bank and judicial freezes as ledger transactions (DOMAIN rule 9)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping

import pytest

from carbon_allowance.domain.errors import HoldNotFound, InsufficientBalance, InvalidInput
from carbon_allowance.domain.holds import Hold, HoldKind, build_hold, build_release, held_units, open_holds
from carbon_allowance.domain.ledger import (
    Account,
    Balances,
    EntryKind,
    Instrument,
    InstrumentKind,
    Transaction,
    apply_transaction,
    derive_balances,
)
from carbon_allowance.domain.ledger_entries import (
    EntryContext,
    build_allocation,
    build_ccer_deposit,
    build_surrender,
    select_lots,
)

CST = dt.timezone(dt.timedelta(hours=8))
_ids = itertools.count(1)
ENT = "91640500MA76XXXX0X"
AVAILABLE = Account.available(ENT)
FROZEN = Account.frozen(ENT)
CEA23 = Instrument.allowance(2023)
CEA24 = Instrument.allowance(2024)


def ctx() -> EntryContext:
    return EntryContext(
        transaction_id=f"hold-tx-{next(_ids)}",
        actor="bank:zw-icbc",
        reason="pledge contract ZW-2024-17",
        occurred_at=dt.datetime(2024, 7, 1, 10, 0, tzinfo=CST),
    )


class Book:
    """A tiny in-memory ledger for these tests: append, derive balances and holds."""

    def __init__(self) -> None:
        self.entries: list[Transaction] = [
            build_allocation(context=ctx(), enterprise_id=ENT, vintage=2023, amount=100),
            build_allocation(context=ctx(), enterprise_id=ENT, vintage=2024, amount=400),
        ]

    @property
    def balances(self) -> Balances:
        return derive_balances(self.entries)

    @property
    def holds(self) -> Mapping[str, Hold]:
        return open_holds(self.entries)

    def hold(self, kind: HoldKind, hold_id: str, amount: int, holder: str = "ICBC Zhongwei") -> Transaction:
        tx = build_hold(
            context=ctx(),
            kind=kind,
            enterprise_id=ENT,
            hold_id=hold_id,
            holder=holder,
            amount=amount,
            balances=self.balances,
            holds=self.holds,
        )
        self.entries.append(tx)
        return tx

    def release(self, kind: HoldKind, hold_id: str) -> Transaction:
        tx = build_release(context=ctx(), kind=kind, enterprise_id=ENT, hold_id=hold_id, holds=self.holds)
        self.entries.append(tx)
        return tx


class TestPledge:
    def test_pledge_moves_oldest_units_to_frozen(self) -> None:
        # holdings 100 (2023) + 400 (2024); pledge 250 -> 100 of 2023 + 150 of 2024 frozen
        book = Book()
        tx = book.hold(HoldKind.PLEDGE, "P-1", 250)
        assert tx.kind is EntryKind.PLEDGE
        assert tx.counterparty == "ICBC Zhongwei"
        assert book.balances.holdings(FROZEN) == {CEA23: 100, CEA24: 150}
        assert book.balances.holdings(AVAILABLE) == {CEA24: 250}
        assert book.holds["P-1"].amount == 250

    def test_cannot_pledge_more_than_available(self) -> None:
        book = Book()
        book.hold(HoldKind.PLEDGE, "P-1", 450)
        with pytest.raises(InsufficientBalance, match="holds 50 eligible units, 51 are needed"):
            book.hold(HoldKind.PLEDGE, "P-2", 51)

    def test_pledged_units_cannot_be_surrendered(self) -> None:
        # 500 held, 450 pledged -> only 50 available to surrender
        book = Book()
        book.hold(HoldKind.PLEDGE, "P-1", 450)
        with pytest.raises(InsufficientBalance):
            select_lots(balances=book.balances, account=AVAILABLE, quantity=51, eligible=lambda i: True)
        with pytest.raises(InsufficientBalance):
            build_surrender(context=ctx(), enterprise_id=ENT, lots=((CEA24, 51),), balances=book.balances)

    def test_release_returns_the_same_lots(self) -> None:
        book = Book()
        book.hold(HoldKind.PLEDGE, "P-1", 250)
        tx = book.release(HoldKind.PLEDGE, "P-1")
        assert tx.kind is EntryKind.PLEDGE_RELEASE
        assert book.balances.holdings(FROZEN) == {}
        assert book.balances.holdings(AVAILABLE) == {CEA23: 100, CEA24: 400}
        assert "P-1" not in book.holds

    def test_release_twice_is_refused(self) -> None:
        book = Book()
        book.hold(HoldKind.PLEDGE, "P-1", 10)
        book.release(HoldKind.PLEDGE, "P-1")
        with pytest.raises(HoldNotFound, match="already been released") as caught:
            book.release(HoldKind.PLEDGE, "P-1")
        assert caught.value.code == "hold_not_found"

    def test_reusing_an_open_pledge_id_is_refused(self) -> None:
        book = Book()
        book.hold(HoldKind.PLEDGE, "P-1", 10)
        with pytest.raises(InvalidInput, match="already open"):
            book.hold(HoldKind.PLEDGE, "P-1", 10)

    def test_pledgee_is_required(self) -> None:
        with pytest.raises(InvalidInput, match="pledgee bank"):
            Book().hold(HoldKind.PLEDGE, "P-1", 10, holder=" ")

    def test_ccer_is_not_pledged_by_default(self) -> None:
        # only CCER held -> no allowance to pledge
        entries = [build_ccer_deposit(context=ctx(), enterprise_id=ENT, project_ref="CCER-X", amount=50)]
        with pytest.raises(InsufficientBalance):
            build_hold(
                context=ctx(),
                kind=HoldKind.PLEDGE,
                enterprise_id=ENT,
                hold_id="P-9",
                holder="bank",
                amount=10,
                balances=derive_balances(entries),
                holds={},
            )
        tx = build_hold(
            context=ctx(),
            kind=HoldKind.PLEDGE,
            enterprise_id=ENT,
            hold_id="P-9",
            holder="bank",
            amount=10,
            balances=derive_balances(entries),
            holds={},
            instrument_kind=InstrumentKind.CCER,
        )
        assert tx.postings[1].instrument == Instrument.ccer("CCER-X")


class TestJudicialFreeze:
    def test_freeze_and_lift(self) -> None:
        book = Book()
        tx = book.hold(HoldKind.JUDICIAL_FREEZE, "F-1", 300, holder="中卫市中级人民法院")
        assert tx.kind is EntryKind.FREEZE
        assert book.balances.total(FROZEN, InstrumentKind.ALLOWANCE) == 300
        assert book.release(HoldKind.JUDICIAL_FREEZE, "F-1").kind is EntryKind.FREEZE_RELEASE
        assert book.balances.total(FROZEN, InstrumentKind.ALLOWANCE) == 0

    def test_lifting_a_freeze_cannot_release_a_pledge(self) -> None:
        book = Book()
        book.hold(HoldKind.PLEDGE, "P-1", 100)
        with pytest.raises(HoldNotFound, match="judicial_freeze 'P-1'"):
            book.release(HoldKind.JUDICIAL_FREEZE, "P-1")

    def test_pledge_and_freeze_stack_and_are_counted_apart(self) -> None:
        # pledge 200 then freeze 250 of the remaining 300 ; 50 left available
        book = Book()
        book.hold(HoldKind.PLEDGE, "P-1", 200)
        book.hold(HoldKind.JUDICIAL_FREEZE, "F-1", 250, holder="court")
        assert held_units(book.holds, enterprise_id=ENT) == 450
        assert held_units(book.holds, enterprise_id=ENT, instrument=CEA23) == 100
        assert book.balances.total(AVAILABLE, InstrumentKind.ALLOWANCE) == 50
        book.release(HoldKind.PLEDGE, "P-1")
        assert book.balances.total(FROZEN, InstrumentKind.ALLOWANCE) == 250

    def test_release_never_overdraws_frozen(self) -> None:
        book = Book()
        tx = book.hold(HoldKind.JUDICIAL_FREEZE, "F-1", 10, holder="court")
        release = build_release(
            context=ctx(), kind=HoldKind.JUDICIAL_FREEZE, enterprise_id=ENT, hold_id="F-1", holds=book.holds
        )
        # applying the release to balances from before the freeze would take frozen below zero
        before = derive_balances(book.entries[: book.entries.index(tx)])
        with pytest.raises(InsufficientBalance):
            apply_transaction(before, release)
