"""The channels' transports: SMTP for email, HTTP for webhooks and the SMS gateway.

Each send returns an AttemptOutcome instead of raising, so the worker records every try in the
delivery log and the domain's state machine decides whether to retry.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage

import httpx

from carbon_notify.domain.errors import InvalidPhoneNumber
from carbon_notify.domain.sms import SmsPolicy, shape_sms
from carbon_notify.domain.webhook_delivery import AttemptOutcome
from carbon_notify.domain.webhook_signing import signature_headers
from carbon_notify.settings import NotifySettings

# An address that can never work is not retried: reported as 422 (not retryable by the policy).
_PERMANENT = 422


def build_email(*, sender: str, to: Sequence[str], subject: str, body: str) -> EmailMessage:
    message = EmailMessage()  # UTF-8 headers (RFC 2047) and body: Chinese names arrive intact
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message.set_content(body)
    return message


def _send_blocking(settings: NotifySettings, message: EmailMessage, timeout: float) -> None:
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username and settings.smtp_password:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)


async def send_email(
    settings: NotifySettings, message: EmailMessage, *, smtp_timeout: float
) -> AttemptOutcome:
    try:
        await asyncio.to_thread(_send_blocking, settings, message, smtp_timeout)
    except smtplib.SMTPRecipientsRefused as exc:
        return AttemptOutcome(status_code=_PERMANENT, error=f"recipients refused: {exc.recipients}")
    except (OSError, smtplib.SMTPException) as exc:
        return AttemptOutcome(status_code=None, error=f"{type(exc).__name__}: {exc}")
    return AttemptOutcome(status_code=250)


async def post_webhook(
    client: httpx.AsyncClient, *, url: str, secret: str, body: bytes, delivery_id: int, event_type: str
) -> AttemptOutcome:
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Carbon-Delivery": str(delivery_id),
        "X-Carbon-Event-Type": event_type,
        **signature_headers(body=body, secret=secret, at=dt.datetime.now(dt.UTC)),
    }
    return await _post(client, url, content=body, headers=headers)


async def send_sms(
    client: httpx.AsyncClient, *, url: str, phones: Sequence[str], text: str, policy: SmsPolicy
) -> dict[str, AttemptOutcome]:
    """One gateway request per phone, each phone's outcome (an invalid number is a permanent failure)."""
    outcomes: dict[str, AttemptOutcome] = {}
    for phone in phones:
        try:
            request = shape_sms(phone=phone, text=text, policy=policy)
        except InvalidPhoneNumber as exc:
            outcomes[phone] = AttemptOutcome(status_code=_PERMANENT, error=exc.message)
            continue
        outcomes[phone] = await _post(client, url, json=request.body(policy))
    return outcomes


async def _post(client: httpx.AsyncClient, url: str, **kwargs: object) -> AttemptOutcome:
    try:
        response = await client.post(url, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError as exc:
        return AttemptOutcome(status_code=None, error=f"{type(exc).__name__}: {exc}")
    error = None if response.is_success else f"HTTP {response.status_code}: {response.text[:200]}"
    return AttemptOutcome(status_code=response.status_code, error=error)
