"""Obligations from verified reports: the first revision creates, a higher one corrects."""

from __future__ import annotations

import logging
from decimal import Decimal

from carbon_allowance.db import accounts, obligations
from carbon_allowance.db.obligations import StoredObligation
from carbon_allowance.domain.deadlines import surrender_due_date
from carbon_allowance.domain.errors import StaleRevision
from carbon_allowance.domain.obligations import (
    ObligationStatus,
    correct_obligation,
    establish_obligation,
)
from carbon_allowance.service.common import now_utc, rules, today_local
from carbon_shared.db import UnitOfWork
from carbon_shared.events import ObligationEstablished, ObligationFulfilled

log = logging.getLogger(__name__)


async def apply_verified_report(
    uow: UnitOfWork,
    *,
    report_id: str,
    enterprise_id: str,
    year: int,
    revision: int,
    verified_emissions_tco2e: Decimal,
) -> StoredObligation | None:
    """Create or correct the (enterprise, year) obligation; None when nothing changed (replay, stale)."""
    session, now = uow.session, now_utc()
    await accounts.ensure(session, enterprise_id, now=now)
    await accounts.lock(session, enterprise_id)
    stored = await obligations.get_for_update(session, enterprise_id, year)
    if stored is None:
        created = _establish(report_id, enterprise_id, year, revision, verified_emissions_tco2e)
        await obligations.insert_new(session, created, now=now)
        await _announce(uow, created, became_fulfilled=created.obligation.is_fulfilled)
        return created
    corrected = _corrected(stored, report_id, revision, verified_emissions_tco2e)
    if corrected is None:
        return None
    stored_now, became_fulfilled = corrected
    await obligations.save(session, stored_now, now=now)
    await _announce(uow, stored_now, became_fulfilled=became_fulfilled)
    return stored_now


def _corrected(
    stored: StoredObligation, report_id: str, revision: int, verified_emissions_tco2e: Decimal
) -> tuple[StoredObligation, bool] | None:
    """The obligation after a later revision and whether it became fulfilled; None if nothing changes."""
    try:
        outcome = correct_obligation(
            obligation=stored.obligation,
            revision=revision,
            verified_emissions_tco2e=verified_emissions_tco2e,
            as_of=today_local(),
        )
    except StaleRevision as exc:
        log.warning("ignored an older report revision: %s", exc)
        return None
    if not outcome.changed:
        return None
    status = _status_after(stored, outcome.obligation.is_fulfilled)
    return StoredObligation(
        outcome.obligation, status, report_id, stored.overdue_on
    ), outcome.became_fulfilled


def _establish(
    report_id: str, enterprise_id: str, year: int, revision: int, emissions: Decimal
) -> StoredObligation:
    obligation = establish_obligation(
        enterprise_id=enterprise_id,
        year=year,
        revision=revision,
        verified_emissions_tco2e=emissions,
        due_date=surrender_due_date(year=year, calendar=rules().calendar),
        established_on=today_local(),
    )
    status = ObligationStatus.FULFILLED if obligation.is_fulfilled else ObligationStatus.OPEN
    return StoredObligation(obligation, status, report_id, None)


def _status_after(stored: StoredObligation, fulfilled: bool) -> ObligationStatus:
    """Fulfilled; else overdue if a deadline check ever marked it (never announced twice); else open."""
    if fulfilled:
        return ObligationStatus.FULFILLED
    return ObligationStatus.OVERDUE if stored.overdue_on is not None else ObligationStatus.OPEN


async def _announce(uow: UnitOfWork, stored: StoredObligation, *, became_fulfilled: bool) -> None:
    o = stored.obligation
    await uow.emit(
        ObligationEstablished(
            enterprise_id=o.enterprise_id,
            year=o.year,
            revision=o.revision,
            obligation_tco2e=o.obligation_tco2e,
            due_date=o.due_date,
        )
    )
    if became_fulfilled and o.fulfilled_on is not None:
        await uow.emit(
            ObligationFulfilled(
                enterprise_id=o.enterprise_id,
                year=o.year,
                obligation_tco2e=o.obligation_tco2e,
                fulfilled_on=o.fulfilled_on,
                on_time=o.fulfilled_on <= o.due_date,
            )
        )
