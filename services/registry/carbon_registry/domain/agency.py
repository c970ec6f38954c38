"""Third-party service agencies (第三方服务机构) and their supervision: registration, inspections, violations.

A failed inspection or a recorded violation bars the agency from new assignments for a period fixed in
reference data (`reference/agency_sanctions/`). The bar runs from the day of the finding through
`banned_until` inclusive; a new sanction never shortens a bar already running, so the later end wins.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from carbon_registry.domain.enterprise import IssueCollector, collapse_whitespace
from carbon_registry.domain.errors import (
    AgencyInvalid,
    FieldIssue,
    InspectionInvalid,
    InvalidField,
    ReferenceDataInvalid,
)
from carbon_registry.domain.uscc import UsccStandard, validate_uscc

MAX_FINDINGS_LENGTH = 4000  # a data-quality bound on free text, not a regulatory value


class AgencyKind(StrEnum):
    VERIFICATION = "verification"
    ASSET_MANAGEMENT = "asset_management"
    TESTING = "testing"


class ViolationKind(StrEnum):
    INSPECTION_FAILED = "inspection_failed"
    VIOLATION = "violation"


@dataclass(frozen=True)
class SanctionRule:
    """How long each kind of finding bars an agency from assignments, in calendar months (0: no bar)."""

    ban_months: Mapping[ViolationKind, int]

    def __post_init__(self) -> None:
        missing = [kind.value for kind in ViolationKind if kind not in self.ban_months]
        if missing or any(months < 0 for months in self.ban_months.values()):
            raise ReferenceDataInvalid(
                f"agency sanctions need a ban of >= 0 months for every finding kind; missing: {missing}"
            )


@dataclass(frozen=True)
class AgencyDraft:
    uscc: str
    name: str
    kind: AgencyKind


@dataclass(frozen=True)
class Finding:
    """A checked inspection result or violation, with the bar it imposes (None: no bar)."""

    kind: ViolationKind | None  # None: a passed inspection, nothing to sanction
    occurred_on: dt.date
    findings: str
    banned_until: dt.date | None


def _text(value: str, *, what: str, required: bool) -> str:
    clean = collapse_whitespace(value) or ""
    if required and not clean:
        raise InvalidField(f"{what} is empty")
    if len(clean) > MAX_FINDINGS_LENGTH:
        raise InvalidField(f"{what} has at most {MAX_FINDINGS_LENGTH} characters, got {len(clean)}")
    return clean


def check_agency(*, uscc: str, name: str, kind: str, standard: UsccStandard) -> AgencyDraft:
    """Validate every field at once; raise AgencyInvalid listing the issues."""
    collector = IssueCollector()
    clean_uscc = collector.check("uscc", lambda: validate_uscc(code=uscc, standard=standard))
    clean_name = collector.check("name", lambda: _text(name, what="the agency name", required=True))
    if kind not in {k.value for k in AgencyKind}:
        known = ", ".join(k.value for k in AgencyKind)
        collector.issues.append(FieldIssue("kind", "invalid_field", f"kind {kind!r} is not one of {known}"))
    if collector.issues or clean_uscc is None or clean_name is None:
        raise AgencyInvalid(tuple(collector.issues))
    return AgencyDraft(uscc=clean_uscc, name=clean_name, kind=AgencyKind(kind))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def ban_end(*, kind: ViolationKind, occurred_on: dt.date, rule: SanctionRule) -> dt.date | None:
    """The last barred day for a finding of `kind` on `occurred_on`, or None when the rule sets no bar."""
    months = rule.ban_months[kind]
    if months == 0:
        return None
    return add_months(occurred_on, months) - dt.timedelta(days=1)


def _finding(
    *, kind: ViolationKind | None, occurred_on: dt.date, findings: str, today: dt.date, rule: SanctionRule
) -> Finding:
    collector = IssueCollector()
    text = collector.check(
        "findings", lambda: _text(findings, what="the findings", required=kind is not None)
    )
    if occurred_on > today:
        collector.issues.append(
            FieldIssue("date", "invalid_field", f"{occurred_on.isoformat()} is in the future")
        )
    if collector.issues or text is None:
        raise InspectionInvalid(tuple(collector.issues))
    banned_until = None if kind is None else ban_end(kind=kind, occurred_on=occurred_on, rule=rule)
    return Finding(kind=kind, occurred_on=occurred_on, findings=text, banned_until=banned_until)


def inspect(
    *, passed: bool, occurred_on: dt.date, findings: str, today: dt.date, rule: SanctionRule
) -> Finding:
    """An inspection result; a failed one must state its findings and bars the agency."""
    kind = None if passed else ViolationKind.INSPECTION_FAILED
    return _finding(kind=kind, occurred_on=occurred_on, findings=findings, today=today, rule=rule)


def record_violation(*, occurred_on: dt.date, findings: str, today: dt.date, rule: SanctionRule) -> Finding:
    """A violation found outside an inspection (a complaint, a review of its reports)."""
    return _finding(
        kind=ViolationKind.VIOLATION, occurred_on=occurred_on, findings=findings, today=today, rule=rule
    )


def extended_ban(current: dt.date | None, new: dt.date | None) -> dt.date | None:
    """The bar after a new finding: the later of the two ends (a sanction never shortens another)."""
    if current is None or new is None:
        return current or new
    return max(current, new)


def is_banned(*, banned_until: dt.date | None, on: dt.date) -> bool:
    return banned_until is not None and on <= banned_until
