"""The live stream releases event-log ids in commit order and skips a gap only after the grace period."""

from __future__ import annotations

from carbon_notify.domain.stream import TailPosition, releasable

GRACE = 2.0


class TestReleasable:
    def test_releases_contiguous_ids(self) -> None:
        assert releasable([4, 5, 6], position=TailPosition(3), now=0.0, grace=GRACE) == TailPosition(6)

    def test_nothing_new_keeps_the_position(self) -> None:
        assert releasable([], position=TailPosition(3), now=0.0, grace=GRACE) == TailPosition(3)

    def test_holds_back_ids_after_an_uncommitted_one(self) -> None:
        position = releasable([4, 6, 7], position=TailPosition(3), now=10.0, grace=GRACE)
        assert position == TailPosition(4, gap_since=10.0)

    def test_waits_while_the_gap_is_young(self) -> None:
        position = releasable([6, 7], position=TailPosition(4, gap_since=10.0), now=11.0, grace=GRACE)
        assert position == TailPosition(4, gap_since=10.0)

    def test_the_late_commit_fills_the_gap(self) -> None:
        position = releasable([5, 6, 7], position=TailPosition(4, gap_since=10.0), now=11.0, grace=GRACE)
        assert position == TailPosition(7)

    def test_skips_a_gap_that_outlived_the_grace_period(self) -> None:
        position = releasable([6, 7], position=TailPosition(4, gap_since=10.0), now=12.0, grace=GRACE)
        assert position == TailPosition(7)

    def test_a_second_gap_starts_its_own_wait(self) -> None:
        position = releasable([6, 7, 9], position=TailPosition(4, gap_since=10.0), now=12.5, grace=GRACE)
        assert position == TailPosition(7, gap_since=12.5)
