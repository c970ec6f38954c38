"""Messages in Chinese and English, filled from the event payload and the enterprise read model.

Templates are reference data (string.Template syntax, `${field}`). Rendering never fails on data: a
field the event lacks (or holds as null) renders as the template set's placeholder and is reported in
`missing_fields`; a value that cannot be formatted (e.g. "abc" as an amount) renders the same way and is
reported in `malformed_fields`. Only a missing template for the event type is an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from string import Template
from typing import Any

from carbon_notify.domain.errors import TemplateNotFound
from carbon_notify.domain.formatting import FieldFormat, FormatKind, format_value
from carbon_notify.domain.model import EnterpriseView, EventFacts


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


@dataclass(frozen=True)
class MessageTemplate:
    event_type: str
    title: Mapping[Language, str]
    body: Mapping[Language, str]
    formats: Mapping[str, FieldFormat]  # fields not listed render as text


@dataclass(frozen=True)
class TemplateSet:
    version: str
    source: str
    effective_from: dt.date
    missing_placeholder: str  # contains "{field}"
    display_utc_offset: dt.timedelta
    labels: Mapping[Language, Mapping[str, Mapping[str, str]]]  # language -> set -> value -> label
    templates: Mapping[str, MessageTemplate]

    def template_for(self, event_type: str) -> MessageTemplate:
        template = self.templates.get(event_type)
        if template is None:
            raise TemplateNotFound(
                f"no message template for {event_type} in template set {self.version}; "
                "add one to the templates reference file before routing this event"
            )
        return template


@dataclass(frozen=True)
class RenderedMessage:
    event_type: str
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    missing_fields: tuple[str, ...] = ()
    malformed_fields: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.title_zh} | {self.title_en}"

    @property
    def body(self) -> str:
        return f"{self.body_zh}\n\n{self.body_en}"

    @property
    def sms_text(self) -> str:
        """Chinese only: an SMS is short and read on a phone in Zhongwei."""
        return f"{self.title_zh}：{self.body_zh}"

    @property
    def complete(self) -> bool:
        return not (self.missing_fields or self.malformed_fields)


def message_values(*, event: EventFacts, enterprise: EnterpriseView | None) -> dict[str, Any]:
    """Payload fields plus what every template may use: event_id, subject, occurred_at,
    enterprise_name (the payload's own, else the read model's, else a credit subject's name) and
    subject_name (the payload's own, else enterprise_name, else agency_name)."""
    values: dict[str, Any] = dict(event.payload)
    values.setdefault("event_id", event.event_id)
    values.setdefault("subject", event.subject)
    values.setdefault("occurred_at", event.occurred_at)
    if not values.get("enterprise_name"):
        if enterprise is not None:
            values["enterprise_name"] = enterprise.name
        elif event.payload.get("subject_kind") == "enterprise":
            values["enterprise_name"] = event.payload.get("subject_name")
    if not values.get("subject_name"):
        values["subject_name"] = values.get("enterprise_name") or values.get("agency_name")
    return values


def render_message(
    *, event: EventFacts, enterprise: EnterpriseView | None, templates: TemplateSet
) -> RenderedMessage:
    """Title and body in both languages for `event`; see the module docstring for missing data."""
    template = templates.template_for(event.event_type)
    values = message_values(event=event, enterprise=enterprise)
    missing: set[str] = set()
    malformed: set[str] = set()
    texts: dict[tuple[str, Language], str] = {}
    for language in (Language.ZH, Language.EN):
        for part, source in (("title", template.title), ("body", template.body)):
            filled = _fill(source[language], language, template, templates, values, missing, malformed)
            texts[(part, language)] = filled
    return RenderedMessage(
        event_type=event.event_type,
        title_zh=texts[("title", Language.ZH)],
        title_en=texts[("title", Language.EN)],
        body_zh=texts[("body", Language.ZH)],
        body_en=texts[("body", Language.EN)],
        missing_fields=tuple(sorted(missing)),
        malformed_fields=tuple(sorted(malformed)),
    )


def _fill(
    text: str,
    language: Language,
    template: MessageTemplate,
    templates: TemplateSet,
    values: Mapping[str, Any],
    missing: set[str],
    malformed: set[str],
) -> str:
    compiled = Template(text)
    labels = templates.labels.get(language, {})
    filled: dict[str, str] = {}
    for name in compiled.get_identifiers():
        placeholder = templates.missing_placeholder.format(field=name)
        value = values.get(name)
        if value is None or value == "":
            missing.add(name)
            filled[name] = placeholder
            continue
        rule = template.formats.get(name, FieldFormat(FormatKind.TEXT))
        try:
            filled[name] = format_value(value, rule, labels=labels, utc_offset=templates.display_utc_offset)
        except ValueError:
            malformed.add(name)
            filled[name] = placeholder
    return compiled.substitute(filled)
