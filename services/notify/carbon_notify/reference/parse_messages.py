"""Parse the message reference files (templates, delivery policy) into the domain's frozen types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from string import Template
from typing import Any

from carbon_notify.domain.formatting import FieldFormat, FormatKind
from carbon_notify.domain.sms import SmsPolicy
from carbon_notify.domain.templates import Language, MessageTemplate, TemplateSet
from carbon_notify.domain.webhook_delivery import WebhookPolicy
from carbon_notify.reference._toml import decimal, fail, header, integer, table, text

_LABEL_PREFIX = "label:"


@dataclass(frozen=True)
class DeliveryPolicy:
    version: str
    source: str
    effective_from: dt.date
    webhook: WebhookPolicy
    sms: SmsPolicy


def parse_templates(data: Mapping[str, Any], *, origin: str = "<templates>") -> TemplateSet:
    head = header(data, origin)
    placeholder = text(data, "missing_placeholder", origin)
    if "{field}" not in placeholder:
        raise fail(origin, "missing_placeholder must contain {field}")
    offset_hours = integer(data, "display_utc_offset_hours", origin, minimum=-12)
    labels = _parse_labels(table(data, "labels", origin), origin)
    templates = {
        event_type: _parse_template(event_type, entry, labels, f"{origin} [templates.{event_type}]")
        for event_type, entry in table(data, "templates", origin).items()
    }
    return TemplateSet(
        version=head.version,
        source=head.source,
        effective_from=head.effective_from,
        missing_placeholder=placeholder,
        display_utc_offset=dt.timedelta(hours=offset_hours),
        labels=labels,
        templates=templates,
    )


def _parse_labels(data: Mapping[str, Any], origin: str) -> dict[Language, dict[str, dict[str, str]]]:
    labels: dict[Language, dict[str, dict[str, str]]] = {}
    for language in Language:
        sets = table(data, language.value, f"{origin} labels")
        labels[language] = {
            name: {str(k): str(v) for k, v in entries.items()} for name, entries in sets.items()
        }
    if set(labels[Language.ZH]) != set(labels[Language.EN]):
        raise fail(origin, "every label set needs both a zh and an en version")
    return labels


def _parse_template(
    event_type: str, entry: Mapping[str, Any], labels: Mapping[Language, Mapping[str, Any]], where: str
) -> MessageTemplate:
    texts = {key: text(entry, key, where) for key in ("title_zh", "title_en", "body_zh", "body_en")}
    for key, value in texts.items():
        if not Template(value).is_valid():
            raise fail(where, f"{key} has a malformed placeholder (write $$ for a literal $)")
    formats = {
        name: _parse_format(spec, labels, f"{where} formats.{name}")
        for name, spec in entry.get("formats", {}).items()
    }
    return MessageTemplate(
        event_type=event_type,
        title={Language.ZH: texts["title_zh"], Language.EN: texts["title_en"]},
        body={Language.ZH: texts["body_zh"], Language.EN: texts["body_en"]},
        formats=formats,
    )


def _parse_format(spec: Any, labels: Mapping[Language, Mapping[str, Any]], where: str) -> FieldFormat:
    if isinstance(spec, str) and spec.startswith(_LABEL_PREFIX):
        label_set = spec.removeprefix(_LABEL_PREFIX)
        if label_set not in labels[Language.ZH]:
            raise fail(where, f"unknown label set {label_set!r}")
        return FieldFormat(FormatKind.LABEL, label_set)
    try:
        kind = FormatKind(spec)
    except ValueError as exc:
        raise fail(where, f"unknown format {spec!r}; use one of {[k.value for k in FormatKind]}") from exc
    if kind is FormatKind.LABEL:
        raise fail(where, "write label:<set>")
    return FieldFormat(kind)


def parse_delivery_policy(data: Mapping[str, Any], *, origin: str = "<delivery>") -> DeliveryPolicy:
    head = header(data, origin)
    webhook = _parse_webhook(table(data, "webhook", origin), f"{origin} [webhook]")
    sms = _parse_sms(table(data, "sms", origin), f"{origin} [sms]")
    return DeliveryPolicy(head.version, head.source, head.effective_from, webhook, sms)


def _parse_webhook(data: Mapping[str, Any], where: str) -> WebhookPolicy:
    statuses = data.get("retryable_statuses", [])
    if not isinstance(statuses, list) or not all(isinstance(s, int) and 100 <= s <= 599 for s in statuses):
        raise fail(where, "retryable_statuses must be HTTP status codes")
    policy = WebhookPolicy(
        base_delay_seconds=decimal(data, "base_delay_seconds", where),
        factor=decimal(data, "factor", where),
        max_delay_seconds=decimal(data, "max_delay_seconds", where),
        jitter_ratio=decimal(data, "jitter_ratio", where),
        max_attempts=integer(data, "max_attempts", where, minimum=1),
        retryable_statuses=frozenset(statuses),
        signature_tolerance_seconds=integer(data, "signature_tolerance_seconds", where, minimum=1),
        request_timeout_seconds=decimal(data, "request_timeout_seconds", where),
    )
    if (
        policy.base_delay_seconds <= 0
        or policy.factor < 1
        or policy.max_delay_seconds < policy.base_delay_seconds
    ):
        raise fail(
            where, "need base_delay_seconds > 0, factor >= 1 and max_delay_seconds >= base_delay_seconds"
        )
    if not 0 <= policy.jitter_ratio <= 1 or policy.request_timeout_seconds <= 0:
        raise fail(where, "need 0 <= jitter_ratio <= 1 and request_timeout_seconds > 0")
    return policy


def _parse_sms(data: Mapping[str, Any], where: str) -> SmsPolicy:
    policy = SmsPolicy(
        max_chars=integer(data, "max_chars", where, minimum=1),
        truncation_marker=text(data, "truncation_marker", where),
        signature=text(data, "signature", where),
        phone_field=text(data, "phone_field", where),
        text_field=text(data, "text_field", where),
    )
    if len(policy.signature) + len(policy.truncation_marker) >= policy.max_chars:
        raise fail(where, "signature and truncation_marker leave no room for text within max_chars")
    if policy.phone_field == policy.text_field:
        raise fail(where, "phone_field and text_field must differ")
    return policy
