"""The regulator's manual directory decisions: listing a unit on its application, removing a unit.

Both need a written reason (it is published in the event and shown in the directory's history). They are
checked against the unit's current evaluation so the regulator cannot list a closed unit or remove a unit
that is not listed; the resulting `ManualAction` is stored and fed back into `evaluate_directory`.
"""

from __future__ import annotations

from carbon_registry.domain.directory import DirectoryEvaluation, is_listed
from carbon_registry.domain.directory_model import ClosureFact, ManualAction, ManualActionKind
from carbon_registry.domain.errors import DirectoryActionRefused, ReasonRequired


def _written_reason(reason: str, *, action: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise ReasonRequired(f"{action} needs a written reason (it is published with the decision)")
    return text


def list_on_application(*, year: int, reason: str, closure: ClosureFact | None) -> ManualAction:
    """Record the regulator's listing of a unit for `year` on the unit's application."""
    text = _written_reason(reason, action="listing on application")
    if closure is not None and closure.closed_on.year < year:
        raise DirectoryActionRefused(
            f"the unit closed on {closure.closed_on.isoformat()} and cannot be listed for {year}; "
            "reopen the enterprise first"
        )
    return ManualAction(year=year, kind=ManualActionKind.LIST, reason=text)


def remove_by_regulator(*, year: int, reason: str, evaluation: DirectoryEvaluation) -> ManualAction:
    """Record the regulator's removal of a unit from the directory for `year`; it must be listed then."""
    text = _written_reason(reason, action="removal from the directory")
    if not is_listed(evaluation=evaluation, year=year):
        raise DirectoryActionRefused(f"the unit is not in the directory for {year}, so it cannot be removed")
    return ManualAction(year=year, kind=ManualActionKind.REMOVE, reason=text)
