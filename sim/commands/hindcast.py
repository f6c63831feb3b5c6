"""``rollout hindcast``: councils built from some DfE years, run on with no programme, and
set against the DfE figures published for later years (:mod:`sim.national.hindcast`).

Every request is checked before any work (years, councils, the destination), so a mistake
is exit 2 with one line and nothing written; the run is parallel, resumable and
Dask-capable through the common flags, as ``rollout national``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .work import Common, carry_out, draw, engine_of, results_line, settings


def hindcast(
    fit: str, check: str, council_names: Sequence[str], template: str, common: Common
) -> list[str]:
    """``rollout hindcast``: every council (or those named), fitted and checked."""
    from ..national import hindcast as floor
    from ..national import hindcast_account as account

    fit_years = floor.parse_span(fit, "--fit")
    check_years = floor.parse_span(check, "--check")
    floor.check_spans(fit_years, check_years, fit, check)
    engine = engine_of(common)
    names = [n.strip() for n in council_names if n.strip()]
    built, skipped = floor.build(fit_years, check_years, names, template, common["overrides"])
    chosen = settings(
        common,
        engine,
        template,
        name="hindcast",
        pictures=True,
        manifest={"councils_asked": names},
    )
    result = carry_out(
        floor.hindcast, built, skipped, fit_years, check_years, template, settings=chosen
    )
    draw(account.draw, result, chosen)
    said = account.lines(result)
    return said + ([results_line(result.folder)] if result.folder is not None else [])
