"""The errors the notify domain raises: each has a stable machine `code` and a message a person can act on.

The API layer maps `code` to a problem+json `type`; consumers treat `RecipientUnresolvable` as "retry
later" (the enterprise read model may lag the event that names it) and everything else as permanent.
"""

from __future__ import annotations


class NotifyError(Exception):
    """Base of every notify domain error."""

    code = "notify_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReferenceDataInvalid(NotifyError):
    """A reference table (routes, templates, delivery policy) is malformed; fix the TOML file named."""

    code = "reference_data_invalid"


class ReferenceVersionUnknown(NotifyError):
    code = "reference_version_unknown"


class RecipientUnresolvable(NotifyError):
    """A route names a recipient the facts cannot identify (e.g. the county of an unknown enterprise)."""

    code = "recipient_unresolvable"


class TemplateNotFound(NotifyError):
    code = "template_not_found"


class SignatureInvalid(NotifyError):
    """A webhook signature header is malformed or does not match the body."""

    code = "signature_invalid"


class SignatureExpired(NotifyError):
    """A webhook signature is outside the replay window (too old, or from the future)."""

    code = "signature_expired"


class InvalidDeliveryTransition(NotifyError):
    """The webhook delivery state machine refused a step (e.g. redelivering a delivered message)."""

    code = "invalid_delivery_transition"


class InvalidPhoneNumber(NotifyError):
    code = "invalid_phone_number"
