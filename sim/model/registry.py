"""The registry of measures: every measure's name, words, unit, direction and kind, once.

A :class:`Measure` says what a column is called in the tables, how it is labelled and
explained (:mod:`sim.model.vocabulary`), how its values are written (a share "74%", a count
"1,234", money "£1,234"), whether more of it is better, whether it is a whole number in
``timeseries.csv``, and where its value is computed. Everything else reads it: the monthly
and summary columns and their order (:mod:`sim.model.measures`), the directions, the
integer columns (:data:`sim.experiments.batches.COUNT_COLUMNS`), the vocabulary and the
chart labels. Adding a measure is one entry in :data:`MEASURES` (and, for a monthly one,
its value in :func:`sim.model.measures.snapshot`, which asserts it writes every one).

Kinds:

- ``state``: the service at a month's end (one column of ``timeseries.csv``);
- ``flow``: a total over the month (one column of ``timeseries.csv``);
- ``summary``: one value per replication (one column of ``summary.csv``); a *family*
  (a name holding ``{M}`` or ``{N}``) is one column per month of the common clock, per
  phase, or per gap between two phases;
- ``decision``: computed from the summary by a comparison, never a column of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# How values are written (kinds of value).
SHARE = "share"  # of permanent staff in post, 0-1
YES_NO = "yes/no"  # true or false in each future; its mean is a share of futures
COUNT = "count"  # people, person-months, days
MONEY = "money"  # GBP
MONTHS = "months"
NUMBER = "number"

# Waits of new starters (permanent staff who joined after the first phase began) for a
# training or induction place: the share offered one within these many months.
WAIT_MONTHS = (3, 6, 12)

# Where a value is computed (functions of sim.model.measures unless the name says more).
SNAPSHOT = "snapshot"  # measures.snapshot: the monthly row, hot code
SUMMARISE = "summarise"  # measures.summarise: from the monthly rows
WAITS = "_waits"  # measures._waits: new starters' waits
DECISION = "sim.experiments.decision.net_benefit"

# What a family's {M} or {N} runs over.
CLOCK = "clock"  # the months of the common clock (measures.at_months)
PHASE = "phase"  # the phases, from 1
GAP = "gap"  # the gaps between two phases, from 1 (after phase N)


@dataclass(frozen=True)
class Measure:
    """One measure (see the module's docstring).

    ``label`` and ``meaning`` of a family may hold ``{M}`` (the month), ``{years}`` (" (2
    years)" for a whole number of years), ``{phase}`` (phase N's name) and ``{next}`` (the
    name of the phase after it). ``own_dates``: judged at a date set by the strategy's own
    phases. ``together``: families of one tag are written interleaved, index by index.
    """

    name: str
    label: str
    unit: str
    meaning: str
    kind: str
    shown: str = NUMBER
    direction: int = 0  # +1 higher is better, -1 lower is better, 0 neither
    computed: str = SUMMARISE
    whole: bool = False  # a whole number in timeseries.csv
    own_dates: bool = False
    per: str = ""  # a family's index: CLOCK, PHASE or GAP
    together: str = ""

    @property
    def monthly(self) -> bool:
        """Whether the measure is a monthly column (a state or a flow)."""
        return self.kind in ("state", "flow")

    @property
    def pattern(self) -> re.Pattern | None:
        """A family's names as a regular expression (None for a single measure)."""
        if not self.per:
            return None
        return re.compile(re.sub(r"\\\{[MN]\\\}", r"(\\d+)", re.escape(self.name)))


def _years(month: int) -> str:
    return f" ({month // 12} year{'s' if month != 12 else ''})" if month % 12 == 0 else ""


class Registry:
    """The measures in their order, with every table derived from them."""

    def __init__(self, measures: Iterable[Measure]):
        self.measures = tuple(measures)
        self.by_name = {m.name: m for m in self.measures if not m.per}
        self.families = tuple(m for m in self.measures if m.per)
        names = [m.name for m in self.measures]
        assert len(names) == len(set(names)), "a measure is named twice"
        self.monthly = tuple(m.name for m in self.measures if m.monthly)
        self.count_columns = tuple(m.name for m in self.measures if m.monthly and m.whole)
        summary = [m for m in self.measures if m.kind == "summary"]
        self.summary = tuple(m.name for m in summary if not m.per)
        self.yes_no = tuple(m.name for m in summary if m.shown == YES_NO)
        self.directions = {m: self.by_name[m].direction for m in self.summary}

    def find(self, name: str) -> tuple[Measure, int | None] | None:
        """The measure ``name`` is, and a family's index (None for a single measure)."""
        if name in self.by_name:
            return self.by_name[name], None
        for family in self.families:
            if match := family.pattern.fullmatch(name):
                return family, int(match.group(1))
        return None

    def summary_entry(self, name: str) -> Measure | None:
        """The summary entry (single measure or family) that ``name`` belongs to, if any."""
        found = self.find(name)
        return found[0] if found and found[0].kind == "summary" else None

    def summary_columns(self, clock_months: Sequence[int], phases: int) -> list[str]:
        """The per-replication columns in order: each entry in turn, a family expanded over
        its index (families with one ``together`` tag interleaved, index by index).
        """
        ranges = {CLOCK: list(clock_months), PHASE: range(1, phases + 1), GAP: range(1, phases)}
        entries = [m for m in self.measures if m.kind == "summary"]
        names: list[str] = []
        i = 0
        while i < len(entries):
            entry = entries[i]
            if not entry.per:
                names.append(entry.name)
                i += 1
                continue
            group = [entry]
            while entry.together and i + len(group) < len(entries):
                following = entries[i + len(group)]
                if following.together != entry.together:
                    break
                group.append(following)
            for index in ranges[entry.per]:
                names += [_bind(m.name, index) for m in group]
            i += len(group)
        return names

    def words(self, name: str, phase_name=None) -> tuple[Measure, str, str] | None:
        """A measure's entry, label and meaning (a family's filled in; ``phase_name(N)``
        names phase N).
        """
        found = self.find(name)
        if found is None:
            return None
        measure, index = found
        if index is None:
            return measure, measure.label, measure.meaning
        name_of = phase_name or (lambda n: f"phase {n}")
        fill = {"M": index, "years": _years(index)}
        if measure.per in (PHASE, GAP):
            fill = {"phase": name_of(index), "next": name_of(index + 1)}
        return measure, measure.label.format(**fill), measure.meaning.format(**fill)


