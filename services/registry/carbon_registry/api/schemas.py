"""Request and response bodies of the registry API (contract field names; extra fields are additions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from carbon_shared.schemas import JsonDecimal

AgencyKindName = Literal["verification", "asset_management", "testing"]
ProjectStatusName = Literal["candidate", "developing", "registered", "withdrawn"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContactIn(_In):
    name: str
    email: str | None = None
    phone: str | None = None


class ContactOut(BaseModel):
    name: str
    email: str | None
    phone: str | None


class FacilityIn(_In):
    name: str
    kind: str | None = Field(None, description="e.g. 燃煤机组, 水泥熟料生产线")
    capacity_mw: Decimal | None = None


class FacilityOut(BaseModel):
    name: str
    kind: str | None
    capacity_mw: JsonDecimal | None


class EnterpriseIn(_In):
    uscc: str = Field(description="统一社会信用代码, GB 32100 check digit verified")
    name: str
    sector: str = Field(description="sector code from reference data (GET /v1/sectors)")
    county_code: str = Field(description="640502, 640521, 640522 or park")
    contacts: list[ContactIn] = Field(default_factory=list)
    address: str | None = None
    legal_representative: str | None = None
    industry_code: str | None = Field(None, description="GB/T 4754 code, e.g. D4411")
    facilities: list[FacilityIn] = Field(default_factory=list)


class EnterprisePatch(_In):
    """Only the fields sent are changed."""

    uscc: str | None = None
    name: str | None = None
    sector: str | None = None
    county_code: str | None = None
    contacts: list[ContactIn] | None = None
    address: str | None = None
    legal_representative: str | None = None
    industry_code: str | None = None
    facilities: list[FacilityIn] | None = None


class EnterpriseOut(BaseModel):
    id: str
    uscc: str
    name: str
    sector: str
    county_code: str
    status: Literal["active", "closed"]
    closed_on: dt.date | None
    closure_reason: str | None
    address: str | None
    legal_representative: str | None
    industry_code: str | None
    contacts: list[ContactOut]
    facilities: list[FacilityOut]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ClosureIn(_In):
    closed_on: dt.date
    reason: str


class HistoryOut(BaseModel):
    id: int
    at: dt.datetime
    actor: str
    action: Literal["registered", "imported", "updated", "closed"]
    changes: dict[str, Any]


class ImportedItem(BaseModel):
    row: int
    id: str
    uscc: str


class RowErrorOut(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ImportOut(BaseModel):
    imported: int
    items: list[ImportedItem]
    errors: list[RowErrorOut] = Field(description="rows left out (only when mode=valid_rows)")
    ignored_columns: list[str]


class KeyEmitterOut(BaseModel):
    enterprise_id: str
    year: int
    basis_year: int | None
    basis_emissions_tco2e: JsonDecimal | None
    enterprise_name: str
    uscc: str
    sector: str
    county_code: str
    rule: Literal["threshold", "application"]
    reason: str | None


class DirectoryDecisionIn(_In):
    year: int = Field(ge=2000, le=2100)
    reason: str = Field(description="the regulator's written reason; published with the decision")


class ListingIn(DirectoryDecisionIn):
    enterprise_id: str


class DirectoryStatusOut(BaseModel):
    enterprise_id: str
    year: int
    listed: bool
    rule: str | None
    reason: str | None


class DirectoryChangeOut(BaseModel):
    id: int
    enterprise_id: str
    year: int
    change: Literal["listed", "delisted"]
    rule: str
    basis: list[dict[str, Any]]
    reason: str | None
    at: dt.datetime


class AgencyIn(_In):
    uscc: str
    name: str
    kind: AgencyKindName


class AgencyOut(BaseModel):
    id: str
    uscc: str
    name: str
    kind: AgencyKindName
    banned_until: dt.date | None = Field(description="no new assignments through this day (inclusive)")
    banned: bool = Field(description="barred today (China Standard Time)")
    created_at: dt.datetime


class InspectionIn(_In):
    date: dt.date
    passed: bool
    findings: str = ""


class ViolationIn(_In):
    date: dt.date
    findings: str


class FindingOut(BaseModel):
    id: str
    agency_id: str
    date: dt.date
    passed: bool | None
    violation: Literal["inspection_failed", "violation"] | None
    findings: str
    banned_until: dt.date | None
    recorded_by: str
    recorded_at: dt.datetime


class DepartmentOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    county_government: bool


class CodeNameOut(BaseModel):
    code: str
    name_zh: str
    name_en: str


class CcerProjectIn(_In):
    name: str
    project_type: str = Field(description="wind, solar, hydro, hydrogen, methane_use, forestry_sink, other")
    county_code: str
    owner: str
    owner_enterprise_id: str | None = None
    estimated_annual_reduction_tco2e: Decimal
    description: str | None = None


class CcerProjectOut(BaseModel):
    id: str
    name: str
    project_type: str
    county_code: str
    owner: str
    owner_enterprise_id: str | None
    estimated_annual_reduction_tco2e: JsonDecimal
    status: ProjectStatusName
    description: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class CcerStatusIn(_In):
    status: ProjectStatusName
