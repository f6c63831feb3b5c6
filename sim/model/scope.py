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
        "Turnover is the same constant hazard whatever a person's training, practice or time in post. Aarons et al. 2009 found better retention where the practice came with supportive fidelity monitoring (a direction, no effect size); the staffing plan is drawn before the programme runs (which keeps strategies paired), so an effect would need the plan redrawn as practice changes. If practice improves retention, the model understates sustainability.",
    ),
    (
        "Churn of agency workers within a vacancy; variation in cover",
        "One agency worker covers a whole vacancy or none does. This matters only when agency workers are offered places (`offer_agency`); then trained agency workers stay the whole vacancy.",
    ),
    (
        "Learning from peers outside group supervision",
        "A new starter learns the practice in the team only through a mentored supervisor's group supervision (`team_learning_rate`), not from colleagues' casework; no published rate exists, so the default is an assumption with a wide range.",
    ),
    (
        "Strengths of the sources from evidence",
        "Each source has its own strength, but no study gives them for this practice: the defaults are ordered as the evidence suggests (mentoring and supervision above workshops) and carry wide uncertainty.",
    ),
    (
        "The kind of training beyond its days",
        "A course is its days attended (an introductory day, a foundation course, an academy pathway); a postgraduate certificate is its days. What is taught in a day is the same.",
    ),
    (
        "Forgetting of training itself",
        "Trained stays trained (coverage never decays); only practice decays.",
    ),
    (
        "Team composition and caseload pressure",
        "Group supervision's strength depends on its supervisor (mentored, and for how long, or not), not on the team's make-up or caseloads.",
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
