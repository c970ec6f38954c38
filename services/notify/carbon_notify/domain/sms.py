"""SMS request shaping for a configurable HTTP gateway: normalised phone, signed text within the limit.

Length is counted in characters (code points), the way Chinese carriers count a message, and includes
the signature (签名, required by carriers as a prefix) and the truncation marker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from carbon_notify.domain.errors import InvalidPhoneNumber
from carbon_notify.domain.webhook_delivery import AttemptOutcome, WebhookPolicy

_MAINLAND_MOBILE_DIGITS = 11
_COUNTRY_PREFIXES = ("+86", "0086", "86")
_SEPARATORS = str.maketrans("", "", " -()")


@dataclass(frozen=True)
class SmsPolicy:
    max_chars: int
    truncation_marker: str
    signature: str
    phone_field: str  # the gateway's JSON field names
    text_field: str


@dataclass(frozen=True)
class SmsRequest:
    phone: str
    text: str
    truncated: bool

    def body(self, policy: SmsPolicy) -> dict[str, str]:
        """The JSON body the gateway receives."""
        return {policy.phone_field: self.phone, policy.text_field: self.text}


def normalize_mobile(raw: str) -> str:
    """A mainland mobile number as 11 digits: separators and a +86/0086/86 prefix removed."""
    digits = raw.strip().translate(_SEPARATORS)
    for prefix in _COUNTRY_PREFIXES:
        if digits.startswith(prefix) and len(digits) == len(prefix) + _MAINLAND_MOBILE_DIGITS:
            digits = digits[len(prefix) :]
            break
    is_mobile = len(digits) == _MAINLAND_MOBILE_DIGITS and digits.isdigit() and digits[0] == "1"
    if not is_mobile or digits[1] in "012":
        raise InvalidPhoneNumber(
            f"{raw!r} is not a mainland mobile number (11 digits starting 13-19); SMS cannot reach it"
        )
    return digits


def shape_sms(*, phone: str, text: str, policy: SmsPolicy) -> SmsRequest:
    """The request for one SMS. Whitespace runs collapse to one space (an SMS has no layout); when the
    signed text exceeds `max_chars` it is cut and the marker appended, the total staying within max_chars
    (trailing whitespace at the cut is dropped, so it may be a character or two shorter)."""
    flat = " ".join(text.split())
    signed = f"{policy.signature}{flat}"
    if len(signed) <= policy.max_chars:
        return SmsRequest(phone=normalize_mobile(phone), text=signed, truncated=False)
    keep = policy.max_chars - len(policy.signature) - len(policy.truncation_marker)
    cut = f"{policy.signature}{flat[:keep].rstrip()}{policy.truncation_marker}"
    return SmsRequest(phone=normalize_mobile(phone), text=cut, truncated=True)


def phones_to_try(addresses: Sequence[str], delivered_to: Sequence[str] | None) -> tuple[str, ...]:
    """The notification's phones that have not accepted the message yet: a retry texts only these."""
    done = set(delivered_to or ())
    return tuple(phone for phone in addresses if phone not in done)


def combined_outcome(per_phone: Mapping[str, AttemptOutcome], policy: WebhookPolicy) -> AttemptOutcome:
    """One attempt over several phones: success when every phone accepted; otherwise a retryable
    failure if any phone may still succeed (so the retry happens), else the permanent failure."""
    failed = {phone: outcome for phone, outcome in per_phone.items() if not outcome.succeeded}
    if not failed:
        return AttemptOutcome(status_code=200)
    retryable = [outcome for outcome in failed.values() if outcome.is_retryable(policy)]
    first = retryable[0] if retryable else next(iter(failed.values()))
    detail = "; ".join(
        f"{phone}: {outcome.error or outcome.status_code}" for phone, outcome in failed.items()
    )
    return AttemptOutcome(
        status_code=first.status_code, error=f"{len(failed)} of {len(per_phone)} phones failed: {detail}"
    )
