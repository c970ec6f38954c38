"""Webhook signing and verification, the retry schedule, and the delivery state machine."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_notify.domain.errors import InvalidDeliveryTransition, SignatureExpired, SignatureInvalid
from carbon_notify.domain.webhook_delivery import (
    AttemptOutcome,
    DeliveryState,
    WebhookDelivery,
    new_delivery,
    record_attempt,
    redeliver,
    retry_delay,
)
from carbon_notify.domain.webhook_signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    compute_signature,
    signature_headers,
    verify_signature,
)
from carbon_notify.reference import load_delivery_policy

SECRET = "whsec_test"
BODY = '{"event":"SurrenderOverdue","企业":"中卫"}'.encode()
T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # unix 1735689600
# printf '%s' '1735689600.{"event":"SurrenderOverdue","企业":"中卫"}' | openssl dgst -sha256 -hmac whsec_test
EXPECTED_HEX = "643a57b89ed448e2b051b6edca72f563398dbe9c3ec74acc9e1375a84e3e7803"
POLICY = load_delivery_policy("2023.1").webhook  # base 30 s, factor 2, cap 3600 s, jitter 0.2, 8 attempts
NO_JITTER = Decimal(0)


def verify(
    headers: dict[str, str], *, body: bytes = BODY, now: dt.datetime = T0, secret: str = SECRET
) -> None:
    verify_signature(
        body=body,
        secret=secret,
        timestamp_header=headers.get(TIMESTAMP_HEADER),
        signature_header=headers.get(SIGNATURE_HEADER),
        now=now,
        tolerance_seconds=300,
    )


class TestSignWebhook:
    def test_signature_matches_an_independent_hmac(self) -> None:
        assert compute_signature(body=BODY, secret=SECRET, timestamp=1735689600) == EXPECTED_HEX

    def test_headers_carry_timestamp_and_sha256_prefix(self) -> None:
        headers = signature_headers(body=BODY, secret=SECRET, at=T0 + dt.timedelta(milliseconds=999))
        assert headers == {TIMESTAMP_HEADER: "1735689600", SIGNATURE_HEADER: f"sha256={EXPECTED_HEX}"}

    def test_empty_secret_is_refused(self) -> None:
        with pytest.raises(ValueError, match="must not be empty"):
            compute_signature(body=BODY, secret="", timestamp=1)


class TestVerifyWebhook:
    def test_authentic_fresh_request_passes(self) -> None:
        verify(signature_headers(body=BODY, secret=SECRET, at=T0), now=T0 + dt.timedelta(seconds=300))

    def test_altered_body_fails(self) -> None:
        headers = signature_headers(body=BODY, secret=SECRET, at=T0)
        with pytest.raises(SignatureInvalid, match="does not match"):
            verify(headers, body=BODY + b" ")

    def test_wrong_secret_fails(self) -> None:
        with pytest.raises(SignatureInvalid):
            verify(signature_headers(body=BODY, secret=SECRET, at=T0), secret="other")

    def test_replay_with_a_fresh_timestamp_fails(self) -> None:
        # An attacker keeps the old signature but sends a new timestamp: the signed string differs.
        headers = signature_headers(body=BODY, secret=SECRET, at=T0)
        later = T0 + dt.timedelta(hours=1)
        with pytest.raises(SignatureInvalid):
            verify({**headers, TIMESTAMP_HEADER: str(int(later.timestamp()))}, now=later)

    @pytest.mark.parametrize("skew", [301, -301])
    def test_outside_the_window_either_way_is_expired(self, skew: int) -> None:
        headers = signature_headers(body=BODY, secret=SECRET, at=T0)
        with pytest.raises(SignatureExpired, match="300 s window"):
            verify(headers, now=T0 + dt.timedelta(seconds=skew))

    def test_any_of_several_signatures_may_match(self) -> None:
        headers = signature_headers(body=BODY, secret=SECRET, at=T0)
        rotated = {**headers, SIGNATURE_HEADER: f"sha256={'0' * 64}, {headers[SIGNATURE_HEADER]}"}
        verify(rotated)

    @pytest.mark.parametrize(
        ("headers", "message"),
        [
            ({}, "missing"),
            ({TIMESTAMP_HEADER: "yesterday", SIGNATURE_HEADER: "sha256=ab"}, "unix seconds"),
            ({TIMESTAMP_HEADER: "1735689600", SIGNATURE_HEADER: EXPECTED_HEX}, "sha256=<hex>"),
        ],
    )
    def test_malformed_headers_are_refused(self, headers: dict[str, str], message: str) -> None:
        with pytest.raises(SignatureInvalid, match=message):
            verify(headers)


class TestRetryDelay:
    @pytest.mark.parametrize(
        ("failed", "jitter", "expected_ms"),
        [
            (1, "0", 30_000),  # 30 * 2^0
            (4, "0", 240_000),  # 30 * 2^3
            (7, "0", 1_920_000),  # 30 * 2^6
            (8, "0", 3_600_000),  # 30 * 2^7 = 3840 -> capped at 3600
            (1, "0.5", 33_000),  # 30 * (1 + 0.2 * 0.5)
            (3, "0.999", 143_976),  # 120 * (1 + 0.1998) = 143.976 s
            (8, "0.5", 3_960_000),  # cap first, then jitter: 3600 * 1.1
        ],
    )
    def test_schedule(self, failed: int, jitter: str, expected_ms: int) -> None:
        delay = retry_delay(failed_attempts=failed, policy=POLICY, jitter=Decimal(jitter))
        assert delay == dt.timedelta(milliseconds=expected_ms)

    def test_rounds_down_to_whole_milliseconds(self) -> None:
        policy = replace(POLICY, base_delay_seconds=Decimal(1))
        # 1 * (1 + 0.2 * 0.0033) = 1.00066 s -> 1.000 s
        assert retry_delay(failed_attempts=1, policy=policy, jitter=Decimal("0.0033")) == dt.timedelta(
            seconds=1
        )

    @pytest.mark.parametrize(("failed", "jitter"), [(0, "0"), (1, "1"), (1, "-0.1")])
    def test_bad_arguments_are_refused(self, failed: int, jitter: str) -> None:
        with pytest.raises(ValueError):
            retry_delay(failed_attempts=failed, policy=POLICY, jitter=Decimal(jitter))

    @given(st.integers(min_value=1, max_value=20), st.decimals(min_value=0, max_value="0.9999", places=4))
    def test_jitter_stays_within_its_bound(self, failed: int, jitter: Decimal) -> None:
        nominal = min(Decimal(30) * 2 ** (failed - 1), Decimal(3600))
        seconds = Decimal(retry_delay(failed_attempts=failed, policy=POLICY, jitter=jitter).total_seconds())
        assert nominal <= seconds <= nominal * Decimal("1.2")


def attempt(delivery: WebhookDelivery, status: int | None, at: dt.datetime, error: str | None = None):
    outcome = AttemptOutcome(status_code=status, error=error)
    return record_attempt(delivery, outcome=outcome, at=at, policy=POLICY, jitter=NO_JITTER)


class TestDeliveryStateMachine:
    def test_first_success_delivers(self) -> None:
        delivered, log = attempt(new_delivery(now=T0), 204, T0)
        assert (delivered.state, delivered.attempts, delivered.next_attempt_at) == (
            DeliveryState.DELIVERED,
            1,
            None,
        )
        assert (log.number, log.status_code, log.error, log.state_after) == (
            1,
            204,
            None,
            DeliveryState.DELIVERED,
        )

    @pytest.mark.parametrize("status", [500, 503, 408, 425, 429, None])
    def test_retryable_failure_schedules_the_next_try(self, status: int | None) -> None:
        retrying, log = attempt(
            new_delivery(now=T0), status, T0, error="connect timeout" if status is None else None
        )
        assert retrying.state is DeliveryState.RETRYING
        assert retrying.next_attempt_at == T0 + dt.timedelta(seconds=30)
        assert log.error == ("connect timeout" if status is None else f"HTTP {status}")

    @pytest.mark.parametrize("status", [400, 401, 404, 410, 301])
    def test_permanent_failure_is_dead_at_once(self, status: int) -> None:
        dead, _ = attempt(new_delivery(now=T0), status, T0)
        assert (dead.state, dead.attempts) == (DeliveryState.DEAD, 1)

    def test_failing_receiver_is_retried_until_dead(self) -> None:
        delivery, at, log_states = new_delivery(now=T0), T0, []
        while delivery.state in (DeliveryState.PENDING, DeliveryState.RETRYING):
            delivery, log = attempt(delivery, 503, at)
            log_states.append(log.state_after)
            at = delivery.next_attempt_at or at
        assert log_states == [DeliveryState.RETRYING] * 7 + [DeliveryState.DEAD]
        # Last try at T0 + 30 + 60 + 120 + 240 + 480 + 960 + 1920 = T0 + 3810 s
        assert at == T0 + dt.timedelta(seconds=3810)
        assert (delivery.attempts, delivery.last_error) == (8, "HTTP 503")

    def test_no_attempt_after_a_final_state(self) -> None:
        delivered, _ = attempt(new_delivery(now=T0), 200, T0)
        with pytest.raises(InvalidDeliveryTransition, match="delivered delivery takes no more attempts"):
            attempt(delivered, 200, T0)

    def test_success_clears_the_last_error(self) -> None:
        retrying, _ = attempt(new_delivery(now=T0), 500, T0)
        delivered, _ = attempt(retrying, 200, T0 + dt.timedelta(seconds=30))
        assert (delivered.state, delivered.attempts, delivered.last_error) == (
            DeliveryState.DELIVERED,
            2,
            None,
        )

    def test_is_due(self) -> None:
        retrying, _ = attempt(new_delivery(now=T0), 500, T0)
        assert not retrying.is_due(T0 + dt.timedelta(seconds=29))
        assert retrying.is_due(T0 + dt.timedelta(seconds=30))
        delivered, _ = attempt(retrying, 200, T0 + dt.timedelta(seconds=30))
        assert not delivered.is_due(T0 + dt.timedelta(days=1))


class TestManualRedelivery:
    def test_dead_becomes_pending_with_a_fresh_series(self) -> None:
        dead, _ = attempt(new_delivery(now=T0), 404, T0)
        later = T0 + dt.timedelta(days=1)
        again = redeliver(dead, now=later)
        assert again == WebhookDelivery(
            DeliveryState.PENDING, 0, later, last_error="HTTP 404", redeliveries=1
        )
        assert again.is_due(later)

    @pytest.mark.parametrize("status", [200, 500])
    def test_only_dead_deliveries_can_be_redelivered(self, status: int) -> None:
        not_dead, _ = attempt(new_delivery(now=T0), status, T0)
        with pytest.raises(InvalidDeliveryTransition, match="only a dead delivery"):
            redeliver(not_dead, now=T0)
