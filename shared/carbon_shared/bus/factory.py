"""Pick the bus adapter from settings: the one place the embedded/production choice is made."""

from __future__ import annotations

from carbon_shared.bus.base import Bus
from carbon_shared.settings import PlatformSettings


def make_bus(settings: PlatformSettings, *, client_id: str) -> Bus:
    if settings.bus == "kafka":
        from carbon_shared.bus.kafka import KafkaBus

        return KafkaBus(settings.kafka_bootstrap, partitions=settings.kafka_partitions, client_id=client_id)
    from carbon_shared.bus.embedded import EmbeddedBus

    return EmbeddedBus(settings.data_dir.resolve() / "bus.db")
