"""Agency rules: registration checks, inspection findings, the ban period from reference data."""

from __future__ import annotations

import datetime as dt

import pytest

from carbon_registry.domain.agency import (
    AgencyKind,
    SanctionRule,
    ViolationKind,
    add_months,
    check_agency,
    extended_ban,
    inspect,
    is_banned,
    record_violation,
)
from carbon_registry.domain.errors import AgencyInvalid, InspectionInvalid, ReferenceDataInvalid
from carbon_registry.reference import load_agency_sanctions, load_uscc_standard

USCC = "91640521MA70000002"  # hand-computed in test_registry_uscc.py
RULE = SanctionRule(ban_months={ViolationKind.INSPECTION_FAILED: 12, ViolationKind.VIOLATION: 6})
TODAY = dt.date(2025, 6, 30)


class TestCheckAgency:
    def test_valid_agency_is_normalised(self) -> None:
        draft = check_agency(
            uscc=USCC.lower(), name=" 宁夏某某  核查中心 ", kind="verification", standard=load_uscc_standard()
        )
        assert (draft.uscc, draft.name, draft.kind) == (USCC, "宁夏某某 核查中心", AgencyKind.VERIFICATION)

    def test_every_bad_field_is_reported(self) -> None:
        with pytest.raises(AgencyInvalid) as caught:
            check_agency(uscc=USCC[:-1] + "0", name=" ", kind="audit", standard=load_uscc_standard())
        assert [issue.field for issue in caught.value.issues] == ["uscc", "name", "kind"]


class TestInspection:
    def test_failed_inspection_bars_for_the_reference_period(self) -> None:
        finding = inspect(
            passed=False,
            occurred_on=dt.date(2025, 3, 15),
            findings="核查报告数据失实",
            today=TODAY,
            rule=RULE,
        )
        assert finding.kind is ViolationKind.INSPECTION_FAILED
        assert finding.banned_until == dt.date(2026, 3, 14)

    def test_passed_inspection_imposes_nothing(self) -> None:
        finding = inspect(passed=True, occurred_on=dt.date(2025, 3, 15), findings="", today=TODAY, rule=RULE)
        assert (finding.kind, finding.banned_until) == (None, None)

    def test_failed_inspection_needs_findings_and_a_past_date(self) -> None:
        with pytest.raises(InspectionInvalid) as caught:
            inspect(passed=False, occurred_on=dt.date(2025, 7, 1), findings=" ", today=TODAY, rule=RULE)
        assert [issue.field for issue in caught.value.issues] == ["findings", "date"]

    def test_violation_uses_its_own_period(self) -> None:
        finding = record_violation(
            occurred_on=dt.date(2025, 1, 31), findings="超范围执业", today=TODAY, rule=RULE
        )
        assert finding.banned_until == dt.date(2025, 7, 30)

    def test_zero_months_means_no_bar(self) -> None:
        lenient = SanctionRule(ban_months={ViolationKind.INSPECTION_FAILED: 0, ViolationKind.VIOLATION: 0})
        finding = record_violation(occurred_on=TODAY, findings="记录", today=TODAY, rule=lenient)
        assert finding.banned_until is None


class TestBanPeriod:
    def test_months_clamp_to_the_end_of_a_short_month(self) -> None:
        assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
        assert add_months(dt.date(2024, 11, 30), 14) == dt.date(2026, 1, 30)

    def test_a_later_sanction_never_shortens_a_running_bar(self) -> None:
        assert extended_ban(dt.date(2026, 1, 1), dt.date(2025, 6, 1)) == dt.date(2026, 1, 1)
        assert extended_ban(None, dt.date(2025, 6, 1)) == dt.date(2025, 6, 1)
        assert extended_ban(dt.date(2025, 6, 1), None) == dt.date(2025, 6, 1)

    def test_the_last_day_is_still_barred(self) -> None:
        end = dt.date(2026, 3, 14)
        assert is_banned(banned_until=end, on=end)
        assert not is_banned(banned_until=end, on=end + dt.timedelta(days=1))
        assert not is_banned(banned_until=None, on=end)

    def test_reference_sets_a_bar_for_every_finding_kind(self) -> None:
        rule = load_agency_sanctions()
        assert set(rule.ban_months) == set(ViolationKind)
        assert all(months > 0 for months in rule.ban_months.values())

    def test_rule_missing_a_kind_is_refused(self) -> None:
        with pytest.raises(ReferenceDataInvalid):
            SanctionRule(ban_months={ViolationKind.VIOLATION: 3})
