"""Events produced by the registry service: enterprises, the key-emitter directory, agencies."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from carbon_shared.events.base import DomainEvent, ExactDecimal, register

PRODUCER = "registry"


class Contact(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    email: str | None = None
    phone: str | None = None


class _EnterpriseSnapshot(DomainEvent):
    """The enterprise as other services need it for their read models."""

    producer = PRODUCER
    enterprise_id: str
    uscc: str
    name: str
    sector: str
    county_code: str
    status: Literal["active", "closed"]
    contacts: list[Contact] = Field(default_factory=list)


@register
class EnterpriseRegistered(_EnterpriseSnapshot):
    pass


@register
class EnterpriseUpdated(_EnterpriseSnapshot):
    changed_fields: list[str]


@register
class EnterpriseClosed(DomainEvent):
    producer = PRODUCER
    enterprise_id: str
    closed_on: dt.date
    reason: str


@register
class EmitterListed(DomainEvent):
    """The enterprise is in the key-emitter directory (名录) for `year`."""

    producer = PRODUCER
    enterprise_id: str
    enterprise_name: str
    county_code: str
    year: int
    rule: Literal["threshold", "application"]
    basis_year: int | None = None
    basis_emissions_tco2e: ExactDecimal | None = None
    reason: str | None = None


@register
class EmitterDelisted(DomainEvent):
    """The enterprise leaves the directory from `year` on."""

    producer = PRODUCER
    enterprise_id: str
    enterprise_name: str
    county_code: str
    year: int
    rule: Literal["two_years_below", "closure", "regulator", "correction"]
    basis_years: list[int] = Field(default_factory=list)
    basis_emissions_tco2e: list[ExactDecimal] = Field(default_factory=list)
    reason: str | None = None


@register
class AgencyRegistered(DomainEvent):
    producer = PRODUCER
    subject_field = "agency_id"
    agency_id: str
    uscc: str
    name: str
    kind: Literal["verification", "asset_management", "testing"]


@register
class AgencyViolationRecorded(DomainEvent):
    """A failed inspection or a recorded violation; `banned_until` bars assignment until that day."""

    producer = PRODUCER
    subject_field = "agency_id"
    agency_id: str
    agency_name: str
    violation: Literal["inspection_failed", "violation"]
    occurred_on: dt.date
    findings: str
    banned_until: dt.date | None = None
