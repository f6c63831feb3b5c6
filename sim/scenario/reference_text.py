"""The hand-written parts of the scenario reference: each numeric key's unit, and the rules
and introductions that the schema cannot say. :mod:`.reference` puts them together with the
schema's types, defaults, bounds and descriptions.
"""

from __future__ import annotations

from .limits import (
    MAX_COHORT_SIZE,
    MAX_COHORTS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_HORIZON_MONTHS,
    MAX_ITEMS,
    MAX_MAGNITUDE,
    MAX_MONTHS,
    MAX_NAME,
    MAX_PHASES,
    MAX_PLACES,
    MAX_POSTS,
    MAX_RATE,
    MAX_REPS,
    MAX_ROLES,
    MAX_SESSION_DAYS,
    MAX_SESSIONS,
    MAX_TEXT,
    MAX_YEAR,
    MIN_YEAR,
)

REGENERATE = "python -m sim.scenario.reference"

UNITS: dict[str, str] = {
    # time
    "horizon_months": "months",
    "hiring_delay_months": "months",
    "half_life_months": "months",
    "interval_months": "months",
    "after_months": "months",
    "start_after_months": "months",
    "months": "months",
    "supported_months": "months",
    "meeting_interval_months": "months",
    "sustain_after_months": "months",
    "discount_rate": "per year",
    "at_months": "months from the start",
    # an [uncertainty] distribution's parameters are in the unit of the key it varies
    "mean": "the key's unit",
    "sd": "the key's unit",
    "low": "the key's unit",
    "mode": "the key's unit",
    "high": "the key's unit",
    # people and posts
    "posts": "posts",
    "initial_vacancies": "posts",
    "cohorts": "cohorts",
    "max_concurrent_cohorts": "cohorts",
    "cohort_size": "places",
    "group_size": "supervisors",
    "max_groups": "groups",
    "target": "champions",
    "min_group_size": "champions",
    "workshop_places": "places",
    # rates
    "turnover": "per person-year",
    "dropout_supported": "per champion-year",
    "dropout_unsupported": "per champion-year",
    "induction_places_per_champion_per_month": "places per champion-month",
    "sessions_per_clinician_per_month": "consultations per clinician-month",
    "workshops_per_year": "per year",
    "team_learning_rate": "per person-year in a supervising team",
    # shares and levels
    "initial_trained_fraction": "share",
    "recruits_trained_fraction": "share",
    "agency_cover": "share",
    "uptake": "probability",
    "attendance": "probability",
    "half_life_spread": "coefficient of variation",
    "turnover_factor": "multiple of each role's turnover",
    "hiring_delay_factor": "multiple of each role's hiring delay",
    "posts_factor": "multiple of each role's posts",
    "agency_cover_factor": "multiple of each role's agency cover",
    "turnover_points": "percentage points of annual turnover",
    "posts_cut": "share of each role's posts",
    "threshold": "practice level (full = 1)",
    "reinforcement": "share of the gap to full",
    "supervisor_reinforcement": "share of the gap to full",
    "strength": "share of the gap to full",
    "unmentored_strength": "share of the gap to full",
    "meeting_strength": "share of the gap to full",
    "workshop_strength": "share of the gap to full",
    "late_share": "share",
    "late_engagement_per_session": "probability per session",
    "induction_level": "practice level (full = 1)",
    "sustain_target": "share",
    # days and money
    "days": "training days",
    "min_days_to_complete": "training days",
    "dose_half_days": "training days",
    "dose_half_sessions": "mentoring sessions",
    "trainers_per_session": "provider days per training day",
    "provider_days_per_session": "provider days",
    "provider_days_per_supported_team_month": "provider days per team-month",
    "induction_days": "staff days",
    "workshop_days": "staff days",
    "days_per_month": "staff days per champion-month",
    "meeting_days": "staff days per champion per meeting",
    "staff_days_per_session": "staff days per person per session",
    "day_cost": "GBP per staff day",
    "provider_day_rate": "GBP per provider day",
}

