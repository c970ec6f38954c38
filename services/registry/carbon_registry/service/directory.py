"""Key-emitter directory use cases: verified emissions in, manual decisions, re-evaluation and its events.

Every change re-runs DOMAIN rule 1 over the unit's whole history (a handful of years), stores the new
timeline as the published one and emits one EmitterListed / EmitterDelisted per changed year. The
enterprise row is locked first, so two events about one unit are decided one after the other.
"""

from __future__ import annotations

import logging

from carbon_registry.db import directory as repo
from carbon_registry.db import enterprises as enterprise_repo
from carbon_registry.db.directory import DirectoryChange, DirectoryEntry
from carbon_registry.db.enterprises import EnterpriseRecord
from carbon_registry.domain.directory import DirectoryEvaluation, evaluate_directory, is_listed
from carbon_registry.domain.directory_actions import list_on_application, remove_by_regulator
from carbon_registry.domain.directory_model import (
    BasisYear,
    ClosureFact,
    DelistingDecision,
    ListingDecision,
    VerifiedEmission,
)
from carbon_registry.domain.errors import DirectoryActionRefused
from carbon_registry.reference import load_directory_rule
from carbon_shared.auth import Principal
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import NotFound
from carbon_shared.events import EmitterDelisted, EmitterListed, ReportVerified

log = logging.getLogger(__name__)


def _closure(record: EnterpriseRecord) -> ClosureFact | None:
    closed_on = record.snapshot.closed_on
    return None if closed_on is None else ClosureFact(closed_on, record.closure_reason or "")


async def _evaluate(uow: UnitOfWork, record: EnterpriseRecord) -> DirectoryEvaluation:
    session, enterprise_id = uow.session, record.enterprise_id
    return evaluate_directory(
        history=await repo.verified_history(session, enterprise_id),
        rule=load_directory_rule(),
        published=await repo.published_statuses(session, enterprise_id),
        manual_actions=await repo.manual_actions(session, enterprise_id),
        closure=_closure(record),
    )


async def reevaluate(uow: UnitOfWork, record: EnterpriseRecord) -> DirectoryEvaluation:
    """Decide every year again, store the timeline, publish what changed. The caller holds the row lock."""
    evaluation = await _evaluate(uow, record)
    await repo.replace_statuses(uow.session, enterprise_id=record.enterprise_id, timeline=evaluation.timeline)
    for decision in evaluation.decisions:
        await _publish(uow, record, decision)
    return evaluation


def _listed(names: dict[str, str], decision: ListingDecision) -> tuple[EmitterListed, tuple[BasisYear, ...]]:
    basis = (
        (BasisYear(decision.basis_year, decision.basis_emissions_tco2e),)
        if decision.basis_year is not None and decision.basis_emissions_tco2e is not None
        else ()
    )
    event = EmitterListed(
        **names,
        year=decision.year,
        rule=decision.rule.value,
        basis_year=decision.basis_year,
        basis_emissions_tco2e=decision.basis_emissions_tco2e,
        reason=decision.reason,
    )
    return event, basis


def _delisted(
    names: dict[str, str], decision: DelistingDecision
) -> tuple[EmitterDelisted, tuple[BasisYear, ...]]:
    years, emissions = decision.basis_years, decision.basis_emissions_tco2e
    event = EmitterDelisted(
        **names,
        year=decision.year,
        rule=decision.rule.value,
        basis_years=list(years),
        basis_emissions_tco2e=list(emissions),
        reason=decision.reason,
    )
    return event, tuple(BasisYear(y, e) for y, e in zip(years, emissions, strict=True))


async def _publish(
    uow: UnitOfWork, record: EnterpriseRecord, decision: ListingDecision | DelistingDecision
) -> None:
    """One EmitterListed / EmitterDelisted, and the same decision kept in the unit's directory history."""
    names = {
        "enterprise_id": record.enterprise_id,
        "enterprise_name": record.snapshot.name,
        "county_code": record.snapshot.county_code,
    }
    listing = isinstance(decision, ListingDecision)
    event, basis = (
        _listed(names, decision) if isinstance(decision, ListingDecision) else _delisted(names, decision)
    )
    await repo.add_change(
        uow.session,
        enterprise_id=record.enterprise_id,
        year=decision.year,
        change="listed" if listing else "delisted",
        rule=decision.rule.value,
        basis=basis,
        reason=decision.reason,
    )
    await uow.emit(event)


async def record_verified_emissions(uow: UnitOfWork, *, event: ReportVerified) -> None:
    """Keep the revision and re-decide the unit's directory years (a later revision corrects earlier ones)."""
    record = await enterprise_repo.get_enterprise(uow.session, event.enterprise_id, lock=True)
    emission = VerifiedEmission(event.year, event.revision, event.verified_emissions_tco2e)
    await repo.record_verified(
        uow.session,
        enterprise_id=event.enterprise_id,
        record=emission,
        report_id=event.report_id,
        verified_on=event.verified_on,
    )
    if record is None:
        log.warning(
            "verified emissions for unknown enterprise %s kept; no directory decision", event.enterprise_id
        )
        return
    await reevaluate(uow, record)


async def _locked_enterprise(uow: UnitOfWork, enterprise_id: str) -> EnterpriseRecord:
    record = await enterprise_repo.get_enterprise(uow.session, enterprise_id, lock=True)
    if record is None:
        raise NotFound(f"enterprise {enterprise_id} not found")
    return record


async def list_by_regulator(
    uow: UnitOfWork, *, enterprise_id: str, year: int, reason: str, actor: Principal
) -> DirectoryEvaluation:
    """List a unit for `year` on its application (rule "application"), with the regulator's written reason."""
    record = await _locked_enterprise(uow, enterprise_id)
    action = list_on_application(year=year, reason=reason, closure=_closure(record))
    if is_listed(evaluation=await _evaluate(uow, record), year=year):
        raise DirectoryActionRefused(f"the unit is already in the directory for {year}")
    await repo.add_manual_action(uow.session, enterprise_id=enterprise_id, action=action, actor=actor.sub)
    return await reevaluate(uow, record)


async def remove_by_regulator_decision(
    uow: UnitOfWork, *, enterprise_id: str, year: int, reason: str, actor: Principal
) -> DirectoryEvaluation:
    """Remove a listed unit for `year` (rule "regulator"), with the regulator's written reason."""
    record = await _locked_enterprise(uow, enterprise_id)
    action = remove_by_regulator(year=year, reason=reason, evaluation=await _evaluate(uow, record))
    await repo.add_manual_action(uow.session, enterprise_id=enterprise_id, action=action, actor=actor.sub)
    return await reevaluate(uow, record)


async def directory_for(
    uow: UnitOfWork, *, year: int, after: str | None, limit: int | None
) -> list[DirectoryEntry]:
    return await repo.list_directory(uow.session, year=year, after=after, limit=limit)


async def changes_of(
    uow: UnitOfWork, *, enterprise_id: str, after: int | None, limit: int
) -> list[DirectoryChange]:
    return await repo.list_changes(uow.session, enterprise_id, after=after, limit=limit)
