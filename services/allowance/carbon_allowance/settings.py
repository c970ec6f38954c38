"""Settings of the allowance service (env prefix `CARBON_ALLOWANCE_`; shared knobs use `CARBON_`)."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from carbon_shared.settings import ServiceSettings


class AllowanceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CARBON_ALLOWANCE_", extra="ignore")
    service_name: ClassVar[str] = "allowance"
    default_port: ClassVar[int] = 8003
