"""Key-emitter directory (DOMAIN rule 1): listing, one-year dip, two years below, closure, corrections.

Threshold 26,000 tCO2e and two years below come from reference/key_emitter_directory/2023.1.toml; the
expected values below are worked out by hand from those two numbers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_registry.domain.directory import (
    evaluate_directory,
    is_listed,
    latest_verified_by_year,
    threshold_reached,
)
from carbon_registry.domain.directory_model import (
    BasisYear,
    ClosureFact,
    DelistingDecision,
    DelistingRule,
    ListingDecision,
    ListingRule,
    ManualAction,
    ManualActionKind,
    VerifiedEmission,
    YearStatus,
)
from carbon_registry.domain.errors import VerifiedEmissionInvalid
from carbon_registry.reference import load_directory_rule

RULE = load_directory_rule("2023.1")


def verified(year: int, tonnes: str, revision: int = 1) -> VerifiedEmission:
    return VerifiedEmission(year=year, revision=revision, emissions_tco2e=Decimal(tonnes))


def published_from(*history: VerifiedEmission) -> dict[int, YearStatus]:
    """What a previous evaluation stored, as the service would keep it."""
    return {status.year: status for status in evaluate_directory(history=history, rule=RULE).timeline}


def listing(year: int, basis_year: int, tonnes: str) -> ListingDecision:
    return ListingDecision(year, ListingRule.THRESHOLD, basis_year, Decimal(tonnes), None)


class TestListingByThreshold:
    def test_30000_in_2023_lists_for_2024(self) -> None:
        result = evaluate_directory(history=[verified(2023, "30000")], rule=RULE)
        assert result.decisions == (listing(2024, 2023, "30000"),)
        assert is_listed(evaluation=result, year=2024)

    def test_exactly_the_threshold_lists(self) -> None:
        # 达到 2.6万吨 means "reaches": 26000 >= 26000.
        result = evaluate_directory(history=[verified(2023, "26000.000")], rule=RULE)
        assert result.decisions == (listing(2024, 2023, "26000.000"),)

    def test_just_below_the_threshold_does_not_list(self) -> None:
        result = evaluate_directory(history=[verified(2023, "25999.999")], rule=RULE)
        assert result.decisions == ()
        assert result.timeline == (YearStatus.absent(year=2024),)

    def test_already_published_listing_emits_nothing(self) -> None:
        history = [verified(2023, "30000")]
        assert (
            evaluate_directory(history=history, rule=RULE, published=published_from(*history)).decisions == ()
        )

    def test_no_history_no_years(self) -> None:
        assert evaluate_directory(history=[], rule=RULE).timeline == ()

    def test_threshold_reached_helper(self) -> None:
        assert threshold_reached(emissions_tco2e=Decimal("26000"), rule=RULE)
        assert not threshold_reached(emissions_tco2e=Decimal("25999.9"), rule=RULE)


class TestStayingListedAndDelisting:
    def test_one_year_dip_keeps_the_unit_listed_on_its_earlier_basis(self) -> None:
        # 2023: 30000 >= 26000 -> 2024 listed. 2024: 20000 below, but 2023 was above -> 2025 stays listed.
        history = [verified(2023, "30000"), verified(2024, "20000")]
        result = evaluate_directory(history=history, rule=RULE, published=published_from(history[0]))
        assert result.decisions == (listing(2025, 2023, "30000"),)

    def test_two_consecutive_years_below_delist_the_following_year(self) -> None:
        # 2024: 20000 and 2025: 25000 are both < 26000 -> out from 2026, basis both years.
        history = [verified(2023, "30000"), verified(2024, "20000"), verified(2025, "25000")]
        result = evaluate_directory(history=history, rule=RULE, published=published_from(*history[:2]))
        assert result.decisions == (
            DelistingDecision(
                2026, DelistingRule.TWO_YEARS_BELOW, (2024, 2025), (Decimal("20000"), Decimal("25000")), None
            ),
        )
        assert not is_listed(evaluation=result, year=2026)

    def test_a_missing_year_breaks_the_run_of_years_below(self) -> None:
        # 2024 never verified, 2025 below: the last two verified years are not consecutive -> still listed.
        history = [verified(2023, "30000"), verified(2025, "20000")]
        result = evaluate_directory(history=history, rule=RULE)
        assert [(s.year, s.listed) for s in result.timeline] == [(2024, True), (2025, True), (2026, True)]
        assert result.timeline[-1].basis == (BasisYear(2023, Decimal("30000")),)

    def test_unit_is_listed_again_after_a_year_above(self) -> None:
        # 2022 above -> 2023 in; 2023, 2024 below -> 2025 out; 2025 above -> 2026 in again.
        history = [
            verified(2022, "30000"),
            verified(2023, "20000"),
            verified(2024, "20000"),
            verified(2025, "27000"),
        ]
        timeline = evaluate_directory(history=history, rule=RULE).timeline
        assert [(s.year, s.listed, s.exit_rule) for s in timeline] == [
            (2023, True, None),
            (2024, True, None),
            (2025, False, DelistingRule.TWO_YEARS_BELOW),
            (2026, True, None),
        ]

    def test_a_unit_never_above_produces_nothing(self) -> None:
        history = [verified(2022, "1000"), verified(2023, "2000"), verified(2024, "3000")]
        result = evaluate_directory(history=history, rule=RULE)
        assert result.decisions == ()
        assert all(not s.listed and s.exit_rule is None for s in result.timeline)


class TestCorrections:
    def test_correction_below_withdraws_the_listing_it_supported(self) -> None:
        # 2023 revision 1: 30000 listed 2024; revision 2: 20000 -> no basis remains for 2024.
        published = published_from(verified(2023, "30000"))
        result = evaluate_directory(
            history=[verified(2023, "30000"), verified(2023, "20000", revision=2)],
            rule=RULE,
            published=published,
        )
        (decision,) = result.decisions
        assert isinstance(decision, DelistingDecision)
        assert (decision.year, decision.rule) == (2024, DelistingRule.CORRECTION)
        assert (decision.basis_years, decision.basis_emissions_tco2e) == ((2023,), (Decimal("20000"),))
        assert decision.reason == "the verified emissions behind this listing changed (2023: now 20000 tCO2e)"

    def test_correction_kept_listed_by_an_earlier_year_updates_the_basis(self) -> None:
        # 2022: 30000 -> 2023 in. 2023 corrected 30000 -> 20000: 2024 is now a one-year dip, kept on 2022.
        before = [verified(2022, "30000"), verified(2023, "30000")]
        after = [*before, verified(2023, "20000", revision=2)]
        result = evaluate_directory(history=after, rule=RULE, published=published_from(*before))
        assert result.decisions == (listing(2024, 2022, "30000"),)

    def test_correction_upward_reverses_a_delisting(self) -> None:
        # 2025 corrected 25000 -> 27000: 2025 now reaches the threshold, so 2026 is listed on it.
        before = [verified(2023, "30000"), verified(2024, "20000"), verified(2025, "25000")]
        after = [*before, verified(2025, "27000", revision=2)]
        result = evaluate_directory(history=after, rule=RULE, published=published_from(*before))
        assert result.decisions == (listing(2026, 2025, "27000"),)

    def test_correction_can_bring_a_delisting_forward(self) -> None:
        # 2022 in; 2023 below; 2024 corrected 30000 -> 20000: 2023 and 2024 both below -> out from 2025.
        before = [verified(2022, "30000"), verified(2023, "20000"), verified(2024, "30000")]
        after = [*before, verified(2024, "20000", revision=2)]
        result = evaluate_directory(history=after, rule=RULE, published=published_from(*before))
        assert result.decisions == (
            DelistingDecision(
                2025, DelistingRule.TWO_YEARS_BELOW, (2023, 2024), (Decimal("20000"), Decimal("20000")), None
            ),
        )

    def test_withdrawal_cascades_to_a_carried_listing(self) -> None:
        # 2023 (30000) listed 2024 and carried 2025 over the 2024 dip; 2023 corrected to 20000 -> both go.
        before = [verified(2023, "30000"), verified(2024, "20000")]
        after = [*before, verified(2023, "20000", revision=2)]
        result = evaluate_directory(history=after, rule=RULE, published=published_from(*before))
        assert [(d.year, d.rule) for d in result.decisions] == [
            (2024, DelistingRule.CORRECTION),
            (2025, DelistingRule.CORRECTION),
        ]

    def test_published_listing_without_any_verified_basis(self) -> None:
        published = {2030: YearStatus(year=2030, listed=True, listing_rule=ListingRule.THRESHOLD,
                                      basis=(BasisYear(2029, Decimal("30000")),))}  # fmt: skip
        (decision,) = evaluate_directory(history=[], rule=RULE, published=published).decisions
        assert decision == DelistingDecision(
            2030, DelistingRule.CORRECTION, (), (), "the verified emissions behind this listing changed "
            "(2029: no verified emissions)"
        )  # fmt: skip


class TestLatestRevision:
    def test_highest_revision_wins_whatever_the_arrival_order(self) -> None:
        latest = latest_verified_by_year([verified(2023, "20000", 2), verified(2023, "30000", 1)])
        assert latest[2023].emissions_tco2e == Decimal("20000")

    def test_same_revision_twice_with_same_value_is_a_harmless_redelivery(self) -> None:
        assert latest_verified_by_year([verified(2023, "1", 1), verified(2023, "1", 1)])[2023].revision == 1

    def test_same_revision_with_different_values_is_refused(self) -> None:
        with pytest.raises(
            VerifiedEmissionInvalid, match=r"revision 1 of 2023 arrived twice .*30000 and 20000"
        ):
            latest_verified_by_year([verified(2023, "30000"), verified(2023, "20000")])

    def test_negative_emissions_are_refused(self) -> None:
        with pytest.raises(VerifiedEmissionInvalid, match="cannot be negative: -1"):
            latest_verified_by_year([verified(2023, "-1")])


class TestClosure:
    CLOSED = ClosureFact(closed_on=dt.date(2024, 6, 30), reason="破产清算")

    def test_closure_delists_from_the_following_year(self) -> None:
        history = [verified(2023, "30000")]
        result = evaluate_directory(
            history=history, rule=RULE, published=published_from(*history), closure=self.CLOSED
        )
        assert is_listed(evaluation=result, year=2024)  # it operated in 2024 and must report it
        assert result.decisions == (
            DelistingDecision(2025, DelistingRule.CLOSURE, (), (), "closed on 2024-06-30: 破产清算"),
        )

    def test_emissions_of_the_closure_year_do_not_list_it_again(self) -> None:
        history = [verified(2023, "30000"), verified(2024, "40000")]
        result = evaluate_directory(
            history=history, rule=RULE, published=published_from(*history), closure=self.CLOSED
        )
        assert [(d.year, d.rule) for d in result.decisions] == [(2025, DelistingRule.CLOSURE)]

    def test_a_published_listing_after_closure_is_withdrawn_for_closure(self) -> None:
        # 2023 below, 2024 above -> 2025 was published; the unit closed in 2024 -> 2025 withdrawn (closure).
        history = [verified(2023, "10000"), verified(2024, "40000")]
        result = evaluate_directory(
            history=history, rule=RULE, published=published_from(*history), closure=self.CLOSED
        )
        assert result.decisions == (
            DelistingDecision(2025, DelistingRule.CLOSURE, (), (), "closed on 2024-06-30: 破产清算"),
        )

    def test_a_closed_unit_never_listed_produces_nothing(self) -> None:
        result = evaluate_directory(history=[verified(2023, "10000")], rule=RULE, closure=self.CLOSED)
        assert result.decisions == ()


class TestManualActions:
    def test_listing_on_application_without_emissions(self) -> None:
        action = ManualAction(2025, ManualActionKind.LIST, "企业申请纳入")
        result = evaluate_directory(history=[], rule=RULE, manual_actions=[action])
        assert result.decisions == (
            ListingDecision(2025, ListingRule.APPLICATION, None, None, "企业申请纳入"),
        )

    def test_application_listing_follows_the_rule_afterwards(self) -> None:
        # Listed 2025 on application; 2025 below -> 2026 carried; 2025, 2026 below -> out from 2027.
        action = ManualAction(2025, ManualActionKind.LIST, "企业申请纳入")
        history = [verified(2025, "10000"), verified(2026, "10000")]
        timeline = evaluate_directory(history=history, rule=RULE, manual_actions=[action]).timeline
        assert [(s.year, s.listed, s.listing_rule, s.exit_rule) for s in timeline] == [
            (2025, True, ListingRule.APPLICATION, None),
            (2026, True, ListingRule.APPLICATION, None),
            (2027, False, None, DelistingRule.TWO_YEARS_BELOW),
        ]

    def test_removal_overrides_the_threshold_for_that_year_only(self) -> None:
        history = [verified(2023, "30000"), verified(2024, "30000")]
        removal = ManualAction(2024, ManualActionKind.REMOVE, "不属于覆盖行业")
        result = evaluate_directory(
            history=history, rule=RULE, published=published_from(history[0]), manual_actions=[removal]
        )
        assert result.decisions == (
            DelistingDecision(2024, DelistingRule.REGULATOR, (), (), "不属于覆盖行业"),
            listing(2025, 2024, "30000"),
        )

    def test_the_later_action_for_a_year_wins(self) -> None:
        actions = [
            ManualAction(2025, ManualActionKind.LIST, "申请"),
            ManualAction(2025, ManualActionKind.REMOVE, "撤回"),
        ]
        result = evaluate_directory(history=[], rule=RULE, manual_actions=actions)
        assert not is_listed(evaluation=result, year=2025)


years = st.integers(min_value=2019, max_value=2030)
tonnes = st.decimals(min_value=0, max_value=60000, places=3)


class TestDirectoryProperties:
    @given(st.dictionaries(years, tonnes, max_size=12))
    def test_rule_invariants_and_idempotent_reevaluation(self, by_year: dict[int, Decimal]) -> None:
        history = [VerifiedEmission(year, 1, amount) for year, amount in by_year.items()]
        result = evaluate_directory(history=history, rule=RULE)
        for status in result.timeline:
            last, before = by_year.get(status.year - 1), by_year.get(status.year - 2)
            if last is not None and last >= Decimal(26000):
                assert status.listed
            if last is not None and before is not None and max(last, before) < Decimal(26000):
                assert not status.listed
        published = {status.year: status for status in result.timeline}
        assert evaluate_directory(history=history, rule=RULE, published=published).decisions == ()
        assert [d.year for d in result.decisions] == sorted(d.year for d in result.decisions)
