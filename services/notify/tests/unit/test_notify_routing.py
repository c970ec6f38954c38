"""Recipient resolution against the shipped route table (2023.1) and hand-built tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_notify.domain.errors import RecipientUnresolvable, ReferenceDataInvalid
from carbon_notify.domain.model import (
    Channel,
    ContactView,
    EnterpriseView,
    EventFacts,
    Recipient,
    RecipientKind,
)
from carbon_notify.domain.routing import SpecKind, check_route_departments, resolve_recipients
from carbon_notify.reference import load_departments, load_routes
from carbon_notify.reference.parse_routing import parse_routes

ENTERPRISE_ID = "ent-1"
ZHONGNING = "640521"


def enterprise(county_code: str = ZHONGNING) -> EnterpriseView:
    contacts = (ContactView(name="王经理", email="wang@example.cn", phone="13900000001"),)
    return EnterpriseView(ENTERPRISE_ID, "中宁县某发电有限公司", county_code, contacts)


def event(event_type: str, **payload: Any) -> EventFacts:
    subject = str(payload.get("enterprise_id") or payload.get("agency_id") or payload.get("subject_id"))
    return EventFacts("evt-1", event_type, subject, dt.datetime(2025, 1, 2, tzinfo=dt.UTC), payload)


def resolve(facts: EventFacts, view: EnterpriseView | None = None) -> set[Recipient]:
    resolution = resolve_recipients(
        event=facts, enterprise=view, routes=load_routes(), departments=load_departments()
    )
    return set(resolution.require_complete().recipient_set)


def table(*rules: dict[str, Any]) -> dict[str, Any]:
    """A minimal route table document routing event type X by `rules`."""
    return {
        "version": "t",
        "source": "test",
        "effective_from": dt.date(2024, 1, 1),
        "routes": {"X": list(rules)},
    }


def ent(enterprise_id: str = ENTERPRISE_ID) -> Recipient:
    return Recipient(RecipientKind.ENTERPRISE, enterprise_id)


def dept(code: str) -> Recipient:
    return Recipient(RecipientKind.DEPARTMENT, code)


def agency(agency_id: str) -> Recipient:
    return Recipient(RecipientKind.AGENCY, agency_id)


class TestRequiredRoutes:
    """Issue 7 / DOMAIN.md rule 8: each route reaches exactly the recipients named, no one else."""

    def test_surrender_overdue_reaches_enterprise_eco_and_its_county(self) -> None:
        facts = event("SurrenderOverdue", enterprise_id=ENTERPRISE_ID, year=2024, shortfall=10)
        assert resolve(facts, enterprise()) == {ent(), dept("eco"), dept(ZHONGNING)}

    def test_falsification_reaches_eco_samr_police_and_not_the_enterprise(self) -> None:
        facts = event("FalsificationSuspected", enterprise_id=ENTERPRISE_ID, year=2024, reason="r")
        assert resolve(facts, enterprise()) == {dept("eco"), dept("samr"), dept("police")}

    @pytest.mark.parametrize("level", ["yellow", "red"])
    def test_enterprise_credit_warning_reaches_enterprise_ndrc_pboc(self, level: str) -> None:
        facts = event(
            "CreditRatingChanged", subject_id=ENTERPRISE_ID, subject_kind="enterprise", level_after=level
        )
        assert resolve(facts) == {ent(), dept("ndrc"), dept("pboc")}

    def test_agency_violation_reaches_eco_and_samr(self) -> None:
        facts = event("AgencyViolationRecorded", agency_id="ag-9", agency_name="某核查机构")
        assert resolve(facts) == {dept("eco"), dept("samr")}

    @pytest.mark.parametrize("event_type", ["ReportOverdue", "LedgerOverdue"])
    def test_overdue_filings_reach_enterprise_and_eco(self, event_type: str) -> None:
        assert resolve(event(event_type, enterprise_id=ENTERPRISE_ID)) == {ent(), dept("eco")}

    def test_allocation_reaches_only_the_enterprise(self) -> None:
        assert resolve(event("AllowanceAllocated", enterprise_id=ENTERPRISE_ID)) == {ent()}

    def test_listing_reaches_enterprise_eco_county_from_payload_and_miit(self) -> None:
        # The payload's county wins: it is the county at the time of listing (read model says Shapotou).
        facts = event("EmitterListed", enterprise_id=ENTERPRISE_ID, county_code="640522", year=2025)
        assert resolve(facts, enterprise(county_code="640502")) == {
            ent(),
            dept("eco"),
            dept("640522"),
            dept("miit"),
        }


class TestCreditRatingRoutes:
    """Choices beyond the issue: good standing tells only the subject; agencies alert their supervisors."""

    @pytest.mark.parametrize("level", ["green", "blue"])
    def test_enterprise_good_standing_reaches_only_the_enterprise(self, level: str) -> None:
        facts = event(
            "CreditRatingChanged", subject_id=ENTERPRISE_ID, subject_kind="enterprise", level_after=level
        )
        assert resolve(facts) == {ent()}

    def test_agency_warning_reaches_agency_eco_samr_not_ndrc_pboc(self) -> None:
        facts = event("CreditRatingChanged", subject_id="ag-9", subject_kind="agency", level_after="red")
        assert resolve(facts) == {agency("ag-9"), dept("eco"), dept("samr")}

    def test_unknown_level_matches_no_rule(self) -> None:
        facts = event(
            "CreditRatingChanged", subject_id=ENTERPRISE_ID, subject_kind="enterprise", level_after="x"
        )
        assert resolve(facts) == set()


class TestConditionsAndMerging:
    def test_late_fulfilment_adds_eco_on_time_does_not(self) -> None:
        late = event("ObligationFulfilled", enterprise_id=ENTERPRISE_ID, on_time=False)
        on_time = event("ObligationFulfilled", enterprise_id=ENTERPRISE_ID, on_time=True)
        assert resolve(late) == {ent(), dept("eco")}
        assert resolve(on_time) == {ent()}

    def test_event_without_route_reaches_nobody(self) -> None:
        assert resolve(event("EnterpriseUpdated", enterprise_id=ENTERPRISE_ID)) == set()

    def test_same_recipient_from_two_rules_appears_once_with_channels_merged(self) -> None:
        routes = parse_routes(
            table(
                {
                    "name": "a",
                    "recipients": [{"kind": "department", "department": "eco", "channels": ["inbox"]}],
                },
                {
                    "name": "b",
                    "recipients": [{"kind": "department", "department": "eco", "channels": ["inbox", "sms"]}],
                },
            )
        )
        resolution = resolve_recipients(
            event=event("X", enterprise_id=ENTERPRISE_ID),
            enterprise=None,
            routes=routes,
            departments=load_departments(),
        )
        assert [(r.recipient, r.channels) for r in resolution.recipients] == [
            (dept("eco"), frozenset({Channel.INBOX, Channel.SMS}))
        ]

    def test_county_equal_to_a_fixed_department_is_deduplicated(self) -> None:
        routes = parse_routes(
            table(
                {
                    "name": "both",
                    "recipients": [
                        {"kind": "county", "channels": ["inbox"]},
                        {"kind": "department", "department": "park", "channels": ["inbox", "webhook"]},
                    ],
                }
            )
        )
        resolution = resolve_recipients(
            event=event("X", enterprise_id=ENTERPRISE_ID),
            enterprise=enterprise(county_code="park"),
            routes=routes,
            departments=load_departments(),
        )
        assert resolution.recipient_set == {dept("park")}
        assert resolution.recipients[0].channels == {Channel.INBOX, Channel.WEBHOOK}

    @given(st.permutations(["eco", "samr", "police", "ndrc", "pboc", "miit"]))
    def test_result_order_does_not_depend_on_route_order(self, codes: list[str]) -> None:
        specs = [{"kind": "department", "department": code, "channels": ["inbox"]} for code in codes]
        routes = parse_routes(table({"name": "all", "recipients": specs}))
        resolution = resolve_recipients(
            event=event("X", enterprise_id=ENTERPRISE_ID),
            enterprise=None,
            routes=routes,
            departments=load_departments(),
        )
        assert [r.recipient.id for r in resolution.recipients] == [
            "eco",
            "miit",
            "ndrc",
            "pboc",
            "police",
            "samr",
        ]


class TestVerifyingAgency:
    ROUTES = parse_routes(
        table({"name": "receipt", "recipients": [{"kind": "verifying_agency", "channels": ["inbox"]}]})
    )

    def test_the_verifying_agency_is_told(self) -> None:
        resolution = resolve_recipients(
            event=event("X", enterprise_id=ENTERPRISE_ID, agency_id="ag-3"),
            enterprise=None,
            routes=self.ROUTES,
            departments=load_departments(),
        )
        assert resolution.recipient_set == {agency("ag-3")}

    def test_no_agency_means_nobody_and_is_not_unresolved(self) -> None:
        # The region may push a verification result with agency_id null.
        resolution = resolve_recipients(
            event=event("X", enterprise_id=ENTERPRISE_ID, agency_id=None),
            enterprise=None,
            routes=self.ROUTES,
            departments=load_departments(),
        )
        assert resolution.recipients == () and resolution.unresolved == ()


class TestUnresolvableCounty:
    def test_unknown_enterprise_leaves_the_county_unresolved_but_keeps_the_others(self) -> None:
        facts = event("SurrenderOverdue", enterprise_id=ENTERPRISE_ID)
        resolution = resolve_recipients(
            event=facts, enterprise=None, routes=load_routes(), departments=load_departments()
        )
        assert resolution.recipient_set == {ent(), dept("eco")}
        assert [(u.rule, u.spec) for u in resolution.unresolved] == [("surrender-overdue", SpecKind.COUNTY)]
        with pytest.raises(RecipientUnresolvable, match="county of enterprise ent-1 unknown"):
            resolution.require_complete()

    def test_city_level_code_is_not_a_county_government(self) -> None:
        facts = event("SurrenderOverdue", enterprise_id=ENTERPRISE_ID)
        resolution = resolve_recipients(
            event=facts,
            enterprise=enterprise(county_code="640500"),
            routes=load_routes(),
            departments=load_departments(),
        )
        assert "640500 is not a county government" in resolution.unresolved[0].reason

    def test_a_view_of_another_enterprise_is_refused(self) -> None:
        other = EnterpriseView("ent-2", "别家", ZHONGNING)
        with pytest.raises(ValueError, match="ent-2"):
            resolve_recipients(
                event=event("SurrenderOverdue", enterprise_id=ENTERPRISE_ID),
                enterprise=other,
                routes=load_routes(),
                departments=load_departments(),
            )


class TestRouteTableValidation:
    def test_shipped_routes_name_only_known_departments(self) -> None:
        check_route_departments(load_routes(), load_departments())  # raises if not

    def test_unknown_department_is_refused(self) -> None:
        routes = parse_routes(
            table(
                {
                    "name": "x",
                    "recipients": [{"kind": "department", "department": "tax", "channels": ["inbox"]}],
                }
            )
        )
        with pytest.raises(ReferenceDataInvalid, match="unknown department 'tax'"):
            check_route_departments(routes, load_departments())

    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            ({"kind": "department", "channels": ["inbox"]}, "needs department"),
            ({"kind": "county", "department": "eco", "channels": ["inbox"]}, "must not have one"),
            ({"kind": "subject_enterprise", "channels": ["email"]}, "must include inbox"),
            ({"kind": "mayor", "channels": ["inbox"]}, "'mayor' is not a valid SpecKind"),
            ({"kind": "county", "channels": ["inbox", "fax"]}, "'fax' is not a valid Channel"),
        ],
    )
    def test_malformed_recipient_specs_are_refused(self, spec: dict[str, Any], message: str) -> None:
        with pytest.raises(ReferenceDataInvalid, match=message):
            parse_routes(table({"name": "x", "recipients": [spec]}))

    def test_repeated_rule_names_are_refused(self) -> None:
        rule = {"name": "x", "recipients": [{"kind": "county", "channels": ["inbox"]}]}
        with pytest.raises(ReferenceDataInvalid, match="repeats a rule name"):
            parse_routes(table(rule, rule))
