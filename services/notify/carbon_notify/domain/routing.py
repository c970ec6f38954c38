"""Routing: which recipients an event reaches, from a versioned route table (reference data).

A route table maps an event type to rules; a rule applies when all its payload conditions hold and
names recipient specs, each with the channels it wants. Every applicable rule contributes; the result
is the union, deduplicated per recipient (channels merged) and sorted, so the same inputs always give
the same recipients in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from carbon_notify.domain.errors import RecipientUnresolvable, ReferenceDataInvalid
from carbon_notify.domain.model import Channel, EnterpriseView, EventFacts, Recipient, RecipientKind


class SpecKind(StrEnum):
    """How a route names a recipient."""

    SUBJECT_ENTERPRISE = "subject_enterprise"  # payload enterprise_id, or subject_id of an enterprise subject
    DEPARTMENT = "department"  # a fixed department code
    COUNTY = "county"  # the government of the subject enterprise's county (department code = county_code)
    VERIFYING_AGENCY = "verifying_agency"  # payload agency_id of the agency that verified; absent -> nobody
    SUBJECT_AGENCY = "subject_agency"  # payload agency_id, or subject_id of an agency subject


def canonical_value(value: Any) -> str:
    """The string a condition compares: JSON booleans as true/false, null as null, the rest as str()."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


@dataclass(frozen=True)
class Condition:
    """Holds when payload[field] (canonicalised) is one of `one_of`; a missing field never matches."""

    field: str
    one_of: frozenset[str]

    def holds(self, payload: Mapping[str, Any]) -> bool:
        return self.field in payload and canonical_value(payload[self.field]) in self.one_of


@dataclass(frozen=True)
class RecipientSpec:
    kind: SpecKind
    channels: tuple[Channel, ...]
    department: str | None = None


@dataclass(frozen=True)
class RouteRule:
    name: str
    conditions: tuple[Condition, ...]
    recipients: tuple[RecipientSpec, ...]

    def applies_to(self, payload: Mapping[str, Any]) -> bool:
        return all(condition.holds(payload) for condition in self.conditions)


@dataclass(frozen=True)
class RouteTable:
    version: str
    source: str
    effective_from: dt.date
    routes: Mapping[str, tuple[RouteRule, ...]]

    def rules_for(self, event_type: str) -> tuple[RouteRule, ...]:
        return self.routes.get(event_type, ())


@dataclass(frozen=True)
class Department:
    code: str
    name_zh: str
    name_en: str
    is_county_government: bool


@dataclass(frozen=True)
class DepartmentTable:
    version: str
    source: str
    effective_from: dt.date
    departments: Mapping[str, Department]


@dataclass(frozen=True)
class ResolvedRecipient:
    recipient: Recipient
    channels: frozenset[Channel]


@dataclass(frozen=True)
class Unresolved:
    """A recipient a rule asked for that the facts could not identify, and why."""

    rule: str
    spec: SpecKind
    reason: str


@dataclass(frozen=True)
class Resolution:
    event_type: str
    recipients: tuple[ResolvedRecipient, ...]
    unresolved: tuple[Unresolved, ...] = ()

    @property
    def recipient_set(self) -> frozenset[Recipient]:
        return frozenset(resolved.recipient for resolved in self.recipients)

    def require_complete(self) -> Resolution:
        """Raise when any recipient could not be identified (consumers retry: the read model may lag)."""
        if self.unresolved:
            reasons = "; ".join(f"{u.rule}/{u.spec.value}: {u.reason}" for u in self.unresolved)
            raise RecipientUnresolvable(f"{self.event_type}: cannot identify every recipient ({reasons})")
        return self


