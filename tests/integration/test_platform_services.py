"""Each of the five services starts on the production shape (its own PostgreSQL database, Kafka)."""

from __future__ import annotations

import importlib

import pytest

from carbon_shared.testing.services import kafka_service

pytestmark = pytest.mark.integration

SERVICES = ["registry", "reporting", "allowance", "credit", "notify"]


def service_parts(name: str):
    settings = importlib.import_module(f"carbon_{name}.settings")
    main = importlib.import_module(f"carbon_{name}.main")
    return getattr(settings, f"{name.capitalize()}Settings"), main.create_app


@pytest.mark.parametrize("name", SERVICES)
async def test_service_migrates_starts_and_is_ready(
    name: str, pg_admin_url: str, kafka_bootstrap: str, topic_prefix: str
) -> None:
    settings_cls, create_app = service_parts(name)
    async with kafka_service(
        settings_cls=settings_cls,
        create_app=create_app,
        pg_admin_url=pg_admin_url,
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topic_prefix,
    ) as service:
        assert (await service.client.get("/healthz")).json() == {"status": "ok"}
        ready = await service.client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": True, "bus": True}
        spec = (await service.client.get("/openapi.json")).json()
        assert spec["openapi"].startswith("3.") and "/healthz" in spec["paths"]


def request_count(text: str, route: str) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "http_requests_total" and sample.labels.get("route") == route:
                total += sample.value
    return total


@pytest.mark.parametrize("name", SERVICES)
async def test_metrics_parse_and_move_with_traffic(
    name: str, pg_admin_url: str, kafka_bootstrap: str, topic_prefix: str
) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    settings_cls, create_app = service_parts(name)
    async with kafka_service(
        settings_cls=settings_cls,
        create_app=create_app,
        pg_admin_url=pg_admin_url,
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topic_prefix,
    ) as service:
        before = (await service.client.get("/metrics")).text
        families = {f.name for f in text_string_to_metric_families(before)}
        assert {
            "http_requests",
            "outbox_backlog_rows",
            "outbox_oldest_age_seconds",
            "dead_letters",
        } <= families
        for _ in range(3):
            await service.client.get("/healthz")
        after = (await service.client.get("/metrics")).text
        assert request_count(after, "/healthz") == request_count(before, "/healthz") + 3
