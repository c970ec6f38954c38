"""Who may do what to a report: a pure policy over the caller's role and the report's owner and agency.

The outcome follows the contract: an enterprise touching another enterprise's report gets `ReportNotFound`
(404: its existence is not disclosed); any other refused role gets `ActionForbidden` (403), including a
verifier whose agency is not the one assigned to the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from carbon_reporting.domain.errors import ActionForbidden, ReportNotFound


class Role(StrEnum):
    REGULATOR = "regulator"
    ENTERPRISE = "enterprise"
    VERIFIER = "verifier"
    REGION = "region"
    DEPARTMENT = "department"
    OPS = "ops"


class Action(StrEnum):
    READ = "read"
    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    ASSIGN = "assign"
    VERIFY = "verify"
    ORDER_RECHECK = "order_recheck"
    REQUEST_REVIEW = "request_review"
    FLAG_FALSIFICATION = "flag_falsification"


@dataclass(frozen=True)
class Actor:
    """The caller, as the JWT claims describe it (`sub`, `role`, `enterprise_id`, `agency_id`)."""

    subject: str
    role: Role
    enterprise_id: str | None = None
    agency_id: str | None = None


@dataclass(frozen=True)
class ReportAccess:
    """The facts about a report the policy needs: whose it is and which agency verifies it."""

    enterprise_id: str
    assigned_agency_id: str | None


_OWNER_ACTIONS = frozenset({Action.READ, Action.EDIT, Action.SUBMIT, Action.WITHDRAW, Action.REQUEST_REVIEW})
_REGULATOR_ACTIONS = frozenset({Action.READ, Action.ASSIGN, Action.ORDER_RECHECK, Action.FLAG_FALSIFICATION})
_VERIFIER_ACTIONS = frozenset({Action.READ, Action.VERIFY})
_REGION_ACTIONS = frozenset({Action.READ, Action.VERIFY})
# Departments read reports they must act on in joint enforcement; ops staff watch streams, not reports.
_DEPARTMENT_ACTIONS = frozenset({Action.READ})


def authorize(*, actor: Actor, access: ReportAccess, action: Action) -> None:
    """Return None when `actor` may do `action` on the report; raise `ReportNotFound` or `ActionForbidden`."""
    if actor.role is Role.ENTERPRISE:
        if actor.enterprise_id is None or actor.enterprise_id != access.enterprise_id:
            raise ReportNotFound("no such report")
        _require(action in _OWNER_ACTIONS, actor, action)
    elif actor.role is Role.VERIFIER:
        _require(action in _VERIFIER_ACTIONS, actor, action)
        if actor.agency_id is None or actor.agency_id != access.assigned_agency_id:
            raise ActionForbidden(
                "only verifiers of the agency assigned to this report may read or verify it"
            )
    elif actor.role is Role.REGULATOR:
        _require(action in _REGULATOR_ACTIONS, actor, action)
    elif actor.role is Role.REGION:
        _require(action in _REGION_ACTIONS, actor, action)
    elif actor.role is Role.DEPARTMENT:
        _require(action in _DEPARTMENT_ACTIONS, actor, action)
    else:
        _require(False, actor, action)


def may(*, actor: Actor, access: ReportAccess, action: Action) -> bool:
    """`authorize` as a yes/no answer, for filtering lists."""
    try:
        authorize(actor=actor, access=access, action=action)
    except (ReportNotFound, ActionForbidden):
        return False
    return True


def _require(allowed: bool, actor: Actor, action: Action) -> None:
    if not allowed:
        raise ActionForbidden(
            f"the role {actor.role.value!r} may not {action.value.replace('_', ' ')} a report"
        )
