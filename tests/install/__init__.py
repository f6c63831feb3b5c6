"""Install tests: the wheel in a fresh environment, the package's single sources of truth.

A package, so that its ``conftest.py`` is imported as ``install.conftest`` and does not
displace ``tests/conftest.py`` (which other test folders import as ``conftest``).
"""
