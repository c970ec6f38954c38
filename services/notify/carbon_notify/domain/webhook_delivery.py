"""Webhook delivery policy: the retry schedule and the delivery state machine.

    pending --success--> delivered
    pending/retrying --retryable failure, attempts left--> retrying (next_attempt_at set)
    pending/retrying --permanent failure, or last attempt failed--> dead
    dead --manual redelivery--> pending (a fresh series of attempts)
Delivered and dead are final for attempts; only dead may be redelivered.

The schedule is exponential with a bounded jitter, and pure: the caller supplies the random draw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from carbon_notify.domain.errors import InvalidDeliveryTransition

_MILLISECOND = Decimal("0.001")


@dataclass(frozen=True)
class WebhookPolicy:
    base_delay_seconds: Decimal
    factor: Decimal
    max_delay_seconds: Decimal
    jitter_ratio: Decimal  # a delay grows by at most this fraction of itself
    max_attempts: int
    retryable_statuses: frozenset[int]  # besides every 5xx and network errors
    signature_tolerance_seconds: int
    request_timeout_seconds: Decimal


class DeliveryState(StrEnum):
    PENDING = "pending"
    RETRYING = "retrying"
    DELIVERED = "delivered"
    DEAD = "dead"


@dataclass(frozen=True)
class AttemptOutcome:
    """What one HTTP attempt gave: a status code, or None with an error when no response came."""

    status_code: int | None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def is_retryable(self, policy: WebhookPolicy) -> bool:
        """Network errors, timeouts, 5xx and the policy's listed statuses (408, 429...) are worth another
        try; any other answer (4xx, a redirect we will not follow) will not change by resending."""
        if self.status_code is None:
            return True
        return self.status_code >= 500 or self.status_code in policy.retryable_statuses


@dataclass(frozen=True)
class AttemptRecord:
    """One line of the delivery log."""

    number: int
    at: dt.datetime
    status_code: int | None
    error: str | None
    state_after: DeliveryState


@dataclass(frozen=True)
class WebhookDelivery:
    state: DeliveryState
    attempts: int  # in the current series (reset by a manual redelivery)
    next_attempt_at: dt.datetime | None
    last_error: str | None = None
    redeliveries: int = 0

    def is_due(self, now: dt.datetime) -> bool:
        active = self.state in (DeliveryState.PENDING, DeliveryState.RETRYING)
        return active and self.next_attempt_at is not None and self.next_attempt_at <= now


def new_delivery(*, now: dt.datetime) -> WebhookDelivery:
    return WebhookDelivery(state=DeliveryState.PENDING, attempts=0, next_attempt_at=now)


def retry_delay(*, failed_attempts: int, policy: WebhookPolicy, jitter: Decimal) -> dt.timedelta:
    """Wait after the n-th failed attempt: min(base * factor^(n-1), max) * (1 + jitter_ratio * jitter).

    `jitter` is a uniform draw in [0, 1) from the caller; the result lies in [nominal, nominal * (1 +
    jitter_ratio)) and is rounded down to whole milliseconds.
    """
    if failed_attempts < 1:
        raise ValueError("failed_attempts starts at 1")
    if not Decimal(0) <= jitter < Decimal(1):
        raise ValueError(f"jitter must be in [0, 1), got {jitter}")
    nominal = min(
        policy.base_delay_seconds * policy.factor ** (failed_attempts - 1), policy.max_delay_seconds
    )
    seconds = (nominal * (1 + policy.jitter_ratio * jitter)).quantize(_MILLISECOND, rounding=ROUND_DOWN)
    return dt.timedelta(milliseconds=int(seconds * 1000))


def record_attempt(
    delivery: WebhookDelivery,
    *,
    outcome: AttemptOutcome,
    at: dt.datetime,
    policy: WebhookPolicy,
    jitter: Decimal,
) -> tuple[WebhookDelivery, AttemptRecord]:
    """The delivery after one attempt, and the log line that records it."""
    if delivery.state not in (DeliveryState.PENDING, DeliveryState.RETRYING):
        raise InvalidDeliveryTransition(f"a {delivery.state.value} delivery takes no more attempts")
    attempts = delivery.attempts + 1
    error = None if outcome.succeeded else (outcome.error or f"HTTP {outcome.status_code}")
    if outcome.succeeded:
        after = replace(delivery, state=DeliveryState.DELIVERED, attempts=attempts, next_attempt_at=None)
    elif not outcome.is_retryable(policy) or attempts >= policy.max_attempts:
        after = replace(delivery, state=DeliveryState.DEAD, attempts=attempts, next_attempt_at=None)
    else:
        wait = retry_delay(failed_attempts=attempts, policy=policy, jitter=jitter)
        after = replace(delivery, state=DeliveryState.RETRYING, attempts=attempts, next_attempt_at=at + wait)
    after = replace(after, last_error=error)
    record = AttemptRecord(attempts, at, outcome.status_code, error, after.state)
    return after, record


def redeliver(delivery: WebhookDelivery, *, now: dt.datetime) -> WebhookDelivery:
    """Manual redelivery (an operator, after the receiver is fixed): dead -> pending, attempts reset."""
    if delivery.state is not DeliveryState.DEAD:
        raise InvalidDeliveryTransition(
            f"only a dead delivery can be redelivered; this one is {delivery.state.value}"
        )
    return WebhookDelivery(
        state=DeliveryState.PENDING,
        attempts=0,
        next_attempt_at=now,
        last_error=delivery.last_error,
        redeliveries=delivery.redeliveries + 1,
    )
