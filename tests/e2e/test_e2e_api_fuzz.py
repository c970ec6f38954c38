"""Schemathesis against every service's OpenAPI, on the real PostgreSQL and Kafka, with valid tokens.

Property-based requests (valid and invalid bodies, odd parameters) must never produce a 5xx, and every
response must match the documented status codes, content types and schemas.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from schemathesis import runner
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.runner import events

from carbon_shared.auth import mint_token
from carbon_shared.settings import DEV_JWT_SECRET
from carbon_shared.testing.system import SERVICES, System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
schemathesis.experimental.OPEN_API_3_1.enable()  # FastAPI publishes OpenAPI 3.1
CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance)


@pytest.fixture(scope="module")
def system(
    tmp_path_factory: pytest.TempPathFactory, pg_admin_url: str, kafka_bootstrap: str
) -> Iterator[System]:
    running = System(pg_admin_url, kafka_bootstrap, Path(tmp_path_factory.mktemp("fuzz")))
    asyncio.run(running.start())
    yield running
    asyncio.run(running.stop())


def fuzz(base_url: str, role: str, **claims: str) -> list[str]:
    schema = schemathesis.from_uri(f"{base_url}/openapi.json", base_url=base_url)
    # The live event stream never ends by design; its own tests cover it.
    schema = schema.exclude(path="/v1/events/stream")
    token = mint_token(secret=DEV_JWT_SECRET, role=role, **claims)
    settings = hypothesis.settings(
        max_examples=int(os.environ.get("CARBON_FUZZ_EXAMPLES", "10")),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    failures = []
    for event in runner.from_schema(
        schema,
        checks=CHECKS,
        headers={"Authorization": f"Bearer {token}"},
        hypothesis_settings=settings,
        request_timeout=30000,
    ).execute():
        if isinstance(event, events.AfterExecution) and event.status.name in ("failure", "error"):
            failures.append(f"{event.result.verbose_name}: {_describe(event.result)}")
    return failures


def _describe(result) -> str:
    """The first failing check with a curl command to reproduce it and the start of the response."""
    for check in result.checks:
        if check.value.name == "failure":
            response = check.response
            body = response.body[:300] if response is not None and response.body else ""
            status = response.status_code if response is not None else "-"
            case = check.example
            request = f"{case.method} {case.url} query={case.query} body={case.body!r}" if case else ""
            return f"{check.message or check.name} | {status} {body!r} | {request}"
    return "; ".join(str(error.exception) for error in result.errors)[:500]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("role", ["regulator", "ops"])
def test_no_server_error_and_no_schema_violation(system: System, service: str, role: str) -> None:
    assert fuzz(system.url(service), role) == []
