"""The key-emitter directory (重点排放单位名录), DOMAIN rule 1, as pure functions over one unit's history.

Rule (thresholds come from `DirectoryRule`, loaded from reference data):
- verified emissions of year Y >= threshold -> listed for Y + offset (rule "threshold", basis Y);
- a listed unit stays listed (a one-year dip does not delist) until its two most recent consecutive
  verified years are both below the threshold -> out from the year after the second one;
- closure on a date in year C -> in the directory for C (it operated and must report that year), out from
  C + 1 (rule "closure"); nothing after closure lists it again;
- a regulator's manual decision for a year (listing on application, or removal, each with a written
  reason) overrides the rule for that year; membership then carries on under the rule.
Only the latest revision of each year's verification counts: a corrected verification replaces the
earlier one, and re-running `evaluate_directory` re-decides every year, so a correction can reverse an
earlier listing or delisting. Emissions are compared exactly (Decimal, no rounding) and carried into the
basis unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from carbon_registry.domain.directory_model import (
    ClosureFact,
    DelistingDecision,
    DelistingRule,
    DirectoryRule,
    ListingDecision,
    ListingRule,
    ManualAction,
    ManualActionKind,
    VerifiedEmission,
    YearStatus,
)
from carbon_registry.domain.errors import VerifiedEmissionInvalid


@dataclass(frozen=True)
class DirectoryEvaluation:
    """Every evaluated year's status (oldest first) and the decisions to publish, oldest year first."""

    timeline: tuple[YearStatus, ...]
    decisions: tuple[ListingDecision | DelistingDecision, ...]

    def status_for(self, year: int) -> YearStatus | None:
        return next((status for status in self.timeline if status.year == year), None)


def latest_verified_by_year(records: Iterable[VerifiedEmission]) -> dict[int, VerifiedEmission]:
    """The highest revision per year. Two records with the same (year, revision) must agree."""
    latest: dict[int, VerifiedEmission] = {}
    for record in records:
        if record.emissions_tco2e < 0:
            raise VerifiedEmissionInvalid(
                f"verified emissions of {record.year} (revision {record.revision}) cannot be negative: "
                f"{record.emissions_tco2e}"
            )
        held = latest.get(record.year)
        if held is not None and held.revision == record.revision and held != record:
            raise VerifiedEmissionInvalid(
                f"revision {record.revision} of {record.year} arrived twice with different emissions "
                f"({held.emissions_tco2e} and {record.emissions_tco2e}); the reporting service must "
                "issue a new revision for a correction"
            )
        if held is None or record.revision > held.revision:
            latest[record.year] = record
    return latest


def _years_to_evaluate(
    verified: Mapping[int, VerifiedEmission],
    manual: Mapping[int, ManualAction],
    current: Mapping[int, YearStatus],
    closure: ClosureFact | None,
    rule: DirectoryRule,
) -> range:
    candidates = {year + rule.listing_offset_years for year in verified} | set(manual) | set(current)
    if closure is not None and candidates:
        candidates.add(closure.closed_on.year + 1)
    if not candidates:
        return range(0)
    return range(min(candidates), max(candidates) + 1)


def _threshold_status(
    year: int, previous: YearStatus | None, verified: Mapping[int, VerifiedEmission], rule: DirectoryRule
) -> YearStatus:
    """The status the rule alone gives `year`, knowing the status of the year before."""
    basis = verified.get(year - rule.listing_offset_years)
    if basis is not None and basis.emissions_tco2e >= rule.threshold_tco2e:
        return YearStatus.listed_by(year=year, rule=ListingRule.THRESHOLD, basis=basis)
    if previous is None or not previous.listed:
        return YearStatus.absent(year=year)
    below_run = _recent_years_below(year, verified, rule)
    if below_run is not None:
        return YearStatus.exited(year=year, rule=DelistingRule.TWO_YEARS_BELOW, basis=below_run)
    return previous.carried_to(year)


def _recent_years_below(
    year: int, verified: Mapping[int, VerifiedEmission], rule: DirectoryRule
) -> tuple[VerifiedEmission, ...] | None:
    """The consecutive verified years just before `year`'s basis year, if all are below the threshold."""
    last = year - rule.listing_offset_years
    run = [verified.get(last - back) for back in range(rule.years_below_to_delist)]
    if all(record is not None and record.emissions_tco2e < rule.threshold_tco2e for record in run):
        return tuple(sorted((record for record in run if record is not None), key=lambda r: r.year))
    return None


