"""Request and response bodies of the allowance API (field names as CONTRACT.md fixes them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from carbon_shared.schemas import JsonDecimal

EnterpriseId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Year = Annotated[int, Field(ge=2000, le=2100)]
Units = Annotated[int, Field(gt=0, description="whole tonnes")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AllocationIn(_In):
    enterprise_id: EnterpriseId
    year: Year
    amount: Annotated[int, Field(ge=0, description="the issuance's total for the year, whole tonnes")]
    kind: Literal["pre", "final"]


class AllocationOut(BaseModel):
    allocation_id: str
    enterprise_id: str
    year: int
    kind: str
    amount: int
    previously_issued: int
    credited: int
    deducted_shortfall: int
    created_at: dt.datetime


class CalculateIn(_In):
    year: int
    category: str = Field(description='"I" | "II" | "III" | "IV"')
    electricity_generated_mwh: Annotated[JsonDecimal, Field(ge=0)]
    heat_supplied_gj: Annotated[JsonDecimal, Field(ge=0)] = Decimal(0)
    load_factor: JsonDecimal | None = None
    load_rate: JsonDecimal | None = Field(None, description="0-1; gives load_factor from the plan's table")
    verified_emissions_tco2e: Annotated[JsonDecimal, Field(ge=0)] | None = None
    previous_year_verified_tco2e: Annotated[JsonDecimal, Field(ge=0)] | None = None


class CalculateOut(BaseModel):
    benchmark_allocation: int
    top_up: int
    final_allocation: int
    pre_allocation: int | None
    breakdown: dict[str, Any]


class CcerDepositIn(_In):
    enterprise_id: EnterpriseId
    amount: Units
    project_ref: Ref


class CcerDepositOut(BaseModel):
    deposit_id: str
    enterprise_id: str
    amount: int
    project_ref: str
    created_at: dt.datetime


class ObligationOut(BaseModel):
    year: int
    obligation_tco2e: JsonDecimal
    surrendered_allowances: int
    surrendered_ccer: int
    status: Literal["open", "fulfilled", "overdue"]
    due_date: dt.date
    revision: int
    required_units: int
    remaining_units: int
    fulfilled_on: dt.date | None


class EnterpriseObligationOut(ObligationOut):
    enterprise_id: str


class HoldingOut(BaseModel):
    account: Literal["available", "frozen"]
    instrument: str
    units: int


class AccountOut(BaseModel):
    enterprise_id: str
    name: str | None
    allowance_balance: int
    ccer_balance: int
    frozen: int
    holdings: list[HoldingOut]
    obligations: list[ObligationOut]


class PostingOut(BaseModel):
    account: str
    instrument: str
    quantity: int


class EntryOut(BaseModel):
    seq: int
    entry_id: str
    kind: str
    actor: str
    reason: str
    occurred_at: dt.datetime
    hold_id: str | None
    counterparty: str | None
    reference: str | None
    postings: list[PostingOut]


class SurrenderIn(_In):
    enterprise_id: EnterpriseId
    year: Year
    allowances: Annotated[int, Field(ge=0)]
    ccer: Annotated[int, Field(ge=0)] = 0


class SurrenderOut(BaseModel):
    surrender_id: str
    enterprise_id: str
    year: int
    allowances: int
    ccer: int
    surrendered_on: dt.date
    created_at: dt.datetime
    obligation: ObligationOut | None = None


class DeadlineCheckIn(_In):
    as_of: dt.date | None = Field(None, description="the day treated as now (default: today, CST)")


class DeadlineCheckOut(BaseModel):
    year: int
    as_of: dt.date
    marked_overdue: int
    shortfall_units: int


class ComplianceOut(BaseModel):
    year: int
    obligated: int
    fulfilled: int
    overdue: int
    open: int
    compliance_rate: JsonDecimal | None
    surplus_units: int
    deficit_units: int


class ComplianceGroupOut(ComplianceOut):
    group: str | None


class PledgeIn(_In):
    enterprise_id: EnterpriseId
    amount: Units
    pledgee: Text200
    reason: Text200 = "质押"


class FreezeIn(_In):
    enterprise_id: EnterpriseId
    amount: Units
    authority: Text200
    reason: Text200 = "司法冻结"


class ReleaseIn(_In):
    reason: Text200


class HoldOut(BaseModel):
    id: str
    enterprise_id: str
    amount: int
    holder: str
    status: Literal["open", "released"]
    reason: str
    lots: list[HoldingOut]
    created_at: dt.datetime
    released_at: dt.datetime | None = None


class TransferIn(_In):
    trade_ref: Ref
    enterprise_id: EnterpriseId
    direction: Literal["in", "out"]
    instrument: Literal["allowance", "ccer"]
    vintage: Year | None = None
    project_ref: Ref | None = None
    amount: Units
    counterparty: Text200
    settled_on: dt.date


class TransferOut(BaseModel):
    transfer_id: str
    trade_ref: str
    enterprise_id: str
    direction: str
    instrument: str
    amount: int
    counterparty: str
    settled_on: dt.date
    created_at: dt.datetime


class CancellationIn(_In):
    """Voluntary cancellation (自愿注销): units retired for good, settling no obligation."""

    enterprise_id: EnterpriseId
    instrument: Literal["allowance", "ccer"]
    vintage: Year | None = None
    project_ref: Ref | None = None
    amount: Units
    reason: Text200


class CancellationOut(BaseModel):
    cancellation_id: str  # the ledger entry that retired the units (see /v1/accounts/{id}/entries)
    enterprise_id: str
    instrument: str
    amount: int
    reason: str
    created_at: dt.datetime
