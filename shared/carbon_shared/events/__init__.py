"""The event contract: envelope, one typed class per event, and the codec.

Importing this package registers every event class in the catalogue.
"""

from carbon_shared.events import allowance_events, credit_events, registry_events, reporting_events
from carbon_shared.events.allowance_events import (
    AllowanceAllocated,
    AllowanceCancelled,
    AllowanceFrozen,
    AllowancePledged,
    AllowanceSurrendered,
    AllowanceTransferred,
    CcerDeposited,
    FreezeLifted,
    ObligationEstablished,
    ObligationFulfilled,
    PledgeReleased,
    SurrenderOverdue,
)
from carbon_shared.events.base import DomainEvent, ExactDecimal, catalogue, lookup, payload_schema
from carbon_shared.events.credit_events import CreditRatingChanged
from carbon_shared.events.envelope import Envelope, InvalidEvent, decode, encode, new_envelope
from carbon_shared.events.registry_events import (
    AgencyRegistered,
    AgencyViolationRecorded,
    Contact,
    EmitterDelisted,
    EmitterListed,
    EnterpriseClosed,
    EnterpriseRegistered,
    EnterpriseUpdated,
)
from carbon_shared.events.reporting_events import (
    DataQualityFlagged,
    FalsificationSuspected,
    LedgerOverdue,
    RecheckOrdered,
    ReportOverdue,
    ReportReturned,
    ReportSubmitted,
    ReportVerified,
    ReviewRequested,
)
from carbon_shared.events.topics import PRODUCERS, dead_letter_topic, topic_for

__all__ = [
    "PRODUCERS",
    "AgencyRegistered",
    "AgencyViolationRecorded",
    "AllowanceAllocated",
    "AllowanceCancelled",
    "AllowanceFrozen",
    "AllowancePledged",
    "AllowanceSurrendered",
    "AllowanceTransferred",
    "CcerDeposited",
    "Contact",
    "CreditRatingChanged",
    "DataQualityFlagged",
    "DomainEvent",
    "EmitterDelisted",
    "EmitterListed",
    "EnterpriseClosed",
    "EnterpriseRegistered",
    "EnterpriseUpdated",
    "Envelope",
    "ExactDecimal",
    "FalsificationSuspected",
    "FreezeLifted",
    "InvalidEvent",
    "LedgerOverdue",
    "ObligationEstablished",
    "ObligationFulfilled",
    "PledgeReleased",
    "RecheckOrdered",
    "ReportOverdue",
    "ReportReturned",
    "ReportSubmitted",
    "ReportVerified",
    "ReviewRequested",
    "SurrenderOverdue",
    "allowance_events",
    "catalogue",
    "credit_events",
    "dead_letter_topic",
    "decode",
    "encode",
    "lookup",
    "new_envelope",
    "payload_schema",
    "registry_events",
    "reporting_events",
    "topic_for",
]
