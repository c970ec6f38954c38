"""The credit rule table (DOMAIN rule 7) as typed, immutable values.

The numbers themselves live in versioned TOML files under `carbon_credit.reference`; this module only
says what a rule table is and how it turns points into a level. Points are whole numbers (the
`CreditRatingChanged` event carries `points: int`), so integer arithmetic is exact here and no rounding
ever happens.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from carbon_credit.domain.clock import add_months
from carbon_credit.domain.errors import FactNotApplicable, InvalidRuleTable, UnknownFactCause


class Level(enum.Enum):
    """Credit levels, best first: 诚信 green, 良好 blue, 警示 yellow, 不良 red."""

    GREEN = "green"
    BLUE = "blue"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH[self]

    @property
    def severity(self) -> int:
        """0 for green up to 3 for red: `a.severity > b.severity` means a is the worse level."""
        return list(Level).index(self)


_LABELS_ZH = {Level.GREEN: "诚信", Level.BLUE: "良好", Level.YELLOW: "警示", Level.RED: "不良"}


class SubjectKind(enum.Enum):
    ENTERPRISE = "enterprise"
    AGENCY = "agency"


@dataclass(frozen=True)
class FactRule:
    """How one cause of fact is rated.

    `points` may be negative for a positive fact (信用激励). A `veto` fact sends the subject to red for
    as long as it counts, whatever the points. A fact counts for `validity_months` calendar months from
    when it occurred; it may be repaired once `rectification_months` have passed, if `repairable`.
    """

    cause: str
    points: int
    veto: bool
    validity_months: int
    rectification_months: int
    repairable: bool
    subject_kinds: frozenset[SubjectKind]
    description: str

    def expires_at(self, occurred_at: dt.datetime) -> dt.datetime:
        """The first instant the fact no longer counts: `occurred_at` + validity months (CST calendar)."""
        return add_months(occurred_at, self.validity_months)

    def repairable_from(self, occurred_at: dt.datetime) -> dt.datetime:
        """The first instant a repair may be filed or take effect: `occurred_at` + rectification months."""
        return add_months(occurred_at, self.rectification_months)


@dataclass(frozen=True)
class LevelThresholds:
    """Lower bounds (inclusive) in points: below `blue_from` is green, from `red_from` on is red."""

    blue_from: int
    yellow_from: int
    red_from: int

    def __post_init__(self) -> None:
        if not 0 < self.blue_from < self.yellow_from < self.red_from:
            raise InvalidRuleTable(
                "level thresholds must be positive and strictly increasing "
                f"(got blue {self.blue_from}, yellow {self.yellow_from}, red {self.red_from})"
            )

    def level_for(self, points: int) -> Level:
        if points >= self.red_from:
            return Level.RED
        if points >= self.yellow_from:
            return Level.YELLOW
        if points >= self.blue_from:
            return Level.BLUE
        return Level.GREEN


@dataclass(frozen=True)
class SurrenderRefusalRule:
    """'Refusing to surrender' (拒不履约) is observed when an overdue obligation stays unfulfilled for
    `days_after_due` calendar days after its due date."""

    days_after_due: int


@dataclass(frozen=True)
class RuleTable:
    """One version of the credit rule table; every rating and history entry names its `version`."""

    version: str
    source: str
    effective_from: dt.date
    facts: Mapping[str, FactRule]
    thresholds: LevelThresholds
    surrender_refusal: SurrenderRefusalRule

    def rule_for(self, cause: str, kind: SubjectKind) -> FactRule:
        """The rule for `cause`; raises when the table does not rate it, or not for this kind of subject."""
        rule = self.facts.get(cause)
        if rule is None:
            known = ", ".join(sorted(self.facts))
            raise UnknownFactCause(f"rule table {self.version} has no rule for {cause!r}; known: {known}")
        if kind not in rule.subject_kinds:
            raise FactNotApplicable(f"{cause} is not rated for a subject of kind {kind.value}")
        return rule
