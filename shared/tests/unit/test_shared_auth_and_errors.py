"""Auth and problem+json through a real app built by the shared factory (SQLite, embedded bus)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, ClassVar

import httpx
import jwt
import pytest
from fastapi import APIRouter
from pydantic import BaseModel, Field

from carbon_shared.app import UoW, create_service_app
from carbon_shared.auth import Principal, mint_token, require_roles
from carbon_shared.db.migrations import upgrade_to_head
from carbon_shared.errors import Conflict
from carbon_shared.settings import DEV_JWT_SECRET, PlatformSettings, ServiceSettings
from carbon_shared.testing.apps import bearer, running


class ToySettings(ServiceSettings):
    service_name: ClassVar[str] = "toy"


class Body(BaseModel):
    name: str = Field(min_length=1)
    amount: int = Field(ge=0)


router = APIRouter()
calls: list[str] = []


@router.post("/v1/things", status_code=201)
async def create_thing(
    body: Body, principal: Annotated[Principal, require_roles("regulator")], uow: UoW
) -> dict:
    if body.name == "taken":
        raise Conflict("a thing with that name exists")
    calls.append(body.name)
    return {"name": body.name, "amount": body.amount, "n": len(calls)}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = ToySettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/toy.db",
        platform=PlatformSettings(data_dir=tmp_path, run_consumers=False, log_json=False),
    )
    await _create_platform_tables(settings.resolved_database_url())
    async with running(create_service_app(settings=settings, title="toy", routers=[router])) as c:
        yield c


async def _create_platform_tables(url: str) -> None:
    from carbon_shared.db import make_engine, platform_metadata

    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(platform_metadata.create_all)
    await engine.dispose()


def assert_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


class TestAuthentication:
    async def test_missing_token_is_401(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.post("/v1/things", json={"name": "a", "amount": 1}), 401)

    async def test_forged_token_is_401(self, client: httpx.AsyncClient) -> None:
        forged = mint_token(secret="not-the-secret", role="regulator")
        response = await client.post(
            "/v1/things", json={"name": "a", "amount": 1}, headers={"Authorization": f"Bearer {forged}"}
        )
        assert "Signature verification failed" in assert_problem(response, 401)["detail"]

    async def test_expired_token_is_401(self, client: httpx.AsyncClient) -> None:
        expired = mint_token(secret=DEV_JWT_SECRET, role="regulator", ttl=dt.timedelta(seconds=-5))
        response = await client.post(
            "/v1/things", json={"name": "a", "amount": 1}, headers={"Authorization": f"Bearer {expired}"}
        )
        assert "expired" in assert_problem(response, 401)["detail"]

    async def test_unknown_role_is_401(self, client: httpx.AsyncClient) -> None:
        token = jwt.encode({"sub": "x", "role": "king", "exp": 9999999999}, DEV_JWT_SECRET, algorithm="HS256")
        response = await client.post(
            "/v1/things", json={"name": "a"}, headers={"Authorization": f"Bearer {token}"}
        )
        assert_problem(response, 401)

    async def test_enterprise_token_without_enterprise_id_is_401(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/v1/things", json={"name": "a", "amount": 1}, headers=bearer("enterprise")
        )
        assert "enterprise_id" in assert_problem(response, 401)["detail"]

    async def test_wrong_role_is_403(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/v1/things", json={"name": "a", "amount": 1}, headers=bearer("enterprise", enterprise_id="e1")
        )
        assert "role enterprise" in assert_problem(response, 403)["detail"]

    async def test_right_role_passes(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/v1/things", json={"name": "小明", "amount": 1}, headers=bearer("regulator")
        )
        assert response.status_code == 201 and response.json()["name"] == "小明"


class TestProblemDetails:
    async def test_validation_error_lists_field_locations(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/v1/things", json={"name": "", "amount": -1}, headers=bearer("regulator")
        )
        body = assert_problem(response, 422)
        locations = {tuple(e["loc"]) for e in body["errors"]}
        assert ("body", "name") in locations and ("body", "amount") in locations

    async def test_domain_conflict_is_409(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/v1/things", json={"name": "taken", "amount": 1}, headers=bearer("regulator")
        )
        assert_problem(response, 409)

    async def test_unknown_route_is_problem_404(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.get("/nowhere"), 404)

    async def test_healthz_needs_no_token(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/healthz")
        assert response.status_code == 200 and response.json() == {"status": "ok"}


class TestIdempotencyKey:
    async def test_repeat_returns_first_response_and_changes_nothing(self, client: httpx.AsyncClient) -> None:
        headers = {**bearer("regulator"), "Idempotency-Key": "k-1"}
        first = await client.post("/v1/things", json={"name": "once", "amount": 1}, headers=headers)
        second = await client.post("/v1/things", json={"name": "once", "amount": 1}, headers=headers)
        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
        assert second.headers.get("idempotent-replayed") == "true"
        assert calls.count("once") == 1

    async def test_same_key_different_body_is_422(self, client: httpx.AsyncClient) -> None:
        headers = {**bearer("regulator"), "Idempotency-Key": "k-2"}
        await client.post("/v1/things", json={"name": "first", "amount": 1}, headers=headers)
        response = await client.post("/v1/things", json={"name": "second", "amount": 1}, headers=headers)
        assert_problem(response, 422)
        assert "second" not in calls

    async def test_correlation_id_is_echoed(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/healthz", headers={"X-Correlation-ID": "corr-123"})
        assert response.headers["x-correlation-id"] == "corr-123"


def test_migrations_helper_is_importable() -> None:
    assert callable(upgrade_to_head)
