"""docker-compose.yml checked statically (no Docker engine on the build machines)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PORTS = {"registry": 8001, "reporting": 8002, "allowance": 8003, "credit": 8004, "notify": 8005}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


class TestComposeFile:
    def test_validates_against_the_compose_schema(self, compose: dict) -> None:
        schema = json.loads((ROOT / "tests/fixtures/compose_spec.json").read_text(encoding="utf-8"))
        errors = [
            f"{e.json_path}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(compose)
        ]
        assert errors == []

    def test_kafka_runs_in_kraft_mode(self, compose: dict) -> None:
        env = compose["services"]["kafka"]["environment"]
        assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert "healthcheck" in compose["services"]["kafka"]

    def test_one_database_per_service(self) -> None:
        sql = (ROOT / "deploy/postgres-init.sql").read_text(encoding="utf-8")
        assert all(f"CREATE DATABASE {name};" in sql for name in PORTS)

    @pytest.mark.parametrize("name", sorted(PORTS))
    def test_service_port_health_database_and_order(self, compose: dict, name: str) -> None:
        service = compose["services"][name]
        port = PORTS[name]
        assert f"{port}:{port}" in service["ports"]
        assert str(port) in service["command"] and f"carbon_{name}.main:create_app" in service["command"]
        assert f"localhost:{port}/readyz" in " ".join(service["healthcheck"]["test"])
        url = service["environment"][f"CARBON_{name.upper()}_DATABASE_URL"]
        assert url.startswith("postgresql+asyncpg://") and url.endswith(f"/{name}")
        assert service["environment"]["CARBON_BUS"] == "kafka"
        assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"

    def test_migrations_run_for_every_service_before_start(self, compose: dict) -> None:
        script = " ".join(compose["services"]["migrate"]["command"])
        assert all(name in script for name in PORTS) and "upgrade head" in script
        env = compose["services"]["migrate"]["environment"]
        assert {f"CARBON_{n.upper()}_DATABASE_URL" for n in PORTS} <= set(env)

    def test_image_build_points_at_the_dockerfile(self, compose: dict) -> None:
        dockerfile = compose["services"]["registry"]["build"]["dockerfile"]
        text = (ROOT / dockerfile).read_text(encoding="utf-8")
        assert "uv sync --frozen" in text and "USER carbon" in text
