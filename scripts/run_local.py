"""`make run`: the whole system on one machine, no servers to install.

Applies each service's migrations to its own SQLite file under the data folder (CARBON_DATA_DIR,
default .data/), then starts the five services as separate uvicorn processes on ports 8001-8005 over
the embedded event bus (one SQLite log file). Ctrl-C stops them all cleanly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from carbon_shared.launch import uvicorn_command

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"registry": 8001, "reporting": 8002, "allowance": 8003, "credit": 8004, "notify": 8005}


def log(message: str) -> None:
    print(f"[run] {message}", file=sys.stderr, flush=True)


def service_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("CARBON_BUS", "embedded")
    env["CARBON_DATA_DIR"] = str(data_dir)
    env.setdefault("CARBON_LOG_JSON", "false")
    return env


def migrate(env: dict[str, str]) -> None:
    for number, service in enumerate(SERVICES, 1):
        log(f"[{number}/{len(SERVICES)}] migrating {service}")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "alembic",
                "-c",
                str(ROOT / "services" / service / "alembic.ini"),
                "upgrade",
                "head",
            ],
            cwd=ROOT / "services" / service,
            env=env,
            check=True,
        )


def start(env: dict[str, str]) -> dict[str, subprocess.Popen[bytes]]:
    processes = {}
    for service, port in SERVICES.items():
        command = uvicorn_command(service, port=port, host=env.get("CARBON_HOST", "127.0.0.1"))
        processes[service] = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    return processes


def wait_healthy(processes: dict[str, subprocess.Popen[bytes]], timeout: float = 120) -> None:
    pending = dict(SERVICES)
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for service, port in list(pending.items()):
            if processes[service].poll() is not None:
                raise SystemExit(f"{service} exited with {processes[service].returncode}")
            if _healthy(port):
                log(f"{service} is up on http://127.0.0.1:{port} (docs: /docs)")
                del pending[service]
        time.sleep(0.3)
    if pending:
        raise SystemExit(f"not healthy in time: {', '.join(pending)}")


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def stop(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for service, process in processes.items():
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            log(f"{service} did not stop in time; killing it")
            os.killpg(process.pid, signal.SIGKILL)
    log("all services stopped")


def main() -> int:
    data_dir = Path(os.environ.get("CARBON_DATA_DIR", ROOT / ".data")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = service_env(data_dir)
    migrate(env)
    processes = start(env)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        wait_healthy(processes)
        seed_demo_if_wanted(env, data_dir)
        log("all five services are up; press Ctrl-C to stop")
        while all(p.poll() is None for p in processes.values()):
            time.sleep(0.5)
        log("a service exited; stopping the rest")
        return 1
    except KeyboardInterrupt:
        log("stopping")
        return 0
    finally:
        stop(processes)


def seed_demo_if_wanted(env: dict[str, str], data_dir: Path) -> None:
    """Seed a demo city on an empty data folder unless CARBON_DEMO=0 (CARBON_DEMO_COUNT enterprises)."""
    marker = data_dir / ".demo-seeded"
    if env.get("CARBON_DEMO", "1") == "0" or marker.exists():
        return
    log("seeding the demo city through the public APIs (set CARBON_DEMO=0 to skip)")
    count = env.get("CARBON_DEMO_COUNT", "40")
    command = [sys.executable, "-m", "carbon_shared.cli.main", "seed-demo", "--count", count]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    marker.touch()


if __name__ == "__main__":
    sys.exit(main())