def resolve_recipients(
    *,
    event: EventFacts,
    enterprise: EnterpriseView | None,
    routes: RouteTable,
    departments: DepartmentTable,
) -> Resolution:
    """Every recipient the route table names for `event`, with the channels wanted for each.

    `enterprise` is the read-model lookup of the subject enterprise (None when unknown or when the
    subject is an agency). An event type without a route reaches nobody; that is not an error.
    """
    merged: dict[Recipient, set[Channel]] = {}
    unresolved: list[Unresolved] = []
    for rule in routes.rules_for(event.event_type):
        if not rule.applies_to(event.payload):
            continue
        for spec in rule.recipients:
            outcome = _resolve_spec(spec, event=event, enterprise=enterprise, departments=departments)
            if isinstance(outcome, str):
                unresolved.append(Unresolved(rule=rule.name, spec=spec.kind, reason=outcome))
            elif outcome is not None:
                merged.setdefault(outcome, set()).update(spec.channels)
    recipients = tuple(
        ResolvedRecipient(recipient=recipient, channels=frozenset(channels))
        for recipient, channels in sorted(merged.items())
    )
    return Resolution(event_type=event.event_type, recipients=recipients, unresolved=tuple(unresolved))


def _resolve_spec(
    spec: RecipientSpec,
    *,
    event: EventFacts,
    enterprise: EnterpriseView | None,
    departments: DepartmentTable,
) -> Recipient | str | None:
    """A recipient, a reason string when it cannot be identified, or None when nobody is meant."""
    payload = event.payload
    if spec.kind is SpecKind.DEPARTMENT:
        assert spec.department is not None  # the parser guarantees it
        return Recipient(RecipientKind.DEPARTMENT, spec.department)
    if spec.kind is SpecKind.SUBJECT_ENTERPRISE:
        enterprise_id = _subject_id(payload, id_field="enterprise_id", subject_kind="enterprise")
        return Recipient(RecipientKind.ENTERPRISE, enterprise_id) if enterprise_id else "no enterprise id"
    if spec.kind is SpecKind.SUBJECT_AGENCY:
        agency_id = _subject_id(payload, id_field="agency_id", subject_kind="agency")
        return Recipient(RecipientKind.AGENCY, agency_id) if agency_id else "no agency id"
    if spec.kind is SpecKind.VERIFYING_AGENCY:
        agency_id = payload.get("agency_id")
        return Recipient(RecipientKind.AGENCY, str(agency_id)) if agency_id else None
    return _county_of(payload, enterprise=enterprise, departments=departments)


def _subject_id(payload: Mapping[str, Any], *, id_field: str, subject_kind: str) -> str | None:
    if payload.get(id_field):
        return str(payload[id_field])
    if payload.get("subject_kind") == subject_kind and payload.get("subject_id"):
        return str(payload["subject_id"])
    return None


def _county_of(
    payload: Mapping[str, Any], *, enterprise: EnterpriseView | None, departments: DepartmentTable
) -> Recipient | str:
    """The county government of the subject enterprise: the payload's county_code when the event carries
    one (listing events do, and it is the county at the time of the fact), else the read model's."""
    enterprise_id = payload.get("enterprise_id")
    if enterprise is not None and enterprise_id and enterprise.enterprise_id != enterprise_id:
        raise ValueError(f"enterprise view {enterprise.enterprise_id} passed for event of {enterprise_id}")
    county_code = payload.get("county_code") or (enterprise.county_code if enterprise else None)
    if not county_code:
        return f"county of enterprise {enterprise_id} unknown (not yet in the read model)"
    department = departments.departments.get(str(county_code))
    if department is None or not department.is_county_government:
        return f"county_code {county_code} is not a county government in the department table"
    return Recipient(RecipientKind.DEPARTMENT, department.code)


def check_route_departments(routes: RouteTable, departments: DepartmentTable) -> None:
    """Refuse a route table naming a department code the department table does not know."""
    for event_type, rules in routes.routes.items():
        for rule in rules:
            for spec in rule.recipients:
                if spec.department is not None and spec.department not in departments.departments:
                    raise ReferenceDataInvalid(
                        f"routes {routes.version}: {event_type}/{rule.name} names unknown department "
                        f"{spec.department!r}; add it to the department table or fix the code"
                    )
