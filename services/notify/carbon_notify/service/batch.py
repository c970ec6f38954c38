"""The consumer's work on a batch, buffered and flushed once.

The runtime hands a batch of up to 500 events to the handlers one by one inside ONE transaction, then
commits. Instead of writing per event (4 round trips each), every handler call records a step in the
`Batch` attached to the session, and the batch is flushed in the session's `before_commit` event: still
inside that transaction, so the event log, the read models, the inbox of processed events and every
notification commit or roll back together. The flush reads each read model once for the whole batch
and writes with a few multi-row statements (INSERT .. ON CONFLICT DO NOTHING on the notification key).

Steps are replayed in stream order against in-memory copies of the read models, so an event is routed
with the enterprise as it stood at that point of the stream, and an event whose enterprise arrives later
in the same batch is parked and routed when it arrives, exactly as when each was committed alone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.util import await_only

from carbon_notify.db import event_log, notifications, read_models, sms_numbers, webhooks
from carbon_notify.domain.model import EnterpriseView, Recipient, RecipientKind
from carbon_notify.reference import ReferenceBundle, load_reference
from carbon_notify.service.routing import (
    Endpoints,
    RoutedEvent,
    Subscription,
    route_event,
    subject_enterprise,
    unnamed_agency,
    webhook_delivery_rows,
)
from carbon_shared.db import UnitOfWork
from carbon_shared.events import Envelope

_SESSION_KEY = "carbon_notify.batch"


@dataclass(frozen=True)
class RouteEvent:
    envelope: Envelope
    unparking: bool = False  # route with what is known even if the enterprise is still unknown


@dataclass(frozen=True)
class SaveEnterprise:
    row: dict[str, Any]


@dataclass(frozen=True)
class CloseEnterprise:
    enterprise_id: str


@dataclass(frozen=True)
class SaveAgency:
    row: dict[str, Any]


Step = RouteEvent | SaveEnterprise | CloseEnterprise | SaveAgency


@dataclass
class Batch:
    logged: list[Envelope] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


def batch_of(uow: UnitOfWork) -> Batch:
    """The batch of this unit of work, created (and hooked to the commit) on first use."""
    session = uow.session
    batch = session.info.get(_SESSION_KEY)
    if batch is None:
        batch = session.info[_SESSION_KEY] = Batch()

        def flush_before_commit(_: Session) -> None:
            # Runs inside the commit's greenlet: await_only drives the async flush on this connection.
            await_only(flush_pending(session))

        event.listen(session.sync_session, "before_commit", flush_before_commit)
    return batch


async def flush_pending(session: AsyncSession) -> int:
    """Flush the session's batch, if any; returns how many notifications are new."""
    batch = session.info.pop(_SESSION_KEY, None)
    return await flush(session, batch) if batch is not None else 0


async def release_stale_parked(session: AsyncSession, *, older_than: dt.timedelta) -> int:
    """Route events whose enterprise never arrived, with what is known (placeholders for the name):
    a department must not miss a joint-enforcement alert because the registry lags."""
    cutoff = dt.datetime.now(dt.UTC) - older_than
    parked = await event_log.take_parked(session, parked_before=cutoff)
    batch = Batch(
        steps=[RouteEvent(Envelope.model_validate_json(body), unparking=True) for _, body in parked]
    )
    return await flush(session, batch)


async def flush(session: AsyncSession, batch: Batch) -> int:
    replay = await _Replay.load(session, batch)
    for step in batch.steps:
        replay.apply(step)
    await event_log.append(session, batch.logged)
    await replay.save_read_models(session)
    return await replay.save_notifications(session)


async def _endpoints(session: AsyncSession) -> Endpoints:
    subscriptions = [
        Subscription(
            str(row.id), Recipient(RecipientKind(row.owner_kind), row.owner_id), tuple(row.event_types)
        )
        for row in await webhooks.all_active(session)
    ]
    return Endpoints(subscriptions, await sms_numbers.by_owner(session))


def _group(pairs: Iterable[tuple[str, str]]) -> dict[str, list[Envelope]]:
    grouped: dict[str, list[Envelope]] = {}
    for enterprise_id, body in pairs:
        grouped.setdefault(enterprise_id, []).append(Envelope.model_validate_json(body))
    return grouped