def _bind(name: str, index: int) -> str:
    return re.sub(r"\{[MN]\}", str(index), name)


def _monthly(name, label, unit, meaning, kind="state", shown=COUNT, whole=True) -> Measure:
    return Measure(name, label, unit, meaning, kind, shown, computed=SNAPSHOT, whole=whole)


def _share_at_end(what: str, word: str) -> Measure:
    return Measure(
        f"{what}_end_phase_{{N}}",
        f"{word} at the end of {{phase}}",
        "share of staff",
        f"Share of staff {word.lower()} when {{phase}} ends (a date that moves with the "
        "strategy's phases).",
        "summary",
        SHARE,
        +1,
        own_dates=True,
        per=PHASE,
        together="end_phase",
    )


def _clock(what: str, word: str) -> Measure:
    return Measure(
        f"{what}_m{{M}}",
        f"{word} at month {{M}}",
        "share of staff",
        f"Share of permanent staff {word.lower()} {{M}} months{{years}} after the start: "
        "the same date for every strategy.",
        "summary",
        SHARE,
        +1,
        per=CLOCK,
    )


# The order of the monthly measures is the order of timeseries.csv's columns and of the
# row snapshot() writes; the order of the summary ones is summary.csv's.
MEASURES: tuple[Measure, ...] = (
    # ---------------------------------------------------- monthly: computed by snapshot()
    _monthly("headcount", "Staff in post", "people", "Permanent staff in post."),
    _monthly(
        "vacancies", "Vacant posts", "posts",
        "Posts without a permanent holder (agency-covered or not).",
    ),
    _monthly("agency", "Agency workers", "people", "Agency workers covering vacant posts."),
    _monthly("starters", "Joiners", "people", "Permanent staff who joined that month.", "flow"),
    _monthly("leavers", "Leavers", "people", "Permanent staff who left that month.", "flow"),
    _monthly(
        "trained", "Staff trained", "people",
        "Permanent staff in post who completed foundation training or a champion induction.",
    ),
    _monthly(
        "inducted", "Staff inducted by champions", "people",
        "Trained staff whose training was a champion induction.",
    ),
    _monthly(
        "coverage", "Trained (coverage)", "share of staff",
        "Share of permanent staff in post who are trained.", shown=SHARE, whole=False,
    ),
    _monthly(
        "practising", "Staff practising", "people",
        "Permanent staff in post who practise the model.",
    ),
    _monthly(
        "practising_share", "Practising", "share of staff",
        "Share of permanent staff in post whose practice is still alive (above the threshold).",
        shown=SHARE, whole=False,
    ),
    _monthly(
        "teams_supervising", "Teams with group supervision", "teams",
        "Teams whose supervisor is in post, mentored and practising.",
    ),
    _monthly("champions", "Active champions", "people", "Champions in post and active."),
    _monthly(
        "waiting", "Waiting for a place", "people",
        "Untrained staff for whom a place is still to come.",
    ),
    _monthly("in_training", "In training", "people", "Staff in a cohort that has not finished."),
    _monthly(
        "training_days", "Training days", "staff days", "Staff days spent in training.",
        "flow", whole=False,
    ),
    _monthly(
        "provider_days", "Provider days", "days", "Days of the external provider's time.",
        "flow", whole=False,
    ),
    _monthly(
        "cost", "Cost", "GBP", "Provider days and every staff day of the programme.",
        "flow", MONEY, whole=False,
    ),
    _monthly(
        "completed", "People completing training", "people",
        "People who completed foundation training.", "flow",
    ),
    _monthly(
        "activity_days", "Practice activity days", "staff days",
        "Staff days in mentoring, supervision, groups, consultation and champion work.",
        "flow", whole=False,
    ),
    _monthly(
        "practising_untrained", "Practising without training", "people",
        "Staff who took the practice up in their team's group supervision without "
        "completing training or an induction.",
    ),
    # ---------------------------------------------------- per replication: summarise()
    # The common clock: the same dates for every strategy.
    _clock("coverage", "Trained"),
    _clock("practising_share", "Practising"),
    # Totals and states whose names do not depend on the scenario.
    Measure("coverage_horizon", "Trained at the end", "share of staff",
            "Share of staff trained in the last month.", "summary", SHARE, +1),
    Measure("practising_share_horizon", "Practising at the end", "share of staff",
            "Share of staff practising in the last month.", "summary", SHARE, +1),
    Measure("coverage_months", "Coverage-months", "share × months",
            "The share trained, added up over every month of the run.", "summary", NUMBER, +1),
    Measure("practising_share_months", "Practice-share-months", "share × months",
            "The share practising, added up over every month of the run.", "summary",
            NUMBER, +1),
    Measure("practising_person_months", "Practising person-months", "person-months",
            "Staff practising, added up over every month of the run (the whole run, so the "
            "same dates for every strategy).", "summary", COUNT, +1),
    # Months to the first month-end at or above X % (1 = by the end of the first month;
    # empty if never).
    Measure("months_to_50_coverage", "Months to 50% trained", "months",
            "Months until half of staff are trained.", "summary", MONTHS, -1),
    Measure("months_to_80_coverage", "Months to 80% trained", "months",
            "Months until 80% of staff are trained.", "summary", MONTHS, -1),
    Measure("champions_alive_horizon", "Champion group still working at the end",
            "share of futures", "Futures in which enough champions are active in the last "
            "month for the group to meet.", "summary", YES_NO, +1),
    # New starters' waits for a place (_waits()).
    Measure("new_starters", "New starters", "people",
            "Permanent staff who joined after the first phase began.", "summary", COUNT,
            0,  # set by turnover, the same for every strategy on common seeds
            computed=WAITS),
    Measure("new_starters_offered_place", "New starters offered a place", "people",
            "New starters offered a training or induction place.", "summary", COUNT, +1,
            computed=WAITS),
    Measure("new_starters_never_offered", "New starters never offered a place",
            "share of new starters", "New starters never offered a place before the end of "
            "the run or their leaving.", "summary", SHARE, -1, computed=WAITS),
    *(
        Measure(f"new_starters_offered_within_{m}_months",
                f"New starters offered a place within {m} months", "share of new starters",
                f"Share of new starters offered a training or induction place within {m} "
                "months of joining.", "summary", SHARE, +1, computed=WAITS)
        for m in WAIT_MONTHS
    ),
    Measure("median_wait_new_starters_months", "New starters' median wait", "months",
            "Median months from joining to an offer (those never offered count as still "
            "waiting).", "summary", MONTHS, -1, computed=WAITS),
    Measure("mean_wait_offered_months", "Mean wait of those offered", "months",
            "Mean months from joining to an offer.", "summary", MONTHS, -1, computed=WAITS),
    # Totals of the monthly flows.
    Measure("total_completed", "People trained", "people",
            "People who completed foundation training.", "summary", COUNT, +1),
    Measure("total_training_days", "Staff training days", "staff days",
            "Staff days spent in training.", "summary", COUNT, -1),
    Measure("total_activity_days", "Staff days in supervision and groups", "staff days",
            "Staff days in mentoring, supervision, groups, consultation and champion work.",
            "summary", COUNT, -1),
    Measure("total_provider_days", "Provider days", "days",
            "Days of the external provider's time.", "summary", COUNT, -1),
    Measure("total_cost", "Total cost", "GBP",
            "Provider days and every staff day of the programme.", "summary", MONEY, -1),
    Measure("cost_per_practising_month", "Cost per practising person-month", "GBP",
            "Total cost ÷ practising person-months.", "summary", MONEY, -1),
    # Per phase, and strategy-relative: dates that move with the strategy's own phases.
    Measure("completed_phase_{N}", "People trained in {phase}", "people",
            "People who completed foundation training during {phase}.", "summary", COUNT, +1,
            per=PHASE),
    _share_at_end("coverage", "Trained"),
    _share_at_end("practising_share", "Practising"),
    Measure("min_coverage_gap_{N}", "Lowest coverage between {phase} and {next}",
            "share of staff", "The lowest share trained in the gap after {phase} ends and "
            "before {next} starts (empty when they adjoin).", "summary", SHARE, +1,
            own_dates=True, per=GAP),
    Measure("sustained", "Coverage sustained after the last phase", "share of futures",
            "Futures in which coverage is at or above the target a set time after the last "
            "phase ends (judged at the strategy's own date).", "summary", YES_NO, +1,
            own_dates=True),
    # ---------------------------------------------------- decisions
    Measure("net_benefit", "Net benefit", "GBP",
            "The value put on a practising person-month × practising person-months − total "
            "cost.", "decision", MONEY, +1, computed=DECISION),
)  # fmt: skip

REGISTRY = Registry(MEASURES)
