"""Holdings ledger: double-entry invariants, derived balances and the entry builders."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_allowance.domain.errors import (
    FrozenUnitsCannotMove,
    InsufficientBalance,
    InvalidInput,
    UnbalancedTransaction,
)
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
    apply_transaction,
    derive_balances,
)
from carbon_allowance.domain.ledger_entries import (
    EntryContext,
    build_allocation,
    build_cancellation,
    build_ccer_deposit,
    build_deduction,
    build_surrender,
    build_transfer_in,
    build_transfer_out,
    build_true_up,
    select_lots,
    select_surrender_lots,
)
from carbon_allowance.domain.obligations import is_eligible_for
from carbon_allowance.reference.loader import load_surrender_rules

CST = dt.timezone(dt.timedelta(hours=8))
_ids = itertools.count(1)
ENT = "91640500MA76XXXX0X"
AVAILABLE = Account.available(ENT)
FROZEN = Account.frozen(ENT)
CEA23 = Instrument.allowance(2023)
CEA24 = Instrument.allowance(2024)
CCER_A = Instrument.ccer("CCER-14-2024-001")


def ctx(reason: str = "test entry") -> EntryContext:
    return EntryContext(
        transaction_id=f"tx-{next(_ids)}",
        actor="regulator:zw-eco-01",
        reason=reason,
        occurred_at=dt.datetime(2024, 6, 1, 9, 0, tzinfo=CST),
    )


def allocated(*amounts: tuple[int, int]) -> Balances:
    """Balances after allocating (vintage, amount) pairs to ENT."""
    return derive_balances(
        build_allocation(context=ctx(), enterprise_id=ENT, vintage=v, amount=a) for v, a in amounts
    )


def raw(kind: EntryKind, *postings: Posting, **extra: object) -> Transaction:
    fields: dict[str, object] = {
        "transaction_id": "tx-raw",
        "kind": kind,
        "enterprise_id": ENT,
        "postings": postings,
        "actor": "ops",
        "reason": "why",
        "occurred_at": dt.datetime(2024, 1, 1, tzinfo=CST),
    }
    fields.update(extra)
    return Transaction(**fields)  # type: ignore[arg-type]


class TestInstrumentsAndAccounts:
    def test_codes_and_keys(self) -> None:
        assert CEA23.code == "CEA-2023"
        assert CCER_A.code == "CCER:CCER-14-2024-001"
        assert AVAILABLE.key == f"enterprise:{ENT}:available"
        assert FROZEN.key == f"enterprise:{ENT}:frozen"
        assert ISSUANCE.key == "issuance"

    def test_malformed_instruments_are_rejected(self) -> None:
        with pytest.raises(InvalidInput):
            Instrument(InstrumentKind.ALLOWANCE)
        with pytest.raises(InvalidInput):
            Instrument.ccer("  ")

    def test_enterprise_accounts_need_an_enterprise(self) -> None:
        with pytest.raises(InvalidInput):
            Account.available("")
        with pytest.raises(InvalidInput):
            Account(ISSUANCE.kind, ENT)


class TestTransactionInvariants:
    def test_postings_must_sum_to_zero_per_instrument(self) -> None:
        with pytest.raises(UnbalancedTransaction, match="CEA-2023"):
            raw(EntryKind.ALLOCATION, Posting(ISSUANCE, CEA23, -10), Posting(AVAILABLE, CEA23, 9))

    def test_two_instruments_cannot_offset_each_other(self) -> None:
        # -10 CEA-2023 and +10 CEA-2024 sum to zero overall but not per instrument
        with pytest.raises(UnbalancedTransaction):
            raw(EntryKind.ALLOCATION, Posting(ISSUANCE, CEA23, -10), Posting(AVAILABLE, CEA24, 10))

    @pytest.mark.parametrize("blank", ["actor", "reason", "transaction_id"])
    def test_every_entry_names_actor_and_reason(self, blank: str) -> None:
        with pytest.raises(InvalidInput, match=blank):
            raw(
                EntryKind.ALLOCATION,
                Posting(ISSUANCE, CEA23, -1),
                Posting(AVAILABLE, CEA23, 1),
                **{blank: " "},
            )

    def test_naive_timestamp_is_rejected(self) -> None:
        with pytest.raises(InvalidInput, match="time zone"):
            raw(
                EntryKind.ALLOCATION,
                Posting(ISSUANCE, CEA23, -1),
                Posting(AVAILABLE, CEA23, 1),
                occurred_at=dt.datetime(2024, 1, 1),
            )

    def test_zero_or_fractional_posting_is_rejected(self) -> None:
        with pytest.raises(InvalidInput):
            Posting(AVAILABLE, CEA23, 0)
        with pytest.raises(InvalidInput):
            Posting(AVAILABLE, CEA23, 1.5)  # type: ignore[arg-type]

    def test_cannot_post_to_another_enterprise(self) -> None:
        other = Account.available("91640500MA76YYYY0Y")
        with pytest.raises(InvalidInput, match="another enterprise"):
            raw(EntryKind.TRANSFER_OUT, Posting(AVAILABLE, CEA23, -1), Posting(other, CEA23, 1))

    @pytest.mark.parametrize("kind", [EntryKind.SURRENDER, EntryKind.TRANSFER_OUT, EntryKind.CANCELLATION])
    def test_frozen_units_cannot_move(self, kind: EntryKind) -> None:
        with pytest.raises(FrozenUnitsCannotMove, match="release the pledge or freeze first"):
            raw(kind, Posting(FROZEN, CEA23, -5), Posting(SURRENDERED, CEA23, 5))

    def test_only_holds_credit_the_frozen_account(self) -> None:
        with pytest.raises(FrozenUnitsCannotMove):
            raw(EntryKind.ALLOCATION, Posting(ISSUANCE, CEA23, -5), Posting(FROZEN, CEA23, 5))

    def test_hold_entries_carry_a_hold_id(self) -> None:
        with pytest.raises(InvalidInput, match="hold_id"):
            raw(EntryKind.PLEDGE, Posting(AVAILABLE, CEA23, -5), Posting(FROZEN, CEA23, 5))


class TestBalances:
    def test_balance_is_derived_from_postings(self) -> None:
        # allocate 1,000 (2023) + 500 (2024); surrender 300 of 2023 -> available 700 + 500, surrendered 300
        balances = allocated((2023, 1000), (2024, 500))
        surrender = build_surrender(context=ctx(), enterprise_id=ENT, lots=((CEA23, 300),), balances=balances)
        after = apply_transaction(balances, surrender)
        assert after.holdings(AVAILABLE) == {CEA23: 700, CEA24: 500}
        assert after.of(SURRENDERED, CEA23) == 300
        assert after.of(ISSUANCE, CEA23) == -1000
        assert after.total(AVAILABLE, InstrumentKind.ALLOWANCE) == 1200

    def test_enterprise_account_never_goes_negative(self) -> None:
        balances = allocated((2023, 100))
        overdraw = raw(EntryKind.TRANSFER_OUT, Posting(AVAILABLE, CEA23, -101), Posting(EXTERNAL, CEA23, 101))
        with pytest.raises(InsufficientBalance, match="holds 100 CEA-2023; transfer_out needs 101"):
            apply_transaction(balances, overdraw)

    @given(
        st.lists(st.tuples(st.sampled_from([2023, 2024]), st.integers(1, 10_000)), min_size=1, max_size=20)
    )
    def test_system_and_enterprise_sides_always_cancel(self, amounts: list[tuple[int, int]]) -> None:
        balances = allocated(*amounts)
        for vintage in (2023, 2024):
            instrument = Instrument.allowance(vintage)
            assert balances.of(AVAILABLE, instrument) + balances.of(ISSUANCE, instrument) == 0
            assert balances.of(AVAILABLE, instrument) == sum(a for v, a in amounts if v == vintage)


class TestSelectLots:
    def test_oldest_vintage_first(self) -> None:
        # 2023: 100, 2024: 500 ; take 250 -> 100 of 2023 then 150 of 2024
        balances = allocated((2024, 500), (2023, 100))
        lots = select_lots(balances=balances, account=AVAILABLE, quantity=250, eligible=lambda i: True)
        assert lots == ((CEA23, 100), (CEA24, 150))

    def test_ineligible_instruments_are_skipped_and_shortage_reported(self) -> None:
        balances = allocated((2023, 100), (2024, 500))
        with pytest.raises(
            InsufficientBalance, match="holds 100 eligible units, 150 are needed \\(50 short\\)"
        ):
            select_lots(
                balances=balances, account=AVAILABLE, quantity=150, eligible=lambda i: i.vintage == 2023
            )

    @pytest.mark.parametrize("quantity", [0, -1])
    def test_quantity_must_be_positive(self, quantity: int) -> None:
        with pytest.raises(InvalidInput):
            select_lots(balances=Balances(), account=AVAILABLE, quantity=quantity, eligible=lambda i: True)


class TestEntryBuilders:
    def test_allocation_moves_from_issuance(self) -> None:
        tx = build_allocation(context=ctx("2023 pre-allocation"), enterprise_id=ENT, vintage=2023, amount=700)
        assert tx.kind is EntryKind.ALLOCATION
        assert set(tx.postings) == {Posting(ISSUANCE, CEA23, -700), Posting(AVAILABLE, CEA23, 700)}
        assert tx.reason == "2023 pre-allocation"

    def test_true_up_positive_issues_the_difference(self) -> None:
        # pre 700, final 1,000 -> +300
        tx = build_true_up(
            context=ctx(), enterprise_id=ENT, vintage=2023, difference=300, balances=Balances()
        )
        assert apply_transaction(allocated((2023, 700)), tx).of(AVAILABLE, CEA23) == 1000

    def test_true_up_negative_returns_units(self) -> None:
        # pre 700, final 650 -> -50 back to issuance: 650 left
        balances = allocated((2023, 700))
        tx = build_true_up(context=ctx(), enterprise_id=ENT, vintage=2023, difference=-50, balances=balances)
        assert apply_transaction(balances, tx).of(AVAILABLE, CEA23) == 650

    def test_true_up_negative_beyond_balance(self) -> None:
        balances = allocated((2023, 30))
        with pytest.raises(
            InsufficientBalance, match="holds 30 available CEA-2023, 50 are needed \\(20 short\\)"
        ):
            build_true_up(context=ctx(), enterprise_id=ENT, vintage=2023, difference=-50, balances=balances)

    def test_true_up_of_zero_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="zero"):
            build_true_up(context=ctx(), enterprise_id=ENT, vintage=2023, difference=0, balances=Balances())

    def test_deduction_returns_units_to_issuance(self) -> None:
        balances = allocated((2024, 1000))
        tx = build_deduction(context=ctx(), enterprise_id=ENT, vintage=2024, amount=120, balances=balances)
        after = apply_transaction(balances, tx)
        assert (after.of(AVAILABLE, CEA24), after.of(ISSUANCE, CEA24)) == (880, -880)

    def test_transfers_in_and_out(self) -> None:
        tx_in = build_transfer_in(
            context=ctx(), enterprise_id=ENT, instrument=CEA23, amount=40, counterparty="SEEE"
        )
        balances = apply_transaction(Balances(), tx_in)
        tx_out = build_transfer_out(
            context=ctx(),
            enterprise_id=ENT,
            instrument=CEA23,
            amount=15,
            counterparty="SEEE",
            balances=balances,
        )
        after = apply_transaction(balances, tx_out)
        assert (after.of(AVAILABLE, CEA23), after.of(EXTERNAL, CEA23)) == (25, -25)
        assert tx_out.counterparty == "SEEE"
        with pytest.raises(InsufficientBalance):
            build_transfer_out(
                context=ctx(),
                enterprise_id=ENT,
                instrument=CEA23,
                amount=26,
                counterparty="SEEE",
                balances=after,
            )

    def test_cancellation_retires_units(self) -> None:
        balances = allocated((2023, 10))
        tx = build_cancellation(
            context=ctx(), enterprise_id=ENT, instrument=CEA23, amount=10, balances=balances
        )
        after = apply_transaction(balances, tx)
        assert (after.of(AVAILABLE, CEA23), after.of(CANCELLED, CEA23)) == (0, 10)

    def test_ccer_deposit_by_project(self) -> None:
        tx = build_ccer_deposit(context=ctx(), enterprise_id=ENT, project_ref="CCER-14-2024-001", amount=500)
        after = apply_transaction(Balances(), tx)
        assert after.total(AVAILABLE, InstrumentKind.CCER) == 500
        assert after.holdings(AVAILABLE) == {CCER_A: 500}

    @pytest.mark.parametrize("amount", [0, -5])
    def test_non_positive_amounts_are_refused(self, amount: int) -> None:
        with pytest.raises(InvalidInput, match="greater than zero"):
            build_allocation(context=ctx(), enterprise_id=ENT, vintage=2023, amount=amount)

    def test_surrender_is_limited_to_available_units(self) -> None:
        balances = allocated((2023, 10))
        with pytest.raises(InsufficientBalance, match="1 short"):
            build_surrender(context=ctx(), enterprise_id=ENT, lots=((CEA23, 11),), balances=balances)


class TestSelectSurrenderLots:
    """A surrender end to end in the domain: pick eligible lots, post them, count them on the obligation."""

    def eligible_for_2023(self, instrument: Instrument) -> bool:
        return is_eligible_for(instrument, year=2023, rules=load_surrender_rules())

    def test_allowances_of_eligible_vintages_then_ccer(self) -> None:
        # holdings: 2023: 600, 2024: 1,000 (not usable for 2023), CCER 80 ; surrender 550 allowances + 40 CCER
        balances = allocated((2023, 600), (2024, 1000))
        ccer = build_ccer_deposit(context=ctx(), enterprise_id=ENT, project_ref="CCER-14-2024-001", amount=80)
        balances = apply_transaction(balances, ccer)
        lots = select_surrender_lots(
            balances=balances, enterprise_id=ENT, allowances=550, ccer=40, eligible=self.eligible_for_2023
        )
        assert lots == ((CEA23, 550), (CCER_A, 40))
        after = apply_transaction(
            balances, build_surrender(context=ctx(), enterprise_id=ENT, lots=lots, balances=balances)
        )
        assert after.holdings(AVAILABLE) == {CEA23: 50, CEA24: 1000, CCER_A: 40}
        assert after.holdings(SURRENDERED) == {CEA23: 550, CCER_A: 40}

    def test_later_vintage_cannot_cover_an_earlier_year(self) -> None:
        # 600 of 2023 usable ; 601 asked although 1,600 are held
        balances = allocated((2023, 600), (2024, 1000))
        with pytest.raises(InsufficientBalance, match="holds 600 eligible units, 601 are needed"):
            select_surrender_lots(
                balances=balances, enterprise_id=ENT, allowances=601, ccer=0, eligible=self.eligible_for_2023
            )

    def test_ccer_only(self) -> None:
        balances = apply_transaction(
            Balances(), build_ccer_deposit(context=ctx(), enterprise_id=ENT, project_ref="P", amount=5)
        )
        lots = select_surrender_lots(
            balances=balances, enterprise_id=ENT, allowances=0, ccer=5, eligible=self.eligible_for_2023
        )
        assert lots == ((Instrument.ccer("P"), 5),)
