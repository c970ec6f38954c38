"""Public disclosure pages through every verified report with the cursor."""

from __future__ import annotations

from pathlib import Path

from carbon_reporting.main import create_app
from carbon_reporting.settings import ReportingSettings
from carbon_shared.cli.demo_city import plan_city
from carbon_shared.events import EnterpriseRegistered
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.events import publish_events, wait_until
from carbon_shared.testing.services import embedded_service


class TestDisclosurePaging:
    async def test_pages_cover_every_verified_report_once(self, tmp_path: Path) -> None:
        async with embedded_service(
            settings_cls=ReportingSettings, create_app=create_app, data_dir=tmp_path
        ) as svc:
            plans = plan_city(3, seed=21)
            ids = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(3)]
            await publish_events(
                svc.platform,
                [
                    EnterpriseRegistered(
                        enterprise_id=ids[i],
                        uscc=p.uscc,
                        name=p.name,
                        sector=p.sector,
                        county_code=p.county_code,
                        status="active",
                    )
                    for i, p in enumerate(plans)
                ],
            )
            agency = "agency-1"
            from carbon_shared.events import AgencyRegistered

            await publish_events(
                svc.platform,
                [AgencyRegistered(agency_id=agency, uscc=plans[0].uscc, name="核查", kind="verification")],
            )
            client = svc.client
            for i, plan in enumerate(plans):
                owner = bearer("enterprise", enterprise_id=ids[i])

                async def created(p=plan, i=i, owner=owner) -> bool:
                    r = await client.post("/v1/reports", json=p.report_body(ids[i], 2023), headers=owner)
                    created.response = r  # type: ignore[attr-defined]
                    return r.status_code == 201

                await wait_until(created, within=30)
                report_id = created.response.json()["id"]  # type: ignore[attr-defined]
                assert (
                    await client.post(f"/v1/reports/{report_id}/submit", headers=owner)
                ).status_code == 200

                async def assigned(rid=report_id) -> bool:
                    r = await client.post(
                        f"/v1/reports/{rid}/assignment",
                        json={"agency_id": agency},
                        headers=bearer("regulator"),
                    )
                    return r.status_code == 200

                await wait_until(assigned, within=30)
                verdict = {"verified_emissions_tco2e": 30000, "conclusion": "accepted", "opinion": "核查无误"}
                response = await client.post(
                    f"/v1/reports/{report_id}/verification",
                    json=verdict,
                    headers=bearer("verifier", agency_id=agency),
                )
                assert response.status_code == 200, response.text
            seen: list[str] = []
            cursor = None
            while True:
                params = {"year": 2023, "limit": 2} | ({"cursor": cursor} if cursor else {})
                page = await client.get("/v1/disclosures", params=params)
                assert page.status_code == 200, page.text
                seen += [item["enterprise_id"] for item in page.json()["items"]]
                cursor = page.json()["next_cursor"]
                if not cursor:
                    break
            assert sorted(seen) == sorted(ids)
