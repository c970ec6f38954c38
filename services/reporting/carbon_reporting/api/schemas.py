"""Request and response bodies of the reporting API (field names as the contract fixes them).

Quantities are JSON numbers on the wire and exact Decimals inside (`JsonDecimal`). Request bodies refuse
unknown fields so a misspelt factor is a 422 naming it, never a silently applied default.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from carbon_reporting.domain.activity import Facility, FuelLine, ProcessLine, ReportActivity
from carbon_reporting.domain.errors import FieldIssue, InvalidInput
from carbon_shared.schemas import JsonDecimal

_Id = Field(min_length=1, max_length=64)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FuelIn(_In):
    fuel: str = Field(min_length=1, max_length=64, description="fuel code from reference data")
    amount: JsonDecimal = Field(description="in `unit` (t or 10^4Nm3); >= 0")
    unit: str = Field(min_length=1, max_length=16)
    carbon_tc_per_unit: JsonDecimal | None = Field(None, description="measured carbon per unit; wins")
    ncv_gj_per_unit: JsonDecimal | None = None
    cc_tc_per_gj: JsonDecimal | None = None
    oxidation: JsonDecimal | None = Field(None, description="in (0, 1]; default from reference data")

    def to_domain(self) -> FuelLine:
        return FuelLine(**self.model_dump())


class ProcessIn(_In):
    process: str = Field(min_length=1, max_length=64, description="process code from reference data")
    amount: JsonDecimal
    unit: str = "t"
    emission_factor_tco2_per_unit: JsonDecimal | None = Field(None, description="measured factor; wins")

    def to_domain(self) -> ProcessLine:
        return ProcessLine(**self.model_dump())


class _Quantities(_In):
    fuels: list[FuelIn] = Field(default_factory=list)
    processes: list[ProcessIn] = Field(default_factory=list)
    electricity_generated_mwh: JsonDecimal | None = None
    heat_supplied_gj: JsonDecimal | None = None
    purchased_electricity_mwh: JsonDecimal | None = None

    def _facility(self, name: str) -> Facility:
        return Facility(
            name=name,
            fuels=tuple(line.to_domain() for line in self.fuels),
            processes=tuple(line.to_domain() for line in self.processes),
            purchased_electricity_mwh=self.purchased_electricity_mwh,
            electricity_generated_mwh=self.electricity_generated_mwh,
            heat_supplied_gj=self.heat_supplied_gj,
        )


class FacilityIn(_Quantities):
    name: str = Field(min_length=1, max_length=200, description="facility (unit) name, e.g. 1号机组")


class ActivityIn(_Quantities):
    """The contract's flat body is one facility; `facilities` (instead) reports several."""

    facilities: list[FacilityIn] | None = Field(
        None, description="several facilities instead of the flat body"
    )

    def to_domain(self) -> ReportActivity:
        if self.facilities is None:
            return ReportActivity(facilities=(self._facility("main"),), flat=True)
        flat_fields = self.model_fields_set & {*_Quantities.model_fields}
        if flat_fields:
            sent = ", ".join(sorted(flat_fields))
            msg = f"send either `facilities` or the flat fields, not both (got {sent})"
            raise InvalidInput((FieldIssue("facilities", msg),))
        return ReportActivity(facilities=tuple(f._facility(f.name) for f in self.facilities))


class ReportIn(ActivityIn):
    enterprise_id: str = _Id
    year: int
    prepared_by_agency_id: str | None = Field(None, description="agency that prepared the report, if any")


class FuelLineOut(BaseModel):
    index: int
    fuel: str
    amount: JsonDecimal
    unit: str
    path: str
    carbon_tc_per_unit: JsonDecimal | None
    ncv_gj_per_unit: JsonDecimal | None
    cc_tc_per_gj: JsonDecimal | None
    oxidation: JsonDecimal
    defaults_used: list[str]
    emissions_tco2e: JsonDecimal


class ElectricityOut(BaseModel):
    purchased_mwh: JsonDecimal
    counted: bool
    grid_factor_t_per_mwh: JsonDecimal | None
    emissions_tco2e: JsonDecimal


class ProcessLineOut(BaseModel):
    index: int
    process: str
    amount: JsonDecimal
    unit: str
    factor_tco2_per_unit: JsonDecimal
    measured_factor: bool
    emissions_tco2e: JsonDecimal


