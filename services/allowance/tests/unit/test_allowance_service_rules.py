"""Pure decisions of the service layer: HTTP status per domain error, statuses after a correction,
the units an enterprise can still bring to a year (statistics)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from carbon_allowance.api.errors import status_of
from carbon_allowance.db.obligations import StoredObligation
from carbon_allowance.domain import errors
from carbon_allowance.domain.obligations import Obligation, ObligationStatus
from carbon_allowance.service.obligations import _status_after
from carbon_allowance.service.views import _usable_units


def stored(*, surrendered_ccer: int = 0, overdue_on: dt.date | None = None) -> StoredObligation:
    obligation = Obligation(
        enterprise_id="ent-1",
        year=2024,
        revision=1,
        obligation_tco2e=Decimal("1000"),
        due_date=dt.date(2025, 12, 31),
        surrendered_ccer=surrendered_ccer,
    )
    return StoredObligation(obligation, ObligationStatus.OPEN, "rep-1", overdue_on)


class TestDomainErrorStatus:
    @pytest.mark.parametrize(
        ("error", "status"),
        [
            (errors.CcerCapExceeded("x"), 422),
            (errors.SurrenderExceedsObligation("x"), 422),
            (errors.InvalidInput("x"), 422),
            (errors.ReferenceDataMissing("x"), 422),
            (errors.InsufficientBalance("x"), 409),
            (errors.FrozenUnitsCannotMove("x"), 409),
            (errors.StaleRevision("x"), 409),
            (errors.HoldNotFound("x"), 404),
            (errors.UnbalancedTransaction("x"), 500),
            (errors.ReferenceDataInvalid("x"), 500),
        ],
    )
    def test_status(self, error: errors.AllowanceError, status: int) -> None:
        assert status_of(error)[0] == status


class TestStatusAfterCorrection:
    def test_fulfilled_wins(self) -> None:
        assert _status_after(stored(overdue_on=dt.date(2026, 1, 1)), True) is ObligationStatus.FULFILLED

    def test_once_marked_overdue_stays_overdue_so_it_is_not_announced_again(self) -> None:
        assert _status_after(stored(overdue_on=dt.date(2026, 1, 1)), False) is ObligationStatus.OVERDUE

    def test_never_marked_is_open_for_the_deadline_check(self) -> None:
        assert _status_after(stored(), False) is ObligationStatus.OPEN


class TestUsableUnits:
    def test_eligible_vintages_and_ccer_within_the_cap(self) -> None:
        held = {("allowance", 2023): 10, ("allowance", 2024): 5, ("allowance", 2025): 100, ("ccer", None): 80}
        # vintage 2025 cannot settle 2024; CCER room = floor(5% x 1000) - 20 used = 30
        assert _usable_units(stored(surrendered_ccer=20), held) == 10 + 5 + 30

    def test_nothing_held(self) -> None:
        assert _usable_units(stored(), {}) == 0
