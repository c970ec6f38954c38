"""A synthetic Zhongwei: enterprises, agencies and a compliance year, driven through the public APIs.

Used by `carbonctl seed-demo` (and `make run` on an empty data folder) and by the end-to-end tests.
Everything goes through REST with development tokens, exactly as the regulator, the enterprises, the
verification agencies and the region would do it; services learn from each other only by events, so
steps that depend on another service's read model are retried until that service has caught up.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from carbon_shared.auth import mint_token

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 check-digit weights (the standard, not a regulatory factor).
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
COUNTIES = ("640502", "640521", "640522", "park")
SECTORS = (
    "power",
    "power",
    "power",
    "steel",
    "building_materials",
    "chemical",
    "nonferrous",
    "petrochemical",
    "paper",
)
SECTOR_NAMES = {
    "power": "发电",
    "steel": "钢铁",
    "building_materials": "水泥",
    "chemical": "化工",
    "nonferrous": "铝业",
    "petrochemical": "石化",
    "paper": "造纸",
}
PLACES = ("沙坡头", "中宁", "海原", "美利", "宣和", "迎水桥", "柔远", "石空", "恩和", "西园")
PORTS = {"registry": 8001, "reporting": 8002, "allowance": 8003, "credit": 8004, "notify": 8005}


def uscc_for(index: int, county_code: str) -> str:
    """A valid USCC (registration 9, type 1, division from the county, check digit per GB 32100)."""
    division = county_code if county_code.isdigit() else "640500"
    serial = ""
    n = ((index + 1) * 2654435761) % len(USCC_ALPHABET) ** 9
    for _ in range(9):
        n, r = divmod(n, len(USCC_ALPHABET))
        serial += USCC_ALPHABET[r]
    body = f"91{division}{serial}"
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


@dataclass(frozen=True)
class EnterprisePlan:
    index: int
    uscc: str
    name: str
    sector: str
    county_code: str
    coal_t: int  # annual bituminous coal burnt; drives emissions

    def body(self) -> dict[str, Any]:
        return {
            "uscc": self.uscc,
            "name": self.name,
            "sector": self.sector,
            "county_code": self.county_code,
            "contacts": [
                {
                    "name": f"联系人{self.index:02d}",
                    "email": f"contact{self.index:02d}@example.cn",
                    "phone": f"139{self.index:08d}",
                }
            ],
        }

    def report_body(self, enterprise_id: str, year: int) -> dict[str, Any]:
        body: dict[str, Any] = {
            "enterprise_id": enterprise_id,
            "year": year,
            "fuels": [
                {
                    "fuel": "bituminous_coal",
                    "amount": self.coal_t,
                    "unit": "t",
                    "carbon_tc_per_unit": 0.55,
                    "oxidation": 0.99,
                }
            ],
        }
        if self.sector == "power":
            body["electricity_generated_mwh"] = self.coal_t * 2
        return body


def plan_city(count: int, *, seed: int = 2023) -> list[EnterprisePlan]:
    """`count` enterprises spread over the counties and sectors, deterministic for a seed."""
    rng = random.Random(seed)
    plans = []
    for i in range(count):
        sector = SECTORS[i % len(SECTORS)]
        county = COUNTIES[i % len(COUNTIES)]
        name = f"中卫市{PLACES[i % len(PLACES)]}{SECTOR_NAMES[sector]}有限公司{i:02d}"
        coal = rng.choice((6_000, 9_000, 14_000, 20_000, 60_000, 150_000))
        plans.append(EnterprisePlan(i, uscc_for(seed * 100_000 + i, county), name, sector, county, coal))
    return plans


@dataclass
class CityApi:
    """HTTP access to the five services with development tokens for each role."""

    urls: dict[str, str]
    secret: str
    timeout: float = 60.0
    _clients: dict[str, httpx.AsyncClient] = field(default_factory=dict)

    def token(self, role: str, **claims: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint_token(secret=self.secret, role=role, **claims)}"}

    def client(self, service: str) -> httpx.AsyncClient:
        if service not in self._clients:
            self._clients[service] = httpx.AsyncClient(base_url=self.urls[service], timeout=self.timeout)
        return self._clients[service]

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        role: str,
        expect: tuple[int, ...] = (200, 201),
        claims: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        headers = self.token(role, **(claims or {}))
        response = await self.client(service).request(method, path, headers=headers, **kwargs)
        if response.status_code not in expect:
            raise ApiError(
                f"{method} {service}{path} -> {response.status_code}: {response.text[:500]}", response
            )
        return response


class ApiError(RuntimeError):
    def __init__(self, message: str, response: httpx.Response) -> None:
        super().__init__(message)
        self.response = response


async def eventually(
    step: Callable[[], Awaitable[httpx.Response]], *, within: float = 60.0
) -> httpx.Response:
    """Retry a step that needs another service's events to have arrived first (4xx until then)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        try:
            return await step()
        except (ApiError, httpx.TransportError):
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.3)