class FacilityResultOut(BaseModel):
    name: str
    fuels: list[FuelLineOut]
    electricity: ElectricityOut | None
    processes: list[ProcessLineOut]
    total_tco2e: JsonDecimal


class ReferenceVersionsOut(BaseModel):
    fuels: str
    accounting_rules: str
    process_factors: str


class BreakdownOut(BaseModel):
    year: int
    total_tco2e: JsonDecimal
    facilities: list[FacilityResultOut]
    reference: ReferenceVersionsOut


class ActivityOut(BaseModel):
    facilities: list[FacilityIn]


class ReportOut(BaseModel):
    id: str
    enterprise_id: str
    year: int
    status: str
    revision: int
    calculated_emissions_tco2e: JsonDecimal
    verified_emissions_tco2e: JsonDecimal | None
    verified_on: dt.date | None
    feedback_due_on: dt.date | None = Field(
        description="last day (CST) the latest verification result may be fed back: 7 working days"
    )
    review_request_due_on: dt.date | None = Field(
        description="last day (CST) the enterprise may ask for a review (复核), 7 working days from the "
        "result (POST /v1/reports/{id}/review-request); null before verification or without the calendar"
    )
    assigned_agency_id: str | None
    prepared_by_agency_id: str | None
    falsification_suspected: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    breakdown: BreakdownOut
    activity: ActivityOut


class SubmitIn(_In):
    pass


class WithdrawIn(_In):
    reason: str = Field("", max_length=2000)


class AssignmentIn(_In):
    agency_id: str = _Id


class VerificationIn(_In):
    verified_emissions_tco2e: JsonDecimal | None = Field(None, description="required when accepted")
    conclusion: Literal["accepted", "returned"]
    opinion: str = Field("", max_length=4000)


class ReasonIn(_In):
    reason: str = Field(min_length=1, max_length=4000)


class TransitionOut(BaseModel):
    id: int
    action: str
    from_status: str
    to_status: str
    actor_subject: str
    actor_role: str
    agency_id: str | None
    verified_emissions_tco2e: JsonDecimal | None
    revision: int
    opinion: str
    at: dt.datetime


class FlagOut(BaseModel):
    id: int
    kind: Literal["data_quality", "falsification"]
    check: str
    detail: str
    flagged_by: str
    at: dt.datetime


class LedgerIn(_In):
    enterprise_id: str = _Id
    year: int
    month: int = Field(ge=1, le=12)
    emissions_tco2e: JsonDecimal
    fuels: list[FuelIn] = Field(default_factory=list, description="the month's fuel use, kept as filed")
    note: str = Field("", max_length=2000)


class LedgerOut(BaseModel):
    enterprise_id: str
    year: int
    month: int
    emissions_tco2e: JsonDecimal
    fuels: list[FuelIn]
    note: str
    filed_by: str
    filed_at: dt.datetime


class DeadlineCheckIn(_In):
    as_of: dt.date | None = Field(None, description="the CST day the check treats as today (default today)")


class OverdueOut(BaseModel):
    kind: Literal["report", "ledger"]
    enterprise_id: str
    year: int
    month: int | None
    due_date: dt.date


class DeadlineCheckOut(BaseModel):
    as_of: dt.date
    overdue_count: int
    emitted: list[OverdueOut] = Field(
        description="events emitted by this run (earlier runs' are not repeated)"
    )


class DisclosedFacilityOut(BaseModel):
    name: str
    reported_emissions_tco2e: JsonDecimal
    fuels: list[str]


class DisclosureOut(BaseModel):
    enterprise_id: str
    enterprise_name: str
    year: int
    revision: int
    verified_emissions_tco2e: JsonDecimal
    facilities: list[DisclosedFacilityOut]


class RegionResultIn(VerificationIn):
    report_id: str = _Id


class RegionResultsIn(_In):
    results: list[RegionResultIn] = Field(min_length=1, max_length=500)


class RegionResultOut(BaseModel):
    report_id: str
    applied: bool
    status: str | None = Field(None, description="the report's status after the push")
    revision: int | None = None
    problem_status: int | None = Field(None, description="HTTP status the single call would have had")
    detail: str | None = None


class RegionResultsOut(BaseModel):
    results: list[RegionResultOut]
