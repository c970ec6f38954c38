"""Periodic jobs of the notify service: the delivery workers (each idempotent, safe with replicas).

Every half second each worker claims what is due, sends it and records the outcome; a channel that
is not configured (no SMTP host, no SMS gateway) leaves its notifications pending until it is.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

import httpx

from carbon_notify.service.batch import release_stale_parked
from carbon_notify.service.delivery import (
    deliver_due_email,
    deliver_due_sms,
    deliver_due_webhooks,
    retry_policy,
)
from carbon_notify.settings import NotifySettings
from carbon_shared.runtime import PeriodicJob, ServiceRuntime

WORKER_INTERVAL = dt.timedelta(seconds=0.5)


def _settings(runtime: ServiceRuntime) -> NotifySettings:
    return cast(NotifySettings, runtime.settings)


def _client(timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False)


async def deliver_webhooks(runtime: ServiceRuntime) -> int:
    settings = _settings(runtime)
    policy = retry_policy(settings)
    async with _client(float(policy.request_timeout_seconds)) as client, runtime.uow() as uow:
        sent = await deliver_due_webhooks(
            uow, client=client, policy=policy, limit=settings.delivery_batch_size
        )
        await uow.commit()
    return sent


async def deliver_email(runtime: ServiceRuntime) -> int:
    settings = _settings(runtime)
    if settings.smtp_host is None:
        return 0
    async with runtime.uow() as uow:
        sent = await deliver_due_email(
            uow, settings=settings, policy=retry_policy(settings), limit=settings.delivery_batch_size
        )
        await uow.commit()
    return sent


async def deliver_sms(runtime: ServiceRuntime) -> int:
    settings = _settings(runtime)
    if settings.sms_gateway_url is None:
        return 0
    policy = retry_policy(settings)
    async with _client(float(policy.request_timeout_seconds)) as client, runtime.uow() as uow:
        sent = await deliver_due_sms(
            uow,
            client=client,
            gateway_url=settings.sms_gateway_url,
            policy=policy,
            limit=settings.delivery_batch_size,
        )
        await uow.commit()
    return sent


async def release_parked(runtime: ServiceRuntime) -> int:
    older_than = dt.timedelta(seconds=_settings(runtime).park_timeout_seconds)
    async with runtime.uow() as uow:
        routed = await release_stale_parked(uow.session, older_than=older_than)
        await uow.commit()
    return routed


JOBS: list[PeriodicJob] = [
    PeriodicJob("webhook-delivery", WORKER_INTERVAL, deliver_webhooks),
    PeriodicJob("email-delivery", WORKER_INTERVAL, deliver_email),
    PeriodicJob("sms-delivery", WORKER_INTERVAL, deliver_sms),
    PeriodicJob("parked-release", dt.timedelta(seconds=10), release_parked),
]