@dataclass
class _Replay:
    """The batch's steps replayed in order against in-memory copies of the read models."""

    bundle: ReferenceBundle
    endpoints: Endpoints
    enterprises: dict[str, EnterpriseView]
    agency_names: dict[str, str]
    parked_earlier: dict[str, list[Envelope]]  # parked by earlier batches, for enterprises saved now
    parked_now: dict[str, list[Envelope]] = field(default_factory=dict)
    enterprise_rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    closed: set[str] = field(default_factory=set)
    agency_rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    routed: list[RoutedEvent] = field(default_factory=list)

    @classmethod
    async def load(cls, session: AsyncSession, batch: Batch) -> _Replay:
        """One query per read model for the whole batch (and none when the batch routes nothing)."""
        saved = {step.row["enterprise_id"] for step in batch.steps if isinstance(step, SaveEnterprise)}
        parked = _group(await event_log.take_parked(session, enterprise_ids=saved) if saved else [])
        envelopes = [s.envelope for s in batch.steps if isinstance(s, RouteEvent)]
        envelopes += [envelope for waiting in parked.values() for envelope in waiting]
        enterprise_ids = {i for e in envelopes if (i := subject_enterprise(e.payload))}
        agency_ids = {i for e in envelopes if (i := unnamed_agency(e.payload))}
        return cls(
            bundle=load_reference(),
            endpoints=await _endpoints(session) if envelopes else Endpoints((), {}),
            enterprises=await read_models.enterprise_views(session, enterprise_ids),
            agency_names=await read_models.agency_names(session, agency_ids),
            parked_earlier=parked,
        )

    def apply(self, step: Step) -> None:
        if isinstance(step, RouteEvent):
            self._route(step.envelope, unparking=step.unparking)
        elif isinstance(step, SaveEnterprise):
            self._save_enterprise(step.row)
        elif isinstance(step, CloseEnterprise):
            self._close_enterprise(step.enterprise_id)
        else:
            self.agency_rows[step.row["agency_id"]] = step.row
            self.agency_names[step.row["agency_id"]] = step.row["name"]

    def _route(self, envelope: Envelope, *, unparking: bool) -> None:
        enterprise_id = subject_enterprise(envelope.payload)
        enterprise = self.enterprises.get(enterprise_id) if enterprise_id else None
        if (
            enterprise_id
            and enterprise is None
            and not unparking
            and self.bundle.routes.rules_for(envelope.type)
        ):
            # Name, county and contacts are unknown until the registry's event arrives (it travels on
            # another topic, so it may come later): wait for it rather than send half a message.
            self.parked_now.setdefault(enterprise_id, []).append(envelope)
            return
        routed = route_event(
            envelope,
            enterprise=enterprise,
            agency_names=self.agency_names,
            endpoints=self.endpoints,
            bundle=self.bundle,
        )
        if routed is not None:
            self.routed.append(routed)

    def _save_enterprise(self, row: dict[str, Any]) -> None:
        """Store the registry's snapshot, then route what waited for this enterprise."""
        enterprise_id = row["enterprise_id"]
        self.enterprise_rows[enterprise_id] = row
        self.closed.discard(enterprise_id)
        self.enterprises[enterprise_id] = read_models.view_of(row)
        waiting = [*self.parked_earlier.pop(enterprise_id, []), *self.parked_now.pop(enterprise_id, [])]
        for envelope in waiting:
            self._route(envelope, unparking=True)

    def _close_enterprise(self, enterprise_id: str) -> None:
        if enterprise_id in self.enterprise_rows:
            self.enterprise_rows[enterprise_id] = {**self.enterprise_rows[enterprise_id], "status": "closed"}
        else:
            self.closed.add(enterprise_id)

    async def save_read_models(self, session: AsyncSession) -> None:
        await read_models.save_enterprises(session, list(self.enterprise_rows.values()))
        await read_models.mark_enterprises_closed(session, self.closed)
        await read_models.save_agencies(session, list(self.agency_rows.values()))
        still_waiting = [(e.event_id, eid) for eid, waiting in self.parked_now.items() for e in waiting]
        await event_log.park(session, still_waiting)

    async def save_notifications(self, session: AsyncSession) -> int:
        """Insert the notifications not there yet, and fan the new webhook ones out to deliveries."""
        now = dt.datetime.now(dt.UTC)
        rows = {_key(row): row for routed in self.routed for row in routed.rows(now)}
        created = await notifications.insert_new(session, list(rows.values()))
        by_event = {routed.envelope.event_id: routed for routed in self.routed}
        fan_out = [
            delivery
            for row in created
            if row.channel == "webhook"
            for delivery in webhook_delivery_rows(
                row.id,
                by_event[row.event_id],
                Recipient(RecipientKind(row.recipient_kind), row.recipient_id),
                now,
            )
        ]
        await webhooks.insert_deliveries(session, fan_out)
        return len(created)


def _key(row: dict[str, Any]) -> tuple[uuid.UUID, str, str, str]:
    return row["event_id"], row["recipient_kind"], row["recipient_id"], row["channel"]