# A key's value in a sentence, where "label: value unit" reads badly (the tables, the app's
# heading, the report and the optimiser's choice take these through
# sim.model.vocabulary.key_value_text): a template whose {value} is the value as written for
# its unit (a share as "10%"), or for a yes/no key what true says and what false says.
SAID: dict[str, str | tuple[str, str]] = {
    "workforce.shock.start_after_months": "Shock begins {value} months after the start",
    "workforce.shock.months": "Shock lasts {value} months",
    "workforce.shock.turnover_points": (
        "Shock adds {value} percentage points to every role's annual turnover"
    ),
    "workforce.shock.hiring_freeze": (
        "Shock freezes recruitment: no post is filled while it lasts",
        "No recruitment freeze in the shock: posts are filled as usual",
    ),
    "workforce.shock.posts_cut": "Shock cuts {value} of each role's posts when it begins",
    "workforce.shock.restore": (
        "Posts cut are restored (opened vacant) when the shock ends",
        "Posts cut are not restored when the shock ends",
    ),
}

# Models whose fields repeat another model's, with the same meanings.
SAME_KEYS_AS = {"FoundationOverride": ("Foundation", "programme.foundation")}

RULES = """\
Besides each key's own type and range, a scenario must satisfy these rules; `rollout
validate` and `rollout run` report every broken one at once, naming the key.

- `workforce.roles`: at least one role. In each role `initial_vacancies` ≤ `posts`, and
  initial vacancies need `hiring_delay_months` > 0.
- `workforce.supervisor_role` must name a role, which is not itself a `team_member`; any
  `team_member` role needs a `supervisor_role`.
- `programme.phases`: each phase gives exactly one of `start` and `start_after_months`, and
  exactly one of `end` and `months`; no phase starts before `scenario.start`, ends before it
  starts, or overlaps the previous phase (phases are listed in date order).
- `programme.phases.N.supplies`: each item is `foundation`, `mentoring`,
  `champion_supervision`, `consultation` or the name of a group in `programme.groups`;
  `consultation` needs `programme.consultation.clinician_role`.
- Role names in `programme.groups.NAME.roles`, `programme.consultation.clinician_role` and
  `champions.roles` must be roles of `workforce.roles`; group names cannot be the name of a
  kind of supply.
- `programme.foundation.sessions` are listed in order of `after_months`, and
  `min_days_to_complete` is at most the days the sessions offer.
- `champions.appoint_from` is not before `scenario.start`.
- `workforce.over_time.points`: dates strictly increase, and none is after the horizon's
  end (`scenario.start` + `scenario.horizon_months`); growth may take the posts of all
  roles together to at most the limit on posts.
- `workforce.shock` started by `--set`, a `--variant` or a sweep's `--vary` in a scenario
  that has none must do something: `months` above 0 and at least one of `turnover_points`,
  `hiring_freeze` and `posts_cut` (and `restore` only with a `posts_cut`); otherwise it is
  refused, naming what it lacks. A shock the file gives may have `months = 0` (no shock: how
  a file turns it off).
- Every key of `[sources]` names a key of the scenario (see below).
"""

INTRO = f"""\
# Scenario reference

<!-- Generated by `{REGENERATE}` from the schema in sim/scenario/: do not edit by
hand. Change the field descriptions there (or the units and rules in
sim/scenario/reference_text.py) and regenerate; a test fails while this file is out of date. -->

A scenario is a TOML file (see `scenarios/camden.toml`, every figure commented with its
source). This page lists every key: its type, unit, default, allowed values and meaning.
Keys are written as dotted paths, as `--set` takes them: `programme.phases.1.start` is the
`start` of the second `[[programme.phases]]` table (arrays count from 0), and
`workforce.roles.<role>` stands for any role you name. A key without a default is required.
Unknown keys are errors (a mistyped key is never silently ignored).

Check a scenario and see what it means in plain words, with warnings for likely mistakes:

```bash
rollout validate my-council.toml
rollout validate camden --set programme.foundation.cohorts=6
```

## Editor support: the JSON Schema

`docs/scenario.schema.json` is a JSON Schema (draft 7) of the same format, generated with
this page, so an editor can check a scenario as you type, complete keys and show each key's
meaning on hover. With [Taplo](https://taplo.tamasfe.dev) (the *Even Better TOML*
extension for VS Code, and other editors through the Taplo language server), either put a
schema directive on the first line of the scenario file, with the path relative to that
file:

```toml
#:schema ../docs/scenario.schema.json
```

or associate every scenario in a folder with the schema in a `.taplo.toml` at the root of
the checkout:

```toml
[[rule]]
include = ["scenarios/*.toml"]
schema = {{ path = "docs/scenario.schema.json" }}
```

The schema checks each key on its own (types, ranges, unknown keys); the rules between keys
below are checked by `rollout validate`.
"""

