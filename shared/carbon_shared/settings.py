"""Settings: every knob comes from the environment (documented in README.md, "Configuration").

`PlatformSettings` (prefix `CARBON_`) holds what all services share: the bus, auth, logging, CORS.
Each service subclasses `ServiceSettings` with its own prefix (`CARBON_REGISTRY_`, ...) for its
database and its own knobs. Choosing embedded or production adapters is the one setting `CARBON_BUS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_JWT_SECRET = "carbon-dev-secret-change-me-in-production"


class PlatformSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CARBON_", extra="ignore")

    bus: Literal["embedded", "kafka"] = Field("embedded", description="event bus backend")
    data_dir: Path = Field(Path(".data"), description="where embedded SQLite files live")
    kafka_bootstrap: str = Field("127.0.0.1:9092", description="Kafka bootstrap servers")
    kafka_partitions: int = Field(3, description="partitions of each events topic created on start")
    topic_prefix: str = Field("carbon.", description="prefix of every topic name")
    jwt_secret: str = Field(DEV_JWT_SECRET, description="HS256 secret for local tokens")
    jwt_algorithms: list[str] = Field(["HS256"], description="accepted JWT algorithms")
    jwks_url: str | None = Field(None, description="OIDC JWKS URL; enables RS256 verification")
    jwt_issuer: str | None = Field(None, description="required `iss` when set")
    jwt_audience: str | None = Field(None, description="required `aud` when set")
    cors_origins: list[str] = Field([], description="allowed CORS origins for web frontends")
    log_level: str = Field("INFO", description="root log level")
    log_json: bool = Field(True, description="structured JSON logs (false: plain text)")
    outbox_batch_size: int = Field(500, description="rows the outbox relay publishes per round")
    outbox_poll_seconds: float = Field(0.2, description="relay poll interval when idle")
    outbox_linger_seconds: float = Field(
        0.005, description="after a commit wakes the relay, wait this long to publish more rows in one round"
    )
    outbox_retention_hours: int = Field(168, description="published outbox rows kept this long")
    consumer_batch_size: int = Field(500, description="messages a consumer handles per transaction")
    consumer_max_attempts: int = Field(5, description="tries before a message goes to the dead-letter topic")
    consumer_backoff_seconds: float = Field(0.2, description="first retry delay, doubled each try")
    run_consumers: bool = Field(True, description="start the relay and consumers with the API")
    run_jobs: bool = Field(
        True,
        description="run the scheduled checks (deadlines...); off when a test or replay drives them by hand",
    )


class ServiceSettings(BaseSettings):
    """Base of each service's settings. Subclasses set `service_name` and `env_prefix`."""

    model_config = SettingsConfigDict(extra="ignore")
    service_name: ClassVar[str] = "service"
    default_port: ClassVar[int] = 8000

    database_url: str | None = Field(None, description="SQLAlchemy async URL of this service's database")
    port: int | None = Field(None, description="HTTP port")
    platform: PlatformSettings = Field(default_factory=lambda: PlatformSettings())

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        path = self.platform.data_dir.resolve() / f"{self.service_name}.db"
        return f"sqlite+aiosqlite:///{path}"

    def resolved_port(self) -> int:
        return self.port or self.default_port
