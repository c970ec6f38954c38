"""Typed loader for the credit reference data (TOML files shipped inside this package).

Rule tables live in `rules/*.toml`, one file per version; each names its `version`, `source` and
`effective_from`. `load_rule_table()` returns the newest table, `load_rule_table("2024.1")` a given one
(to replay under an older table), `parse_rule_table(text)` a table from text (tests, a table under
review). Results are cached and immutable.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any

from carbon_credit.domain.complaints import ComplaintRules
from carbon_credit.domain.errors import InvalidRuleTable, UnknownRuleVersion
from carbon_credit.domain.rules import FactRule, LevelThresholds, RuleTable, SubjectKind, SurrenderRefusalRule

_PACKAGE = "carbon_credit.reference"


def parse_rule_table(text: str) -> RuleTable:
    """Parse and validate one rule table; raises `InvalidRuleTable` naming the offending key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidRuleTable(f"rule table is not valid TOML: {error}") from error
    version = _field(data, "version", str)
    levels = _field(data, "levels", dict)
    facts = _field(data, "facts", dict)
    return RuleTable(
        version=version,
        source=_field(data, "source", str),
        effective_from=_field(data, "effective_from", dt.date),
        facts=MappingProxyType({cause: _fact_rule(cause, spec) for cause, spec in facts.items()}),
        thresholds=LevelThresholds(
            blue_from=_field(levels, "blue_from_points", int),
            yellow_from=_field(levels, "yellow_from_points", int),
            red_from=_field(levels, "red_from_points", int),
        ),
        surrender_refusal=SurrenderRefusalRule(
            days_after_due=_positive(_field(_field(data, "surrender_refusal", dict), "days_after_due", int))
        ),
    )


@functools.cache
def _bundled_tables() -> Mapping[str, RuleTable]:
    tables: dict[str, RuleTable] = {}
    for entry in resources.files(_PACKAGE).joinpath("rules").iterdir():
        if entry.name.endswith(".toml"):
            table = parse_rule_table(entry.read_text(encoding="utf-8"))
            if table.version in tables:
                raise InvalidRuleTable(f"rule table version {table.version} is shipped twice")
            tables[table.version] = table
    ordered = sorted(tables.values(), key=lambda table: table.effective_from)
    return MappingProxyType({table.version: table for table in ordered})


def available_rule_versions() -> tuple[str, ...]:
    """Versions shipped with the service, oldest `effective_from` first."""
    return tuple(_bundled_tables())


def load_rule_table(version: str | None = None) -> RuleTable:
    """The table of `version`, or the newest one when `version` is None."""
    tables = _bundled_tables()
    if version is None:
        return tables[available_rule_versions()[-1]]
    if version not in tables:
        raise UnknownRuleVersion(f"no credit rule table {version!r}; available: {', '.join(tables)}")
    return tables[version]


def rule_table_in_force(on: dt.date) -> RuleTable:
    """The newest table whose `effective_from` is on or before `on`."""
    in_force = [table for table in _bundled_tables().values() if table.effective_from <= on]
    if not in_force:
        raise UnknownRuleVersion(f"no credit rule table was in force on {on.isoformat()}")
    return in_force[-1]


@functools.cache
def load_complaint_rules() -> ComplaintRules:
    text = resources.files(_PACKAGE).joinpath("complaints.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return ComplaintRules(
        version=_field(data, "version", str),
        triage_within_days=_positive(_field(data, "triage_within_days", int)),
        conclude_within_days=_positive(_field(data, "conclude_within_days", int)),
        max_description_chars=_positive(_field(data, "max_description_chars", int)),
    )


def _fact_rule(cause: str, spec: Any) -> FactRule:
    if not isinstance(spec, dict):
        raise InvalidRuleTable(f"facts.{cause} must be a table")
    validity = _positive(_field(spec, "validity_months", int))
    rectification = _field(spec, "rectification_months", int)
    repairable = _field(spec, "repairable", bool)
    if rectification < 0 or (repairable and rectification >= validity):
        raise InvalidRuleTable(
            f"facts.{cause}: rectification_months must be >= 0 and, if repairable, below validity_months"
        )
    try:
        kinds = frozenset(SubjectKind(kind) for kind in _field(spec, "subjects", list))
    except ValueError as error:
        raise InvalidRuleTable(f"facts.{cause}.subjects: {error}") from error
    return FactRule(
        cause=cause,
        points=_field(spec, "points", int),
        veto=_field(spec, "veto", bool),
        validity_months=validity,
        rectification_months=rectification,
        repairable=repairable,
        subject_kinds=kinds,
        description=_field(spec, "description", str),
    )


def _field(data: Mapping[str, Any], key: str, kind: type) -> Any:
    """`data[key]` checked to be of `kind` (a TOML bool is no int, a TOML datetime no date)."""
    value = data.get(key)
    wrong_bool = kind is int and isinstance(value, bool)
    wrong_datetime = kind is dt.date and isinstance(value, dt.datetime)
    if value is None or not isinstance(value, kind) or wrong_bool or wrong_datetime:
        raise InvalidRuleTable(f"key {key!r} must be a {kind.__name__} (got {value!r})")
    return value


def _positive(value: int) -> int:
    if value <= 0:
        raise InvalidRuleTable(f"expected a positive number of days or months, got {value}")
    return value
