"""The key-emitter directory over HTTP with the embedded bus: verified reports in, public list and export,
the regulator's manual listing and removal, corrections and closure."""

from __future__ import annotations

import csv
import io
from typing import Any

from carbon_registry.testing import emitted, enterprise_body, feed, verified
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.services import RunningService

REGULATOR = bearer("regulator")


async def register(registry: RunningService, index: int = 1) -> str:
    response = await registry.client.post("/v1/enterprises", json=enterprise_body(index), headers=REGULATOR)
    return response.json()["id"]


async def directory(registry: RunningService, year: int) -> list[dict[str, Any]]:
    response = await registry.client.get("/v1/key-emitters", params={"year": year})
    assert response.status_code == 200
    return response.json()["items"]


class TestDirectoryFromVerifiedReports:
    async def test_public_directory_lists_the_unit_for_the_following_year(
        self, registry: RunningService
    ) -> None:
        enterprise_id = await register(registry)
        await feed(registry, [verified(enterprise_id, 2024, "30000.5")])
        (entry,) = await directory(registry, 2025)
        keys = ("enterprise_id", "year", "basis_year", "basis_emissions_tco2e", "rule")
        assert {k: entry[k] for k in keys} == {
            "enterprise_id": enterprise_id, "year": 2025, "basis_year": 2024,
            "basis_emissions_tco2e": 30000.5, "rule": "threshold",
        }  # fmt: skip
        assert await directory(registry, 2024) == []

    async def test_a_corrected_revision_below_the_threshold_withdraws_the_listing(
        self, registry: RunningService
    ) -> None:
        enterprise_id = await register(registry)
        await feed(registry, [verified(enterprise_id, 2024, "26000")])
        await feed(registry, [verified(enterprise_id, 2024, "25999.9", revision=2)])
        assert await directory(registry, 2025) == []
        (delisted,) = await emitted(registry, "EmitterDelisted")
        assert (delisted["year"], delisted["rule"], delisted["basis_emissions_tco2e"]) == (
            2025,
            "correction",
            ["25999.9"],
        )

    async def test_closure_delists_from_the_year_after(self, registry: RunningService) -> None:
        enterprise_id = await register(registry)
        await feed(registry, [verified(enterprise_id, 2024, "40000"), verified(enterprise_id, 2025, "40000")])
        assert [e["year"] for e in await emitted(registry, "EmitterListed")] == [2025, 2026]
        await registry.client.post(
            f"/v1/enterprises/{enterprise_id}/closure",
            json={"closed_on": "2025-09-30", "reason": "关闭"},
            headers=REGULATOR,
        )
        assert len(await directory(registry, 2025)) == 1 and await directory(registry, 2026) == []
        (delisted,) = await emitted(registry, "EmitterDelisted")
        assert (delisted["year"], delisted["rule"]) == (2026, "closure")

    async def test_a_redelivered_event_changes_nothing(self, registry: RunningService) -> None:
        enterprise_id = await register(registry)
        event = verified(enterprise_id, 2024, "30000")
        await feed(registry, [event])
        await feed(registry, [event])  # a new envelope of the same fact: same (year, revision)
        assert len(await emitted(registry, "EmitterListed")) == 1


class TestManualDecisions:
    async def test_listing_on_application_and_removal_carry_the_written_reason(
        self, registry: RunningService
    ) -> None:
        enterprise_id = await register(registry)
        listed = await registry.client.post(
            "/v1/key-emitters",
            json={"enterprise_id": enterprise_id, "year": 2025, "reason": "企业申请纳入"},
            headers=REGULATOR,
        )
        assert (listed.status_code, listed.json()["listed"], listed.json()["rule"]) == (
            201,
            True,
            "application",
        )
        assert (await directory(registry, 2025))[0]["reason"] == "企业申请纳入"
        removed = await registry.client.post(
            f"/v1/key-emitters/{enterprise_id}/removal",
            json={"year": 2025, "reason": "核实后不符合条件"},
            headers=REGULATOR,
        )
        assert (removed.status_code, removed.json()["listed"]) == (200, False)
        (event,) = await emitted(registry, "EmitterDelisted")
        assert (event["rule"], event["reason"]) == ("regulator", "核实后不符合条件")
        changes = (
            await registry.client.get(f"/v1/enterprises/{enterprise_id}/directory", headers=REGULATOR)
        ).json()
        assert [(c["change"], c["rule"]) for c in changes["items"]] == [
            ("listed", "application"),
            ("delisted", "regulator"),
        ]

    async def test_refusals(self, registry: RunningService) -> None:
        enterprise_id = await register(registry)
        url = f"/v1/key-emitters/{enterprise_id}/removal"
        not_listed = await registry.client.post(url, json={"year": 2025, "reason": "移出"}, headers=REGULATOR)
        assert not_listed.status_code == 409
        body = {"enterprise_id": enterprise_id, "year": 2025, "reason": "  "}
        assert (
            await registry.client.post("/v1/key-emitters", json=body, headers=REGULATOR)
        ).status_code == 422
        unknown = {"enterprise_id": "nope", "year": 2025, "reason": "申请"}
        assert (
            await registry.client.post("/v1/key-emitters", json=unknown, headers=REGULATOR)
        ).status_code == 404
        body["reason"] = "申请"
        assert (await registry.client.post("/v1/key-emitters", json=body)).status_code == 401
        assert (
            await registry.client.post("/v1/key-emitters", json=body, headers=bearer("ops"))
        ).status_code == 403


class TestDirectoryExport:
    async def test_published_directory_exports_as_csv_without_login(self, registry: RunningService) -> None:
        enterprise_id = await register(registry)
        await feed(registry, [verified(enterprise_id, 2024, "123456.789")])
        exported = await registry.client.get(
            "/v1/key-emitters/export", params={"year": 2025, "format": "csv"}
        )
        rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert [(r["enterprise_id"], r["basis_emissions_tco2e"]) for r in rows] == [
            (enterprise_id, "123456.789")
        ]
        assert rows[0]["enterprise_name"] == enterprise_body(1)["name"]
