"""The AsyncAPI 3 document: generated from the code, checked in, valid, complete."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from carbon_shared.events import catalogue
from carbon_shared.events.asyncapi import asyncapi_document, render

ROOT = Path(__file__).resolve().parents[3]
CHECKED_IN = ROOT / "docs" / "asyncapi.json"


class TestAsyncApiDocument:
    def test_checked_in_copy_matches_the_code(self) -> None:
        assert CHECKED_IN.read_text(encoding="utf-8") == render(), (
            "regenerate: python -m carbon_shared.events.asyncapi > docs/asyncapi.json"
        )

    def test_validates_against_the_official_asyncapi_3_schema(self) -> None:
        schema = json.loads((ROOT / "tests/fixtures/asyncapi-3.0.0.json").read_text(encoding="utf-8"))
        errors = [
            f"{e.json_path}: {e.message}"
            for e in jsonschema.Draft7Validator(schema).iter_errors(
                json.loads(CHECKED_IN.read_text(encoding="utf-8"))
            )
        ]
        assert errors == []

    def test_names_every_event_class(self) -> None:
        document = asyncapi_document()
        messages = document["components"]["messages"]
        for (event_type, version), cls in catalogue().items():
            message = messages[f"{event_type}.v{version}"]
            assert message["title"] == event_type
            channel = document["channels"][f"{cls.producer}Events"]
            assert f"{event_type}_v{version}" in channel["messages"]
            payload = document["components"]["schemas"][f"{event_type}.v{version}"]
            assert set(payload["properties"]) == set(cls.model_fields)

    def test_invalid_document_is_caught_by_the_validator(self) -> None:
        schema = json.loads((ROOT / "tests/fixtures/asyncapi-3.0.0.json").read_text(encoding="utf-8"))
        broken = asyncapi_document() | {"asyncapi": "3.0.0", "info": {"title": "no version"}}
        assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))
