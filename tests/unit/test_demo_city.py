"""The demo city's data is valid by the registry's own rules."""

from __future__ import annotations

from carbon_registry.domain.uscc import validate_uscc
from carbon_registry.reference.loader import load_counties, load_sectors, load_uscc_standard
from carbon_shared.cli.demo_city import plan_city


class TestDemoCity:
    def test_every_uscc_passes_gb_32100(self) -> None:
        standard = load_uscc_standard()
        plans = plan_city(200)
        assert all(validate_uscc(code=p.uscc, standard=standard) == p.uscc for p in plans)
        assert len({p.uscc for p in plans}) == 200

    def test_sectors_and_counties_are_known_reference_codes(self) -> None:
        sectors, counties = load_sectors(), load_counties()
        for plan in plan_city(40):
            assert sectors.get(plan.sector) is not None and counties.get(plan.county_code) is not None

    def test_plan_is_deterministic_and_spread(self) -> None:
        assert plan_city(40) == plan_city(40)
        assert {p.county_code for p in plan_city(40)} == {"640502", "640521", "640522", "park"}
