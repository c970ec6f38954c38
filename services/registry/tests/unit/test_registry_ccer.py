"""CCER candidate projects: field checks against the project-type table and the status flow."""

from __future__ import annotations

from decimal import Decimal

import pytest

from carbon_registry.domain.ccer import ProjectInput, ProjectStatus, change_status, check_project
from carbon_registry.domain.errors import ProjectInvalid, StatusChangeRefused
from carbon_registry.reference import load_counties, load_project_types


def check(**overrides: object):
    values: dict = {
        "name": "海原县 100MW 风电项目",
        "project_type": "wind",
        "county_code": "海原县",
        "owner": "海原某新能源有限公司",
        "estimated_annual_reduction_tco2e": "182000.5",
    }
    values.update(overrides)
    return check_project(
        candidate=ProjectInput(**values), project_types=load_project_types(), counties=load_counties()
    )


class TestCheckProject:
    def test_valid_project_resolves_the_county_name_and_keeps_the_exact_amount(self) -> None:
        draft = check()
        assert (draft.project_type, draft.county_code) == ("wind", "640522")
        assert draft.estimated_annual_reduction_tco2e == Decimal("182000.5")

    def test_every_bad_field_is_reported(self) -> None:
        with pytest.raises(ProjectInvalid) as caught:
            check(
                project_type="nuclear", county_code="640100", owner="", estimated_annual_reduction_tco2e="-1"
            )
        fields = [issue.field for issue in caught.value.issues]
        assert fields == ["project_type", "county_code", "owner", "estimated_annual_reduction_tco2e"]

    def test_a_non_number_reduction_is_refused(self) -> None:
        with pytest.raises(ProjectInvalid):
            check(estimated_annual_reduction_tco2e="很多")


class TestStatusFlow:
    def test_forward_moves_and_withdrawal(self) -> None:
        assert change_status(current=ProjectStatus.CANDIDATE, new=ProjectStatus.DEVELOPING) == "developing"
        assert change_status(current=ProjectStatus.DEVELOPING, new=ProjectStatus.REGISTERED) == "registered"
        assert change_status(current=ProjectStatus.CANDIDATE, new=ProjectStatus.WITHDRAWN) == "withdrawn"

    @pytest.mark.parametrize(
        ("current", "new"),
        [
            (ProjectStatus.CANDIDATE, ProjectStatus.REGISTERED),
            (ProjectStatus.REGISTERED, ProjectStatus.WITHDRAWN),
            (ProjectStatus.WITHDRAWN, ProjectStatus.CANDIDATE),
        ],
    )
    def test_skipping_or_leaving_a_final_status_is_refused(
        self, current: ProjectStatus, new: ProjectStatus
    ) -> None:
        with pytest.raises(StatusChangeRefused):
            change_status(current=current, new=new)
