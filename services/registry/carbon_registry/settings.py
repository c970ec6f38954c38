"""Settings of the registry service (env prefix `CARBON_REGISTRY_`; shared knobs use `CARBON_`)."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from carbon_shared.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CARBON_REGISTRY_", extra="ignore")
    service_name: ClassVar[str] = "registry"
    default_port: ClassVar[int] = 8001
