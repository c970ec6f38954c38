"""carbonctl import/export through a running registry (its own process, SQLite and the embedded bus)."""

from __future__ import annotations

import asyncio
import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from carbon_shared.cli.demo_city import plan_city
from carbon_shared.cli.main import main as carbonctl
from carbon_shared.testing.fixtures import migrate
from carbon_shared.testing.system import ROOT, free_port

pytestmark = pytest.mark.integration


@pytest.fixture
def registry_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path}/registry.db"
    asyncio.run(migrate("carbon_registry:migrations", url))
    port = free_port()
    env = dict(
        os.environ, CARBON_BUS="embedded", CARBON_DATA_DIR=str(tmp_path), CARBON_REGISTRY_DATABASE_URL=url
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "carbon_registry.main:create_app",
            "--factory",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            asyncio.run(asyncio.sleep(0.1))
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


class TestSpreadsheetsThroughTheApi:
    def test_import_then_export_round_trips_chinese_names(self, registry_url: str, tmp_path: Path) -> None:
        plans = plan_city(3, seed=11)
        source = tmp_path / "企业名录.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["统一社会信用代码", "企业名称", "行业", "所属区县", "联系人", "邮箱"])
            for p in plans:
                writer.writerow([p.uscc, p.name, p.sector, p.county_code, "王明", "wang@example.cn"])
        assert carbonctl(["import", str(source), "--url", registry_url]) == 0
        exported = tmp_path / "export.csv"
        assert carbonctl(["export", str(exported), "--url", registry_url]) == 0
        text = exported.read_text(encoding="utf-8-sig")
        assert all(p.name in text and p.uscc in text for p in plans)

    def test_import_with_a_bad_row_fails_and_names_it(self, registry_url: str, tmp_path: Path) -> None:
        source = tmp_path / "bad.csv"
        good = plan_city(1, seed=12)[0]
        source.write_text(
            f"uscc,name,sector,county_code\n{good.uscc},{good.name},power,640502\n"
            f"91640502MA76XXXX0X,坏数据,power,640502\n",
            encoding="utf-8",
        )
        lines: list[str] = []
        assert carbonctl(["import", str(source), "--url", registry_url], out=lines.append) == 1
        assert '"row"' in lines[0] and "3" in lines[0]
