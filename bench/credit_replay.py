"""Credit: recompute-all (replay) vs the incremental path, over 10,000 and 100,000 facts.

Incremental: every fact applied on arrival to its subject's state (`rating.apply`), in time order, with a
daily `advance` (the expiry job) every 100 facts, as the service does. Replay: `rating.replay_all` over
the same stored facts, as the recompute endpoint does. Both pure (no database), same run, same facts; the
script checks that both end in the same states and prints throughput and the ratio replay/incremental.
2,000 subjects (one in four an agency), facts spread over four years, every cause of the rule table.

BENCH_CREDIT_FACTS="10000,100000" sets the volumes (e.g. BENCH_CREDIT_FACTS=2000 for a quick run).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time

from carbon_credit.domain.facts import Fact
from carbon_credit.domain.rating import advance, apply, new_rating, replay_all
from carbon_credit.domain.rating_state import RatingState
from carbon_credit.domain.rules import SubjectKind
from carbon_credit.reference import load_rule_table
from carbon_shared.cli.progress import Progress

VOLUMES = [int(v) for v in os.environ.get("BENCH_CREDIT_FACTS", "10000,100000").split(",")]
SUBJECTS = 2000
START = dt.datetime(2023, 12, 31, 16, tzinfo=dt.UTC)
RULES = load_rule_table()


def facts(size: int, rng: random.Random) -> list[Fact]:
    made = []
    for number in range(size):
        subject = rng.randrange(SUBJECTS)
        kind = SubjectKind.AGENCY if subject % 4 == 3 else SubjectKind.ENTERPRISE
        causes = sorted(cause for cause, rule in RULES.facts.items() if kind in rule.subject_kinds)
        at = START + dt.timedelta(minutes=rng.randrange(4 * 365 * 24 * 60))
        made.append(Fact(f"ev-{number:07d}", rng.choice(causes), at, f"{kind.value}-{subject}", kind))
    return sorted(made, key=lambda fact: fact.occurred_at)


def incremental(stream: list[Fact]) -> tuple[dict[str, RatingState], float]:
    states: dict[str, RatingState] = {}
    bar = Progress(f"incremental {len(stream):,}", len(stream))
    started = time.perf_counter()
    for number, fact in enumerate(stream, 1):
        state = states.get(fact.subject_id) or new_rating(
            subject_id=fact.subject_id, subject_kind=fact.subject_kind, rules=RULES
        )
        states[fact.subject_id] = apply(state, fact, RULES).state
        if number % 100 == 0:  # the daily expiry job
            for subject, current in states.items():
                states[subject] = advance(current, as_of=fact.occurred_at, rules=RULES).state
        bar.advance()
    bar.finish()
    return states, time.perf_counter() - started


def replayed(stream: list[Fact], states: dict[str, RatingState]) -> tuple[dict[str, RatingState], float]:
    started = time.perf_counter()
    by_subject = replay_all(facts=stream, rules=RULES)
    rebuilt = {
        subject: advance(state, as_of=states[subject].observed_until, rules=RULES).state  # type: ignore[arg-type]
        for subject, state in by_subject.items()
    }
    return rebuilt, time.perf_counter() - started


def main() -> None:
    print("| facts | incremental | replay (recompute-all) | ratio replay/incremental | equal |")
    print("|---|---|---|---|---|")
    for size in VOLUMES:
        stream = facts(size, random.Random(size))
        states, incremental_s = incremental(stream)
        rebuilt, replay_s = replayed(stream, states)
        equal = rebuilt == states
        print(
            f"| {size:,} | {size / incremental_s:,.0f} facts/s ({incremental_s:.1f} s) "
            f"| {size / replay_s:,.0f} facts/s ({replay_s:.1f} s) | {incremental_s / replay_s:.2f}x faster "
            f"| {'yes' if equal else 'NO'} |",
            flush=True,
        )
        if not equal:
            raise SystemExit("replay differs from the incremental path")


if __name__ == "__main__":
    main()
