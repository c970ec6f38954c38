"""Who a caller is as a recipient, and which webhook subscriptions an event reaches.

A department or the region registers webhooks. A department's subscriptions carry the events routed
to it (filtered by the event types it chose); the region, which no route names, receives a feed of
every event of the types it chose. An empty type list means every type.
"""

from __future__ import annotations

from collections.abc import Collection

from carbon_notify.domain.model import REGION_ID, Recipient, RecipientKind


def inbox_owner(
    *,
    role: str,
    enterprise_id: str | None,
    agency_id: str | None,
    department: str | None,
    regulator_department: str,
) -> Recipient | None:
    """The recipient whose inbox a caller reads; None for roles without an inbox (ops).

    The regulator is the city ecology bureau, so it reads that department's inbox."""
    if role == "enterprise" and enterprise_id:
        return Recipient(RecipientKind.ENTERPRISE, enterprise_id)
    if role == "department" and department:
        return Recipient(RecipientKind.DEPARTMENT, department)
    if role == "verifier" and agency_id:
        return Recipient(RecipientKind.AGENCY, agency_id)
    if role == "region":
        return Recipient(RecipientKind.REGION, REGION_ID)
    if role == "regulator":
        return Recipient(RecipientKind.DEPARTMENT, regulator_department)
    return None


def webhook_owner(*, role: str, department: str | None) -> Recipient | None:
    """Who owns a webhook a caller registers: its department, or the region; None otherwise."""
    if role == "department" and department:
        return Recipient(RecipientKind.DEPARTMENT, department)
    if role == "region":
        return Recipient(RecipientKind.REGION, REGION_ID)
    return None


def wants(event_types: Collection[str], event_type: str) -> bool:
    return not event_types or event_type in event_types


def sms_owner(*, role: str, department: str | None, regulator_department: str) -> Recipient | None:
    """Who owns a phone number a caller registers for the SMS channel: its department (the regulator
    stands for the city ecology bureau); None for roles that routes never text."""
    if role == "department" and department:
        return Recipient(RecipientKind.DEPARTMENT, department)
    if role == "regulator":
        return Recipient(RecipientKind.DEPARTMENT, regulator_department)
    return None
