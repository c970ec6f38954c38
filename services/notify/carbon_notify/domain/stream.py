"""Tailing the event log in commit order for the live stream.

The log's ids come from a sequence, assigned at insert: a transaction holding id 7 may commit after
one holding id 8. A reader that jumps to "id > 8" would never see 7. So the stream releases ids only
while they are contiguous; at a gap it waits for the missing id, and after `grace` seconds treats the
gap as permanent (a rolled-back insert or an ON CONFLICT that burned the id) and moves on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TailPosition:
    last_id: int  # the last id released to the client (the SSE id)
    gap_since: float | None = None  # monotonic time a gap after last_id was first seen


def releasable(ids: Sequence[int], *, position: TailPosition, now: float, grace: float) -> TailPosition:
    """The new position after seeing `ids` (sorted, all > position.last_id): every id up to its
    `last_id` may be released now. A gap that has lasted `grace` seconds is skipped; the next gap, if
    any, starts its own wait."""
    horizon = _contiguous(ids, position.last_id)
    if not ids or horizon == ids[-1]:
        return TailPosition(horizon)
    if horizon > position.last_id:
        return TailPosition(horizon, now)  # progress made; the gap after it starts waiting now
    since = position.gap_since if position.gap_since is not None else now
    if now - since < grace:
        return TailPosition(horizon, since)
    after_gap = [i for i in ids if i > horizon]
    return releasable(after_gap, position=TailPosition(after_gap[0] - 1), now=now, grace=grace)


def _contiguous(ids: Sequence[int], last_id: int) -> int:
    horizon = last_id
    for event_id in ids:
        if event_id != horizon + 1:
            break
        horizon = event_id
    return horizon
