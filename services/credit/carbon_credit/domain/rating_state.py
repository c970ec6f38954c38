"""Values the rating engine folds over: a subject's rating state, its history entries, approved repairs.

Everything a subject's rating depends on is inside its `RatingState` (every distinct fact and approved
repair it has received), so the state can always be recomputed from itself: that is how an out-of-order
fact or a rule-table change is handled (see `carbon_credit.domain.rating`).

Timeline order. Facts, repairs and expiries are ordered by a `TimelineKey` = (instant, rank, id):
at the same instant an expiry (rank 0) comes before a repair (rank 1), which comes before a new fact
(rank 2); ties within a rank go by id. A fact therefore counts on the half-open interval
[occurred_at, min(expires_at, repair effective_from)).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from carbon_credit.domain.clock import require_aware
from carbon_credit.domain.errors import InvalidFact
from carbon_credit.domain.facts import Fact
from carbon_credit.domain.rules import Level, SubjectKind

TimelineKey = tuple[dt.datetime, int, str]
RANK_EXPIRY = 0
RANK_REPAIR = 1
RANK_FACT = 2

CAUSE_EXPIRED = "FactExpired"
CAUSE_REPAIRED = "CreditRepaired"


def fact_key(fact: Fact) -> TimelineKey:
    return (fact.occurred_at, RANK_FACT, fact.fact_id)


def horizon_key(as_of: dt.datetime) -> TimelineKey:
    """The position "everything that stopped counting by `as_of` has been observed".

    It sorts after every expiry at `as_of` and before any repair or fact at `as_of` (ids are non-empty).
    """
    return (as_of, RANK_REPAIR, "")


@dataclass(frozen=True)
class ApprovedRepair:
    """An approved credit repair (信用修复): `fact_id` stops counting from `effective_from` on."""

    repair_id: str
    subject_id: str
    fact_id: str
    effective_from: dt.datetime
    decided_at: dt.datetime

    def __post_init__(self) -> None:
        if not self.repair_id.strip():
            raise InvalidFact("an approved repair needs an id")
        object.__setattr__(self, "effective_from", require_aware(self.effective_from, what="effective_from"))
        object.__setattr__(self, "decided_at", require_aware(self.decided_at, what="decided_at"))

    @property
    def key(self) -> TimelineKey:
        return (self.effective_from, RANK_REPAIR, self.repair_id)


class EntryKind(enum.Enum):
    FACT = "fact"
    REPAIR = "repair"
    EXPIRY = "expiry"


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a subject's credit history.

    Written when a fact starts counting (kind fact, `cause` = the fact's cause), stops counting because
    its validity ended (kind expiry, `cause` = "FactExpired") or because a repair took effect (kind repair,
    `cause` = "CreditRepaired", `cause_event_id` = the repair id). `fact_id` is always the fact whose
    effect began or ended. A `CreditRatingChanged` event is due exactly for the entries whose
    `level_changed` is true.
    """

    at: dt.datetime
    kind: EntryKind
    cause_event_id: str
    cause: str
    fact_id: str
    level_before: Level
    level_after: Level
    points_before: int
    points: int
    rule_version: str

    @property
    def level_changed(self) -> bool:
        return self.level_before is not self.level_after


@dataclass(frozen=True)
class CountingFact:
    """A fact that currently counts towards the rating, with what the rule table made of it."""

    fact_id: str
    cause: str
    points: int
    veto: bool
    expires_at: dt.datetime

    @property
    def expiry_key(self) -> TimelineKey:
        return (self.expires_at, RANK_EXPIRY, self.fact_id)


@dataclass(frozen=True)
class RatingState:
    """A subject's rating after everything up to `cursor` in its timeline has been observed.

    `facts` and `repairs` hold every distinct fact and approved repair received, in timeline order;
    `known_ids` is their ids (duplicates are recognised by it).
    """

    subject_id: str
    subject_kind: SubjectKind
    rule_version: str
    level: Level = Level.GREEN
    points: int = 0
    counting: tuple[CountingFact, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    facts: tuple[Fact, ...] = ()
    repairs: tuple[ApprovedRepair, ...] = ()
    known_ids: frozenset[str] = frozenset()
    cursor: TimelineKey | None = None

    @property
    def observed_until(self) -> dt.datetime | None:
        """The latest instant the state has been evaluated at (a fact's time or an explicit `as_of`)."""
        return None if self.cursor is None else self.cursor[0]


@dataclass(frozen=True)
class Applied:
    """What a step of the incremental path produced.

    `entries` are the history entries that are new or changed: `state.history[history_from:]`. When
    `rewritten` is false they were appended to the previous history; when true (an out-of-order fact or
    repair, or a rule-table change) the history was recomputed and differs from `history_from` on, and
    the caller must replace the stored history from that index.
    """

    state: RatingState
    entries: tuple[HistoryEntry, ...]
    history_from: int
    rewritten: bool

    @property
    def level_changes(self) -> tuple[HistoryEntry, ...]:
        return tuple(entry for entry in self.entries if entry.level_changed)
