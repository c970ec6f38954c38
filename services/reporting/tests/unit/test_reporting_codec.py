"""Pure helpers of the service and API layers: stored documents, error locations, months owed, bodies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from carbon_reporting.api.errors import body_loc, problem_of
from carbon_reporting.api.schemas import ActivityIn
from carbon_reporting.domain.activity import Facility, FuelLine, ProcessLine, ReportActivity
from carbon_reporting.domain.errors import (
    AgencyNotAssignable,
    FieldIssue,
    InvalidActivityData,
    InvalidInput,
    ReferenceDataInvalid,
    ReportNotFound,
)
from carbon_reporting.service.codec import activity_document, activity_from_document, breakdown_document
from carbon_reporting.service.deadlines import _months_owed
from carbon_reporting.service.reports import account


class TestStoredDocuments:
    def test_activity_round_trips_exactly(self) -> None:
        activity = ReportActivity(
            facilities=(
                Facility(
                    name="1号机组",
                    fuels=(
                        FuelLine("bituminous_coal", D("100000.123456789"), "t", carbon_tc_per_unit=D("0.55")),
                    ),
                    processes=(ProcessLine("cement_clinker", D("10")),),
                    purchased_electricity_mwh=D("1.5"),
                ),
            )
        )
        document = activity_document(activity)
        assert document["facilities"][0]["fuels"][0]["amount"] == "100000.123456789"
        assert activity_from_document(document) == activity

    def test_breakdown_keeps_decimals_as_strings(self) -> None:
        activity = ReportActivity(
            facilities=(
                Facility(
                    "main",
                    fuels=(FuelLine("bituminous_coal", D(100000), "t", D("0.55"), oxidation=D("0.99")),),
                ),
            ),
            flat=True,
        )
        document = breakdown_document(account(activity=activity, year=2024))
        assert document["total_tco2e"] == "199650.00"
        assert document["facilities"][0]["fuels"][0]["path"] == "measured"


class TestProblemOfDomainErrors:
    def test_locations_follow_fastapi_body_locations(self) -> None:
        assert body_loc("fuels[2].oxidation") == ["body", "fuels", 2, "oxidation"]
        assert body_loc("facilities[0].fuels[1].unit") == ["body", "facilities", 0, "fuels", 1, "unit"]

    @pytest.mark.parametrize(
        ("error", "status"),
        [
            (InvalidActivityData((FieldIssue("fuels[0].amount", "must be >= 0"),)), 422),
            (ReportNotFound("no"), 404),
            (AgencyNotAssignable("banned"), 409),
            (ReferenceDataInvalid("broken file"), 500),
        ],
    )
    def test_status_of_each_error(self, error: Exception, status: int) -> None:
        assert problem_of(error).status == status  # type: ignore[arg-type]


class TestLedgerMonthsOwed:
    def test_every_month_of_listed_years(self) -> None:
        assert len(_months_owed({2023, 2024}, None)) == 24

    def test_none_after_the_month_of_closure(self) -> None:
        assert sorted(_months_owed({2024}, dt.date(2024, 3, 31))) == [(2024, 1), (2024, 2), (2024, 3)]


class TestActivityBody:
    def test_flat_body_is_one_facility(self) -> None:
        activity = ActivityIn.model_validate(
            {"fuels": [{"fuel": "diesel", "amount": 1, "unit": "t"}]}
        ).to_domain()
        assert activity.flat and activity.facilities[0].fuels[0].amount == D(1)

    def test_facilities_and_flat_fields_together_are_refused(self) -> None:
        body = ActivityIn.model_validate({"fuels": [], "facilities": [{"name": "a"}]})
        with pytest.raises(InvalidInput) as caught:
            body.to_domain()
        assert caught.value.issues[0].loc == "facilities"
