"""Report lifecycle state machine and the access policy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from carbon_reporting.domain.errors import (
    ActionForbidden,
    AgencyNotAssignable,
    InvalidInput,
    ReportNotFound,
    TransitionRefused,
)
from carbon_reporting.domain.falsification import suspect_falsification
from carbon_reporting.domain.lifecycle import (
    AgencyStanding,
    Conclusion,
    Report,
    ReportStatus,
    Step,
    assign_agency,
    ensure_editable,
    order_recheck,
    record_verification,
    submit_report,
    withdraw_report,
)
from carbon_reporting.domain.policy import Action, Actor, ReportAccess, Role, authorize, may

AT = dt.datetime(2025, 3, 1, 2, 0, tzinfo=dt.UTC)
ON = dt.date(2025, 3, 1)
OWNER = Actor("u-owner", Role.ENTERPRISE, enterprise_id="E1")
STRANGER = Actor("u-other", Role.ENTERPRISE, enterprise_id="E2")
REGULATOR = Actor("u-reg", Role.REGULATOR)
VERIFIER = Actor("u-ver", Role.VERIFIER, agency_id="A1")
OTHER_VERIFIER = Actor("u-ver2", Role.VERIFIER, agency_id="A2")
REGION = Actor("u-region", Role.REGION)
AGENCY = AgencyStanding("A1", "verification")


def draft() -> Report:
    return Report(report_id="R1", enterprise_id="E1", year=2024)


def in_verification() -> Report:
    submitted = submit_report(report=draft(), actor=OWNER, at=AT).report
    return assign_agency(report=submitted, actor=REGULATOR, agency=AGENCY, on=ON, at=AT).report


def accept(report: Report, emissions: D = D("199650.00"), actor: Actor = VERIFIER) -> Step:
    return record_verification(
        report=report, actor=actor, conclusion=Conclusion.ACCEPTED, verified_emissions_tco2e=emissions,
        opinion="ok", at=AT, agency=None, on=AT.date(),
    )  # fmt: skip


class TestSubmit:
    def test_owner_submits_a_draft_and_the_step_is_recorded(self) -> None:
        step = submit_report(report=draft(), actor=OWNER, at=AT)
        assert step.report.status is ReportStatus.SUBMITTED
        record = step.record
        assert (record.from_status, record.to_status, record.actor_subject, record.action) == (
            ReportStatus.DRAFT, ReportStatus.SUBMITTED, "u-owner", Action.SUBMIT,
        )  # fmt: skip
        assert step.report.submission_revision == 1

    def test_another_enterprise_gets_not_found(self) -> None:
        with pytest.raises(ReportNotFound):
            submit_report(report=draft(), actor=STRANGER, at=AT)

    def test_regulator_may_not_submit_for_the_enterprise(self) -> None:
        with pytest.raises(ActionForbidden):
            submit_report(report=draft(), actor=REGULATOR, at=AT)

    def test_verified_report_cannot_be_resubmitted(self) -> None:
        with pytest.raises(TransitionRefused, match="verified"):
            submit_report(report=accept(in_verification()).report, actor=OWNER, at=AT)

    def test_naive_time_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="UTC offset"):
            submit_report(report=draft(), actor=OWNER, at=dt.datetime(2025, 3, 1))

    def test_time_is_recorded_in_utc(self) -> None:
        cst = dt.timezone(dt.timedelta(hours=8))
        step = submit_report(report=draft(), actor=OWNER, at=dt.datetime(2025, 3, 1, 10, 0, tzinfo=cst))
        assert step.record.at == dt.datetime(2025, 3, 1, 2, 0, tzinfo=dt.UTC)


class TestWithdrawAndEdit:
    def test_draft_can_be_withdrawn(self) -> None:
        assert withdraw_report(report=draft(), actor=OWNER, at=AT).report.status is ReportStatus.WITHDRAWN

    def test_submitted_cannot_be_withdrawn(self) -> None:
        submitted = submit_report(report=draft(), actor=OWNER, at=AT).report
        with pytest.raises(TransitionRefused):
            withdraw_report(report=submitted, actor=OWNER, at=AT)

    def test_edit_only_in_draft_or_returned(self) -> None:
        ensure_editable(report=draft(), actor=OWNER)
        with pytest.raises(TransitionRefused):
            ensure_editable(report=in_verification(), actor=OWNER)


class TestAssignAgency:
    def test_regulator_assigns(self) -> None:
        report = in_verification()
        assert (report.status, report.assigned_agency_id) == (ReportStatus.IN_VERIFICATION, "A1")

    def test_banned_agency_is_refused_through_its_last_banned_day(self) -> None:
        submitted = submit_report(report=draft(), actor=OWNER, at=AT).report
        banned = AgencyStanding("A1", "verification", banned_until=ON)
        with pytest.raises(AgencyNotAssignable, match="barred"):
            assign_agency(report=submitted, actor=REGULATOR, agency=banned, on=ON, at=AT)
        next_day = ON + dt.timedelta(days=1)
        step = assign_agency(report=submitted, actor=REGULATOR, agency=banned, on=next_day, at=AT)
        assert step.report.status is ReportStatus.IN_VERIFICATION

    def test_agency_that_prepared_the_report_is_refused(self) -> None:
        prepared = Report(report_id="R1", enterprise_id="E1", year=2024, prepared_by_agency_id="A1")
        submitted = submit_report(report=prepared, actor=OWNER, at=AT).report
        with pytest.raises(AgencyNotAssignable, match="prepared"):
            assign_agency(report=submitted, actor=REGULATOR, agency=AGENCY, on=ON, at=AT)

    def test_non_verification_agency_is_refused(self) -> None:
        submitted = submit_report(report=draft(), actor=OWNER, at=AT).report
        with pytest.raises(AgencyNotAssignable, match="testing"):
            assign_agency(
                report=submitted, actor=REGULATOR, agency=AgencyStanding("A1", "testing"), on=ON, at=AT
            )

    def test_draft_cannot_be_assigned(self) -> None:
        with pytest.raises(TransitionRefused):
            assign_agency(report=draft(), actor=REGULATOR, agency=AGENCY, on=ON, at=AT)

    def test_enterprise_cannot_assign(self) -> None:
        submitted = submit_report(report=draft(), actor=OWNER, at=AT).report
        with pytest.raises(ActionForbidden):
            assign_agency(report=submitted, actor=OWNER, agency=AGENCY, on=ON, at=AT)


class TestRecordVerification:
    def test_accepted_becomes_verified_revision_one(self) -> None:
        step = accept(in_verification())
        assert (step.report.status, step.report.revision) == (ReportStatus.VERIFIED, 1)
        assert step.report.verified_emissions_tco2e == D("199650.00")
        assert step.record.revision == 1

    def test_verifier_of_another_agency_is_forbidden(self) -> None:
        with pytest.raises(ActionForbidden, match="assigned"):
            accept(in_verification(), actor=OTHER_VERIFIER)

    def test_returned_needs_an_opinion_and_goes_back_to_the_enterprise(self) -> None:
        report = in_verification()
        with pytest.raises(InvalidInput, match="opinion"):
            record_verification(
                report=report, actor=VERIFIER, conclusion=Conclusion.RETURNED, verified_emissions_tco2e=None,
                opinion=" ", at=AT, agency=None, on=AT.date(),
            )  # fmt: skip
        step = record_verification(
            report=report, actor=VERIFIER, conclusion=Conclusion.RETURNED, verified_emissions_tco2e=None,
            opinion="meter calibration missing", at=AT, agency=None, on=AT.date(),
        )  # fmt: skip
        assert (step.report.status, step.record.opinion) == (
            ReportStatus.RETURNED,
            "meter calibration missing",
        )
        ensure_editable(report=step.report, actor=OWNER)
        assert submit_report(report=step.report, actor=OWNER, at=AT).report.status is ReportStatus.SUBMITTED

    @pytest.mark.parametrize("emissions", [None, D(-1), D("NaN")])
    def test_accepted_needs_non_negative_emissions(self, emissions: D | None) -> None:
        with pytest.raises(InvalidInput, match="verified_emissions_tco2e"):
            record_verification(
                report=in_verification(), actor=VERIFIER, conclusion=Conclusion.ACCEPTED,
                verified_emissions_tco2e=emissions, opinion="", at=AT, agency=None, on=AT.date(),
            )  # fmt: skip

    def test_region_may_push_a_result_for_a_submitted_report(self) -> None:
        submitted = submit_report(report=draft(), actor=OWNER, at=AT).report
        step = accept(submitted, actor=REGION)
        assert (step.report.status, step.report.assigned_agency_id) == (ReportStatus.VERIFIED, None)

    def test_verifier_cannot_verify_before_assignment(self) -> None:
        submitted = submit_report(report=draft(), actor=OWNER, at=AT).report
        with pytest.raises(ActionForbidden):
            accept(submitted)


class TestRecheck:
    def test_recheck_ends_in_a_higher_revision(self) -> None:
        verified = accept(in_verification()).report
        ordered = order_recheck(report=verified, actor=REGULATOR, reason="complaint 投诉", at=AT)
        assert ordered.report.status is ReportStatus.RECHECK_ORDERED
        assert ordered.record.opinion == "complaint 投诉"
        reassigned = assign_agency(report=ordered.report, actor=REGULATOR, agency=AGENCY, on=ON, at=AT).report
        corrected = accept(reassigned, D("210000.00")).report
        assert (corrected.revision, corrected.verified_emissions_tco2e) == (2, D("210000.00"))

    def test_recheck_needs_a_reason_and_a_verified_report(self) -> None:
        with pytest.raises(InvalidInput):
            order_recheck(report=accept(in_verification()).report, actor=REGULATOR, reason="", at=AT)
        with pytest.raises(TransitionRefused):
            order_recheck(report=in_verification(), actor=REGULATOR, reason="why", at=AT)

    def test_only_the_regulator_orders_a_recheck(self) -> None:
        with pytest.raises(ActionForbidden):
            order_recheck(report=accept(in_verification()).report, actor=REGION, reason="why", at=AT)


class TestSuspectFalsification:
    def test_regulator_flags_a_filed_report(self) -> None:
        suspicion = suspect_falsification(
            report=in_verification(), actor=REGULATOR, reason="forged lab sheet", at=AT
        )
        assert (suspicion.enterprise_id, suspicion.year, suspicion.flagged_by) == ("E1", 2024, "u-reg")

    def test_draft_or_empty_reason_or_other_role_is_refused(self) -> None:
        with pytest.raises(TransitionRefused):
            suspect_falsification(report=draft(), actor=REGULATOR, reason="x", at=AT)
        with pytest.raises(InvalidInput):
            suspect_falsification(report=in_verification(), actor=REGULATOR, reason=" ", at=AT)
        with pytest.raises(ActionForbidden):
            suspect_falsification(report=in_verification(), actor=VERIFIER, reason="x", at=AT)


class TestReadPolicy:
    ACCESS = ReportAccess(enterprise_id="E1", assigned_agency_id="A1")

    @pytest.mark.parametrize(
        ("actor", "allowed"),
        [
            (OWNER, True),
            (REGULATOR, True),
            (VERIFIER, True),
            (REGION, True),
            (Actor("d", Role.DEPARTMENT), True),
            (OTHER_VERIFIER, False),
            (STRANGER, False),
            (Actor("o", Role.OPS), False),
        ],
    )
    def test_who_may_read(self, actor: Actor, allowed: bool) -> None:
        assert may(actor=actor, access=self.ACCESS, action=Action.READ) is allowed

    def test_enterprise_without_enterprise_claim_sees_nothing(self) -> None:
        with pytest.raises(ReportNotFound):
            authorize(actor=Actor("x", Role.ENTERPRISE), access=self.ACCESS, action=Action.READ)
