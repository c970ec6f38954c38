"""Settings of the registry service (env prefix `CARBON_REGISTRY_`; shared knobs use `CARBON_`)."""

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from carbon_shared.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CARBON_REGISTRY_", extra="ignore")
    service_name: ClassVar[str] = "registry"
    default_port: ClassVar[int] = 8001

    import_max_bytes: int = Field(20_000_000, description="largest spreadsheet accepted by the bulk import")
    import_max_rows: int = Field(50_000, description="most data rows in one bulk import")
    import_max_reported_errors: int = Field(
        1_000, description="row errors listed in one 422 (the count is exact)"
    )
    export_max_rows: int = Field(100_000, description="most rows in one export; narrow the filter beyond")
