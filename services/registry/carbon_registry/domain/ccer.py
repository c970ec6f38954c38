"""The city's list of CCER candidate projects (seed plan task 11): checked entries and their status flow.

A project moves forward only: candidate (储备) -> developing (开发中: design document, validation) ->
registered (已登记 as a CCER project); it may be withdrawn (退出) from any open status, and a withdrawn or
registered project is final. Estimated reductions are tCO2e per year, kept exactly and never negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from carbon_registry.domain.catalog import CountyTable, ProjectTypeTable
from carbon_registry.domain.enterprise import MAX_NAME_LENGTH, IssueCollector, collapse_whitespace
from carbon_registry.domain.errors import InvalidField, ProjectInvalid, StatusChangeRefused


class ProjectStatus(StrEnum):
    CANDIDATE = "candidate"
    DEVELOPING = "developing"
    REGISTERED = "registered"
    WITHDRAWN = "withdrawn"


_NEXT: dict[ProjectStatus, frozenset[ProjectStatus]] = {
    ProjectStatus.CANDIDATE: frozenset({ProjectStatus.DEVELOPING, ProjectStatus.WITHDRAWN}),
    ProjectStatus.DEVELOPING: frozenset({ProjectStatus.REGISTERED, ProjectStatus.WITHDRAWN}),
    ProjectStatus.REGISTERED: frozenset(),
    ProjectStatus.WITHDRAWN: frozenset(),
}


@dataclass(frozen=True)
class ProjectInput:
    name: str
    project_type: str
    county_code: str
    owner: str
    estimated_annual_reduction_tco2e: Decimal | str
    owner_enterprise_id: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class ProjectDraft:
    name: str
    project_type: str
    county_code: str
    owner: str
    estimated_annual_reduction_tco2e: Decimal
    owner_enterprise_id: str | None
    description: str | None


def _required(text: str, *, what: str) -> str:
    clean = collapse_whitespace(text)
    if clean is None:
        raise InvalidField(f"{what} is empty")
    if len(clean) > MAX_NAME_LENGTH:
        raise InvalidField(f"{what} has at most {MAX_NAME_LENGTH} characters, got {len(clean)}")
    return clean


def _reduction(value: Decimal | str) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError) as exc:
        raise InvalidField(f"{value!r} is not a number of tCO2e") from exc
    if not amount.is_finite() or amount < 0:
        raise InvalidField(f"the estimated annual reduction must be >= 0 tCO2e, got {value}")
    return amount


def check_project(
    *, candidate: ProjectInput, project_types: ProjectTypeTable, counties: CountyTable
) -> ProjectDraft:
    """Validate every field at once; raise ProjectInvalid listing the issues."""
    collector = IssueCollector()
    name = collector.check("name", lambda: _required(candidate.name, what="the project name"))
    kind = collector.check("project_type", lambda: project_types.get(candidate.project_type.strip()).code)
    county = collector.check("county_code", lambda: counties.resolve(candidate.county_code.strip()).code)
    owner = collector.check("owner", lambda: _required(candidate.owner, what="the owner"))
    reduction = collector.check(
        "estimated_annual_reduction_tco2e", lambda: _reduction(candidate.estimated_annual_reduction_tco2e)
    )
    if collector.issues or name is None or kind is None or county is None or owner is None:
        raise ProjectInvalid(tuple(collector.issues))
    if reduction is None:
        raise ProjectInvalid(tuple(collector.issues))
    return ProjectDraft(
        name=name,
        project_type=kind,
        county_code=county,
        owner=owner,
        estimated_annual_reduction_tco2e=reduction,
        owner_enterprise_id=collapse_whitespace(candidate.owner_enterprise_id),
        description=collapse_whitespace(candidate.description),
    )


def change_status(*, current: ProjectStatus, new: ProjectStatus) -> ProjectStatus:
    """The new status if the flow allows it (see module docstring), else StatusChangeRefused."""
    if new not in _NEXT[current]:
        allowed = ", ".join(sorted(s.value for s in _NEXT[current])) or "nothing (final)"
        raise StatusChangeRefused(f"a {current.value} project can move to {allowed}, not {new.value}")
    return new
