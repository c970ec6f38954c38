"""The rating engine: a pure fold of facts, repairs and expiries into a level and a history.

Scoring. Points are the sum of the points of the facts that count, floored at 0 (a subject never rates
better than its starting green/0; positive facts only offset penalties). The level is red while any veto
fact counts, otherwise the rule table's thresholds decide.

When expiry is observed. An expiry is a point on the timeline (the fact's `expires_at`). It is observed
when the subject is next evaluated at or after that instant: when a later fact or repair is applied
(expiries before it are recorded first, each dated at its own `expires_at`), or when `advance(as_of)` is
called (the periodic job does that daily). The history is therefore a function of the facts, the repairs,
the rule table and the latest evaluation instant, and `replay(..., as_of=state.observed_until)` rebuilds
an incrementally built state exactly.

Incremental path. `apply` folds a fact directly when it sorts after everything already observed (the
common case). A fact or repair that sorts earlier (late arrival, retroactive repair), or a rule table of
another version than the state's, triggers a recomputation of the subject from the facts and repairs kept
in its state, so the incremental path always equals `replay`. Duplicate ids change nothing.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TypeVar

from carbon_credit.domain.clock import require_aware
from carbon_credit.domain.errors import SubjectMismatch
from carbon_credit.domain.facts import Fact
from carbon_credit.domain.rating_state import (
    CAUSE_EXPIRED,
    CAUSE_REPAIRED,
    Applied,
    ApprovedRepair,
    CountingFact,
    EntryKind,
    HistoryEntry,
    RatingState,
    TimelineKey,
    fact_key,
    horizon_key,
)
from carbon_credit.domain.rules import Level, RuleTable, SubjectKind

_Item = TypeVar("_Item", Fact, ApprovedRepair)


def new_rating(*, subject_id: str, subject_kind: SubjectKind, rules: RuleTable) -> RatingState:
    """A subject as it starts: green, 0 points, no history."""
    return RatingState(subject_id=subject_id, subject_kind=subject_kind, rule_version=rules.version)


def apply(state: RatingState, fact: Fact, rules: RuleTable) -> Applied:
    """Apply one fact to a subject's state (incremental path). A duplicate fact id changes nothing."""
    _check_subject(state, subject_id=fact.subject_id, subject_kind=fact.subject_kind)
    rules.rule_for(fact.cause, fact.subject_kind)
    if fact.fact_id in state.known_ids:
        return _unchanged(state)
    if not _can_fold(state, fact_key(fact), rules):
        return _recomputed(state, facts=(*state.facts, fact), repairs=state.repairs, rules=rules)
    fold = _Fold(state)
    fold.observe_expiries_before(fact_key(fact), rules)
    fold.fold_fact(fact, rules)
    return _appended(state, fold.state())


def apply_repair(state: RatingState, repair: ApprovedRepair, rules: RuleTable) -> Applied:
    """Apply an approved repair (see `repair.approve_repair`); a duplicate repair id changes nothing."""
    _check_subject(state, subject_id=repair.subject_id, subject_kind=state.subject_kind)
    if repair.repair_id in state.known_ids:
        return _unchanged(state)
    if not _can_fold(state, repair.key, rules):
        return _recomputed(state, facts=state.facts, repairs=(*state.repairs, repair), rules=rules)
    fold = _Fold(state)
    fold.observe_expiries_before(repair.key, rules)
    fold.fold_repair(repair, rules)
    return _appended(state, fold.state())


def advance(state: RatingState, *, as_of: dt.datetime, rules: RuleTable) -> Applied:
    """Observe every expiry up to and including `as_of`. An `as_of` already observed changes nothing."""
    horizon = horizon_key(require_aware(as_of, what="as_of"))
    if rules.version != state.rule_version:
        return _recomputed(state, facts=state.facts, repairs=state.repairs, rules=rules, as_of=as_of)
    if state.cursor is not None and horizon <= state.cursor:
        return _unchanged(state)
    if all(counting.expiry_key >= horizon for counting in state.counting):
        return _appended(state, replace(state, cursor=horizon))  # nothing expires: only the cursor moves
    fold = _Fold(state)
    fold.observe_expiries_before(horizon, rules)
    fold.cursor = horizon
    return _appended(state, fold.state())


