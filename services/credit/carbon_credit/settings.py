"""Settings of the credit service (env prefix `CARBON_CREDIT_`; shared knobs use `CARBON_`)."""

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from carbon_shared.settings import ServiceSettings


class CreditSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CARBON_CREDIT_", extra="ignore")
    service_name: ClassVar[str] = "credit"
    default_port: ClassVar[int] = 8004

    complaint_limit: int = Field(5, ge=1, description="complaints one client address may file per window")
    complaint_window_seconds: int = Field(3600, ge=1, description="the complaint rate-limit window")
    trust_forwarded_for: bool = Field(
        False, description="take the client address from X-Forwarded-For (only behind a trusted proxy)"
    )
