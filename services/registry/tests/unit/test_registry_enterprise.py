"""Enterprise validation (every issue reported at once) and the change-history diff."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from carbon_registry.domain.changes import changed_fields, diff_snapshots
from carbon_registry.domain.contacts import ContactDetails
from carbon_registry.domain.directory_model import BasisYear
from carbon_registry.domain.enterprise import (
    ContactInput,
    EnterpriseDraft,
    EnterpriseInput,
    EnterpriseSnapshot,
    EnterpriseStatus,
    check_enterprise,
)
from carbon_registry.domain.errors import EnterpriseInvalid, SnapshotMismatch
from carbon_registry.reference import load_reference

RULES = load_reference()
USCC = "91640521MA70000002"  # check digit 2 worked out in test_registry_uscc.py


def candidate(**overrides: object) -> EnterpriseInput:
    base = EnterpriseInput(
        uscc=USCC,
        name="中宁县某发电有限公司",
        sector="power",
        county_code="640521",
        contacts=(ContactInput(name="李明", email="li@example.cn", phone="0955-1234567"),),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


class TestCheckEnterprise:
    def test_valid_enterprise_is_normalised(self) -> None:
        draft = check_enterprise(
            candidate=candidate(
                uscc=" 91640521ma70000002 ", name=" 中宁县某发电\u3000有限公司 ", industry_code="d4411"
            ),
            rules=RULES,
        )
        assert draft == EnterpriseDraft(
            uscc=USCC,
            name="中宁县某发电 有限公司",
            sector="power",
            county_code="640521",
            contacts=(ContactDetails(name="李明", email="li@example.cn", phone="0955-1234567"),),
            address=None,
            legal_representative=None,
            industry_code="D4411",
        )

    def test_every_problem_is_reported_with_its_field(self) -> None:
        bad = candidate(
            uscc="91640521MA70000003",
            name=" ",
            sector="mining",
            county_code="640100",
            contacts=(ContactInput(name="李明", email="li@"),),
            industry_code="Z99",
        )
        with pytest.raises(EnterpriseInvalid) as caught:
            check_enterprise(candidate=bad, rules=RULES)
        assert [(i.field, i.code) for i in caught.value.issues] == [
            ("uscc", "invalid_uscc"),
            ("name", "invalid_field"),
            ("sector", "unknown_sector"),
            ("county_code", "unknown_county"),
            ("contacts[0]", "invalid_email"),
            ("industry_code", "invalid_field"),
        ]
        assert caught.value.issues[0].message == "check digit should be 2, got 3"

    def test_name_longer_than_200_characters(self) -> None:
        with pytest.raises(EnterpriseInvalid, match="name: the name has at most 200 characters, got 201"):
            check_enterprise(candidate=candidate(name="企" * 201), rules=RULES)

    def test_no_contacts_is_allowed(self) -> None:
        assert check_enterprise(candidate=candidate(contacts=()), rules=RULES).contacts == ()

    def test_park_is_a_valid_county_code(self) -> None:
        assert check_enterprise(candidate=candidate(county_code="park"), rules=RULES).county_code == "park"


def snapshot(**overrides: object) -> EnterpriseSnapshot:
    base = EnterpriseSnapshot(
        uscc=USCC,
        name="中宁县某发电有限公司",
        sector="power",
        county_code="640521",
        contacts=(ContactDetails(name="李明", email="li@example.cn", phone=None),),
        address="中宁县新堡镇",
        legal_representative="王强",
        industry_code="D4411",
        status=EnterpriseStatus.ACTIVE,
        closed_on=None,
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


class TestDiffSnapshots:
    def test_unchanged_fields_are_left_out(self) -> None:
        assert diff_snapshots(before=snapshot(), after=snapshot()) == {}

    def test_changed_fields_with_old_and_new_in_declaration_order(self) -> None:
        after = snapshot(
            status=EnterpriseStatus.CLOSED, closed_on=dt.date(2025, 1, 31), name="中宁县某电力公司"
        )
        assert diff_snapshots(before=snapshot(), after=after) == {
            "name": ("中宁县某发电有限公司", "中宁县某电力公司"),
            "status": (EnterpriseStatus.ACTIVE, EnterpriseStatus.CLOSED),
            "closed_on": (None, dt.date(2025, 1, 31)),
        }
        assert changed_fields(before=snapshot(), after=after) == ["name", "status", "closed_on"]

    def test_a_changed_contact_changes_the_contacts_field(self) -> None:
        after = snapshot(contacts=(ContactDetails(name="李明", email="li@example.cn", phone="13912345678"),))
        assert changed_fields(before=snapshot(), after=after) == ["contacts"]

    def test_equal_decimals_with_different_scale_are_unchanged(self) -> None:
        assert (
            diff_snapshots(before=BasisYear(2023, Decimal("1.0")), after=BasisYear(2023, Decimal("1.00")))
            == {}
        )

    def test_snapshots_of_different_types_are_refused(self) -> None:
        with pytest.raises(SnapshotMismatch, match="EnterpriseSnapshot and BasisYear"):
            diff_snapshots(before=snapshot(), after=BasisYear(2023, Decimal(1)))
