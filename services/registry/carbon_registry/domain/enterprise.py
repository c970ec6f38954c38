"""An enterprise as the registry keeps it, and the validation of a proposed one (form or import row).

Validation reports every problem at once, each as a `FieldIssue` with the canonical field name
(`uscc`, `contacts[0].email`, ...), because a regulator fixing a spreadsheet wants the whole list.
Text is trimmed and inner whitespace runs collapsed to one space; codes are normalised (USCC upper-cased,
phones to their canonical form) so duplicates are found however they were typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import partial
from typing import Protocol, TypeVar

from carbon_registry.domain.catalog import CountyTable, SectorTable
from carbon_registry.domain.contacts import ContactDetails, validate_contact
from carbon_registry.domain.errors import EnterpriseInvalid, FieldIssue, InvalidField, RegistryError
from carbon_registry.domain.uscc import UsccStandard, validate_uscc

# Longest registered enterprise names run to a few dozen characters; 200 leaves room without
# accepting a pasted paragraph. A data-quality bound, not a regulatory value.
MAX_NAME_LENGTH = 200
# GB/T 4754-2017 industry classification: a section letter A-T, optionally with a 2-4 digit class code.
_INDUSTRY_CODE = re.compile(r"[A-T]|[A-T]?\d{2,4}")
_Value = TypeVar("_Value")


class EnterpriseStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class EnterpriseRules(Protocol):
    """The reference tables an enterprise is checked against (RegistryReference satisfies it)."""

    @property
    def uscc(self) -> UsccStandard: ...

    @property
    def counties(self) -> CountyTable: ...

    @property
    def sectors(self) -> SectorTable: ...


@dataclass(frozen=True)
class ContactInput:
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Facility:
    """A production facility (unit, kiln, line) as the regulator lists it; capacity in MW where it applies."""

    name: str
    kind: str | None = None
    capacity_mw: Decimal | None = None


@dataclass(frozen=True)
class EnterpriseInput:
    """An enterprise as proposed by a form or an import row, not yet checked."""

    uscc: str
    name: str
    sector: str
    county_code: str
    contacts: tuple[ContactInput, ...] = ()
    address: str | None = None
    legal_representative: str | None = None
    industry_code: str | None = None
    facilities: tuple[Facility, ...] = ()


@dataclass(frozen=True)
class EnterpriseDraft:
    """A checked enterprise: codes known to the reference tables, text normalised."""

    uscc: str
    name: str
    sector: str
    county_code: str
    contacts: tuple[ContactDetails, ...]
    address: str | None
    legal_representative: str | None
    industry_code: str | None
    facilities: tuple[Facility, ...] = ()


@dataclass(frozen=True)
class EnterpriseSnapshot:
    """An enterprise as stored at one moment; two snapshots are diffed for the change history."""

    uscc: str
    name: str
    sector: str
    county_code: str
    contacts: tuple[ContactDetails, ...]
    address: str | None
    legal_representative: str | None
    industry_code: str | None
    status: EnterpriseStatus
    closed_on: dt.date | None
    facilities: tuple[Facility, ...] = ()


def collapse_whitespace(text: str | None) -> str | None:
    """Trim and collapse whitespace (full-width spaces included); blank becomes None."""
    if text is None:
        return None
    collapsed = " ".join(text.replace("\u3000", " ").split())
    return collapsed or None


def _check_name(name: str) -> str:
    clean = collapse_whitespace(name)
    if clean is None:
        raise InvalidField("the enterprise name is empty")
    if len(clean) > MAX_NAME_LENGTH:
        raise InvalidField(f"the name has at most {MAX_NAME_LENGTH} characters, got {len(clean)}")
    return clean


def _check_industry_code(code: str | None) -> str | None:
    clean = collapse_whitespace(code)
    if clean is not None and not _INDUSTRY_CODE.fullmatch(clean.upper()):
        raise InvalidField(
            f"industry code {clean!r} is not a GB/T 4754 code (a letter A-T and/or 2-4 digits, e.g. D4411)"
        )
    return None if clean is None else clean.upper()


class IssueCollector:
    def __init__(self) -> None:
        self.issues: list[FieldIssue] = []

    def check(self, field: str, validate: Callable[[], _Value]) -> _Value | None:
        try:
            return validate()
        except RegistryError as error:
            self.issues.append(FieldIssue(field=field, code=error.code, message=error.message))
            return None


def _check_contacts(
    contacts: Sequence[ContactInput], collector: IssueCollector
) -> tuple[ContactDetails, ...]:
    checked = [
        collector.check(
            f"contacts[{index}]",
            partial(validate_contact, name=contact.name, email=contact.email, phone=contact.phone),
        )
        for index, contact in enumerate(contacts)
    ]
    return tuple(contact for contact in checked if contact is not None)


def _check_facility(facility: Facility) -> Facility:
    name = collapse_whitespace(facility.name)
    if name is None:
        raise InvalidField("a facility needs a name")
    if facility.capacity_mw is not None and (
        not facility.capacity_mw.is_finite() or facility.capacity_mw < 0
    ):
        raise InvalidField(f"facility {name!r}: capacity must be >= 0 MW, got {facility.capacity_mw}")
    return Facility(name=name, kind=collapse_whitespace(facility.kind), capacity_mw=facility.capacity_mw)


def _check_facilities(facilities: Sequence[Facility], collector: IssueCollector) -> tuple[Facility, ...]:
    checked = [
        collector.check(f"facilities[{index}]", partial(_check_facility, facility))
        for index, facility in enumerate(facilities)
    ]
    return tuple(facility for facility in checked if facility is not None)


def check_enterprise(*, candidate: EnterpriseInput, rules: EnterpriseRules) -> EnterpriseDraft:
    """Validate every field; raise EnterpriseInvalid listing all issues, or return the normalised draft."""
    collector = IssueCollector()
    uscc = collector.check("uscc", lambda: validate_uscc(code=candidate.uscc, standard=rules.uscc))
    name = collector.check("name", lambda: _check_name(candidate.name))
    sector = collector.check("sector", lambda: rules.sectors.get(candidate.sector.strip()).code)
    county = collector.check("county_code", lambda: rules.counties.get(candidate.county_code.strip()).code)
    contacts = _check_contacts(candidate.contacts, collector)
    industry_code = collector.check("industry_code", lambda: _check_industry_code(candidate.industry_code))
    facilities = _check_facilities(candidate.facilities, collector)
    if collector.issues or uscc is None or name is None or sector is None or county is None:
        raise EnterpriseInvalid(tuple(collector.issues))
    return EnterpriseDraft(
        uscc=uscc,
        name=name,
        sector=sector,
        county_code=county,
        contacts=contacts,
        address=collapse_whitespace(candidate.address),
        legal_representative=collapse_whitespace(candidate.legal_representative),
        industry_code=industry_code,
        facilities=facilities,
    )
