"""Property: the incremental path equals replay from the stored facts, for every subject, state and history.

Streams mix many enterprises and agencies, every fact cause, ties at the same instant (facts land on CST
midnights, and so do their expiries), duplicate deliveries, out-of-order arrival, approved repairs with
effective dates before, inside and after a fact's validity (retroactive ones too), daily `advance` runs,
and a rule-table switch in mid-stream. Beyond equality with `replay`, each final state is checked
against an independent definition (which facts count at the state's cursor) and the history rebuilt from
the `Applied` results must equal the state's.

The suite runs small streams plus two streams of `CREDIT_REPLAY_FACTS` facts (default 10,000, the size
the issue asks for; set it lower for a quick local run).
"""

from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import dataclass, replace
from typing import TypeAlias

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbon_credit.domain.facts import Fact
from carbon_credit.domain.rating import advance, apply, apply_repair, new_rating, replay, replay_all
from carbon_credit.domain.rating_state import Applied, ApprovedRepair, HistoryEntry, RatingState, fact_key
from carbon_credit.domain.rules import Level, LevelThresholds, RuleTable, SubjectKind
from carbon_credit.reference import load_rule_table

UTC = dt.UTC
LARGE_STREAM_FACTS = int(os.environ.get("CREDIT_REPLAY_FACTS", "10000"))
START = dt.datetime(2023, 12, 31, 16, tzinfo=UTC)  # 1 Jan 2024 00:00 CST
RULES = load_rule_table("2024.1")
# A stricter table for the mid-stream switch: double points, half the validity, lower thresholds.
RULES_V2 = replace(
    RULES,
    version="prop-2",
    facts={
        cause: replace(rule, points=rule.points * 2, validity_months=max(1, rule.validity_months // 2))
        for cause, rule in RULES.facts.items()
    },
    thresholds=LevelThresholds(blue_from=1, yellow_from=10, red_from=25),
)


@dataclass(frozen=True)
class Knobs:
    subjects: int
    disorder: float
    duplicates: float
    repairs: float
    advances: float
    switch_rules: bool


@dataclass(frozen=True)
class Advance:
    as_of: dt.datetime


@dataclass(frozen=True)
class SwitchRules:
    as_of: dt.datetime


Op: TypeAlias = Fact | ApprovedRepair | Advance | SwitchRules


def generate_facts(rng: random.Random, size: int, knobs: Knobs) -> list[Fact]:
    """`size` facts over four years, on CST midnights or at 02:00/10:00 CST, ids uncorrelated with time."""
    ids = [f"ev-{n:06d}" for n in rng.sample(range(size * 10), size)]
    facts = []
    for fact_id in ids:
        subject = rng.randrange(knobs.subjects)
        kind = SubjectKind.AGENCY if subject % 4 == 3 else SubjectKind.ENTERPRISE
        causes = sorted(cause for cause, rule in RULES.facts.items() if kind in rule.subject_kinds)
        at = START + dt.timedelta(days=rng.randrange(1461), hours=rng.choice((0, 0, 2, 10)))
        facts.append(Fact(fact_id, rng.choice(causes), at, f"{kind.value}-{subject}", kind))
    return facts


def delivery_order(rng: random.Random, facts: list[Fact], knobs: Knobs) -> list[Fact]:
    """Time order, with a `disorder` share of facts delivered up to 60 positions late."""
    ordered = sorted(facts, key=fact_key)
    delayed = [
        (index + (rng.randint(1, 60) if rng.random() < knobs.disorder else 0), index)
        for index in range(len(ordered))
    ]
    return [ordered[index] for _, index in sorted(delayed)]


def generate_stream(rng: random.Random, size: int, knobs: Knobs) -> list[Op]:
    """Deliveries interleaved with duplicates, repairs, daily advances and possibly one rule switch."""
    stream: list[Op] = []
    delivered: list[Fact] = []
    repairs: list[ApprovedRepair] = []
    switch_at = rng.randrange(size) if knobs.switch_rules else -1
    for position, fact in enumerate(delivery_order(rng, generate_facts(rng, size, knobs), knobs)):
        stream.append(fact)
        delivered.append(fact)
        latest = max(item.occurred_at for item in delivered[-20:])
        if rng.random() < knobs.duplicates:
            stream.append(rng.choice(delivered))
        if rng.random() < knobs.repairs:
            repairs.append(random_repair(rng, rng.choice(delivered), len(repairs), now=latest))
            stream.append(repairs[-1])
        if repairs and rng.random() < knobs.duplicates:
            stream.append(rng.choice(repairs))
        if rng.random() < knobs.advances:
            # Mostly a daily job running just after the latest fact; now and then one far ahead of it.
            stream.append(Advance(latest + dt.timedelta(hours=rng.choice((0, 1, 14, 72, 1440)))))
        if position == switch_at:
            stream.append(SwitchRules(latest))
    return stream


def random_repair(rng: random.Random, fact: Fact, number: int, *, now: dt.datetime) -> ApprovedRepair:
    """Mostly effective now; a fifth retroactive or future-dated, some before the fact or after its expiry."""
    shift = rng.choice((0, 0, 0, 0, 0, 0, 0, 0, -1, 1)) * rng.randrange(400)
    effective = now + dt.timedelta(days=shift, hours=rng.choice((0, 0, 8)))
    return ApprovedRepair(f"rp-{number:05d}", fact.subject_id, fact.fact_id, effective, effective)


@dataclass
class Incremental:
    """The incremental path as the service will run it, keeping the history the `Applied` results describe."""

    rules: RuleTable = RULES
    states: dict[str, RatingState] | None = None
    histories: dict[str, list[HistoryEntry]] | None = None

    def run(self, stream: list[Op]) -> None:
        self.states, self.histories = {}, {}
        self.feed(stream)

    def feed(self, stream: list[Op]) -> None:
        """Continue from the current states (the service keeps running between deliveries)."""
        assert self.states is not None
        for op in stream:
            if isinstance(op, SwitchRules):
                self.rules = RULES_V2
                for subject in list(self.states):
                    self._record(subject, advance(self.states[subject], as_of=op.as_of, rules=self.rules))
            elif isinstance(op, Advance):
                for subject in list(self.states):
                    self._record(subject, advance(self.states[subject], as_of=op.as_of, rules=self.rules))
            elif isinstance(op, Fact):
                state = self.states.get(op.subject_id) or new_rating(
                    subject_id=op.subject_id, subject_kind=op.subject_kind, rules=self.rules
                )
                self._record(op.subject_id, apply(state, op, self.rules))
            else:
                self._record(op.subject_id, apply_repair(self.states[op.subject_id], op, self.rules))

    def _record(self, subject: str, applied: Applied) -> None:
        assert self.states is not None and self.histories is not None
        history = self.histories.setdefault(subject, [])
        assert applied.history_from <= len(history)
        assert applied.rewritten or applied.history_from == len(history)
        history[applied.history_from :] = applied.entries
        self.states[subject] = applied.state


def oracle_rating(state: RatingState, rules: RuleTable) -> tuple[int, Level, int]:
    """Points, level and history length at the state's cursor, straight from the definitions.

    A fact counts at cursor c iff key(fact) <= c < its expiry key, and no repair of it has a key in
    (key(fact), c]. Every fact adds one history entry when it starts counting and one when it stops.
    """
    assert state.cursor is not None
    cursor = state.cursor
    counting, stopped = [], 0
    for fact in state.facts:
        rule = rules.facts[fact.cause]
        expiry_key = (rule.expires_at(fact.occurred_at), 0, fact.fact_id)
        repaired = any(
            fact_key(fact) < r.key <= cursor and r.key < expiry_key
            for r in state.repairs
            if r.fact_id == fact.fact_id
        )
        if expiry_key <= cursor or repaired:
            stopped += 1
        else:
            counting.append(rule)
    points = max(0, sum(rule.points for rule in counting))
    level = Level.RED if any(rule.veto for rule in counting) else rules.thresholds.level_for(points)
    return points, level, len(state.facts) + stopped


def check_subject(
    state: RatingState,
    delivered: list[Fact | ApprovedRepair],
    history: list[HistoryEntry],
    rng: random.Random,
) -> None:
    """`delivered`: the facts and repairs of this subject in delivery order, duplicates included."""
    rules = RULES_V2 if state.rule_version == RULES_V2.version else RULES
    facts = [op for op in delivered if isinstance(op, Fact)]
    repairs = [op for op in delivered if isinstance(op, ApprovedRepair)]
    as_of = state.observed_until
    common = {
        "subject_id": state.subject_id,
        "subject_kind": state.subject_kind,
        "rules": rules,
        "as_of": as_of,
    }
    assert replay(facts=facts, repairs=repairs, **common) == state  # type: ignore[arg-type]
    rng.shuffle(facts)
    rng.shuffle(repairs)
    assert replay(facts=facts, repairs=repairs, **common) == state  # type: ignore[arg-type]
    assert list(state.history) == history
    points, level, entries = oracle_rating(state, rules)
    assert (state.points, state.level, len(state.history)) == (points, level, entries)
    for earlier, later in zip(state.history, state.history[1:], strict=False):
        assert earlier.at <= later.at
        assert (earlier.level_after, earlier.points) == (later.level_before, later.points_before)


def check_stream(rng: random.Random, size: int, knobs: Knobs) -> None:
    stream = generate_stream(rng, size, knobs)
    incremental = Incremental()
    incremental.run(stream)
    assert incremental.states is not None and incremental.histories is not None
    everything = [op for op in stream if isinstance(op, Fact | ApprovedRepair)]
    by_subject: dict[str, list[Fact | ApprovedRepair]] = {}
    for op in everything:
        by_subject.setdefault(op.subject_id, []).append(op)
    for subject, state in incremental.states.items():
        check_subject(state, by_subject[subject], incremental.histories[subject], rng)
    final = Advance(START + dt.timedelta(days=2000))
    incremental.feed([final])
    assert (
        replay_all(
            facts=[op for op in everything if isinstance(op, Fact)],
            repairs=[op for op in everything if isinstance(op, ApprovedRepair)],
            rules=incremental.rules,
            as_of=final.as_of,
        )
        == incremental.states
    )


knobs_strategy = st.builds(
    Knobs,
    subjects=st.integers(1, 8),
    disorder=st.sampled_from((0.0, 0.02, 0.2, 1.0)),
    duplicates=st.sampled_from((0.0, 0.1, 0.5)),
    repairs=st.sampled_from((0.0, 0.1, 0.4)),
    advances=st.sampled_from((0.0, 0.05, 0.3)),
    switch_rules=st.booleans(),
)


class TestIncrementalEqualsReplay:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rng=st.randoms(use_true_random=False), size=st.integers(1, 60), knobs=knobs_strategy)
    def test_small_streams(self, rng: random.Random, size: int, knobs: Knobs) -> None:
        check_stream(rng, size, knobs)

    @settings(max_examples=2, deadline=None)
    @given(seed=st.integers(0, 2**32 - 1), switch_rules=st.booleans())
    def test_large_stream(self, seed: int, switch_rules: bool) -> None:
        # A seeded generator: 10,000 facts drawn through Hypothesis' own buffer would overflow it.
        knobs = Knobs(
            subjects=200,
            disorder=0.05,
            duplicates=0.05,
            repairs=0.05,
            advances=0.01,
            switch_rules=switch_rules,
        )
        check_stream(random.Random(seed), LARGE_STREAM_FACTS, knobs)
