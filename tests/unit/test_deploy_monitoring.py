"""The Grafana dashboard and Prometheus config refer to metrics the services really export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from prometheus_client import generate_latest

from carbon_shared.metrics import Metrics

ROOT = Path(__file__).resolve().parents[2]


def exported_metric_names() -> set[str]:
    metrics = Metrics("probe")
    metrics.requests.labels("GET", "/x", "200").inc()
    metrics.request_seconds.labels("GET", "/x").observe(0.1)
    metrics.events_published.labels("T").inc()
    metrics.events_consumed.labels("T", "handled").inc()
    metrics.handler_seconds.labels("T").observe(0.1)
    text = generate_latest(metrics.registry).decode()
    return {
        line.split("{")[0].split(" ")[0] for line in text.splitlines() if line and not line.startswith("#")
    }


class TestMonitoringConfig:
    def test_dashboard_queries_only_exported_metrics(self) -> None:
        dashboard = json.loads((ROOT / "deploy/grafana-dashboard.json").read_text(encoding="utf-8"))
        names = exported_metric_names()
        used = set()
        for panel in dashboard["panels"]:
            for target in panel["targets"]:
                used |= set(
                    re.findall(
                        r"\b([a-z_]+(?:_total|_seconds_bucket|_messages|_rows|_seconds))\b", target["expr"]
                    )
                )
        assert used and used <= names, used - names

    def test_prometheus_scrapes_all_five_services(self) -> None:
        config = yaml.safe_load((ROOT / "deploy/prometheus.yml").read_text(encoding="utf-8"))
        targets = {
            t for sc in config["scrape_configs"] for group in sc["static_configs"] for t in group["targets"]
        }
        assert targets == {"registry:8001", "reporting:8002", "allowance:8003", "credit:8004", "notify:8005"}
