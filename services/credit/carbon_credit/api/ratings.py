"""Ratings: a subject's level with its history and facts; recompute-all (replay) for ops and regulator."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from carbon_credit.api.paging import cursor_pair
from carbon_credit.api.schemas import (
    DifferenceOut,
    FactOut,
    HistoryLineOut,
    RatingOut,
    RecomputeIn,
    RecomputeOut,
)
from carbon_credit.domain.rules import Level, SubjectKind
from carbon_credit.service import queries, recompute
from carbon_credit.service.queries import Rating
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.errors import NotFound
from carbon_shared.pagination import Cursor, Limit, Page, page_of

router = APIRouter(tags=["ratings"])

OFFICIALS = ("regulator", "ops", "department", "region")
MAX_DIFFERENCES = 500


@router.get("/v1/credit/enterprises/{enterprise_id}", response_model=RatingOut)
async def enterprise_rating(
    enterprise_id: str, uow: UoW, who: Annotated[Principal, require_roles(*OFFICIALS, "enterprise")]
) -> RatingOut:
    """An enterprise's credit level, points and full history (an enterprise sees only its own)."""
    _own_enterprise(who, enterprise_id)
    async with uow:
        return _rating_out(
            await queries.rating_of(uow, subject_id=enterprise_id, kind=SubjectKind.ENTERPRISE)
        )


@router.get("/v1/credit/agencies/{agency_id}", response_model=RatingOut)
async def agency_rating(
    agency_id: str, uow: UoW, who: Annotated[Principal, require_roles(*OFFICIALS, "verifier")]
) -> RatingOut:
    """A third-party agency's credit level and history (a verifier sees only its own agency)."""
    _own_agency(who, agency_id)
    async with uow:
        return _rating_out(await queries.rating_of(uow, subject_id=agency_id, kind=SubjectKind.AGENCY))


@router.get("/v1/credit/enterprises/{enterprise_id}/facts", response_model=Page[FactOut])
async def enterprise_facts(
    enterprise_id: str,
    uow: UoW,
    who: Annotated[Principal, require_roles(*OFFICIALS, "enterprise")],
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[FactOut]:
    """The facts recorded about an enterprise, oldest first (their ids are what a repair names)."""
    _own_enterprise(who, enterprise_id)
    return await _facts_page(uow, enterprise_id, SubjectKind.ENTERPRISE, limit, cursor)


@router.get("/v1/credit/agencies/{agency_id}/facts", response_model=Page[FactOut])
async def agency_facts(
    agency_id: str,
    uow: UoW,
    who: Annotated[Principal, require_roles(*OFFICIALS, "verifier")],
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[FactOut]:
    _own_agency(who, agency_id)
    return await _facts_page(uow, agency_id, SubjectKind.AGENCY, limit, cursor)


@router.post("/v1/credit/recompute", response_model=RecomputeOut)
async def recompute_all(
    body: RecomputeIn, uow: UoW, who: Annotated[Principal, require_roles("regulator", "ops")]
) -> RecomputeOut:
    """Rebuild every rating from the stored facts under a rule version; report (and optionally apply)
    whatever differs from the stored ratings."""
    async with uow:
        report = await recompute.recompute_all(uow, rule_version=body.rule_version, apply=body.apply)
        await uow.commit()
    return RecomputeOut(
        run_id=report.run_id,
        rule_version=report.rule_version,
        subjects=report.subjects,
        facts=report.facts,
        applied=report.applied,
        differs=bool(report.differences),
        differing_subjects=len(report.differences),
        differences=[DifferenceOut(**vars(d)) for d in report.differences[:MAX_DIFFERENCES]],
    )


def _own_enterprise(who: Principal, enterprise_id: str) -> None:
    if who.role == "enterprise" and who.enterprise_id != enterprise_id:
        raise NotFound(f"no credit rating for enterprise {enterprise_id}")


def _own_agency(who: Principal, agency_id: str) -> None:
    if who.role == "verifier" and who.agency_id != agency_id:
        raise NotFound(f"no credit rating for agency {agency_id}")


async def _facts_page(
    uow: UoW, subject_id: str, kind: SubjectKind, limit: int, cursor: str | None
) -> Page[FactOut]:
    after = cursor_pair(cursor)
    async with uow:
        facts = await queries.facts_of(uow, subject_id=subject_id, kind=kind)
    ordered = sorted(facts, key=lambda fact: (fact.occurred_at.isoformat(), fact.fact_id))
    if after is not None:
        ordered = [f for f in ordered if [f.occurred_at.isoformat(), f.fact_id] > after]
    items = [
        FactOut(fact_id=f.fact_id, cause=f.cause, occurred_at=f.occurred_at, details=dict(f.details))
        for f in ordered[: limit + 1]
    ]
    return page_of(items, limit, key=lambda item: [item.occurred_at.isoformat(), item.fact_id])


def _rating_out(rating: Rating) -> RatingOut:
    subject = rating.subject
    return RatingOut(
        subject_id=subject["subject_id"],
        subject_kind=subject["subject_kind"],
        name=subject["name"],
        status=subject["status"],
        level=subject["level"],
        level_zh=Level(subject["level"]).label_zh,
        points=subject["points"],
        rule_version=subject["rule_version"],
        level_since=subject["level_since"],
        history=[
            HistoryLineOut(
                at=entry.at,
                cause_event_id=entry.cause_event_id,
                cause=entry.cause,
                level_before=entry.level_before.value,
                level_after=entry.level_after.value,
                kind=entry.kind.value,
                fact_id=entry.fact_id,
                points_before=entry.points_before,
                points=entry.points,
                rule_version=entry.rule_version,
            )  # fmt: skip
            for entry in rating.history
        ],
    )
