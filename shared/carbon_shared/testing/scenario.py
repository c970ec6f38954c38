"""One compliance year of 50 enterprises, through the public APIs only, with optional fault injection.

`drive_year` runs the year; `summarize` reads a canonical summary of every service's final state keyed by
USCC (ids differ between runs), so a run with faults can be compared with a run without.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from carbon_shared.cli.demo_city import (
    CityApi,
    EnterprisePlan,
    allocate,
    eventually,
    file_and_verify,
    plan_city,
    register_agency,
    register_enterprises,
)
from carbon_shared.settings import DEV_JWT_SECRET

YEAR = 2023
DEADLINE_AS_OF = "2025-01-05"  # after the default surrender due date for 2023 (31 Dec 2024)
COUNTY_GOVERNMENTS = ("640502", "640521", "640522", "park")
Fault = Callable[[str], Awaitable[None]]


@dataclass
class YearRun:
    api: CityApi
    plans: list[EnterprisePlan]
    ids: dict[int, str]
    agencies: list[str]
    verified: dict[int, float]

    async def post(self, service: str, path: str, *, role: str, body: dict[str, Any], **claims: str) -> Any:
        call = self.api.call(service, "POST", path, role=role, claims=claims, json=body)
        return (await call).json()

    async def get(self, service: str, path: str, *, role: str = "regulator", **params: Any) -> Any:
        return (await self.api.call(service, "GET", path, role=role, params=params)).json()


def verified_emissions(plan: EnterprisePlan) -> float:
    return round(plan.coal_t * 0.55 * 0.99 * 44 / 12, 2)


def is_short(plan: EnterprisePlan) -> bool:
    """Every fifth enterprise surrenders only half of what it owes."""
    return plan.index % 5 == 4


async def drive_year(urls: dict[str, str], *, fault: Fault | None = None, count: int = 50) -> YearRun:
    """Drive the year; the caller reads the outcome with `summarize(run)` and closes `run.api`."""
    inject = fault or _no_fault
    run = await register(CityApi(urls=urls, secret=DEV_JWT_SECRET), count)
    await verify_year(run, inject)
    await recheck_first(run)
    await inject("before-allocation")
    await allocate_year(run)
    await surrender_year(run, inject)
    await run.post(
        "allowance", f"/v1/compliance/{YEAR}/deadline-check", role="ops", body={"as_of": DEADLINE_AS_OF}
    )
    return run


async def _no_fault(_: str) -> None:
    return None


async def register(api: CityApi, count: int) -> YearRun:
    plans = plan_city(count, seed=7)
    ids = await register_enterprises(api, plans)
    agencies = [await register_agency(api, index=i, name=f"宁夏第{i + 1}核查机构") for i in range(2)]
    return YearRun(api, plans, ids, agencies, {})


async def verify_year(run: YearRun, inject: Fault) -> None:
    for plan in run.plans:
        if plan.index == len(run.plans) // 2:
            await inject("mid-verification")
        run.verified[plan.index] = verified_emissions(plan)
        await file_and_verify(
            run.api,
            plan,
            enterprise_id=run.ids[plan.index],
            agency_id=run.agencies[plan.index % 2],
            year=YEAR,
        )


async def recheck_first(run: YearRun) -> None:
    """The regulator orders a re-check (复查) of the first unit; the agency corrects it: revision 2."""
    plan = run.plans[0]
    report_id = (await run.get("reporting", "/v1/reports", year=YEAR, enterprise_id=run.ids[0]))["items"][0][
        "id"
    ]
    await run.post(
        "reporting",
        f"/v1/reports/{report_id}/recheck",
        role="regulator",
        body={"reason": "举报线索：燃煤量与购煤发票不符"},
    )
    await run.post(
        "reporting",
        f"/v1/reports/{report_id}/assignment",
        role="regulator",
        body={"agency_id": run.agencies[0]},
    )
    corrected = round(run.verified[plan.index] * 0.9, 2)
    await run.post(
        "reporting",
        f"/v1/reports/{report_id}/verification",
        role="verifier",
        agency_id=run.agencies[0],
        body={"verified_emissions_tco2e": corrected, "conclusion": "accepted", "opinion": "复查更正"},
    )
    run.verified[plan.index] = corrected


def allocation_of(run: YearRun, plan: EnterprisePlan) -> int:
    return int(run.verified[plan.index] * 0.8)


async def allocate_year(run: YearRun) -> None:
    for plan in run.plans:
        await allocate_year_of(run, plan)


async def allocate_year_of(run: YearRun, plan: EnterprisePlan) -> None:
    """Pre-allocation, the final true-up, and CCER enough for the surrender plan."""
    eid, amount = run.ids[plan.index], allocation_of(run, plan)
    await allocate(run.api, enterprise_id=eid, year=YEAR, amount=int(amount * 0.7), kind="pre")
    await allocate(run.api, enterprise_id=eid, year=YEAR, amount=amount, kind="final")
    ccer = 1 + int(run.verified[plan.index] * 0.05) // 2
    deposit = {"enterprise_id": eid, "amount": ccer, "project_ref": f"CCER-640521-WIND-{plan.index:03d}"}
    await run.post("allowance", "/v1/ccer-deposits", role="regulator", body=deposit)


def surrender_of(run: YearRun, plan: EnterprisePlan) -> tuple[int, int]:
    """(allowances, ccer) the enterprise surrenders: CCER well under the 5% cap."""
    required = int(-(-run.verified[plan.index] // 1))
    ccer = int(run.verified[plan.index] * 0.05) // 2
    if is_short(plan):
        return required // 2, 0
    return required - ccer, ccer


async def surrender_year(run: YearRun, inject: Fault) -> None:
    await refused_over_cap(run, run.plans[1])
    for plan in run.plans:
        if plan.index == len(run.plans) // 2:
            await inject("mid-surrender")
        await surrender_one(run, plan)


async def surrender_one(run: YearRun, plan: EnterprisePlan) -> None:
    """Buy what the allocation lacks on the exchange, then surrender (short units on purpose)."""
    allowances, ccer = surrender_of(run, plan)
    await buy_missing_units(run, plan, allowances)
    eid = run.ids[plan.index]
    body = {"enterprise_id": eid, "year": YEAR, "allowances": allowances, "ccer": ccer}
    await eventually(
        lambda: run.post("allowance", "/v1/surrenders", role="enterprise", body=body, enterprise_id=eid)
    )


async def refused_over_cap(run: YearRun, plan: EnterprisePlan) -> None:
    eid = run.ids[plan.index]
    body = {
        "enterprise_id": eid,
        "year": YEAR,
        "allowances": 1,
        "ccer": int(run.verified[plan.index] * 0.05) + 2,
    }
    response = await run.api.call(
        "allowance",
        "POST",
        "/v1/surrenders",
        role="enterprise",
        expect=(422,),
        claims={"enterprise_id": eid},
        json=body,
    )
    assert "ccer" in response.text.lower() or "5%" in response.text


async def buy_missing_units(run: YearRun, plan: EnterprisePlan, allowances: int) -> None:
    """Units bought on the national exchange, imported by the region as a transfer in."""
    missing = allowances - allocation_of(run, plan)
    if missing > 0:
        await run.post(
            "allowance",
            "/v1/transfers",
            role="region",
            body={
                "trade_ref": f"CEEX-{YEAR}-{plan.uscc}",
                "enterprise_id": run.ids[plan.index],
                "direction": "in",
                "instrument": "allowance",
                "vintage": YEAR,
                "amount": missing,
                "counterparty": "全国碳排放权交易市场",
                "settled_on": "2024-11-20",
            },
        )


async def summarize(run: YearRun) -> dict[str, Any]:
    """The final state of every service, read through public APIs, keyed by USCC."""
    listed = await _directory(run)
    per_enterprise = {}
    for plan in run.plans:
        eid = run.ids[plan.index]
        account = await run.get("allowance", f"/v1/accounts/{eid}")
        credit = await run.get("credit", f"/v1/credit/enterprises/{eid}")
        per_enterprise[plan.uscc] = {
            "listed_next_year": eid in listed,
            "allowance_balance": account["allowance_balance"],
            "ccer_balance": account["ccer_balance"],
            "obligations": [(o["year"], o["obligation_tco2e"], o["status"]) for o in account["obligations"]],
            "credit": (credit["level"], credit["points"], [h["cause"] for h in credit["history"]]),
        }
    return {
        "enterprises": per_enterprise,
        "compliance": await run.get("allowance", f"/v1/compliance/{YEAR}"),
        "inbox": await _inboxes(run),
    }


async def _directory(run: YearRun) -> set[str]:
    response = await run.api.client("registry").get(
        "/v1/key-emitters", params={"year": YEAR + 1, "limit": 500}
    )
    return {item["enterprise_id"] for item in response.json()["items"]}


async def _inboxes(run: YearRun) -> dict[str, dict[str, int]]:
    """Notifications per department by event type."""
    return {
        d: await _inbox_counts(run, d) for d in ("eco", "samr", "ndrc", "pboc", "miit", *COUNTY_GOVERNMENTS)
    }


async def _inbox_counts(run: YearRun, department: str) -> dict[str, int]:
    counts: Counter[str] = Counter()
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 500} | ({"cursor": cursor} if cursor else {})
        response: httpx.Response = await run.api.call(
            "notify", "GET", "/v1/inbox", role="department", claims={"department": department}, params=params
        )
        page = response.json()
        counts.update(item["event_type"] for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return dict(counts)
