"""Over the real PostgreSQL and Kafka: the key-emitter directory follows ReportVerified events (listing at
the threshold, a one-year dip kept, two years below delisted) and states its decisions on the registry
topic; enterprise events and the bulk import work on PostgreSQL."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from carbon_registry.testing import bus_events, enterprise_body, feed, of_type, valid_uscc, verified
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.services import RunningService

pytestmark = pytest.mark.integration

REGULATOR = bearer("regulator")


async def listed_ids(service: RunningService, year: int) -> list[str]:
    response = await service.client.get("/v1/key-emitters", params={"year": year})
    return [item["enterprise_id"] for item in response.json()["items"]]


class TestDirectoryOnKafka:
    async def test_threshold_lists_one_dip_keeps_two_years_below_delist(
        self, registry_on_kafka: RunningService
    ) -> None:
        service = registry_on_kafka
        created = await service.client.post("/v1/enterprises", json=enterprise_body(1), headers=REGULATOR)
        enterprise_id = created.json()["id"]

        await feed(service, [verified(enterprise_id, 2024, "30000")])
        assert await listed_ids(service, 2025) == [enterprise_id]
        await feed(service, [verified(enterprise_id, 2025, "25000")])
        assert await listed_ids(service, 2026) == [enterprise_id]  # one year below: still listed
        await feed(service, [verified(enterprise_id, 2026, "24000.5")])
        assert await listed_ids(service, 2027) == []  # two consecutive years below: delisted

        events = await bus_events(service.platform, lambda seen: bool(of_type(seen, "EmitterDelisted")))
        listed = of_type(events, "EmitterListed")
        assert [(e["year"], e["rule"], e["basis_year"], e["basis_emissions_tco2e"]) for e in listed] == [
            (2025, "threshold", 2024, "30000"),
            (2026, "threshold", 2024, "30000"),
        ]
        (delisted,) = of_type(events, "EmitterDelisted")
        assert (delisted["year"], delisted["rule"], delisted["basis_years"]) == (
            2027,
            "two_years_below",
            [2025, 2026],
        )
        assert delisted["basis_emissions_tco2e"] == ["25000", "24000.5"]
        assert of_type(events, "EnterpriseRegistered")[0]["enterprise_id"] == enterprise_id

    async def test_closure_is_announced_and_delists(self, registry_on_kafka: RunningService) -> None:
        service = registry_on_kafka
        enterprise_id = (
            await service.client.post("/v1/enterprises", json=enterprise_body(2), headers=REGULATOR)
        ).json()["id"]
        await feed(service, [verified(enterprise_id, 2024, "50000"), verified(enterprise_id, 2025, "50000")])
        closure = {"closed_on": "2025-12-31", "reason": "产能置换关停"}
        response = await service.client.post(
            f"/v1/enterprises/{enterprise_id}/closure", json=closure, headers=REGULATOR
        )
        assert response.status_code == 200
        events = await bus_events(service.platform, lambda seen: bool(of_type(seen, "EmitterDelisted")))
        assert [(e["closed_on"], e["reason"]) for e in of_type(events, "EnterpriseClosed")] == [
            ("2025-12-31", "产能置换关停")
        ]
        assert [(e["year"], e["rule"]) for e in of_type(events, "EmitterDelisted")] == [(2026, "closure")]
        assert await listed_ids(service, 2026) == []


def _csv(count: int, *, bad_row: int | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["统一社会信用代码", "企业名称", "行业", "所属区县", "联系人", "电话"])
    for i in range(count):
        uscc = valid_uscc(1000 + i, "640521")
        writer.writerow(
            [
                uscc if i != bad_row else uscc[:-2] + "IO",
                f"中宁县第{i}化工厂",
                "化工",
                "640521",
                "周",
                "13800000000",
            ]
        )
    return buffer.getvalue().encode()


class TestImportOnPostgres:
    async def test_bad_row_imports_nothing_then_the_fixed_file_imports_all(
        self, registry_on_kafka: RunningService
    ) -> None:
        service = registry_on_kafka
        headers: dict[str, Any] = REGULATOR | {"content-type": "text/csv"}
        rejected = await service.client.post(
            "/v1/enterprises/import", content=_csv(50, bad_row=30), headers=headers
        )
        assert rejected.status_code == 422
        assert [e["loc"][:2] for e in rejected.json()["errors"]] == [["row", 32]]
        accepted = await service.client.post("/v1/enterprises/import", content=_csv(50), headers=headers)
        assert (accepted.status_code, accepted.json()["imported"]) == (201, 50)
        page = (
            await service.client.get(
                "/v1/enterprises", params={"sector": "chemical", "limit": 500}, headers=REGULATOR
            )
        ).json()
        assert len(page["items"]) == 50
        again = await service.client.post(
            "/v1/enterprises", json=enterprise_body(3, uscc=valid_uscc(1000, "640521")), headers=REGULATOR
        )
        assert again.status_code == 409
