"""Read-side use cases: a subject's rating with its history, its facts, the public disclosure list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from carbon_credit.db import ratings as repo
from carbon_credit.db import workflows
from carbon_credit.domain.facts import Fact
from carbon_credit.domain.rating_state import HistoryEntry
from carbon_credit.domain.rules import SubjectKind
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import NotFound

DISCLOSED_LEVELS = ("yellow", "red")  # 警示 and 不良 are published (DOMAIN rule 7, seed task 6)


@dataclass(frozen=True)
class Rating:
    subject: dict[str, Any]
    history: list[HistoryEntry]


async def rating_of(uow: UnitOfWork, *, subject_id: str, kind: SubjectKind) -> Rating:
    subject = await repo.get_subject(uow.session, subject_id)
    if subject is None or subject["subject_kind"] != kind.value:
        raise NotFound(f"no credit rating for {kind.value} {subject_id}")
    return Rating(subject, await repo.history_of(uow.session, subject_id))


async def facts_of(uow: UnitOfWork, *, subject_id: str, kind: SubjectKind) -> list[Fact]:
    await rating_of(uow, subject_id=subject_id, kind=kind)
    return await repo.facts_of(uow.session, subject_id)


async def disclosed(
    uow: UnitOfWork,
    *,
    level: str | None,
    kind: SubjectKind | None,
    after: list[Any] | None,
    limit: int | None,
) -> list[dict[str, Any]]:
    levels = [level] if level else list(DISCLOSED_LEVELS)
    return await workflows.list_disclosed(
        uow.session, levels=levels, kind=kind.value if kind else None, after=after, limit=limit
    )
