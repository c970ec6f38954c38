"""Webhook signatures: HMAC-SHA256 over the timestamp and the raw body, with a replay window.

Each request carries two headers:
    X-Carbon-Timestamp: <unix seconds>
    X-Carbon-Signature: sha256=<hex of HMAC-SHA256(secret, "<timestamp>." + raw body)>
Signing the timestamp with the body means a captured request cannot be replayed later with a fresh
timestamp; the receiver rejects timestamps outside the tolerance window (either direction, for skew).
A receiver may list several signatures comma-separated (secret rotation); any match is accepted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from carbon_notify.domain.errors import SignatureExpired, SignatureInvalid

TIMESTAMP_HEADER = "X-Carbon-Timestamp"
SIGNATURE_HEADER = "X-Carbon-Signature"
_SCHEME = "sha256="


def _secret_bytes(secret: str | bytes) -> bytes:
    if not secret:
        raise ValueError("a webhook secret must not be empty")
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def compute_signature(*, body: bytes, secret: str | bytes, timestamp: int) -> str:
    """The hex HMAC-SHA256 of b"<timestamp>." + body."""
    signed = f"{timestamp}.".encode("ascii") + body
    return hmac.new(_secret_bytes(secret), signed, hashlib.sha256).hexdigest()


def signature_headers(*, body: bytes, secret: str | bytes, at: dt.datetime) -> dict[str, str]:
    """The headers to send with `body` at time `at` (timestamp truncated to whole seconds)."""
    timestamp = int(at.timestamp())
    signature = compute_signature(body=body, secret=secret, timestamp=timestamp)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: f"{_SCHEME}{signature}"}


def verify_signature(
    *,
    body: bytes,
    secret: str | bytes,
    timestamp_header: str | None,
    signature_header: str | None,
    now: dt.datetime,
    tolerance_seconds: int,
) -> None:
    """Return quietly when the request is authentic and fresh; raise SignatureInvalid or SignatureExpired."""
    if not timestamp_header or not signature_header:
        raise SignatureInvalid(f"missing {TIMESTAMP_HEADER} or {SIGNATURE_HEADER} header")
    try:
        timestamp = int(timestamp_header.strip())
    except ValueError as exc:
        raise SignatureInvalid(f"{TIMESTAMP_HEADER} must be unix seconds, got {timestamp_header!r}") from exc
    age = int(now.timestamp()) - timestamp
    if abs(age) > tolerance_seconds:
        raise SignatureExpired(
            f"timestamp is {age} s from now, outside the {tolerance_seconds} s window; check the clock "
            "or treat the request as a replay"
        )
    expected = compute_signature(body=body, secret=secret, timestamp=timestamp)
    offered = [part.strip() for part in signature_header.split(",")]
    candidates = [part.removeprefix(_SCHEME) for part in offered if part.startswith(_SCHEME)]
    if not candidates:
        raise SignatureInvalid(f"{SIGNATURE_HEADER} must look like '{_SCHEME}<hex>'")
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise SignatureInvalid("signature does not match the body: wrong secret or altered body")
