"""Every file ``rollout new`` writes is true about itself: no template dates in its notes."""

from __future__ import annotations

import re
from datetime import date

import pytest

from sim.councils.builder import new_scenario


@pytest.mark.parametrize("template", ["camden", "havering"])
def test_a_2027_scenario_says_nothing_of_the_templates_years(template):
    text = new_scenario("camden", years="2021:2025", template=template, start=date(2027, 4, 1)).text
    horizon = next(line for line in text.splitlines() if line.startswith("horizon_months"))
    assert "months, 2027-04-01 to 20" in horizon, f"horizon comment: {horizon}"
    for line in text.splitlines():
        comment = line.partition("  # ")[2] if not line.startswith("#") else line
        for year in re.findall(r"\b(?:19|20)\d\d\b", comment):
            # The DfE years used, the file's own dates, and a template date named as such.
            fine = 2021 <= int(year) <= 2036 or "in the " + template + " template" in comment
            assert fine, f"a {template} note with the template's year {year}: {line}"
