"""Recompute every rating from the stored facts (replay), under the active or a chosen rule table.

A dry run only reports which subjects would differ from what the incremental path stored; with
`apply`, the rebuilt ratings replace the stored ones, the chosen table becomes the active one, and each
subject whose current level changes gets one `CreditRatingChanged` naming this recompute run.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from carbon_credit.db import ratings as repo
from carbon_credit.domain.facts import Fact
from carbon_credit.domain.rating import replay
from carbon_credit.domain.rating_state import ApprovedRepair, HistoryEntry, RatingState
from carbon_credit.domain.rules import RuleTable, SubjectKind
from carbon_credit.reference import load_rule_table
from carbon_credit.service.ratings import active_rules, utc_now
from carbon_shared.db import UnitOfWork
from carbon_shared.events import CreditRatingChanged

CAUSE_RECOMPUTED = "RatingsRecomputed"
_Item = TypeVar("_Item", Fact, ApprovedRepair)


@dataclass(frozen=True)
class Difference:
    subject_id: str
    level_stored: str
    level_replayed: str
    points_stored: int
    points_replayed: int
    history_differs: bool


@dataclass
class RecomputeReport:
    run_id: str
    rule_version: str
    subjects: int
    facts: int
    applied: bool
    differences: list[Difference] = field(default_factory=list)


async def recompute_all(uow: UnitOfWork, *, rule_version: str | None, apply: bool) -> RecomputeReport:
    rules = load_rule_table(rule_version) if rule_version else await active_rules(uow)
    rows = await repo.all_subjects(uow.session, lock=apply)
    facts = _by_subject(await repo.all_facts(uow.session))
    repairs = _by_subject(await repo.all_approved_repairs(uow.session))
    histories = await repo.all_histories(uow.session)
    report = RecomputeReport(
        str(uuid.uuid4()), rules.version, len(rows), sum(map(len, facts.values())), apply
    )
    for row in rows:
        subject_id = row["subject_id"]
        rebuilt = _rebuild(row, facts.get(subject_id, []), repairs.get(subject_id, []), rules)
        stored_history = histories.get(subject_id, [])
        if _same(row, stored_history, rebuilt):
            continue
        report.differences.append(_difference(row, stored_history, rebuilt))
        if apply:
            await _store(uow, row, stored_history, rebuilt, run_id=report.run_id)
    if apply:
        await repo.set_config_value(uow.session, repo.ACTIVE_RULE_VERSION, rules.version)
    return report


def _rebuild(row: dict, facts: list[Fact], repairs: list[ApprovedRepair], rules: RuleTable) -> RatingState:
    return replay(
        subject_id=row["subject_id"],
        subject_kind=SubjectKind(row["subject_kind"]),
        facts=facts,
        repairs=repairs,
        rules=rules,
        as_of=row["observed_until"],
    )


def _same(row: dict, history: list[HistoryEntry], rebuilt: RatingState) -> bool:
    return (
        rebuilt.level.value == row["level"]
        and rebuilt.points == row["points"]
        and rebuilt.rule_version == row["rule_version"]
        and list(rebuilt.history) == history
    )


def _difference(row: dict, history: list[HistoryEntry], rebuilt: RatingState) -> Difference:
    return Difference(
        subject_id=row["subject_id"],
        level_stored=row["level"],
        level_replayed=rebuilt.level.value,
        points_stored=row["points"],
        points_replayed=rebuilt.points,
        history_differs=list(rebuilt.history) != history,
    )


async def _store(
    uow: UnitOfWork, row: dict, stored: list[HistoryEntry], rebuilt: RatingState, *, run_id: str
) -> None:
    common = next((i for i, (a, b) in enumerate(zip(stored, rebuilt.history, strict=False)) if a != b), None)
    start = min(len(stored), len(rebuilt.history)) if common is None else common
    await repo.replace_history(uow.session, row["subject_id"], start=start, entries=rebuilt.history[start:])
    columns = repo.rating_columns(rebuilt)
    if rebuilt.level.value != row["level"]:
        columns["level_since"] = utc_now()
    await repo.update_subject(uow.session, row["subject_id"], **columns, updated_at=utc_now())
    if rebuilt.level.value != row["level"]:
        await uow.emit(
            CreditRatingChanged(
                subject_id=rebuilt.subject_id,
                subject_kind=rebuilt.subject_kind.value,
                subject_name=row["name"],
                level_before=row["level"],
                level_after=rebuilt.level.value,
                points=rebuilt.points,
                cause=CAUSE_RECOMPUTED,
                cause_event_id=run_id,
                rule_version=rebuilt.rule_version,
            )  # fmt: skip
        )


def _by_subject(items: Iterable[_Item]) -> dict[str, list[_Item]]:
    grouped: dict[str, list[_Item]] = {}
    for item in items:
        grouped.setdefault(item.subject_id, []).append(item)
    return grouped
