"""From resolved recipients to concrete deliveries: one per (event, recipient, channel), with addresses.

Eligibility, per channel:
- inbox: every recipient, always (no address: the inbox is keyed by the recipient itself);
- email: enterprises only, to every contact with an email address;
- sms: enterprise contacts with a phone, plus numbers a recipient registered;
- webhook: the subscriptions a recipient registered (departments, agencies, an enterprise's system).
A channel the route asks for but the recipient cannot receive is reported as skipped, never dropped
silently, so operations can see why a department got no SMS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from carbon_notify.domain.model import Channel, EnterpriseView, NotificationKey, Recipient, RecipientKind
from carbon_notify.domain.routing import Resolution


@dataclass(frozen=True)
class RegisteredEndpoints:
    """What a recipient registered beyond the inbox: webhook subscription ids and SMS numbers."""

    webhook_subscriptions: tuple[str, ...] = ()
    sms_numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlannedDelivery:
    key: NotificationKey
    addresses: tuple[str, ...]  # emails, phone numbers or webhook subscription ids; empty for the inbox


@dataclass(frozen=True)
class SkippedChannel:
    recipient: Recipient
    channel: Channel
    reason: str


@dataclass(frozen=True)
class DeliveryPlan:
    deliveries: tuple[PlannedDelivery, ...]
    skipped: tuple[SkippedChannel, ...]

    @property
    def keys(self) -> frozenset[NotificationKey]:
        return frozenset(delivery.key for delivery in self.deliveries)


_NO_ENDPOINTS = RegisteredEndpoints()
_CHANNEL_ORDER = (Channel.INBOX, Channel.EMAIL, Channel.SMS, Channel.WEBHOOK)


def plan_deliveries(
    *,
    event_id: str,
    resolution: Resolution,
    enterprise: EnterpriseView | None,
    endpoints: Mapping[Recipient, RegisteredEndpoints],
) -> DeliveryPlan:
    """The deliveries for one event, sorted by recipient then channel (inbox, email, sms, webhook).

    `enterprise` is the subject enterprise's read model; its contacts are used only for that enterprise.
    """
    deliveries: list[PlannedDelivery] = []
    skipped: list[SkippedChannel] = []
    for resolved in resolution.recipients:
        recipient = resolved.recipient
        registered = endpoints.get(recipient, _NO_ENDPOINTS)
        contacts = enterprise if enterprise and recipient == _enterprise_recipient(enterprise) else None
        for channel in (c for c in _CHANNEL_ORDER if c in resolved.channels):
            addresses = _addresses(recipient, channel, contacts=contacts, registered=registered)
            if channel is not Channel.INBOX and not addresses:
                skipped.append(SkippedChannel(recipient, channel, _why_none(recipient, channel)))
                continue
            key = NotificationKey(event_id=event_id, recipient=recipient, channel=channel)
            deliveries.append(PlannedDelivery(key=key, addresses=addresses))
    return DeliveryPlan(deliveries=tuple(deliveries), skipped=tuple(skipped))


def _enterprise_recipient(enterprise: EnterpriseView) -> Recipient:
    return Recipient(RecipientKind.ENTERPRISE, enterprise.enterprise_id)


def _addresses(
    recipient: Recipient,
    channel: Channel,
    *,
    contacts: EnterpriseView | None,
    registered: RegisteredEndpoints,
) -> tuple[str, ...]:
    if channel is Channel.INBOX:
        return ()
    if channel is Channel.WEBHOOK:
        return _unique(registered.webhook_subscriptions)
    contact_list = contacts.contacts if contacts else ()
    if channel is Channel.EMAIL:
        if recipient.kind is not RecipientKind.ENTERPRISE:
            return ()
        return _unique(contact.email for contact in contact_list)
    return _unique([*(contact.phone for contact in contact_list), *registered.sms_numbers])


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """Non-blank values, stripped, deduplicated and sorted (a stable order for tests and logs)."""
    return tuple(sorted({value.strip() for value in values if value and value.strip()}))


def _why_none(recipient: Recipient, channel: Channel) -> str:
    if channel is Channel.EMAIL and recipient.kind is not RecipientKind.ENTERPRISE:
        return "email goes to enterprise contacts only"
    if channel is Channel.EMAIL:
        return "no contact of the enterprise has an email address"
    if channel is Channel.SMS:
        return "no phone number: no contact phone and none registered"
    return "no webhook subscription registered"
