"""Settings of the notify service (env prefix `CARBON_NOTIFY_`; shared knobs use `CARBON_`)."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from carbon_shared.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CARBON_NOTIFY_", extra="ignore")
    service_name: ClassVar[str] = "notify"
    default_port: ClassVar[int] = 8005
