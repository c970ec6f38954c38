"""Load versioned reference files `reference/<kind>/<version>.toml` (holidays: `holidays/<year>.toml`).

Every loader takes an optional version: None means the newest (latest effective_from); a string pins a
version, for tests or to replay a result under the table then in force (`version_in_force`). Results are
cached, so a file is parsed once per process; the returned dataclasses are frozen.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Mapping
from enum import StrEnum
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

from carbon_reporting.domain.errors import ReferenceDataInvalid, ReferenceVersionUnknown, ReferenceYearMissing
from carbon_reporting.domain.rules import (
    AccountingRules,
    DeadlineRules,
    FuelTable,
    HolidayCalendar,
    ProcessFactorTable,
    QualityThresholds,
)
from carbon_reporting.reference import parse
from carbon_reporting.reference._toml import Header, header

_SUFFIX = ".toml"
_Table = TypeVar("_Table")


class ReferenceKind(StrEnum):
    FUELS = "fuels"
    ACCOUNTING_RULES = "accounting_rules"
    PROCESS_FACTORS = "process_factors"
    DEADLINES = "deadlines"
    QUALITY = "quality"
    HOLIDAYS = "holidays"


def _folder(kind: ReferenceKind) -> Traversable:
    return resources.files(__package__).joinpath(kind.value)


def _parse_file(resource: Traversable, origin: str) -> tuple[dict[str, Any], Header]:
    try:
        data = tomllib.loads(resource.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceDataInvalid(f"{origin}: not valid TOML: {exc}") from exc
    return data, header(data, origin)


@cache
def available_versions(kind: ReferenceKind) -> tuple[Header, ...]:
    """Every version of `kind`, oldest effective_from first."""
    headers = [
        _parse_file(entry, f"reference/{kind.value}/{entry.name}")[1]
        for entry in _folder(kind).iterdir()
        if entry.name.endswith(_SUFFIX)
    ]
    return tuple(sorted(headers, key=lambda h: (h.effective_from, h.version)))


def latest_version(kind: ReferenceKind) -> str:
    versions = available_versions(kind)
    if not versions:
        raise ReferenceVersionUnknown(f"no {kind.value} reference file is installed")
    return versions[-1].version


def version_in_force(kind: ReferenceKind, *, on: dt.date) -> str:
    """The version whose effective_from is the latest one on or before `on`."""
    in_force = [h for h in available_versions(kind) if h.effective_from <= on]
    if not in_force:
        raise ReferenceVersionUnknown(f"no {kind.value} version was in force on {on.isoformat()}")
    return in_force[-1].version


def _load(
    kind: ReferenceKind, version: str | None, build: Callable[[Mapping[str, Any], Header, str], _Table]
) -> _Table:
    chosen = version or latest_version(kind)
    origin = f"reference/{kind.value}/{chosen}{_SUFFIX}"
    resource = _folder(kind).joinpath(f"{chosen}{_SUFFIX}")
    if not resource.is_file():
        known = ", ".join(h.version for h in available_versions(kind))
        raise ReferenceVersionUnknown(f"no {kind.value} version {chosen!r}; known: {known}")
    data, head = _parse_file(resource, origin)
    if head.version != chosen:
        raise ReferenceDataInvalid(f"{origin}: declares version {head.version!r}, file name says {chosen!r}")
    return build(data, head, origin)


@cache
def load_fuel_table(version: str | None = None) -> FuelTable:
    return _load(ReferenceKind.FUELS, version, parse.parse_fuels)


@cache
def load_accounting_rules(version: str | None = None) -> AccountingRules:
    return _load(ReferenceKind.ACCOUNTING_RULES, version, parse.parse_accounting_rules)


@cache
def load_process_factors(version: str | None = None) -> ProcessFactorTable:
    return _load(ReferenceKind.PROCESS_FACTORS, version, parse.parse_process_factors)


@cache
def load_deadline_rules(version: str | None = None) -> DeadlineRules:
    return _load(ReferenceKind.DEADLINES, version, parse.parse_deadlines)


@cache
def load_quality_thresholds(version: str | None = None) -> QualityThresholds:
    return _load(ReferenceKind.QUALITY, version, parse.parse_quality)


@cache
def load_holiday_calendar(year: int) -> HolidayCalendar:
    """The State Council calendar of `year`; files are one per year, each with its own version inside."""
    origin = f"reference/holidays/{year}{_SUFFIX}"
    resource = _folder(ReferenceKind.HOLIDAYS).joinpath(f"{year}{_SUFFIX}")
    if not resource.is_file():
        raise ReferenceYearMissing(
            f"no holiday calendar for {year}: add {origin} from the State Council notice"
        )
    data, head = _parse_file(resource, origin)
    return parse.parse_holidays(data, head, origin, year=year)


def load_holiday_calendars() -> Mapping[int, HolidayCalendar]:
    """Every installed year's calendar, keyed by year (what the working-day functions take)."""
    years = sorted(
        int(entry.name.removesuffix(_SUFFIX))
        for entry in _folder(ReferenceKind.HOLIDAYS).iterdir()
        if entry.name.endswith(_SUFFIX) and entry.name.removesuffix(_SUFFIX).isdigit()
    )
    return {year: load_holiday_calendar(year) for year in years}
