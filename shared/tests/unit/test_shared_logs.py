"""Every log line carries the correlation id of the work it belongs to."""

from __future__ import annotations

import json
import logging

from carbon_shared.context import correlation_id_var
from carbon_shared.logs import JsonFormatter


class TestJsonLogs:
    def _format(self, message: str, **extra: object) -> dict:
        record = logging.LogRecord("carbon.test", logging.INFO, __file__, 1, message, (), None)
        for key, value in extra.items():
            setattr(record, key, value)
        return json.loads(JsonFormatter("registry").format(record))

    def test_line_carries_service_and_correlation_id(self) -> None:
        token = correlation_id_var.set("corr-42")
        try:
            line = self._format("企业已登记", enterprise_id="e-1")
        finally:
            correlation_id_var.reset(token)
        assert line["service"] == "registry" and line["correlation_id"] == "corr-42"
        assert line["message"] == "企业已登记" and line["enterprise_id"] == "e-1"

    def test_no_correlation_outside_any_work(self) -> None:
        assert self._format("idle")["correlation_id"] is None
