"""The reference loader: versions, provenance, caching, and refusal of malformed tables."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from carbon_notify.domain.errors import ReferenceDataInvalid, ReferenceVersionUnknown
from carbon_notify.reference import (
    ReferenceKind,
    available_versions,
    latest_version,
    load_delivery_policy,
    load_departments,
    load_reference,
    load_routes,
    load_templates,
    version_in_force,
)
from carbon_notify.reference.parse_messages import parse_delivery_policy, parse_templates
from carbon_notify.reference.parse_routing import parse_departments

HEADER = {"version": "t", "source": "test", "effective_from": "2024-01-01"}


def shipped(kind: ReferenceKind, version: str = "2023.1") -> dict[str, Any]:
    text = (
        resources.files("carbon_notify.reference").joinpath(kind.value, f"{version}.toml").read_text("utf-8")
    )
    return tomllib.loads(text)


class TestVersions:
    @pytest.mark.parametrize("kind", list(ReferenceKind))
    def test_every_file_declares_provenance(self, kind: ReferenceKind) -> None:
        for header in available_versions(kind):
            assert header.source.strip() and header.version
        assert latest_version(kind) == "2023.1"

    def test_version_in_force_on_a_date(self) -> None:
        assert version_in_force(ReferenceKind.ROUTES, on=dt.date(2023, 10, 18)) == "2023.1"
        with pytest.raises(ReferenceVersionUnknown, match="no routes version was in force on 2023-10-17"):
            version_in_force(ReferenceKind.ROUTES, on=dt.date(2023, 10, 17))

    def test_unknown_version_names_the_known_ones(self) -> None:
        with pytest.raises(ReferenceVersionUnknown, match=r"no templates version '1999.1'; known: 2023.1"):
            load_templates("1999.1")

    def test_loaders_are_cached(self) -> None:
        assert load_routes() is load_routes()
        assert load_departments("2023.1") is load_departments("2023.1")


class TestShippedValues:
    def test_departments(self) -> None:
        departments = load_departments().departments
        counties = sorted(code for code, d in departments.items() if d.is_county_government)
        assert counties == ["640502", "640521", "640522", "park"]
        assert departments["pboc"].name_zh == "中国人民银行中卫市分行"

    def test_webhook_policy(self) -> None:
        webhook = load_delivery_policy().webhook
        assert (webhook.base_delay_seconds, webhook.factor, webhook.max_delay_seconds) == (30, 2, 3600)
        assert (webhook.jitter_ratio, webhook.max_attempts) == (Decimal("0.2"), 8)
        assert webhook.retryable_statuses == {408, 425, 429}

    def test_sms_policy(self) -> None:
        sms = load_delivery_policy().sms
        assert (sms.max_chars, sms.signature) == (201, "【中卫市碳排放权管理】")

    def test_bundle_is_consistent(self) -> None:
        bundle = load_reference(on=dt.date(2025, 1, 1))
        assert bundle.routes.version == bundle.templates.version == "2023.1"


class TestMalformedFiles:
    def test_missing_effective_from(self) -> None:
        with pytest.raises(ReferenceDataInvalid, match="effective_from must be a date"):
            parse_departments({"version": "t", "source": "s", "departments": {}})

    def test_department_county_flag_must_be_boolean(self) -> None:
        data = {
            **HEADER,
            "departments": {"eco": {"name_zh": "局", "name_en": "b", "county_government": "no"}},
        }
        with pytest.raises(ReferenceDataInvalid, match=r"\[departments.eco\]: county_government"):
            parse_departments(data)

    def test_template_with_a_broken_placeholder(self) -> None:
        data = shipped(ReferenceKind.TEMPLATES)
        data["templates"]["ReportOverdue"]["body_en"] = "pay $5 now"
        with pytest.raises(
            ReferenceDataInvalid, match=r"ReportOverdue\]: body_en has a malformed placeholder"
        ):
            parse_templates(data)

    @pytest.mark.parametrize(
        ("spec", "message"),
        [("currency", "unknown format 'currency'"), ("label:colour", "unknown label set")],
    )
    def test_template_with_an_unknown_format(self, spec: str, message: str) -> None:
        data = shipped(ReferenceKind.TEMPLATES)
        data["templates"]["ReportOverdue"]["formats"] = {"due_date": spec}
        with pytest.raises(ReferenceDataInvalid, match=message):
            parse_templates(data)

    def test_label_set_in_one_language_only(self) -> None:
        data = shipped(ReferenceKind.TEMPLATES)
        data["labels"]["zh"]["colour"] = {"red": "红"}
        with pytest.raises(ReferenceDataInvalid, match="both a zh and an en"):
            parse_templates(data)

    @pytest.mark.parametrize(
        ("key", "value", "message"),
        [
            ("jitter_ratio", 0.2, "decimal written as a string"),
            ("jitter_ratio", "1.5", "0 <= jitter_ratio <= 1"),
            ("factor", "0.5", "factor >= 1"),
            ("max_attempts", 0, "max_attempts must be an integer >= 1"),
            ("retryable_statuses", [999], "HTTP status codes"),
        ],
    )
    def test_bad_webhook_policy(self, key: str, value: Any, message: str) -> None:
        data = shipped(ReferenceKind.DELIVERY)
        data["webhook"][key] = value
        with pytest.raises(ReferenceDataInvalid, match=message):
            parse_delivery_policy(data)

    def test_sms_limit_too_small_for_signature_and_marker(self) -> None:
        data = shipped(ReferenceKind.DELIVERY)
        data["sms"]["max_chars"] = 12
        with pytest.raises(ReferenceDataInvalid, match="leave no room"):
            parse_delivery_policy(data)