def replay(
    *,
    subject_id: str,
    subject_kind: SubjectKind,
    facts: Iterable[Fact],
    repairs: Iterable[ApprovedRepair] = (),
    rules: RuleTable,
    as_of: dt.datetime | None = None,
) -> RatingState:
    """Recompute a subject from its stored facts and repairs, in timeline order, then `advance` to `as_of`.

    Ids seen twice keep their first occurrence in the given order (the order they were stored in).
    """
    state = new_rating(subject_id=subject_id, subject_kind=subject_kind, rules=rules)
    unique_facts = _first_of_each_id(facts, key=lambda fact: fact.fact_id)
    unique_repairs = _first_of_each_id(repairs, key=lambda repair: repair.repair_id)
    for fact in unique_facts:
        _check_subject(state, subject_id=fact.subject_id, subject_kind=fact.subject_kind)
        rules.rule_for(fact.cause, fact.subject_kind)
    for repair in unique_repairs:
        _check_subject(state, subject_id=repair.subject_id, subject_kind=subject_kind)
    timeline: list[tuple[TimelineKey, Fact | ApprovedRepair]] = [(fact_key(f), f) for f in unique_facts]
    timeline += [(repair.key, repair) for repair in unique_repairs]
    fold = _Fold(state)
    for key, item in sorted(timeline, key=lambda pair: pair[0]):
        fold.observe_expiries_before(key, rules)
        if isinstance(item, Fact):
            fold.fold_fact(item, rules)
        else:
            fold.fold_repair(item, rules)
    state = fold.state()
    return state if as_of is None else advance(state, as_of=as_of, rules=rules).state


def replay_all(
    *,
    facts: Iterable[Fact],
    repairs: Iterable[ApprovedRepair] = (),
    rules: RuleTable,
    as_of: dt.datetime | None = None,
) -> dict[str, RatingState]:
    """`replay` for every subject that has facts; repairs are grouped by their subject."""
    facts_by_subject: dict[str, list[Fact]] = {}
    for fact in facts:
        facts_by_subject.setdefault(fact.subject_id, []).append(fact)
    repairs_by_subject: dict[str, list[ApprovedRepair]] = {}
    for repair in repairs:
        repairs_by_subject.setdefault(repair.subject_id, []).append(repair)
    return {
        subject_id: replay(
            subject_id=subject_id,
            subject_kind=subject_facts[0].subject_kind,
            facts=subject_facts,
            repairs=repairs_by_subject.get(subject_id, ()),
            rules=rules,
            as_of=as_of,
        )
        for subject_id, subject_facts in facts_by_subject.items()
    }


def _check_subject(state: RatingState, *, subject_id: str, subject_kind: SubjectKind) -> None:
    if subject_id != state.subject_id or subject_kind is not state.subject_kind:
        raise SubjectMismatch(
            f"{subject_kind.value} {subject_id} cannot be applied to the rating of "
            f"{state.subject_kind.value} {state.subject_id}"
        )


def _can_fold(state: RatingState, key: TimelineKey, rules: RuleTable) -> bool:
    return rules.version == state.rule_version and (state.cursor is None or key > state.cursor)


def _unchanged(state: RatingState) -> Applied:
    return Applied(state=state, entries=(), history_from=len(state.history), rewritten=False)


def _appended(before: RatingState, after: RatingState) -> Applied:
    start = len(before.history)
    return Applied(state=after, entries=after.history[start:], history_from=start, rewritten=False)


def _recomputed(
    before: RatingState,
    *,
    facts: tuple[Fact, ...],
    repairs: tuple[ApprovedRepair, ...],
    rules: RuleTable,
    as_of: dt.datetime | None = None,
) -> Applied:
    horizons = [moment for moment in (before.observed_until, as_of) if moment is not None]
    after = replay(
        subject_id=before.subject_id,
        subject_kind=before.subject_kind,
        facts=facts,
        repairs=repairs,
        rules=rules,
        as_of=max(horizons, default=None),
    )
    common = 0
    for old, new in zip(before.history, after.history, strict=False):
        if old != new:
            break
        common += 1
    rewritten = common < len(before.history)
    return Applied(state=after, entries=after.history[common:], history_from=common, rewritten=rewritten)


