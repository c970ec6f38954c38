"""Whose inbox a caller reads, who owns a webhook, which event types a subscription wants."""

from __future__ import annotations

from carbon_notify.domain.model import Recipient, RecipientKind
from carbon_notify.domain.subscriptions import inbox_owner, wants, webhook_owner


def _owner(role: str, **claims: str) -> Recipient | None:
    return inbox_owner(
        role=role,
        enterprise_id=claims.get("enterprise_id"),
        agency_id=claims.get("agency_id"),
        department=claims.get("department"),
        regulator_department="eco",
    )


class TestInboxOwner:
    def test_each_role_reads_its_own_inbox(self) -> None:
        assert _owner("enterprise", enterprise_id="e1") == Recipient(RecipientKind.ENTERPRISE, "e1")
        assert _owner("department", department="640521") == Recipient(RecipientKind.DEPARTMENT, "640521")
        assert _owner("verifier", agency_id="a1") == Recipient(RecipientKind.AGENCY, "a1")
        assert _owner("region") == Recipient(RecipientKind.REGION, "region")

    def test_the_regulator_reads_the_ecology_bureau_inbox(self) -> None:
        assert _owner("regulator") == Recipient(RecipientKind.DEPARTMENT, "eco")

    def test_operations_has_no_inbox(self) -> None:
        assert _owner("ops") is None


class TestWebhookOwner:
    def test_departments_and_the_region_own_webhooks(self) -> None:
        assert webhook_owner(role="department", department="samr") == Recipient(
            RecipientKind.DEPARTMENT, "samr"
        )
        assert webhook_owner(role="region", department=None) == Recipient(RecipientKind.REGION, "region")

    def test_other_roles_do_not(self) -> None:
        assert webhook_owner(role="enterprise", department=None) is None
        assert webhook_owner(role="ops", department=None) is None


class TestWants:
    def test_an_empty_list_wants_every_type(self) -> None:
        assert wants([], "SurrenderOverdue")

    def test_a_list_wants_only_its_types(self) -> None:
        assert wants(["ReportOverdue"], "ReportOverdue")
        assert not wants(["ReportOverdue"], "SurrenderOverdue")
