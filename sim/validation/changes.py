"""What changed in the bundled answers, and why: kept with the report it is printed in.

A re-pinned back test and moved bundled figures need a reason a reader can check; each
release that moves them on purpose says so here (docs/validation.md prints it).
"""

from __future__ import annotations

CHANGES = """\
## What changed in the bundled answers, and why

This version gives every lever a mechanism (MODEL.md §2, the theory of change), and the
bundled answers moved on purpose. On 40 futures at seed 2025, as shipped:

| measure | Camden before | Camden now | Havering before | Havering now |
|---|---|---|---|---|
| practising person-months over the run | 3,661 | 3,798 | 7,481 | 10,340 |
| practising share 36 months in | 33.7 % | 33.8 % | 48.7 % | 61.1 % |
| practising share 72 months in | 10.1 % | 10.8 % | 47.0 % | 61.4 % |
| coverage 72 months in | 44.8 % | 45.7 % | 90.3 % | 91.8 % |
| champion group alive at the horizon | 22.5 % | 17.5 % | – | – |

Why:

- **The dose of training now counts.** Uptake is the chance at a saturating dose; a course
  of d days gives uptake · d / (d + 1.5) at once and a starting level to match. Camden's
  five days give the 62 % of Saks & Belcourt as before; Havering's 18 days give 74 %, so
  Havering practises more than before, and more than a one-day course would (the lever
  audit below shows it).
- **Late engagers.** Half of those who do not take the practice up at once may take it up
  with support; Havering's embedded therapists and monthly supervision win many of them.
- **Learning in the team**, at about 0.3 a person-year in a mentored supervisor's team.
- **Reinforcement adds up.** Each source has its own strength (all below 1), so sources in
  the same month combine instead of the first restoring the full level; the provider's
  supervision of the champions now changes their level and what they pass on.
- **Live mentoring reaches the team**, and the months of it set how well a supervisor leads
  group supervision afterwards (half the effect after two sessions, an assumption).
- **An uncertain workforce.** Turnover and vacancy length are drawn per future from the
  council's own years of DfE figures (`workforce.turnover_factor`,
  `workforce.hiring_delay_factor`), so bands are wider.
- **One answer whatever the order.** Staffing draws come from a stream keyed by the role's
  name, so the futures themselves changed (not their distribution); Camden's champion
  group's survival moved within its interval with them.

The back test (`tests/backtest/`) was re-pinned for the same reasons, and its scenario now
sets every new key so that the pins cover each mechanism.
"""
