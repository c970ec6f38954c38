"""Delivery planning (recipient x channel, with addresses) and the exactly-once notification key."""

from __future__ import annotations

import datetime as dt
import hashlib

from hypothesis import given
from hypothesis import strategies as st

from carbon_notify.domain.channels import RegisteredEndpoints, plan_deliveries
from carbon_notify.domain.model import (
    Channel,
    ContactView,
    EnterpriseView,
    EventFacts,
    NotificationKey,
    Recipient,
    RecipientKind,
)
from carbon_notify.domain.routing import resolve_recipients
from carbon_notify.reference import load_departments, load_routes

EVENT_ID = "7d0c5a8e-0000-4000-8000-000000000001"
ENTERPRISE = EnterpriseView(
    "ent-1",
    "中宁县某发电有限公司",
    "640521",
    (
        ContactView("王经理", email="wang@example.cn", phone="13900000001"),
        ContactView("李会计", email=" wang@example.cn ", phone=None),  # same mailbox twice, padded
        ContactView("值班室", email=None, phone="13900000002"),
    ),
)
ENT = Recipient(RecipientKind.ENTERPRISE, "ent-1")
ECO = Recipient(RecipientKind.DEPARTMENT, "eco")
ZHONGNING = Recipient(RecipientKind.DEPARTMENT, "640521")


def surrender_overdue_plan(
    endpoints: dict[Recipient, RegisteredEndpoints], view: EnterpriseView | None = ENTERPRISE
):
    facts = EventFacts(
        EVENT_ID,
        "SurrenderOverdue",
        "ent-1",
        dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        {"enterprise_id": "ent-1"},
    )
    routes, departments = load_routes(), load_departments()
    resolution = resolve_recipients(event=facts, enterprise=view, routes=routes, departments=departments)
    return plan_deliveries(event_id=EVENT_ID, resolution=resolution, enterprise=view, endpoints=endpoints)


class TestPlanDeliveries:
    def test_surrender_overdue_with_eco_webhook_and_county_sms(self) -> None:
        plan = surrender_overdue_plan(
            {
                ECO: RegisteredEndpoints(webhook_subscriptions=("sub-eco-1",)),
                ZHONGNING: RegisteredEndpoints(sms_numbers=("13800000009",)),
            }
        )
        # Departments sort before enterprises (kind "department" < "enterprise"); "640521" < "eco".
        assert [(d.key.recipient, d.key.channel, d.addresses) for d in plan.deliveries] == [
            (ZHONGNING, Channel.INBOX, ()),
            (ZHONGNING, Channel.SMS, ("13800000009",)),
            (ECO, Channel.INBOX, ()),
            (ECO, Channel.WEBHOOK, ("sub-eco-1",)),
            (ENT, Channel.INBOX, ()),
            (ENT, Channel.EMAIL, ("wang@example.cn",)),
            (ENT, Channel.SMS, ("13900000001", "13900000002")),
        ]
        assert [(s.recipient, s.channel) for s in plan.skipped] == [
            (ZHONGNING, Channel.WEBHOOK),
            (ECO, Channel.SMS),
        ]

    def test_enterprise_without_email_contacts_gets_inbox_and_a_skip_reason(self) -> None:
        view = EnterpriseView("ent-1", "某公司", "640521", (ContactView("值班室", phone="13900000002"),))
        plan = surrender_overdue_plan({}, view)
        enterprise_channels = [d.key.channel for d in plan.deliveries if d.key.recipient == ENT]
        assert enterprise_channels == [Channel.INBOX, Channel.SMS]
        reasons = {(s.recipient, s.channel): s.reason for s in plan.skipped}
        assert reasons[(ENT, Channel.EMAIL)] == "no contact of the enterprise has an email address"

    def test_contacts_of_the_subject_are_never_used_for_a_department(self) -> None:
        plan = surrender_overdue_plan({})
        sms_to_departments = [
            d for d in plan.deliveries if d.key.channel is Channel.SMS and d.key.recipient != ENT
        ]
        assert sms_to_departments == []

    def test_inbox_needs_no_registration(self) -> None:
        plan = surrender_overdue_plan({}, None)
        # Without the read model: county unresolved (not planned); enterprise has inbox only.
        assert [(d.key.recipient, d.key.channel) for d in plan.deliveries] == [
            (ECO, Channel.INBOX),
            (ENT, Channel.INBOX),
        ]


class TestNotificationKey:
    def test_canonical_form_and_digest(self) -> None:
        key = NotificationKey(EVENT_ID, ECO, Channel.WEBHOOK)
        expected = f"notify-key/v1|{EVENT_ID}|department:eco|webhook"
        assert key.canonical == expected
        assert key.digest == hashlib.sha256(expected.encode()).hexdigest()

    def test_planning_twice_gives_the_same_keys(self) -> None:
        # Kafka redelivers: the second plan must produce identical keys so the unique index rejects it.
        endpoints = {ECO: RegisteredEndpoints(webhook_subscriptions=("s",))}
        assert surrender_overdue_plan(endpoints).keys == surrender_overdue_plan(endpoints).keys

    @given(
        st.sampled_from(list(RecipientKind)),
        st.text(min_size=1, max_size=8),
        st.sampled_from(list(Channel)),
        st.sampled_from(list(RecipientKind)),
        st.text(min_size=1, max_size=8),
        st.sampled_from(list(Channel)),
    )
    def test_distinct_triples_give_distinct_digests(self, k1, id1, c1, k2, id2, c2) -> None:  # type: ignore[no-untyped-def]
        first = NotificationKey(EVENT_ID, Recipient(k1, id1), c1)
        second = NotificationKey(EVENT_ID, Recipient(k2, id2), c2)
        assert (first.digest == second.digest) == (first == second)
