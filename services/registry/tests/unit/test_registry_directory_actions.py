"""The regulator's manual directory actions: listing on application and removal, each with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from carbon_registry.domain.directory import evaluate_directory
from carbon_registry.domain.directory_actions import list_on_application, remove_by_regulator
from carbon_registry.domain.directory_model import (
    ClosureFact,
    ManualAction,
    ManualActionKind,
    VerifiedEmission,
)
from carbon_registry.domain.errors import DirectoryActionRefused, ReasonRequired
from carbon_registry.reference import load_directory_rule

RULE = load_directory_rule()
LISTED_2024 = evaluate_directory(history=[VerifiedEmission(2023, 1, Decimal("30000"))], rule=RULE)


class TestListOnApplication:
    def test_reason_is_kept_with_whitespace_collapsed(self) -> None:
        action = list_on_application(year=2025, reason="  企业申请\n纳入名录 ", closure=None)
        assert action == ManualAction(2025, ManualActionKind.LIST, "企业申请 纳入名录")

    @pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
    def test_reason_is_required(self, reason: str) -> None:
        with pytest.raises(ReasonRequired, match="listing on application needs a written reason") as caught:
            list_on_application(year=2025, reason=reason, closure=None)
        assert caught.value.code == "reason_required"

    def test_a_unit_closed_before_the_year_cannot_be_listed(self) -> None:
        closure = ClosureFact(closed_on=dt.date(2024, 12, 31), reason="关闭")
        with pytest.raises(
            DirectoryActionRefused, match="closed on 2024-12-31 and cannot be listed for 2025"
        ):
            list_on_application(year=2025, reason="申请", closure=closure)

    def test_a_unit_closing_during_the_year_can_still_be_listed_for_it(self) -> None:
        closure = ClosureFact(closed_on=dt.date(2025, 3, 1), reason="关闭")
        assert list_on_application(year=2025, reason="申请", closure=closure).year == 2025


class TestRemoveByRegulator:
    def test_removal_of_a_listed_unit(self) -> None:
        action = remove_by_regulator(year=2024, reason="核实不属于覆盖行业", evaluation=LISTED_2024)
        assert action == ManualAction(2024, ManualActionKind.REMOVE, "核实不属于覆盖行业")

    def test_reason_is_required(self) -> None:
        with pytest.raises(ReasonRequired, match="removal from the directory needs a written reason"):
            remove_by_regulator(year=2024, reason=" ", evaluation=LISTED_2024)

    def test_a_unit_not_listed_that_year_cannot_be_removed(self) -> None:
        with pytest.raises(DirectoryActionRefused, match="not in the directory for 2023"):
            remove_by_regulator(year=2023, reason="错误纳入", evaluation=LISTED_2024)
