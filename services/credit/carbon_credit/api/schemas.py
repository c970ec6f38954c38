"""Request and response bodies of the credit API (field names of the contract are fixed)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

LevelName = Literal["green", "blue", "yellow", "red"]
KindName = Literal["enterprise", "agency"]


class HistoryLineOut(BaseModel):
    at: dt.datetime
    cause_event_id: str
    cause: str
    level_before: LevelName
    level_after: LevelName
    kind: Literal["fact", "repair", "expiry"]
    fact_id: str
    points_before: int
    points: int
    rule_version: str


class RatingOut(BaseModel):
    subject_id: str
    subject_kind: KindName
    name: str | None
    status: str
    level: LevelName
    level_zh: str
    points: int
    rule_version: str
    level_since: dt.datetime | None
    history: list[HistoryLineOut]


class FactOut(BaseModel):
    fact_id: str = Field(description="the event_id of the envelope that brought the fact")
    cause: str
    occurred_at: dt.datetime
    details: dict[str, str]


class DisclosedOut(BaseModel):
    subject_id: str
    subject_kind: KindName
    name: str | None
    level: LevelName
    level_zh: str
    points: int
    level_since: dt.datetime | None


class RepairIn(BaseModel):
    fact_id: str = Field(min_length=1, max_length=64)
    statement: str = Field(min_length=1, max_length=4000, description="整改情况: what was rectified")


class RepairDecisionIn(BaseModel):
    decision: Literal["approve", "reject"]
    reason: str | None = Field(None, max_length=4000, description="required to reject")
    effective_from: dt.datetime | None = Field(None, description="approval only; default: the decision")


class RepairOut(BaseModel):
    id: str
    subject_id: str
    fact_id: str
    status: Literal["pending", "approved", "rejected"]
    statement: str
    filed_at: dt.datetime
    decided_at: dt.datetime | None
    effective_from: dt.datetime | None
    rejection_reason: str | None


class ComplaintIn(BaseModel):
    subject_kind: KindName
    subject_id: str = Field(min_length=1, max_length=64)
    description: str = Field(min_length=1, max_length=20000)
    contact: str | None = Field(None, max_length=200, description="optional, for a reply")


class ComplaintFiledOut(BaseModel):
    id: str
    status: str
    filed_at: dt.datetime
    triage_due_at: dt.datetime


class TriageIn(BaseModel):
    decision: Literal["accept", "reject"]
    reason: str | None = Field(None, max_length=4000, description="required to reject")


class ConclusionIn(BaseModel):
    substantiated: bool
    finding: str = Field(min_length=1, max_length=4000)


class ComplaintOut(BaseModel):
    id: str
    subject_id: str
    subject_kind: KindName
    description: str
    status: Literal["filed", "accepted", "rejected", "substantiated", "unsubstantiated"]
    filed_at: dt.datetime
    triaged_at: dt.datetime | None
    rejection_reason: str | None
    concluded_at: dt.datetime | None
    finding: str | None
    triage_due_at: dt.datetime
    conclusion_due_at: dt.datetime | None


class RecomputeIn(BaseModel):
    rule_version: str | None = Field(None, description="a shipped rule-table version; default the active one")
    apply: bool = Field(False, description="false: only report the differences")


class DifferenceOut(BaseModel):
    subject_id: str
    level_stored: LevelName
    level_replayed: LevelName
    points_stored: int
    points_replayed: int
    history_differs: bool


class RecomputeOut(BaseModel):
    run_id: str
    rule_version: str
    subjects: int
    facts: int
    applied: bool
    differs: bool
    differing_subjects: int
    differences: list[DifferenceOut] = Field(description="the first 500 differing subjects")