async def register_enterprises(api: CityApi, plans: list[EnterprisePlan]) -> dict[int, str]:
    ids = {}
    for plan in plans:
        response = await api.call("registry", "POST", "/v1/enterprises", role="regulator", json=plan.body())
        ids[plan.index] = response.json()["id"]
    return ids


async def register_agency(api: CityApi, *, index: int, name: str) -> str:
    body = {"uscc": uscc_for(900 + index, "640500"), "name": name, "kind": "verification"}
    return (await api.call("registry", "POST", "/v1/agencies", role="regulator", json=body)).json()["id"]


async def file_and_verify(
    api: CityApi,
    plan: EnterprisePlan,
    *,
    enterprise_id: str,
    agency_id: str,
    year: int,
    verified: float | None = None,
) -> str:
    """Report, submit, assign, verify: the annual cycle of one enterprise. Returns the report id."""
    owner = {"enterprise_id": enterprise_id}
    created = await eventually(
        lambda: api.call(
            "reporting",
            "POST",
            "/v1/reports",
            role="enterprise",
            claims=owner,
            json=plan.report_body(enterprise_id, year),
        )
    )
    report = created.json()
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
    emissions = verified if verified is not None else report["calculated_emissions_tco2e"]
    await api.call(
        "reporting",
        "POST",
        f"/v1/reports/{report['id']}/verification",
        role="verifier",
        claims={"agency_id": agency_id},
        json={"verified_emissions_tco2e": emissions, "conclusion": "accepted", "opinion": "核查无误"},
    )
    return str(report["id"])


async def allocate(api: CityApi, *, enterprise_id: str, year: int, amount: int, kind: str) -> None:
    body = {"enterprise_id": enterprise_id, "year": year, "amount": amount, "kind": kind}
    await eventually(lambda: api.call("allowance", "POST", "/v1/allocations", role="region", json=body))


async def seed_demo_city(
    api: CityApi, *, count: int = 40, year: int = 2023, progress: Callable[[str], None] = print
) -> dict[str, Any]:
    """Counties, ~40 enterprises across the sectors, three agencies, a verified year with allocations."""
    plans = plan_city(count)
    progress(f"registering {count} enterprises")
    ids = await register_enterprises(api, plans)
    agencies = [
        await register_agency(api, index=i, name=n)
        for i, n in enumerate(
            ("宁夏碳核查技术服务有限公司", "中卫市绿源环境咨询有限公司", "宁夏中环检测认证有限公司")
        )
    ]
    for number, plan in enumerate(plans, 1):
        progress(f"[{number}/{count}] {plan.name}: report {year} filed and verified")
        await file_and_verify(
            api, plan, enterprise_id=ids[plan.index], agency_id=agencies[plan.index % 3], year=year
        )
        if plan.sector == "power":
            await allocate(
                api, enterprise_id=ids[plan.index], year=year, amount=int(plan.coal_t * 1.9), kind="pre"
            )
    return {"enterprises": len(ids), "agencies": len(agencies), "year": year}
