"""Settings of the reporting service (env prefix `CARBON_REPORTING_`; shared knobs use `CARBON_`)."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from carbon_shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CARBON_REPORTING_", extra="ignore")
    service_name: ClassVar[str] = "reporting"
    default_port: ClassVar[int] = 8002
