"""What several requirements share about one officer: leave, certificates, indexed training."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from deesc_desktop.core.compliance.ledger import Ledger
from deesc_desktop.core.compliance.needs import Training
from deesc_desktop.core.compliance.plan import Compiled, Plan
from deesc_desktop.core.models import Agency, Certification, Exemption, Officer


class Context:
    """Everything about one officer that several requirements share."""

    __slots__ = (
        "_class_ledger",
        "_intervals",
        "_ledger",
        "agency",
        "as_of",
        "certifications",
        "classes",
        "exemptions",
        "officer",
        "plan",
        "records",
        "warning_days",
    )

    def __init__(
        self,
        plan: Plan,
        officer: Officer,
        records: Sequence[Training],
        exemptions: Sequence[Exemption],
        certifications: Sequence[Certification],
        as_of: date,
        agency: Agency,
        classes: Sequence[Training] | None = None,
    ) -> None:
        self.plan = plan
        self.officer = officer
        self.records = records
        self.exemptions = exemptions
        self.certifications = certifications
        self.as_of = as_of
        self.agency = agency
        self.warning_days = agency.warning_days
        self.classes = classes
        self._ledger: Ledger | None = None
        self._class_ledger: Ledger | None = None
        self._intervals: dict[str, list[tuple[int, int]]] = {}

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            self._ledger = Ledger(self.records, self.plan, self.officer)
        return self._ledger

    def ledger_for(self, compiled: Compiled) -> Ledger:
        """Where a requirement's training is counted: a course requirement's in the
        officer's `LatestClass`es when the bulk path read those apart from the hour totals,
        everything else (and every requirement otherwise) in the one ledger."""
        if self.classes is None or compiled.course_filter is None:
            return self.ledger
        if self._class_ledger is None:
            self._class_ledger = Ledger(self.classes, self.plan, self.officer)
        return self._class_ledger

    def counts(self, exemption: Exemption) -> bool:
        """Whether an exemption reduces required hours on the as-of date: a waiver granted
        by then, or any leave under the agency's own proration policy; leave that has not
        begun yet never does."""
        return exemption.start <= self.as_of and (
            self.agency.leave_proration or exemption.granted_by_day(self.as_of)
        )

    def intervals(self, requirement_id: str) -> list[tuple[int, int]]:
        """The officer's exemptions that count for this requirement as merged day-ordinal
        ranges up to the as-of date, so a day covered by two overlapping exemptions counts
        once and a day still to come counts not at all."""
        found = self._intervals.get(requirement_id)
        if found is None:
            last_day = self.as_of.toordinal()
            spans = sorted(
                (e.start.toordinal(), min(e.end.toordinal(), last_day))
                for e in self.exemptions
                if e.applies_to(requirement_id) and e.end >= e.start and self.counts(e)
            )
            found = []
            for first, last in spans:
                if found and first <= found[-1][1] + 1:
                    if last > found[-1][1]:
                        found[-1] = (found[-1][0], last)
                else:
                    found.append((first, last))
            self._intervals[requirement_id] = found
        return found

    def holds(self, kinds: frozenset[str], day: date) -> Certification | None:
        """A certification of one of `kinds` valid on `day`, the longest-lasting if several."""
        best: Certification | None = None
        for cert in self.certifications:
            if (
                cert.kind.casefold() in kinds
                and cert.valid_on(day)
                and (best is None or _lasts_longer(cert, best))
            ):
                best = cert
        return best


def _lasts_longer(cert: Certification, other: Certification) -> bool:
    if cert.expires is None:
        return other.expires is not None
    return other.expires is not None and cert.expires > other.expires
