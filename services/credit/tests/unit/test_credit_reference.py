"""The shipped reference data and its loader: key values, versions, caching, validation errors."""

from __future__ import annotations

import datetime as dt

import pytest

from carbon_credit.domain.errors import InvalidRuleTable, UnknownRuleVersion
from carbon_credit.domain.rules import Level, SubjectKind
from carbon_credit.reference import (
    available_rule_versions,
    load_complaint_rules,
    load_rule_table,
    parse_rule_table,
    rule_table_in_force,
)

MINIMAL_TABLE = """
version = "t-1"
source = "test"
effective_from = 2025-01-01
[levels]
blue_from_points = 1
yellow_from_points = 10
red_from_points = 20
[surrender_refusal]
days_after_due = 30
[facts.LedgerOverdue]
description = "late ledger"
points = 2
veto = false
validity_months = 12
rectification_months = 3
repairable = true
subjects = ["enterprise"]
"""


class TestShippedRuleTable:
    def test_current_table_is_version_2024_1_with_its_thresholds(self) -> None:
        rules = load_rule_table()
        assert rules.version == "2024.1"
        assert rules.effective_from == dt.date(2024, 1, 1)
        assert (rules.thresholds.blue_from, rules.thresholds.yellow_from, rules.thresholds.red_from) == (
            1,
            12,
            30,
        )
        assert rules.surrender_refusal.days_after_due == 90

    def test_every_cause_the_engine_knows_has_a_rule(self) -> None:
        assert set(load_rule_table().facts) == {
            "ReportOverdue",
            "LedgerOverdue",
            "SurrenderOverdue",
            "DataQualityFlagged",
            "FalsificationSuspected",
            "SurrenderRefused",
            "AgencyViolationRecorded.inspection_failed",
            "AgencyViolationRecorded.violation",
            "ComplaintSubstantiated",
            "ObligationFulfilled.on_time",
        }

    def test_vetoes_are_falsification_and_refusal_only(self) -> None:
        vetoes = {cause for cause, rule in load_rule_table().facts.items() if rule.veto}
        assert vetoes == {"FalsificationSuspected", "SurrenderRefused"}

    def test_positive_fact_has_negative_points_and_cannot_be_repaired(self) -> None:
        rule = load_rule_table().facts["ObligationFulfilled.on_time"]
        assert rule.points == -2
        assert rule.repairable is False

    def test_agency_causes_apply_to_agencies_only(self) -> None:
        rule = load_rule_table().facts["AgencyViolationRecorded.violation"]
        assert rule.subject_kinds == frozenset({SubjectKind.AGENCY})

    def test_loaded_table_is_cached_and_read_only(self) -> None:
        assert load_rule_table("2024.1") is load_rule_table()
        with pytest.raises(TypeError):
            load_rule_table().facts["LedgerOverdue"] = load_rule_table().facts["ReportOverdue"]  # type: ignore[index]

    def test_unknown_version_names_the_available_ones(self) -> None:
        with pytest.raises(UnknownRuleVersion, match="2024.1"):
            load_rule_table("1999.1")

    def test_versions_and_table_in_force(self) -> None:
        assert available_rule_versions() == ("2024.1",)
        assert rule_table_in_force(dt.date(2024, 1, 1)).version == "2024.1"
        with pytest.raises(UnknownRuleVersion):
            rule_table_in_force(dt.date(2023, 12, 31))


class TestParseRuleTable:
    def test_minimal_table_parses(self) -> None:
        rules = parse_rule_table(MINIMAL_TABLE)
        assert rules.version == "t-1"
        assert rules.thresholds.level_for(9) is Level.BLUE
        assert rules.thresholds.level_for(10) is Level.YELLOW

    @pytest.mark.parametrize(
        ("original", "broken", "message"),
        [
            ("\npoints = 2", "\npoints = true", "'points' must be a int"),
            ("\npoints = 2", '\npoints = "2"', "'points' must be a int"),
            ('version = "t-1"', "", "'version' must be a str"),
            ("effective_from = 2025-01-01", "effective_from = 2025-01-01T00:00:00Z", "effective_from"),
            ("rectification_months = 3", "rectification_months = 12", "below validity_months"),
            ("validity_months = 12", "validity_months = 0", "positive"),
            ('subjects = ["enterprise"]', 'subjects = ["bank"]', "subjects"),
            ("days_after_due = 30", "days_after_due = -1", "positive"),
            ("red_from_points = 20", "red_from_points = 5", "strictly increasing"),
            ("[levels]", "[levels", "not valid TOML"),
        ],
    )
    def test_invalid_tables_are_rejected_with_the_key(self, original: str, broken: str, message: str) -> None:
        assert original in MINIMAL_TABLE
        with pytest.raises(InvalidRuleTable, match=message):
            parse_rule_table(MINIMAL_TABLE.replace(original, broken))


class TestComplaintRules:
    def test_handling_periods(self) -> None:
        rules = load_complaint_rules()
        assert (rules.triage_within_days, rules.conclude_within_days) == (15, 60)
        assert rules.max_description_chars == 2000
