"""The regulator marking a report as suspected falsification (joint enforcement, DOMAIN rule 8)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from carbon_reporting.domain.errors import FieldIssue, InvalidInput, TransitionRefused
from carbon_reporting.domain.lifecycle import Report, ReportStatus
from carbon_reporting.domain.policy import Action, Actor, authorize

_NOT_YET_FILED = frozenset({ReportStatus.DRAFT, ReportStatus.WITHDRAWN})


@dataclass(frozen=True)
class FalsificationSuspicion:
    """The facts a `FalsificationSuspected` event carries."""

    report_id: str
    enterprise_id: str
    year: int
    reason: str
    flagged_by: str
    at: dt.datetime


def suspect_falsification(
    *, report: Report, actor: Actor, reason: str, at: dt.datetime
) -> FalsificationSuspicion:
    """Only the regulator, only on a filed report, only with a reason; the report's status does not change."""
    authorize(actor=actor, access=report.access, action=Action.FLAG_FALSIFICATION)
    if report.status in _NOT_YET_FILED:
        raise TransitionRefused(f"a {report.status.value} report has not been filed; nothing to suspect yet")
    if not reason.strip():
        raise InvalidInput((FieldIssue("reason", "must not be empty: the departments act on it"),))
    return FalsificationSuspicion(
        report_id=report.report_id,
        enterprise_id=report.enterprise_id,
        year=report.year,
        reason=reason,
        flagged_by=actor.subject,
        at=at,
    )
