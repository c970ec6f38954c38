"""SMS to several phones: which phones a retry texts, and what one attempt over them amounts to;
who owns a registered SMS number."""

from __future__ import annotations

from carbon_notify.domain.model import Recipient, RecipientKind
from carbon_notify.domain.sms import combined_outcome, phones_to_try
from carbon_notify.domain.subscriptions import sms_owner
from carbon_notify.domain.webhook_delivery import AttemptOutcome
from carbon_notify.reference import load_reference

POLICY = load_reference().delivery.webhook
OK, DOWN, INVALID = AttemptOutcome(200), AttemptOutcome(503, "busy"), AttemptOutcome(422, "not a mobile")


class TestPhonesToTry:
    def test_a_retry_skips_the_phones_that_accepted(self) -> None:
        assert phones_to_try(["1", "2", "3"], ["2"]) == ("1", "3")

    def test_a_first_attempt_texts_every_phone_in_order(self) -> None:
        assert phones_to_try(["3", "1"], None) == ("3", "1")
        assert phones_to_try(["3", "1"], []) == ("3", "1")


class TestCombinedOutcome:
    def test_succeeds_only_when_every_phone_accepted(self) -> None:
        assert combined_outcome({"a": OK, "b": OK}, POLICY).succeeded
        assert not combined_outcome({"a": OK, "b": DOWN}, POLICY).succeeded

    def test_a_retryable_failure_wins_so_the_retry_happens(self) -> None:
        outcome = combined_outcome({"a": INVALID, "b": DOWN}, POLICY)
        assert outcome.is_retryable(POLICY)
        assert (
            outcome.error is not None
            and "2 of 2 phones failed" in outcome.error
            and "b: busy" in outcome.error
        )

    def test_only_permanent_failures_are_permanent(self) -> None:
        outcome = combined_outcome({"a": OK, "b": INVALID}, POLICY)
        assert outcome.status_code == 422 and not outcome.is_retryable(POLICY)


class TestSmsOwner:
    def test_departments_own_their_numbers_and_the_regulator_stands_for_its_bureau(self) -> None:
        dept = RecipientKind.DEPARTMENT
        assert sms_owner(role="department", department="samr", regulator_department="eco") == Recipient(
            dept, "samr"
        )
        assert sms_owner(role="regulator", department=None, regulator_department="eco") == Recipient(
            dept, "eco"
        )

    def test_other_roles_own_none(self) -> None:
        for role in ("enterprise", "verifier", "region", "ops", "department"):
            assert sms_owner(role=role, department=None, regulator_department="eco") is None
