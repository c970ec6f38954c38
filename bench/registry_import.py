"""Benchmark: bulk import of enterprises from one CSV through the registry API (real PostgreSQL + Kafka).

Full path: `POST /v1/enterprises/import` with a CSV of BENCH_REGISTRY_ROWS enterprises (default 10,000;
Chinese headers, names, sectors and counties as a regulator's sheet has them): JWT check, CSV parse, every
row validated (USCC check digit, sector, county, e-mail, phone), one duplicate look-up, multi-row INSERTs
of the enterprises and their history rows, one EnterpriseRegistered outbox row each, one commit. The
service runs on its own PostgreSQL database with its relay publishing to Kafka meanwhile.

Baselines in the same run:
1. parse + validate the same CSV alone (no database): the pure cost of checking the rows;
2. a bare multi-row INSERT of the same rows into the same table of a fresh database, one transaction.

Needs the test environment: `source .testenv/env` first. BENCH_REGISTRY_ROWS=2000 for a quick run.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import os
import sys
import time
import uuid

from sqlalchemy import func, insert, select

from carbon_registry.db.tables import enterprises
from carbon_registry.domain.bulk_import import validate_import_rows
from carbon_registry.main import create_app
from carbon_registry.reference import load_reference
from carbon_registry.service.spreadsheets import read_csv
from carbon_registry.settings import RegistrySettings
from carbon_registry.testing import valid_uscc
from carbon_shared.cli.progress import Progress
from carbon_shared.db import make_engine, make_session_factory, outbox
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.fixtures import create_database, drop_database, migrate
from carbon_shared.testing.services import kafka_service

ROWS = int(os.environ.get("BENCH_REGISTRY_ROWS", "10000"))
ADMIN_URL = os.environ.get("CARBON_TEST_DATABASE_URL", "")
BOOTSTRAP = os.environ.get("CARBON_TEST_KAFKA_BOOTSTRAP", "")
HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "行业",
    "所属区县",
    "联系人",
    "邮箱",
    "电话",
    "注册地址",
    "法定代表人",
]
SECTORS = ("发电", "钢铁", "建材", "化工", "有色", "石化", "造纸")
COUNTIES = (("640502", "沙坡头区"), ("640521", "中宁县"), ("640522", "海原县"))


def make_csv(rows: int) -> bytes:
    progress = Progress("  writing the CSV", rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for i in range(rows):
        code, county = COUNTIES[i % len(COUNTIES)]
        writer.writerow([
            valid_uscc(i, code), f"中卫市{county}第{i:05d}号{SECTORS[i % len(SECTORS)]}有限公司",
            SECTORS[i % len(SECTORS)], county, f"联系人{i % 97}", f"contact{i}@example.cn",
            f"139{i:08d}", f"宁夏中卫市{county}工业路{i % 500}号", "张伟",
        ])  # fmt: skip
        progress.advance()
    progress.finish()
    return buffer.getvalue().encode("utf-8")


def parse_and_validate(data: bytes) -> tuple[float, list[dict[str, object]]]:
    started = time.perf_counter()
    sheet = read_csv(data)
    report = validate_import_rows(headers=sheet.headers, rows=sheet.rows, rules=load_reference())
    elapsed = time.perf_counter() - started
    assert report.ok and len(report.drafts) == ROWS, report.errors[:3]
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "enterprise_id": str(uuid.uuid4()), "uscc": d.draft.uscc, "name": d.draft.name,
            "sector": d.draft.sector, "county_code": d.draft.county_code, "status": "active",
            "address": d.draft.address, "legal_representative": d.draft.legal_representative,
            "contacts": [{"name": c.name, "email": c.email, "phone": c.phone} for c in d.draft.contacts],
            "facilities": [], "version": 1, "created_at": now, "updated_at": now,
        }
        for d in report.drafts
    ]  # fmt: skip
    return elapsed, rows


async def bare_insert(rows: list[dict[str, object]]) -> float:
    name = f"bench_registry_bare_{uuid.uuid4().hex[:8]}"
    url = await create_database(ADMIN_URL, name)
    engine = make_engine(url)
    try:
        await migrate("carbon_registry:migrations", url)
        async with make_session_factory(engine)() as session:
            started = time.perf_counter()
            await session.execute(insert(enterprises), rows)
            await session.commit()
            return time.perf_counter() - started
    finally:
        await engine.dispose()
        await drop_database(ADMIN_URL, name)


async def full_import(data: bytes) -> tuple[float, int, int]:
    async with kafka_service(
        settings_cls=RegistrySettings,
        create_app=create_app,
        pg_admin_url=ADMIN_URL,
        kafka_bootstrap=BOOTSTRAP,
        topic_prefix=f"bench{uuid.uuid4().hex[:6]}.",
    ) as service:
        headers = bearer("regulator") | {"content-type": "text/csv"}
        started = time.perf_counter()
        response = await service.client.post(
            "/v1/enterprises/import", content=data, headers=headers, timeout=600
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.text[:500]
        async with service.app.state.runtime.session_factory() as session:
            stored = (await session.execute(select(func.count()).select_from(enterprises))).scalar_one()
            events = (await session.execute(select(func.count()).select_from(outbox))).scalar_one()
        return elapsed, stored, events


async def main() -> None:
    if not ADMIN_URL or not BOOTSTRAP:
        sys.exit("source .testenv/env first (needs CARBON_TEST_DATABASE_URL and CARBON_TEST_KAFKA_BOOTSTRAP)")
    data = make_csv(ROWS)
    steps = Progress("  measuring (validate, bare insert, full import)", 3)
    validate_s, rows = parse_and_validate(data)
    steps.advance()
    insert_s = await bare_insert(rows)
    steps.advance()
    full_s, stored, events = await full_import(data)
    steps.advance()
    steps.finish()
    assert stored == ROWS and events >= ROWS, (stored, events)
    print(
        f"registry bulk import of {ROWS:,} enterprises, one CSV of {len(data) / 1e6:.1f} MB "
        "(PostgreSQL + Kafka)"
    )
    print(f"  parse + validate alone        : {validate_s:6.2f} s  {ROWS / validate_s:8,.0f} rows/s")
    print(f"  bare INSERT of the same rows  : {insert_s:6.2f} s  {ROWS / insert_s:8,.0f} rows/s")
    print(f"  baselines together            : {validate_s + insert_s:6.2f} s")
    print(f"  full API import (+history, {events:,} events): {full_s:6.2f} s  {ROWS / full_s:8,.0f} rows/s")
    print(f"  ratio baselines/full          : {(validate_s + insert_s) / full_s:6.2f}")
    print(f"  ratio validate-only/full      : {validate_s / full_s:6.2f}")


if __name__ == "__main__":
    asyncio.run(main())
