"""Settings of the credit service (env prefix `CARBON_CREDIT_`; shared knobs use `CARBON_`)."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from carbon_shared.settings import ServiceSettings


class CreditSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CARBON_CREDIT_", extra="ignore")
    service_name: ClassVar[str] = "credit"
    default_port: ClassVar[int] = 8004
