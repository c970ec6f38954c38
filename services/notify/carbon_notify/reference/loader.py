"""Load versioned reference files: `reference/<kind>/<version>.toml`, read with tomllib from the package.

Every loader takes an optional version: None means the newest (latest effective_from), a string pins a
version (tests, or replaying an old event under the table then in force; see `version_in_force`).
Results are cached: a file is parsed once per process.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from carbon_notify.domain.errors import ReferenceDataInvalid, ReferenceVersionUnknown
from carbon_notify.domain.routing import DepartmentTable, RouteTable, check_route_departments
from carbon_notify.domain.templates import TemplateSet
from carbon_notify.reference._toml import Header, header
from carbon_notify.reference.parse_messages import DeliveryPolicy, parse_delivery_policy, parse_templates
from carbon_notify.reference.parse_routing import parse_departments, parse_routes

_SUFFIX = ".toml"


class ReferenceKind(StrEnum):
    ROUTES = "routes"
    DEPARTMENTS = "departments"
    TEMPLATES = "templates"
    DELIVERY = "delivery"


def _folder(kind: ReferenceKind) -> Any:
    return resources.files(__package__).joinpath(kind.value)


def _read(kind: ReferenceKind, version: str) -> tuple[dict[str, Any], str]:
    origin = f"reference/{kind.value}/{version}{_SUFFIX}"
    resource = _folder(kind).joinpath(f"{version}{_SUFFIX}")
    if not resource.is_file():
        known = ", ".join(h.version for h in available_versions(kind))
        raise ReferenceVersionUnknown(f"no {kind.value} version {version!r}; known: {known}")
    try:
        data = tomllib.loads(resource.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceDataInvalid(f"{origin}: not valid TOML: {exc}") from exc
    declared = data.get("version")
    if declared != version:
        raise ReferenceDataInvalid(f"{origin}: declares version {declared!r}, file name says {version!r}")
    return data, origin


@cache
def available_versions(kind: ReferenceKind) -> tuple[Header, ...]:
    """Every version of `kind`, oldest effective_from first."""
    headers = []
    for entry in _folder(kind).iterdir():
        if entry.name.endswith(_SUFFIX):
            origin = f"reference/{kind.value}/{entry.name}"
            headers.append(header(tomllib.loads(entry.read_text(encoding="utf-8")), origin))
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


@cache
def load_routes(version: str | None = None) -> RouteTable:
    data, origin = _read(ReferenceKind.ROUTES, version or latest_version(ReferenceKind.ROUTES))
    return parse_routes(data, origin=origin)


@cache
def load_departments(version: str | None = None) -> DepartmentTable:
    data, origin = _read(ReferenceKind.DEPARTMENTS, version or latest_version(ReferenceKind.DEPARTMENTS))
    return parse_departments(data, origin=origin)


@cache
def load_templates(version: str | None = None) -> TemplateSet:
    data, origin = _read(ReferenceKind.TEMPLATES, version or latest_version(ReferenceKind.TEMPLATES))
    return parse_templates(data, origin=origin)


@cache
def load_delivery_policy(version: str | None = None) -> DeliveryPolicy:
    data, origin = _read(ReferenceKind.DELIVERY, version or latest_version(ReferenceKind.DELIVERY))
    return parse_delivery_policy(data, origin=origin)


@dataclass(frozen=True)
class ReferenceBundle:
    """The four tables a notification needs, checked against each other."""

    routes: RouteTable
    departments: DepartmentTable
    templates: TemplateSet
    delivery: DeliveryPolicy


def load_reference(*, on: dt.date | None = None) -> ReferenceBundle:
    """The tables in force on `on` (None: the newest), refusing routes to unknown departments or event
    types without a template."""

    def pick(kind: ReferenceKind) -> str:
        return version_in_force(kind, on=on) if on else latest_version(kind)

    bundle = ReferenceBundle(
        routes=load_routes(pick(ReferenceKind.ROUTES)),
        departments=load_departments(pick(ReferenceKind.DEPARTMENTS)),
        templates=load_templates(pick(ReferenceKind.TEMPLATES)),
        delivery=load_delivery_policy(pick(ReferenceKind.DELIVERY)),
    )
    check_route_departments(bundle.routes, bundle.departments)
    untemplated = sorted(set(bundle.routes.routes) - set(bundle.templates.templates))
    if untemplated:
        raise ReferenceDataInvalid(
            f"routes {bundle.routes.version} reach event types without a template: {untemplated}"
        )
    return bundle