def _apply_manual(rule_status: YearStatus, action: ManualAction) -> YearStatus:
    if action.kind is ManualActionKind.LIST:
        return YearStatus.listed_by(year=rule_status.year, rule=ListingRule.APPLICATION, reason=action.reason)
    return YearStatus.exited(year=rule_status.year, rule=DelistingRule.REGULATOR, reason=action.reason)


def _closure_status(year: int, previous: YearStatus | None, closure: ClosureFact) -> YearStatus:
    if year == closure.closed_on.year + 1 and previous is not None and previous.listed:
        return YearStatus.exited(year=year, rule=DelistingRule.CLOSURE, reason=closure.describe())
    return YearStatus.absent(year=year)


def directory_timeline(
    *,
    verified: Mapping[int, VerifiedEmission],
    manual: Mapping[int, ManualAction],
    closure: ClosureFact | None,
    rule: DirectoryRule,
    years: range,
) -> tuple[YearStatus, ...]:
    """The status of each year in `years`, each decided from the year before it (see module docstring)."""
    timeline: list[YearStatus] = []
    previous: YearStatus | None = None
    for year in years:
        if closure is not None and year > closure.closed_on.year:
            status = _closure_status(year, previous, closure)
        else:
            status = _threshold_status(year, previous, verified, rule)
            if year in manual:
                status = _apply_manual(status, manual[year])
        timeline.append(status)
        previous = status
    return tuple(timeline)


def _withdrawal(
    published: YearStatus, verified: Mapping[int, VerifiedEmission], closure: ClosureFact | None
) -> DelistingDecision:
    """A published listing that the current facts no longer support: closure, or a corrected basis."""
    if closure is not None and published.year > closure.closed_on.year:
        return YearStatus.exited(
            year=published.year, rule=DelistingRule.CLOSURE, reason=closure.describe()
        ).as_delisting()
    still_verified = tuple(verified[basis.year] for basis in published.basis if basis.year in verified)
    described = ", ".join(
        f"{basis.year}: now {verified[basis.year].emissions_tco2e} tCO2e"
        if basis.year in verified
        else f"{basis.year}: no verified emissions"
        for basis in published.basis
    )
    return DelistingDecision(
        year=published.year,
        rule=DelistingRule.CORRECTION,
        basis_years=tuple(record.year for record in still_verified),
        basis_emissions_tco2e=tuple(record.emissions_tco2e for record in still_verified),
        reason=f"the verified emissions behind this listing changed ({described or 'no basis year'})",
    )


def _decision_for(
    computed: YearStatus,
    published: YearStatus | None,
    verified: Mapping[int, VerifiedEmission],
    closure: ClosureFact | None,
) -> ListingDecision | DelistingDecision | None:
    if computed.listed:
        return None if published == computed else computed.as_listing()
    if computed.exit_rule is not None:
        return None if published == computed else computed.as_delisting()
    if published is not None and published.listed:
        return _withdrawal(published, verified, closure)
    return None


def evaluate_directory(
    *,
    history: Iterable[VerifiedEmission],
    rule: DirectoryRule,
    published: Mapping[int, YearStatus] | None = None,
    manual_actions: Sequence[ManualAction] = (),
    closure: ClosureFact | None = None,
) -> DirectoryEvaluation:
    """Re-decide every year from the full history and compare with what was published before.

    `published` is the last stored status per year (from a previous evaluation); `manual_actions` are the
    regulator's decisions in the order taken (a later one for the same year wins). A decision is produced
    for each year whose listing or exit differs from the published one, including a "correction"
    delisting when a published listing lost its basis and no other rule keeps or removes it.
    """
    published = published or {}
    verified = latest_verified_by_year(history)
    manual = {action.year: action for action in manual_actions}
    years = _years_to_evaluate(verified, manual, published, closure, rule)
    timeline = directory_timeline(verified=verified, manual=manual, closure=closure, rule=rule, years=years)
    decisions = tuple(
        decision
        for status in timeline
        if (decision := _decision_for(status, published.get(status.year), verified, closure)) is not None
    )
    return DirectoryEvaluation(timeline=timeline, decisions=decisions)


def is_listed(*, evaluation: DirectoryEvaluation, year: int) -> bool:
    status = evaluation.status_for(year)
    return status is not None and status.listed


def threshold_reached(*, emissions_tco2e: Decimal, rule: DirectoryRule) -> bool:
    """True when one year's verified emissions alone would list the unit (达到 means >=)."""
    return emissions_tco2e >= rule.threshold_tco2e
