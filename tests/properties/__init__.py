"""Property-based tests (Hypothesis) over random valid scenarios.

A package, so that its ``conftest.py`` is imported as ``properties.conftest`` and does not
displace ``tests/conftest.py`` (which other test folders import as ``conftest``).
"""
