"""Values of the key-emitter directory rule: its inputs (verified emissions, closure, the regulator's
manual actions, the rule table), each year's status, and the decisions that become events.

`ListingDecision` and `DelistingDecision` carry exactly the rule-specific fields of the `EmitterListed` and
`EmitterDelisted` payloads (year, rule, basis, reason); the service adds enterprise id, name and county.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from carbon_registry.domain.errors import ReferenceDataInvalid


class ListingRule(StrEnum):
    THRESHOLD = "threshold"
    APPLICATION = "application"


class DelistingRule(StrEnum):
    TWO_YEARS_BELOW = "two_years_below"
    CLOSURE = "closure"
    REGULATOR = "regulator"
    CORRECTION = "correction"


class ManualActionKind(StrEnum):
    LIST = "list"
    REMOVE = "remove"


@dataclass(frozen=True)
class DirectoryRule:
    """DOMAIN rule 1 as numbers; see reference/key_emitter_directory/."""

    threshold_tco2e: Decimal
    energy_equivalent_tce: Decimal
    years_below_to_delist: int
    listing_offset_years: int

    def __post_init__(self) -> None:
        if self.threshold_tco2e <= 0 or self.years_below_to_delist < 1 or self.listing_offset_years < 1:
            raise ReferenceDataInvalid(
                "directory rule needs a positive threshold, years_below_to_delist >= 1 and "
                "listing_offset_years >= 1"
            )


@dataclass(frozen=True)
class VerifiedEmission:
    """One revision of a year's verified emissions (from ReportVerified); higher revisions correct lower."""

    year: int
    revision: int
    emissions_tco2e: Decimal


@dataclass(frozen=True)
class BasisYear:
    """A verified year a directory status rests on, as published."""

    year: int
    emissions_tco2e: Decimal


@dataclass(frozen=True)
class ClosureFact:
    closed_on: dt.date
    reason: str

    def describe(self) -> str:
        return f"closed on {self.closed_on.isoformat()}: {self.reason}"


@dataclass(frozen=True)
class ManualAction:
    """A regulator's decision for one directory year; build it with directory_actions, which checks it."""

    year: int
    kind: ManualActionKind
    reason: str


@dataclass(frozen=True)
class ListingDecision:
    """Maps to EmitterListed: in the directory for `year`."""

    year: int
    rule: ListingRule
    basis_year: int | None
    basis_emissions_tco2e: Decimal | None
    reason: str | None


@dataclass(frozen=True)
class DelistingDecision:
    """Maps to EmitterDelisted: out of the directory from `year` on."""

    year: int
    rule: DelistingRule
    basis_years: tuple[int, ...]
    basis_emissions_tco2e: tuple[Decimal, ...]
    reason: str | None


@dataclass(frozen=True)
class YearStatus:
    """Whether the unit is in the directory for `year`, and why.

    listed: `listing_rule` is set, `basis` holds the year that listed it (threshold) or nothing
    (application, with `reason`). Exited: first year out after a listed year, `exit_rule` set. Absent:
    out, and nothing to announce. Equality is by published content, so a stored status compares directly.
    """

    year: int
    listed: bool
    listing_rule: ListingRule | None = None
    exit_rule: DelistingRule | None = None
    basis: tuple[BasisYear, ...] = ()
    reason: str | None = None

    @classmethod
    def listed_by(
        cls, *, year: int, rule: ListingRule, basis: VerifiedEmission | None = None, reason: str | None = None
    ) -> YearStatus:
        years = () if basis is None else (BasisYear(basis.year, basis.emissions_tco2e),)
        return cls(year=year, listed=True, listing_rule=rule, basis=years, reason=reason)

    @classmethod
    def exited(
        cls,
        *,
        year: int,
        rule: DelistingRule,
        basis: tuple[VerifiedEmission, ...] = (),
        reason: str | None = None,
    ) -> YearStatus:
        years = tuple(BasisYear(record.year, record.emissions_tco2e) for record in basis)
        return cls(year=year, listed=False, exit_rule=rule, basis=years, reason=reason)

    @classmethod
    def absent(cls, *, year: int) -> YearStatus:
        return cls(year=year, listed=False)

    def carried_to(self, year: int) -> YearStatus:
        """The same listing, kept for a later year (a one-year dip, or a year not yet verified)."""
        return replace(self, year=year)

    def as_listing(self) -> ListingDecision:
        if self.listing_rule is None:
            raise ValueError(f"status of {self.year} is not a listing")
        first = self.basis[0] if self.basis else None
        return ListingDecision(
            year=self.year,
            rule=self.listing_rule,
            basis_year=first.year if first else None,
            basis_emissions_tco2e=first.emissions_tco2e if first else None,
            reason=self.reason,
        )

    def as_delisting(self) -> DelistingDecision:
        if self.exit_rule is None:
            raise ValueError(f"status of {self.year} is not an exit")
        return DelistingDecision(
            year=self.year,
            rule=self.exit_rule,
            basis_years=tuple(basis.year for basis in self.basis),
            basis_emissions_tco2e=tuple(basis.emissions_tco2e for basis in self.basis),
            reason=self.reason,
        )
