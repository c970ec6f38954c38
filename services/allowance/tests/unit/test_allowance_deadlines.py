"""Surrender deadlines, overdue assessment (fine range, deduction) and netting the next allocation."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_allowance.domain.deadlines import (
    assess_overdue,
    average_price_before,
    deadline_instant,
    deadline_passed,
    plan_issuance,
    price_month_for,
    surrender_due_date,
)
from carbon_allowance.domain.errors import InvalidInput, ReferenceDataInvalid, ReferenceDataMissing
from carbon_allowance.domain.obligations import Obligation
from carbon_allowance.reference.loader import load_compliance_calendar, load_price_table, load_surrender_rules

CALENDAR = load_compliance_calendar()
PRICES = load_price_table()
RULES = load_surrender_rules()
UTC = dt.UTC


def obligation(year: int, tco2e: str, surrendered: int, due: dt.date) -> Obligation:
    return Obligation(
        enterprise_id="91640500MA76XXXX0X",
        year=year,
        revision=1,
        obligation_tco2e=D(tco2e),
        due_date=due,
        surrendered_allowances=surrendered,
    )


class TestDueDate:
    def test_reference_years(self) -> None:
        assert surrender_due_date(year=2023, calendar=CALENDAR) == dt.date(2024, 12, 31)
        assert surrender_due_date(year=2024, calendar=CALENDAR) == dt.date(2025, 12, 31)

    def test_default_is_31_december_of_the_next_year(self) -> None:
        assert surrender_due_date(year=2030, calendar=CALENDAR) == dt.date(2031, 12, 31)

    def test_a_year_can_be_configured(self) -> None:
        moved = replace(CALENDAR, overrides={2025: dt.date(2026, 11, 30)})
        assert surrender_due_date(year=2025, calendar=moved) == dt.date(2026, 11, 30)

    def test_impossible_default_names_the_table(self) -> None:
        broken = replace(CALENDAR, default_month=2, default_day=30)
        with pytest.raises(ReferenceDataInvalid, match="compliance_calendar 2023.1"):
            surrender_due_date(year=2030, calendar=broken)


class TestEndOfDayChinaStandardTime:
    def test_deadline_is_midnight_after_the_due_day_in_cst(self) -> None:
        # end of 31 Dec 2024 CST = 2025-01-01T00:00+08:00 = 2024-12-31T16:00Z
        instant = deadline_instant(due_date=dt.date(2024, 12, 31), calendar=CALENDAR)
        assert instant.astimezone(UTC) == dt.datetime(2024, 12, 31, 16, 0, tzinfo=UTC)

    def test_one_second_before_and_at_the_deadline(self) -> None:
        due = dt.date(2024, 12, 31)
        before = dt.datetime(2024, 12, 31, 15, 59, 59, tzinfo=UTC)
        assert not deadline_passed(due_date=due, at=before, calendar=CALENDAR)
        assert deadline_passed(due_date=due, at=before + dt.timedelta(seconds=1), calendar=CALENDAR)

    def test_naive_time_is_rejected(self) -> None:
        with pytest.raises(InvalidInput, match="time zone"):
            deadline_passed(due_date=dt.date(2024, 12, 31), at=dt.datetime(2025, 1, 1), calendar=CALENDAR)


class TestPriceOfTheMonthBefore:
    @pytest.mark.parametrize(
        ("due", "month"),
        [
            (dt.date(2025, 12, 31), (2025, 11)),
            (dt.date(2026, 1, 15), (2025, 12)),
            (dt.date(2024, 3, 1), (2024, 2)),
        ],
    )
    def test_month_before_the_deadline_month(self, due: dt.date, month: tuple[int, int]) -> None:
        assert price_month_for(due) == month

    def test_reference_prices(self) -> None:
        assert average_price_before(due_date=dt.date(2024, 12, 31), prices=PRICES) == D("102.00")
        assert average_price_before(due_date=dt.date(2025, 12, 31), prices=PRICES) == D("55.00")

    def test_missing_month_fails_loudly(self) -> None:
        with pytest.raises(
            ReferenceDataMissing, match="no average CEA price for 2025-12 in cea_prices 2025.1"
        ):
            average_price_before(due_date=dt.date(2026, 1, 31), prices=PRICES)


class TestAssessOverdue:
    def test_fine_range_and_deduction_for_2024(self) -> None:
        # 10,000.4 t -> 10,001 units ; 8,000 surrendered -> shortfall 2,001
        # Nov 2025 average 55.00 : 2,001 * 55.00 = 110,055.00 ; x5 = 550,275.00 ; x10 = 1,100,550.00
        assessment = assess_overdue(
            obligation=obligation(2024, "10000.4", 8000, dt.date(2025, 12, 31)),
            as_of=dt.date(2026, 1, 1),
            rules=RULES,
            prices=PRICES,
        )
        assert assessment is not None
        assert assessment.shortfall == 2001
        assert assessment.price_month == (2025, 11)
        assert (assessment.fine_min_cny, assessment.fine_max_cny) == (D("550275.00"), D("1100550.00"))
        assert assessment.deduction_year == 2025
        assert assessment.obligation_tco2e == D("10000.4")

    def test_fine_range_for_2023(self) -> None:
        # shortfall 150 ; Nov 2024 average 102.00 : 150 * 102 = 15,300 ; x5 = 76,500.00 ; x10 = 153,000.00
        assessment = assess_overdue(
            obligation=obligation(2023, "1000", 850, dt.date(2024, 12, 31)),
            as_of=dt.date(2025, 1, 1),
            rules=RULES,
            prices=PRICES,
        )
        assert assessment is not None
        assert (assessment.fine_min_cny, assessment.fine_max_cny, assessment.deduction_year) == (
            D("76500.00"),
            D("153000.00"),
            2024,
        )

    def test_not_overdue_on_the_due_day(self) -> None:
        due = dt.date(2024, 12, 31)
        assert (
            assess_overdue(obligation=obligation(2023, "1000", 0, due), as_of=due, rules=RULES, prices=PRICES)
            is None
        )

    def test_fulfilled_is_never_overdue(self) -> None:
        done = obligation(2023, "1000", 1000, dt.date(2024, 12, 31))
        assert assess_overdue(obligation=done, as_of=dt.date(2026, 1, 1), rules=RULES, prices=PRICES) is None

    def test_multipliers_come_from_the_rules(self) -> None:
        # shortfall 10 ; price 102.00 ; x3 = 3,060.00 ; x4 = 4,080.00
        other = replace(RULES, fine_multiplier_min=D(3), fine_multiplier_max=D(4))
        assessment = assess_overdue(
            obligation=obligation(2023, "10", 0, dt.date(2024, 12, 31)),
            as_of=dt.date(2025, 1, 1),
            rules=other,
            prices=PRICES,
        )
        assert assessment is not None
        assert (assessment.fine_min_cny, assessment.fine_max_cny) == (D("3060.00"), D("4080.00"))


class TestPlanIssuance:
    def test_pre_allocation_absorbs_the_whole_deduction(self) -> None:
        # pre 7,000 ; pending 2,001 -> credited 4,999
        plan = plan_issuance(amount=7000, previously_issued=0, pending_deduction=2001)
        assert (plan.delta, plan.deducted, plan.credited, plan.remaining_deduction) == (7000, 2001, 4999, 0)

    def test_small_pre_allocation_carries_the_rest_to_the_final(self) -> None:
        # pre 1,000 ; pending 2,001 -> deduct 1,000, credit 0, 1,001 left
        pre = plan_issuance(amount=1000, previously_issued=0, pending_deduction=2001)
        assert (pre.deducted, pre.credited, pre.remaining_deduction) == (1000, 0, 1001)
        # final 10,000 after a pre of 1,000 -> delta 9,000 ; deduct 1,001 ; credit 7,999
        final = plan_issuance(amount=10000, previously_issued=1000, pending_deduction=pre.remaining_deduction)
        assert (final.delta, final.deducted, final.credited, final.remaining_deduction) == (
            9000,
            1001,
            7999,
            0,
        )

    def test_downward_true_up_deducts_nothing(self) -> None:
        # final 6,000 below pre 7,000 : 1,000 go back ; the 500 pending wait for a positive issuance
        plan = plan_issuance(amount=6000, previously_issued=7000, pending_deduction=500)
        assert (plan.delta, plan.deducted, plan.credited, plan.remaining_deduction) == (-1000, 0, -1000, 500)

    def test_negative_inputs_are_rejected(self) -> None:
        with pytest.raises(InvalidInput, match="pending_deduction"):
            plan_issuance(amount=1, previously_issued=0, pending_deduction=-1)

    @given(amount=st.integers(0, 10**7), previous=st.integers(0, 10**7), pending=st.integers(0, 10**7))
    def test_units_are_conserved(self, amount: int, previous: int, pending: int) -> None:
        plan = plan_issuance(amount=amount, previously_issued=previous, pending_deduction=pending)
        assert plan.credited + plan.deducted == amount - previous
        assert plan.deducted + plan.remaining_deduction == pending
        assert 0 <= plan.deducted <= pending
