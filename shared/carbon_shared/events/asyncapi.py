"""The AsyncAPI 3 document of every event, generated from the pydantic classes of the catalogue.

`python -m carbon_shared.events.asyncapi > docs/asyncapi.json` regenerates the checked-in copy; a test
fails when the two differ, so the document integrators read is always the code's contract.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from carbon_shared.events.base import DomainEvent, catalogue
from carbon_shared.events.envelope import Envelope
from carbon_shared.events.topics import PRODUCERS, dead_letter_topic, topic_for

REF = "#/components/schemas/{model}"


def _message_name(cls: type[DomainEvent]) -> str:
    return f"{cls.event_type}.v{cls.event_version}"


def _schemas() -> dict[str, Any]:
    """Every payload schema plus the envelope, with nested models hoisted into components.schemas."""
    schemas: dict[str, Any] = {}
    for cls in catalogue().values():
        schema = cls.model_json_schema(mode="serialization", ref_template=REF)
        schemas.update(schema.pop("$defs", {}))
        schemas[_message_name(cls)] = schema
    envelope = Envelope.model_json_schema(mode="serialization", ref_template=REF)
    envelope["properties"]["payload"] = {
        "type": "object",
        "description": "the typed payload of `type`/`version`",
    }
    schemas["Envelope"] = envelope
    return schemas


def _message(cls: type[DomainEvent]) -> dict[str, Any]:
    name = _message_name(cls)
    envelope = {
        "allOf": [
            {"$ref": "#/components/schemas/Envelope"},
            {
                "type": "object",
                "properties": {
                    "type": {"const": cls.event_type},
                    "version": {"const": cls.event_version},
                    "producer": {"const": cls.producer},
                    "payload": {"$ref": f"#/components/schemas/{name}"},
                },
            },
        ]
    }
    return {
        "name": name,
        "title": cls.event_type,
        "summary": (cls.__doc__ or cls.event_type).strip().splitlines()[0],
        "contentType": "application/json",
        "payload": envelope,
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": f"subject: {cls.subject_field}"},
                "bindingVersion": "0.5.0",
            }
        },
    }


def _by_producer() -> dict[str, list[type[DomainEvent]]]:
    grouped: dict[str, list[type[DomainEvent]]] = {p: [] for p in PRODUCERS}
    for cls in sorted(catalogue().values(), key=lambda c: (c.event_type, c.event_version)):
        grouped[cls.producer].append(cls)
    return {p: classes for p, classes in grouped.items() if classes}


def asyncapi_document(prefix: str = "carbon.") -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for producer, classes in _by_producer().items():
        messages = {
            _message_name(c).replace(".", "_"): {"$ref": f"#/components/messages/{_message_name(c)}"}
            for c in classes
        }
        channels[f"{producer}Events"] = {
            "address": topic_for(producer, prefix),
            "title": f"Events of the {producer} service",
            "description": "One topic per producing service; the message key is the subject, so each "
            "enterprise's (or agency's) events stay in order.",
            "messages": messages,
        }
        operations[f"{producer}Publishes"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{producer}Events"},
            "summary": f"The {producer} service publishes through its transactional outbox.",
            "messages": [{"$ref": f"#/channels/{producer}Events/messages/{name}"} for name in messages],
        }
    for consumer in PRODUCERS:
        channels[f"{consumer}DeadLetters"] = {
            "address": dead_letter_topic(consumer, prefix),
            "title": f"Dead letters of the {consumer} consumer",
            "description": "Original bytes with headers x-error-reason, x-original-topic, "
            "x-original-partition, x-original-offset, x-consumer, x-failed-at.",
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Zhongwei carbon-market events",
            "version": "1.0.0",
            "description": "Events between the registry, reporting, allowance, credit and notify services. "
            "Every event travels in an envelope; a breaking change is a new version.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "production": {"host": "kafka:9092", "protocol": "kafka", "description": "Kafka (KRaft)"}
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": _schemas(),
            "messages": {_message_name(c): _message(c) for c in catalogue().values()},
        },
    }


def render() -> str:
    return json.dumps(asyncapi_document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
