"""Use cases of the rating itself: subjects, facts, expiry. None of them commits (see `service/__init__`).

A subject's rating state is rebuilt from its stored facts and approved repairs under its stored rule
version, up to its stored `observed_until` (the domain's `replay`, which the property test proves equal
to the incremental path); the use case then applies one step (`apply`, `apply_repair`, `advance`) and
stores what the step changed: the fact or repair, the history lines from `history_from` on, the subject's
columns, and one `CreditRatingChanged` per level change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from carbon_credit.db import ratings as repo
from carbon_credit.domain.facts import Fact
from carbon_credit.domain.rating import advance, apply, apply_repair, new_rating, replay
from carbon_credit.domain.rating_state import Applied, ApprovedRepair, HistoryEntry, RatingState
from carbon_credit.domain.rules import Level, RuleTable, SubjectKind
from carbon_credit.reference import load_rule_table
from carbon_shared.db import UnitOfWork
from carbon_shared.events import CreditRatingChanged


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def active_rules(uow: UnitOfWork) -> RuleTable:
    """The rule table new facts are rated under: the one a recompute last switched to, else the newest."""
    version = await repo.config_value(uow.session, repo.ACTIVE_RULE_VERSION)
    return load_rule_table(version)


async def register_subject(
    uow: UnitOfWork, *, subject_id: str, kind: SubjectKind, name: str | None, status: str = "active"
) -> None:
    """A registered enterprise or agency is rated green at once; a later registration updates its name."""
    await ensure_subject(uow, subject_id=subject_id, kind=kind, rules=await active_rules(uow))
    values: dict[str, object] = {"status": status, "updated_at": utc_now()}
    if name is not None:
        values["name"] = name
    await repo.update_subject(uow.session, subject_id, **values)


async def ensure_subject(uow: UnitOfWork, *, subject_id: str, kind: SubjectKind, rules: RuleTable) -> dict:
    """The subject's row, locked; created green when a fact arrives before its registration event."""
    row = await repo.get_subject(uow.session, subject_id, lock=True)
    if row is not None:
        return row
    now = utc_now()
    start = new_rating(subject_id=subject_id, subject_kind=kind, rules=rules)
    await repo.insert_subject(
        uow.session,
        {
            "subject_id": subject_id, "subject_kind": kind.value, "name": None, "status": "active",
            "registered_at": now, "updated_at": now, "level_since": now, **repo.rating_columns(start),
        },
    )  # fmt: skip
    row = await repo.get_subject(uow.session, subject_id, lock=True)
    assert row is not None
    return row


async def load_state(uow: UnitOfWork, row: dict) -> RatingState:
    """Rebuild the subject's state as the incremental path left it (replay up to `observed_until`)."""
    subject_id = row["subject_id"]
    return replay(
        subject_id=subject_id,
        subject_kind=SubjectKind(row["subject_kind"]),
        facts=await repo.facts_of(uow.session, subject_id),
        repairs=await repo.approved_repairs_of(uow.session, subject_id),
        rules=load_rule_table(row["rule_version"]),
        as_of=row["observed_until"],
    )


async def record_fact(uow: UnitOfWork, *, fact: Fact) -> bool:
    """Rate one fact. A fact id already stored (a duplicate delivery) changes nothing: returns False."""
    if await repo.fact_exists(uow.session, fact.fact_id):
        return False
    rules = await active_rules(uow)
    rules.rule_for(fact.cause, fact.subject_kind)  # refuse an unrated cause before storing anything
    row = await ensure_subject(uow, subject_id=fact.subject_id, kind=fact.subject_kind, rules=rules)
    applied = apply(await load_state(uow, row), fact, rules)
    await repo.insert_fact(uow.session, fact, recorded_at=utc_now())
    await store_applied(uow, row, applied, trigger=fact.fact_id)
    return True


async def record_repair(uow: UnitOfWork, *, repair: ApprovedRepair, kind: SubjectKind) -> None:
    """Apply an approved repair (its row is already stored as approved by the caller)."""
    rules = await active_rules(uow)
    row = await ensure_subject(uow, subject_id=repair.subject_id, kind=kind, rules=rules)
    state = await load_state(uow, row)
    await store_applied(uow, row, apply_repair(state, repair, rules), trigger=repair.repair_id)


async def observe_expiries(uow: UnitOfWork, *, as_of: dt.datetime, limit: int) -> int:
    """Record the expiry of every fact whose validity ended by `as_of`; returns the subjects touched."""
    rules = await active_rules(uow)
    due = await repo.subjects_due_for_expiry(uow.session, as_of=as_of, limit=limit)
    for subject_id in due:
        row = await repo.get_subject(uow.session, subject_id, lock=True)
        if row is not None:
            applied = advance(await load_state(uow, row), as_of=as_of, rules=rules)
            await store_applied(uow, row, applied, trigger=None)
    return len(due)


async def store_applied(uow: UnitOfWork, row: dict, applied: Applied, *, trigger: str | None) -> None:
    """Persist what one step changed and emit one `CreditRatingChanged` per level change."""
    state = applied.state
    subject_id = state.subject_id
    if applied.entries or applied.rewritten:
        await repo.replace_history(
            uow.session, subject_id, start=applied.history_from, entries=applied.entries
        )
    columns = repo.rating_columns(state)
    if state.level.value != row["level"]:
        columns["level_since"] = state.history[-1].at if state.history else utc_now()
    await repo.update_subject(uow.session, subject_id, **columns, updated_at=utc_now())
    for change in level_changes(applied, previous_level=row["level"], trigger=trigger):
        await uow.emit(rating_changed(state, change, name=row["name"]))


def level_changes(applied: Applied, *, previous_level: str, trigger: str | None) -> Sequence[HistoryEntry]:
    """The changes to announce. Appended lines: each that changes the level. A rewritten history (a late
    fact or repair, a rule switch) restates the past, which was already announced: only the net change
    of the current level is announced, as caused by the step that triggered the rewrite."""
    if not applied.rewritten:
        return applied.level_changes
    state = applied.state
    if state.level.value == previous_level or not state.history:
        return ()
    last = state.history[-1]
    return (last if trigger is None else _restated(last, previous_level, trigger, state),)


def _restated(last: HistoryEntry, previous_level: str, trigger: str, state: RatingState) -> HistoryEntry:
    cause = next((entry.cause for entry in state.history if entry.cause_event_id == trigger), last.cause)
    return replace(last, level_before=Level(previous_level), cause=cause, cause_event_id=trigger)


def rating_changed(state: RatingState, entry: HistoryEntry, *, name: str | None) -> CreditRatingChanged:
    return CreditRatingChanged(
        subject_id=state.subject_id,
        subject_kind=state.subject_kind.value,
        subject_name=name,
        level_before=entry.level_before.value,
        level_after=entry.level_after.value,
        points=entry.points,
        cause=entry.cause,
        cause_event_id=entry.cause_event_id,
        rule_version=entry.rule_version,
    )
