"""Obligations and surrender (DOMAIN rule 6): unit conversion, CCER cap, surrender, corrections."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_allowance.domain.errors import (
    CcerCapExceeded,
    InvalidInput,
    StaleRevision,
    SurrenderExceedsObligation,
)
from carbon_allowance.domain.ledger import Instrument
from carbon_allowance.domain.obligations import (
    Obligation,
    ObligationStatus,
    ccer_cap_units,
    ccer_room,
    correct_obligation,
    establish_obligation,
    is_eligible_for,
    record_surrender,
    status_of,
    validate_surrender,
)
from carbon_allowance.reference.loader import load_surrender_rules

RULES = load_surrender_rules()
DUE = dt.date(2024, 12, 31)
ENT = "91640500MA76XXXX0X"


def obligation(tco2e: str = "1000", **overrides: object) -> Obligation:
    base = establish_obligation(
        enterprise_id=ENT,
        year=2023,
        revision=1,
        verified_emissions_tco2e=D(tco2e),
        due_date=DUE,
        established_on=dt.date(2024, 7, 10),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


class TestEstablishObligation:
    @pytest.mark.parametrize(
        ("tco2e", "units"),
        [("1000", 1000), ("1000.2", 1001), ("1000.0001", 1001), ("0.4", 1), ("26000.999", 26001)],
    )
    def test_required_units_are_the_ceiling(self, tco2e: str, units: int) -> None:
        # units are whole tonnes and an enterprise owes every started tonne: ceil(tCO2e)
        assert obligation(tco2e).required_units == units

    def test_new_obligation_is_open(self) -> None:
        new = obligation()
        assert (new.surrendered_units, new.fulfilled_on) == (0, None)
        assert status_of(new, as_of=dt.date(2024, 7, 10)) is ObligationStatus.OPEN

    def test_zero_emissions_are_fulfilled_at_once(self) -> None:
        zero = obligation("0")
        assert zero.fulfilled_on == dt.date(2024, 7, 10)
        assert status_of(zero, as_of=dt.date(2030, 1, 1)) is ObligationStatus.FULFILLED

    def test_negative_emissions_are_rejected(self) -> None:
        with pytest.raises(InvalidInput, match="verified_emissions_tco2e"):
            obligation("-1")


class TestStatus:
    def test_open_through_the_due_day_then_overdue(self) -> None:
        open_one = obligation()
        assert status_of(open_one, as_of=DUE) is ObligationStatus.OPEN
        assert status_of(open_one, as_of=DUE + dt.timedelta(days=1)) is ObligationStatus.OVERDUE

    def test_fulfilled_when_surrendered_reaches_required(self) -> None:
        # 1000.2 t -> 1001 units; 1000 surrendered is not enough, 1001 is
        assert (
            status_of(obligation("1000.2", surrendered_allowances=1000), as_of=DUE) is ObligationStatus.OPEN
        )
        done = obligation("1000.2", surrendered_allowances=951, surrendered_ccer=50)
        assert status_of(done, as_of=DUE + dt.timedelta(days=400)) is ObligationStatus.FULFILLED


class TestCcerCap:
    @pytest.mark.parametrize(
        ("tco2e", "cap"),
        [("1000", 50), ("1000.2", 50), ("1019.99", 50), ("1020", 51), ("19.99", 0), ("26000", 1300)],
    )
    def test_cap_is_floor_of_five_percent(self, tco2e: str, cap: int) -> None:
        # 0.05 * 1000.2 = 50.01 -> 50 ; 0.05 * 1019.99 = 50.9995 -> 50 ; 0.05 * 1020 = 51
        # 0.05 * 19.99 = 0.9995 -> 0 ; 0.05 * 26000 = 1300
        assert ccer_cap_units(obligation_tco2e=D(tco2e), rules=RULES) == cap

    def test_cap_counts_ccer_already_surrendered(self) -> None:
        partly = obligation("1000", surrendered_ccer=30)
        assert ccer_room(partly, rules=RULES) == 20
        validate_surrender(obligation=partly, allowances=0, ccer=20, rules=RULES)
        with pytest.raises(
            CcerCapExceeded, match="at most 50 units .* 30 already used, so at most 20 more, not 21"
        ):
            validate_surrender(obligation=partly, allowances=0, ccer=21, rules=RULES)

    def test_cap_message_names_the_rule(self) -> None:
        with pytest.raises(CcerCapExceeded, match=r"5% of 1000 tCO2e, rounded down") as caught:
            validate_surrender(obligation=obligation("1000"), allowances=0, ccer=51, rules=RULES)
        assert caught.value.code == "ccer_cap_exceeded"

    @given(tco2e=st.decimals(min_value=0, max_value=10**7, places=4))
    def test_cap_never_exceeds_five_percent(self, tco2e: D) -> None:
        cap = ccer_cap_units(obligation_tco2e=tco2e, rules=RULES)
        assert cap <= tco2e * D("0.05") < cap + 1


class TestRecordSurrender:
    def test_partial_then_complete(self) -> None:
        # 1000 units: 900 allowances + 50 CCER leaves 50 ; then 50 allowances fulfils it
        first = record_surrender(
            obligation=obligation(), allowances=900, ccer=50, on=dt.date(2024, 11, 1), rules=RULES
        )
        assert (first.became_fulfilled, first.obligation.remaining_units) == (False, 50)
        second = record_surrender(
            obligation=first.obligation, allowances=50, ccer=0, on=dt.date(2024, 12, 31), rules=RULES
        )
        assert second.became_fulfilled and second.on_time
        assert second.obligation.fulfilled_on == dt.date(2024, 12, 31)
        assert (second.obligation.surrendered_allowances, second.obligation.surrendered_ccer) == (950, 50)

    def test_late_surrender_counts_but_is_not_on_time(self) -> None:
        outcome = record_surrender(
            obligation=obligation(), allowances=1000, ccer=0, on=dt.date(2025, 1, 1), rules=RULES
        )
        assert outcome.became_fulfilled and not outcome.on_time
        assert status_of(outcome.obligation, as_of=dt.date(2025, 1, 2)) is ObligationStatus.FULFILLED

    def test_more_than_still_required_is_refused(self) -> None:
        with pytest.raises(SurrenderExceedsObligation, match="needs 1000 more units; 1001 were offered"):
            record_surrender(obligation=obligation(), allowances=1001, ccer=0, on=DUE, rules=RULES)

    def test_nothing_more_once_fulfilled(self) -> None:
        with pytest.raises(SurrenderExceedsObligation, match="needs 0 more"):
            validate_surrender(
                obligation=obligation(surrendered_allowances=1000), allowances=1, ccer=0, rules=RULES
            )

    @pytest.mark.parametrize(("allowances", "ccer"), [(0, 0), (-1, 5), (5, -1), (True, 0)])
    def test_malformed_quantities(self, allowances: int, ccer: int) -> None:
        with pytest.raises(InvalidInput):
            validate_surrender(obligation=obligation(), allowances=allowances, ccer=ccer, rules=RULES)


class TestEligibility:
    def test_vintages_up_to_the_year_and_any_ccer(self) -> None:
        assert is_eligible_for(Instrument.allowance(2022), year=2023, rules=RULES)
        assert is_eligible_for(Instrument.allowance(2023), year=2023, rules=RULES)
        assert not is_eligible_for(Instrument.allowance(2024), year=2023, rules=RULES)
        assert is_eligible_for(Instrument.ccer("CCER-1"), year=2023, rules=RULES)


class TestCorrection:
    def test_lowered_below_surrendered_is_fulfilled_and_excess_stays(self) -> None:
        # 1000 surrendered ; revised to 900.5 t -> 901 required ; excess 99 stays surrendered
        done = obligation(surrendered_allowances=950, surrendered_ccer=50, fulfilled_on=dt.date(2024, 9, 1))
        outcome = correct_obligation(
            obligation=done, revision=2, verified_emissions_tco2e=D("900.5"), as_of=dt.date(2024, 10, 1)
        )
        assert outcome.status is ObligationStatus.FULFILLED
        assert (outcome.excess_units, outcome.obligation.surrendered_units) == (99, 1000)
        assert outcome.obligation.fulfilled_on == dt.date(2024, 9, 1)  # unchanged
        assert not outcome.became_fulfilled and not outcome.reopened

    def test_lowered_to_what_was_surrendered_fulfils_on_the_correction_date(self) -> None:
        # 800 of 1000 surrendered ; revised to 750 -> fulfilled, excess 50
        partly = obligation(surrendered_allowances=800)
        outcome = correct_obligation(
            obligation=partly, revision=2, verified_emissions_tco2e=D("750"), as_of=dt.date(2025, 2, 1)
        )
        assert outcome.became_fulfilled and outcome.excess_units == 50
        assert outcome.obligation.fulfilled_on == dt.date(2025, 2, 1)

    def test_ccer_room_never_goes_negative_after_lowering(self) -> None:
        # 50 CCER used under a 1000 t obligation ; lowered to 900 t -> cap 45, room 0 (not -5)
        used = obligation(surrendered_allowances=950, surrendered_ccer=50)
        lowered = correct_obligation(
            obligation=used, revision=2, verified_emissions_tco2e=D("900"), as_of=DUE
        )
        assert ccer_room(lowered.obligation, rules=RULES) == 0

    @pytest.mark.parametrize(
        ("as_of", "status"), [(DUE, ObligationStatus.OPEN), (dt.date(2025, 3, 1), ObligationStatus.OVERDUE)]
    )
    def test_raised_reopens_or_goes_overdue(self, as_of: dt.date, status: ObligationStatus) -> None:
        # 1000 surrendered ; revised to 1200 -> 200 still owed
        done = obligation(surrendered_allowances=1000, fulfilled_on=dt.date(2024, 9, 1))
        outcome = correct_obligation(
            obligation=done, revision=2, verified_emissions_tco2e=D("1200"), as_of=as_of
        )
        assert outcome.reopened and outcome.status is status
        assert (outcome.obligation.remaining_units, outcome.obligation.fulfilled_on) == (200, None)

    def test_same_revision_again_is_a_no_op(self) -> None:
        same = correct_obligation(
            obligation=obligation(), revision=1, verified_emissions_tco2e=D("1000"), as_of=DUE
        )
        assert not same.changed and same.obligation == obligation()

    @pytest.mark.parametrize(("revision", "tco2e"), [(1, "999"), (0, "999")])
    def test_older_or_conflicting_revision_is_refused(self, revision: int, tco2e: str) -> None:
        with pytest.raises(StaleRevision, match="already reflects report revision 1") as caught:
            correct_obligation(
                obligation=obligation(), revision=revision, verified_emissions_tco2e=D(tco2e), as_of=DUE
            )
        assert caught.value.code == "stale_revision"