class _Fold:
    """A subject's state while facts, repairs and expiries are folded into it, kept in mutable form.

    Both paths use it: `replay` folds a whole timeline into one, `apply` folds one step into a copy of
    the stored state. Running sums (raw points, veto count) and a heap of expiry keys replace rescanning
    the counting facts at every step; `counting` keeps the order in which facts started counting.
    """

    def __init__(self, state: RatingState) -> None:
        self.base = state
        self.level, self.points, self.cursor = state.level, state.points, state.cursor
        self.counting = {counting.fact_id: counting for counting in state.counting}
        self.raw_points = sum(counting.points for counting in state.counting)
        self.vetoes = sum(1 for counting in state.counting if counting.veto)
        self.expiries = [counting.expiry_key for counting in state.counting]
        heapq.heapify(self.expiries)
        self.history, self.facts, self.repairs = list(state.history), list(state.facts), list(state.repairs)
        self.known_ids = set(state.known_ids)

    def state(self) -> RatingState:
        return replace(
            self.base, level=self.level, points=self.points, counting=tuple(self.counting.values()),
            history=tuple(self.history), facts=tuple(self.facts), repairs=tuple(self.repairs),
            known_ids=frozenset(self.known_ids), cursor=self.cursor,
        )  # fmt: skip

    def observe_expiries_before(self, key: TimelineKey, rules: RuleTable) -> None:
        """Record, in order, every expiry that sorts before `key`."""
        while self.expiries and self.expiries[0] < key:
            expiry_key = heapq.heappop(self.expiries)
            target = self.counting.get(expiry_key[2])
            if target is None or target.expiry_key != expiry_key:
                continue  # stopped counting earlier (repaired)
            self.stop_counting(
                target, at=target.expires_at, kind=EntryKind.EXPIRY, cause=CAUSE_EXPIRED,
                cause_event_id=target.fact_id, rules=rules,
            )  # fmt: skip
            self.cursor = expiry_key

    def fold_fact(self, fact: Fact, rules: RuleTable) -> None:
        rule = rules.rule_for(fact.cause, fact.subject_kind)
        counting = CountingFact(
            fact_id=fact.fact_id, cause=fact.cause, points=rule.points, veto=rule.veto,
            expires_at=rule.expires_at(fact.occurred_at),
        )  # fmt: skip
        self.counting[fact.fact_id] = counting
        self.raw_points += counting.points
        self.vetoes += counting.veto
        heapq.heappush(self.expiries, counting.expiry_key)
        self.record(
            at=fact.occurred_at, kind=EntryKind.FACT, cause=fact.cause, cause_event_id=fact.fact_id,
            fact_id=fact.fact_id, rules=rules,
        )  # fmt: skip
        self.facts.append(fact)
        self.known_ids.add(fact.fact_id)
        self.cursor = fact_key(fact)

    def fold_repair(self, repair: ApprovedRepair, rules: RuleTable) -> None:
        """A repair of a fact that no longer counts (expired, repaired, not yet occurred) is kept, inert."""
        target = self.counting.get(repair.fact_id)
        if target is not None:
            self.stop_counting(
                target, at=repair.effective_from, kind=EntryKind.REPAIR, cause=CAUSE_REPAIRED,
                cause_event_id=repair.repair_id, rules=rules,
            )  # fmt: skip
        self.repairs.append(repair)
        self.known_ids.add(repair.repair_id)
        self.cursor = repair.key

    def stop_counting(
        self, target: CountingFact, *, at: dt.datetime, kind: EntryKind, cause: str, cause_event_id: str,
        rules: RuleTable,
    ) -> None:  # fmt: skip
        del self.counting[target.fact_id]
        self.raw_points -= target.points
        self.vetoes -= target.veto
        self.record(
            at=at, kind=kind, cause=cause, cause_event_id=cause_event_id, fact_id=target.fact_id, rules=rules
        )

    def record(
        self, *, at: dt.datetime, kind: EntryKind, cause: str, cause_event_id: str, fact_id: str,
        rules: RuleTable,
    ) -> None:  # fmt: skip
        points = max(0, self.raw_points)
        level = Level.RED if self.vetoes else rules.thresholds.level_for(points)
        self.history.append(
            HistoryEntry(
                at=at,
                kind=kind,
                cause_event_id=cause_event_id,
                cause=cause,
                fact_id=fact_id,
                level_before=self.level,
                level_after=level,
                points_before=self.points,
                points=points,
                rule_version=rules.version,
            )  # fmt: skip
        )
        self.level, self.points = level, points


def score(counting: Iterable[CountingFact], rules: RuleTable) -> tuple[int, Level]:
    """Points (sum of counting facts, floored at 0) and level (red on any veto, else by thresholds)."""
    facts = tuple(counting)
    points = max(0, sum(fact.points for fact in facts))
    if any(fact.veto for fact in facts):
        return points, Level.RED
    return points, rules.thresholds.level_for(points)


def _first_of_each_id(items: Iterable[_Item], *, key: Callable[[_Item], str]) -> list[_Item]:
    seen: set[str] = set()
    unique = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            unique.append(item)
    return unique
