"""Parse the routing reference files (routes, departments) into the domain's frozen tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carbon_notify.domain.model import Channel
from carbon_notify.domain.routing import (
    Condition,
    Department,
    DepartmentTable,
    RecipientSpec,
    RouteRule,
    RouteTable,
    SpecKind,
    canonical_value,
)
from carbon_notify.reference._toml import fail, header, table, text


def parse_departments(data: Mapping[str, Any], *, origin: str = "<departments>") -> DepartmentTable:
    head = header(data, origin)
    departments: dict[str, Department] = {}
    for code, entry in table(data, "departments", origin).items():
        where = f"{origin} [departments.{code}]"
        is_county = entry.get("county_government")
        if not isinstance(is_county, bool):
            raise fail(where, "county_government must be true or false")
        departments[code] = Department(
            code=code,
            name_zh=text(entry, "name_zh", where),
            name_en=text(entry, "name_en", where),
            is_county_government=is_county,
        )
    return DepartmentTable(head.version, head.source, head.effective_from, departments)


def parse_routes(data: Mapping[str, Any], *, origin: str = "<routes>") -> RouteTable:
    head = header(data, origin)
    routes: dict[str, tuple[RouteRule, ...]] = {}
    for event_type, rules in table(data, "routes", origin).items():
        if not isinstance(rules, list) or not rules:
            raise fail(
                origin, f"routes.{event_type} must be a non-empty array of tables [[routes.{event_type}]]"
            )
        parsed = tuple(
            _parse_rule(rule, f"{origin} routes.{event_type}[{i}]") for i, rule in enumerate(rules)
        )
        names = [rule.name for rule in parsed]
        if len(set(names)) != len(names):
            raise fail(origin, f"routes.{event_type} repeats a rule name: {names}")
        routes[event_type] = parsed
    return RouteTable(head.version, head.source, head.effective_from, routes)


def _parse_rule(rule: Mapping[str, Any], where: str) -> RouteRule:
    when = rule.get("when", {})
    if not isinstance(when, Mapping):
        raise fail(where, "when must be an inline table {field = [values]}")
    conditions = tuple(_parse_condition(name, values, where) for name, values in sorted(when.items()))
    recipients = rule.get("recipients")
    if not isinstance(recipients, list) or not recipients:
        raise fail(where, "recipients must be a non-empty array")
    specs = tuple(_parse_spec(spec, f"{where}.recipients[{i}]") for i, spec in enumerate(recipients))
    return RouteRule(name=text(rule, "name", where), conditions=conditions, recipients=specs)


def _parse_condition(name: str, values: Any, where: str) -> Condition:
    if not isinstance(values, list) or not values:
        raise fail(where, f"when.{name} must be a non-empty array of accepted values")
    return Condition(field=name, one_of=frozenset(canonical_value(value) for value in values))


def _parse_spec(spec: Mapping[str, Any], where: str) -> RecipientSpec:
    try:
        kind = SpecKind(spec.get("kind"))
        channels = tuple(Channel(channel) for channel in spec.get("channels", ()))
    except ValueError as exc:
        raise fail(
            where, f"{exc}; kinds: {[k.value for k in SpecKind]}, channels: {[c.value for c in Channel]}"
        ) from exc
    if Channel.INBOX not in channels:
        raise fail(where, "channels must include inbox: every recipient keeps a record of what it was told")
    department = spec.get("department")
    if (kind is SpecKind.DEPARTMENT) != isinstance(department, str):
        raise fail(where, 'a department recipient needs department = "<code>"; other kinds must not have one')
    return RecipientSpec(kind=kind, channels=channels, department=department)
