"""Use cases of the annual report itself: create, edit, submit, withdraw, read, list, history.

Each takes an open unit of work and never commits: the router commits once (see docs/service-guide.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError

from carbon_reporting.db import reports
from carbon_reporting.db.reports import ReportFilter, StoredFlag, StoredReport, StoredTransition
from carbon_reporting.domain.accounting import EmissionsResult, calculate_emissions
from carbon_reporting.domain.activity import ReportActivity
from carbon_reporting.domain.errors import ActionForbidden, FieldIssue, InvalidInput, ReportNotFound
from carbon_reporting.domain.lifecycle import (
    Step,
    ensure_editable,
    submit_report,
    withdraw_report,
)
from carbon_reporting.domain.policy import Action, Actor, Role, authorize
from carbon_reporting.service.codec import activity_document, breakdown_document
from carbon_reporting.service.quality import flag_on_submit
from carbon_reporting.service.reference import current_accounting
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Conflict
from carbon_shared.events.reporting_events import ReportSubmitted


@dataclass(frozen=True)
class NewReport:
    enterprise_id: str
    year: int
    activity: ReportActivity
    prepared_by_agency_id: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def account(*, activity: ReportActivity, year: int) -> EmissionsResult:
    """The accounting engine over the newest reference tables (raises on invalid data or year)."""
    tables = current_accounting()
    return calculate_emissions(
        activity=activity, year=year, fuels=tables.fuels, rules=tables.rules, processes=tables.processes
    )


async def create_report(uow: UnitOfWork, *, actor: Actor, new: NewReport) -> StoredReport:
    """A draft report with its calculated emissions; 409 when a live report for that year exists."""
    _ensure_may_file_for(actor, new.enterprise_id)
    context = await reports.creation_context(uow.session, enterprise_id=new.enterprise_id, year=new.year)
    if not context.enterprise_known:
        raise InvalidInput((FieldIssue("enterprise_id", "no enterprise with this id is registered"),))
    result = account(activity=new.activity, year=new.year)
    if context.live_report_id is not None:
        existing = context.live_report_id
        raise Conflict(f"report {existing} for {new.enterprise_id} and {new.year} exists; withdraw it first")
    try:
        return await _insert_draft(uow, actor=actor, new=new, result=result)
    except IntegrityError as exc:  # a concurrent create won the unique (enterprise, year) index
        raise Conflict(f"a report for {new.enterprise_id} and {new.year} was just created") from exc


async def _insert_draft(
    uow: UnitOfWork, *, actor: Actor, new: NewReport, result: EmissionsResult
) -> StoredReport:
    now = _now()
    return await reports.insert_report(
        uow.session,
        id=str(uuid.uuid4()),
        enterprise_id=new.enterprise_id,
        year=new.year,
        status="draft",
        revision=0,
        prepared_by_agency_id=new.prepared_by_agency_id,
        calculated_emissions_tco2e=result.total_tco2e,
        verified_on=None,
        activity=activity_document(new.activity),
        breakdown=breakdown_document(result),
        falsification_suspected=False,
        created_by=actor.subject,
        created_at=now,
        updated_at=now,
    )


def _ensure_may_file_for(actor: Actor, enterprise_id: str) -> None:
    if actor.role is Role.ENTERPRISE and actor.enterprise_id != enterprise_id:
        raise ActionForbidden("an enterprise files reports and ledgers only for itself")
    if actor.role not in (Role.ENTERPRISE, Role.REGULATOR):
        raise ActionForbidden(f"the role {actor.role.value!r} may not file reports")


async def edit_activity(
    uow: UnitOfWork, *, actor: Actor, report_id: str, activity: ReportActivity
) -> StoredReport:
    """Replace the activity data of a draft or returned report and account it again."""
    stored, _ = await locked_report(uow, report_id)
    ensure_editable(report=stored.report, actor=actor)
    result = account(activity=activity, year=stored.report.year)
    return await reports.save_state(
        uow.session,
        stored,
        stored.report,
        at=_now(),
        activity=activity_document(activity),
        breakdown=breakdown_document(result),
        calculated_emissions_tco2e=result.total_tco2e,
    )


async def submit(uow: UnitOfWork, *, actor: Actor, report_id: str) -> StoredReport:
    """Submit to the regulator: `ReportSubmitted`, then the automatic data-quality checks.

    The lock also reads what the checks need (last year's verified figure, the listing): one statement.
    """
    stored, context = await locked_report(uow, report_id, context=reports.submission_columns())
    step = submit_report(report=stored.report, actor=actor, at=_now())
    submitted = await _apply(uow, stored, step)
    await uow.emit(
        ReportSubmitted(
            report_id=report_id,
            enterprise_id=stored.report.enterprise_id,
            year=stored.report.year,
            revision=stored.report.submission_revision,
            calculated_emissions_tco2e=stored.calculated_emissions_tco2e,
        )
    )
    await flag_on_submit(
        uow,
        stored=stored,
        previous_verified_tco2e=context["previous_verified_tco2e"],
        listed=bool(context["listed"]),
    )
    return submitted


async def withdraw(uow: UnitOfWork, *, actor: Actor, report_id: str, reason: str) -> StoredReport:
    stored, _ = await locked_report(uow, report_id)
    step = withdraw_report(report=stored.report, actor=actor, at=_now(), opinion=reason)
    return await _apply(uow, stored, step)


async def read_report(uow: UnitOfWork, *, actor: Actor, report_id: str) -> StoredReport:
    stored = await reports.get_report(uow.session, report_id)
    if stored is None:
        raise ReportNotFound(f"no report {report_id}")
    authorize(actor=actor, access=stored.report.access, action=Action.READ)
    return stored


def visible_to(actor: Actor, criteria: ReportFilter) -> ReportFilter:
    """Narrow a list to what the caller may read: its own reports, or its agency's assignments."""
    if actor.role is Role.ENTERPRISE:
        return replace(criteria, enterprise_id=actor.enterprise_id)
    if actor.role is Role.VERIFIER:
        return replace(criteria, assigned_agency_id=actor.agency_id)
    if actor.role is Role.OPS:
        raise ActionForbidden("operations staff watch streams and health, not reports")
    return criteria


async def list_reports(
    uow: UnitOfWork, *, actor: Actor, criteria: ReportFilter, after_id: str | None, limit: int
) -> list[StoredReport]:
    """`limit + 1` rows so the caller knows whether there is a next page."""
    return await reports.list_reports(
        uow.session, visible_to(actor, criteria), after_id=after_id, limit=limit + 1
    )


async def history(
    uow: UnitOfWork, *, actor: Actor, report_id: str, after_id: int | None, limit: int
) -> list[StoredTransition]:
    await read_report(uow, actor=actor, report_id=report_id)
    return await reports.list_transitions(uow.session, report_id, after_id=after_id, limit=limit + 1)


async def flags(
    uow: UnitOfWork, *, actor: Actor, report_id: str, after_id: int | None, limit: int
) -> list[StoredFlag]:
    await read_report(uow, actor=actor, report_id=report_id)
    return await reports.list_flags(uow.session, report_id, after_id=after_id, limit=limit + 1)


async def locked_report(
    uow: UnitOfWork, report_id: str, *, context: Mapping[str, ColumnElement[Any]] | None = None
) -> tuple[StoredReport, Mapping[str, Any]]:
    """The report row locked for this transaction (events of one report leave in order), read in the
    same statement as `context` (see `reports.lock_report`)."""
    found = await reports.lock_report(uow.session, report_id, context=context)
    if found is None:
        raise ReportNotFound(f"no report {report_id}")
    return found


async def _apply(uow: UnitOfWork, stored: StoredReport, step: Step) -> StoredReport:
    await reports.append_transition(uow.session, step.record)
    return await reports.save_state(uow.session, stored, step.report, at=step.record.at)
