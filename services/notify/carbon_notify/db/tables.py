"""The notify service's tables (the platform's outbox/inbox tables come from carbon_shared.db).

- `enterprises`, `agencies`: read models built from registry events (names, county, contacts).
- `event_log`: every domain event consumed, in arrival order; its id is the SSE event id.
- `parked_events`: events routed before their enterprise reached the read model; re-routed on arrival.
- `notifications`: exactly one row per (event, recipient, channel) -- the unique key the consumer
  inserts against with ON CONFLICT DO NOTHING. Inbox rows carry `read_at`; email and SMS rows carry
  their delivery state (the worker claims them); webhook rows fan out into `webhook_deliveries`.
- `webhook_subscriptions`, `webhook_deliveries`: endpoints registered by a department or the region,
  one delivery per (notification, subscription) with its state machine.
- `sms_numbers`: phone numbers a department registered for the SMS channel of its routes.
- `delivery_attempts`: the delivery log of every email, SMS and webhook attempt.
"""

from sqlalchemy import JSON, Column, Index, Integer, String, Table, Text, UniqueConstraint, Uuid

from carbon_shared.db import UtcDateTime, make_metadata
from carbon_shared.db.tables import BigId

metadata = make_metadata()

enterprises = Table(
    "enterprises",
    metadata,
    Column("enterprise_id", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("county_code", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("contacts", JSON, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

agencies = Table(
    "agencies",
    metadata,
    Column("agency_id", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

event_log = Table(
    "event_log",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("event_type", String(100), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("body", Text, nullable=False),
    Column("stored_at", UtcDateTime, nullable=False),
)
Index("ix_event_log_subject", event_log.c.subject, event_log.c.id)

parked_events = Table(
    "parked_events",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("enterprise_id", String(64), nullable=False, index=True),
    Column("parked_at", UtcDateTime, nullable=False),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False),
    Column("recipient_kind", String(20), nullable=False),
    Column("recipient_id", String(64), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("sms_text", Text, nullable=False),
    Column("addresses", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("read_at", UtcDateTime, nullable=True),
    # delivery of email/sms rows (inbox rows are born "delivered"; webhook rows fan out)
    Column("state", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    # SMS: the phones that accepted the message; a retry goes only to the others
    Column("delivered_to", JSON, nullable=True),
    UniqueConstraint("event_id", "recipient_kind", "recipient_id", "channel", name="uq_notifications_triple"),
)
Index(
    "ix_notifications_inbox", notifications.c.recipient_kind, notifications.c.recipient_id, notifications.c.id
)
Index("ix_notifications_due", notifications.c.channel, notifications.c.state, notifications.c.next_attempt_at)

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("owner_kind", String(20), nullable=False),
    Column("owner_id", String(64), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("secret", String(200), nullable=False),
    Column("event_types", JSON, nullable=False),
    Column("active", Integer, nullable=False, default=1),
    Column("created_at", UtcDateTime, nullable=False),
    # deleted subscriptions stay for their delivery log, hidden from listings and routing
    Column("deleted_at", UtcDateTime, nullable=True),
)
Index("ix_webhook_subscriptions_owner", webhook_subscriptions.c.owner_kind, webhook_subscriptions.c.owner_id)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("notification_id", BigId, nullable=False),
    Column("subscription_id", Uuid, nullable=False, index=True),
    Column("event_id", Uuid, nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("body", Text, nullable=False),
    Column("state", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("redeliveries", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("notification_id", "subscription_id", name="uq_webhook_deliveries_target"),
)
Index("ix_webhook_deliveries_due", webhook_deliveries.c.state, webhook_deliveries.c.next_attempt_at)

sms_numbers = Table(
    "sms_numbers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("owner_kind", String(20), nullable=False),
    Column("owner_id", String(64), nullable=False),
    Column("phone", String(20), nullable=False),  # normalised mainland mobile, 11 digits
    Column("label", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("owner_kind", "owner_id", "phone", name="uq_sms_numbers_owner_phone"),
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("channel", String(20), nullable=False),
    Column("target_id", BigId, nullable=False),  # notifications.id (email, sms) or webhook_deliveries.id
    Column("number", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", Text, nullable=True),
    Column("state_after", String(20), nullable=False),
)
Index("ix_delivery_attempts_target", delivery_attempts.c.channel, delivery_attempts.c.target_id)
