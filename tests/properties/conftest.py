"""Hypothesis profiles for the property tests.

``fixed`` (the default, and what CI runs) derandomizes Hypothesis: every run tries exactly
the same examples, so the README's test command gives the same verdict on every machine and a
red build reproduces anywhere. Some properties are statistical (a mean difference within
three standard errors), and a test that draws new examples on every run would fail now and
then by chance alone. ``explore`` draws new random examples on every run and remembers
failures in ``.hypothesis/``: use it to hunt for new problems,

    HYPOTHESIS_PROFILE=explore pytest tests/properties

and pin anything real it finds as an explicit example (see test_regressions.py).

Each test fixes its own ``max_examples`` (sized to keep this folder well under a minute on two
cores) and ``deadline=None`` (one replication's time varies with the scenario drawn).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fixed",
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))