LIMITS = f"""\
## Limits

Every value obeys one rule, so that a mistyped or hostile file gets one clear line (exit 2)
instead of a crash or a run that never ends:

- **Types are strict.** A number is a number, not text (`12`, not `"12"`); a whole number
  is whole (`12`, not `12.0` or `true`); `true`/`false` only where the key is yes or no (not
  `"yes"` or `1`); a date is a date (`2015-11-01`): a date with a time of day
  (`2015-11-01T10:00:00`) is refused, not cut to its day.
- **Every number is finite** (`inf` and `nan` are refused everywhere) and at most
  {MAX_MAGNITUDE:.0e} in size, whatever its own range.
- **Every text** is at most {MAX_TEXT:,} characters; `scenario.name` and phase names at most
  {MAX_NAME}. **Every array** has at most {MAX_ITEMS:,} items. **Every date** is in the years
  {MIN_YEAR} to {MAX_YEAR}.
- **Sizes that set a run's memory and time** have their own upper bounds (in the tables
  above): posts {MAX_POSTS:,} in all roles together (and in each role), {MAX_ROLES} roles
  or groups, {MAX_PHASES} phases, {MAX_COHORTS:,} cohorts a phase, {MAX_COHORT_SIZE:,}
  places a cohort, {MAX_SESSIONS} sessions a cohort of at most {MAX_SESSION_DAYS} days each,
  {MAX_MONTHS:,} months for any span or interval, a horizon of {MAX_HORIZON_MONTHS} months,
  and rates that make events (turnover and champions stepping down at most {MAX_RATE:g} a
  person-year, inductions and consultations at most {MAX_PLACES:,.0f} a person a month,
  workshops at most 365 a year). `--reps` is at most {MAX_REPS:,}.
- **A file** is at most {MAX_FILE_BYTES:,} bytes of UTF-8 text (a byte-order mark is
  fine), and its arrays and tables nest at most {MAX_DEPTH} levels deep; both are checked
  before the file is read as TOML.
- **`[uncertainty]`**: parameters obey the same rule; an sd must be at least a millionth of
  the mean (beta, lognormal, gamma); and a distribution's values must lie within the key's
  range. On a key whose upper bound only bounds the work (a rate, a count of months), a
  distribution with an open upper tail (normal, lognormal, gamma) is allowed when the
  largest value a replication can draw (its quantile at 1 − 2⁻⁵³) is within the bound; on
  a key without an upper bound, within {MAX_MAGNITUDE:.0e}. A key that a rule ties to
  others (a role's posts and its initial vacancies, a phase's months) is tried at the
  lowest and highest values a replication can draw, alone and with the other uncertain
  keys, and a draw that would break a rule is refused before anything runs.
"""

PROVENANCE = """\
## Provenance: `[sources]`

Any parameter may carry its source and how far to trust it, in a `[sources]` table at the
end of the file. Each key is the dotted path of another key, **in quotes**; each value is a
table with `source` (text: document, table, year, column) and `confidence`:

- `data`: published or measured for this service;
- `estimate`: derived from data by a stated calculation, or a published figure carried
  over from another setting;
- `assumption`: a planning guess, to be replaced with local knowledge.

```toml
[sources]
"workforce.roles.social_worker.turnover" = { source = "DfE CSWW 2025", confidence = "data" }
"programme.foundation.sessions.0" = { source = "course outline", confidence = "data" }
"programme.phases.1.end" = { source = "a one-year phase", confidence = "assumption" }
```

A path may name a table (`programme.foundation.sessions.0`, `programme.phases.1`): the
source then covers every key inside it. Paths are checked: a path that names no key of the
scenario (a mistyped key, a role that does not exist, phase 5 of a two-phase programme) is
an error with a suggestion. The model ignores `[sources]`; `rollout validate` lists which
parameters are data, estimates and assumptions, and which set in the file have no source,
and each run's `manifest.json` records the sources with a count by confidence.
"""


# --------------------------------------------------------------------------- JSON Schema
