# ruff: noqa: E501  (the rows are prose, kept whole so the docs table can be compared)
"""What the model leaves out, and why: one table for the docs and the board report.

The same rows are in docs/model.md ("What the model leaves out, and why"); a test keeps the
two the same, so the report never tells a board less than the documentation does.
"""

from __future__ import annotations

LEFT_OUT: tuple[tuple[str, str], ...] = (
    (
        "Caseloads, and outcomes for children and families",
        'The questions are about how far the practice spreads and lasts; linking practice to outcomes needs evidence the seeds do not give. The model answers "how much practice", not "how much good".',
    ),
    (
        "Part-time staff and FTE",
        "Posts are headcount. DfE figures are in FTE and headcount; the Camden scenario uses FTE-based post counts, so a post stands for about one FTE.",
    ),
    (
        "Internal promotion between roles",
        "A leaver leaves the service; a post is filled from outside. Promotion would carry training into senior posts (and leave a vacancy below); without it, training in senior roles is lost with every senior leaver.",
    ),
    (
        "Any effect of training or practice on retention",
        "Turnover is the same constant hazard whatever a person's training, practice or time in post; the evidence for an effect is not in the seeds. If practice improves retention, the model understates sustainability.",
    ),
    (
        "Churn of agency workers within a vacancy; variation in cover",
        "One agency worker covers a whole vacancy or none does. This matters only when agency workers are offered places (`offer_agency`); then trained agency workers stay the whole vacancy.",
    ),
    (
        "Different effects of workshops, meetings, consultation and supervision",
        'Every reinforcement is the same "restore a share of the gap" (only the supervisor\'s own boost from running a group differs); no source is known to be stronger.',
    ),
    (
        "Learning from peers outside supervision",
        "Only the listed activities reinforce or train; a new starter in a practising team learns nothing from colleagues unless a cohort or an induction trains them. This makes the new-starter problem as sharp as the Camden authors describe.",
    ),
    (
        "Uptake that changes over time",
        "Engagement is decided once per person; support cannot convert a non-engager.",
    ),
    (
        "Forgetting of training itself",
        "Trained stays trained (coverage never decays); only practice decays.",
    ),
    (
        "Supervision quality, team composition and caseload pressure",
        "Group supervision either runs (supervisor in post, mentored, practising) or does not.",
    ),
    (
        "Capacity limits of the provider beyond trainer teams and mentoring groups",
        "Supervision, groups and consultations run whenever due.",
    ),
    (
        "Seasonal patterns in leaving and hiring, and trends over years",
        "Rates are constant over the horizon.",
    ),
    (
        "Agency premiums, recruitment costs, clinicians' own time",
        "See Costs above.",
    ),
)
