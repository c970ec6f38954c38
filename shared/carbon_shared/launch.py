"""How a service process is started: its app factory under uvicorn (used by `make run` and the tests)."""

from __future__ import annotations

import sys


def uvicorn_command(service: str, *, port: int, host: str = "127.0.0.1") -> list[str]:
    return [sys.executable, "-m", "uvicorn", f"carbon_{service}.main:create_app", "--factory",
            "--host", host, "--port", str(port), "--no-access-log"]  # fmt: skip
