"""One compliance action followed across the services by its correlation id (real Kafka, PostgreSQL)."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

import pytest

from carbon_shared.cli import events_cmd
from carbon_shared.cli.demo_city import CityApi, eventually, plan_city, register_agency, register_enterprises
from carbon_shared.settings import DEV_JWT_SECRET, PlatformSettings
from carbon_shared.testing.events import wait_until
from carbon_shared.testing.system import SERVICES, System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
CORRELATION = "corr-verification-e2e-0001"


async def verify_with_correlation(api: CityApi, *, enterprise_id: str, agency_id: str) -> None:
    plan = next(p for p in plan_city(40, seed=3) if p.coal_t >= 60_000)
    owner = {"enterprise_id": enterprise_id}
    report = (
        await eventually(
            lambda: api.call(
                "reporting",
                "POST",
                "/v1/reports",
                role="enterprise",
                claims=owner,
                json=plan.report_body(enterprise_id, 2023),
            )
        )
    ).json()
    await api.call("reporting", "POST", f"/v1/reports/{report['id']}/submit", role="enterprise", claims=owner)
    await eventually(
        lambda: api.call(
            "reporting",
            "POST",
            f"/v1/reports/{report['id']}/assignment",
            role="regulator",
            json={"agency_id": agency_id},
        )
    )
    response = await api.client("reporting").post(
        f"/v1/reports/{report['id']}/verification",
        headers={**api.token("verifier", agency_id=agency_id), "X-Correlation-ID": CORRELATION},
        json={
            "verified_emissions_tco2e": report["calculated_emissions_tco2e"],
            "conclusion": "accepted",
            "opinion": "核查无误",
        },
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-correlation-id"] == CORRELATION


async def events_with_correlation(platform: PlatformSettings, expected: int) -> list[dict]:
    lines: list[str] = []
    args = argparse.Namespace(
        type=None, subject=None, correlation_id=CORRELATION, from_beginning=True, count=expected
    )
    await asyncio.wait_for(events_cmd.tail(args, platform, out=lines.append), timeout=60)
    return [json.loads(line) for line in lines]


async def test_verification_is_followed_to_obligation_directory_and_inbox(
    tmp_path: Path, pg_admin_url: str, kafka_bootstrap: str
) -> None:
    system = System(pg_admin_url, kafka_bootstrap, tmp_path)
    await system.start()
    api = CityApi(urls={s: system.url(s) for s in SERVICES}, secret=DEV_JWT_SECRET)
    try:
        plan = next(p for p in plan_city(40, seed=3) if p.coal_t >= 60_000)
        enterprise_id = (await register_enterprises(api, [plan]))[plan.index]
        agency_id = await register_agency(api, index=7, name="关联核查机构")
        await verify_with_correlation(api, enterprise_id=enterprise_id, agency_id=agency_id)
        platform = PlatformSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap, topic_prefix=system.prefix)
        events = await events_with_correlation(platform, expected=3)
        by_type = {e["type"]: e for e in events}
        assert {"ReportVerified", "ObligationEstablished", "EmitterListed"} <= set(by_type)
        assert {e["producer"] for e in events} >= {"reporting", "allowance", "registry"}

        async def notified() -> bool:
            inbox = await api.call(
                "notify", "GET", "/v1/inbox", role="enterprise", claims={"enterprise_id": enterprise_id}
            )
            seen = {item["event_id"] for item in inbox.json()["items"]}
            return {by_type["ReportVerified"]["event_id"], by_type["EmitterListed"]["event_id"]} <= seen

        await wait_until(notified, within=60)
        logged = [s for s in SERVICES if CORRELATION in (tmp_path / f"{s}.log").read_text(errors="replace")]
        assert {"reporting", "allowance", "registry", "notify"} <= set(logged)
    finally:
        await api.close()
        await system.stop()
