"""Names a package offers, loaded from their modules on first use.

A package's ``__init__`` lists each public name once, in one table (module → names), and
gets its ``__getattr__``, ``__dir__`` and ``__all__`` from :func:`attach`. Importing the
package then loads nothing heavy: ``rollout --help`` and bad-input errors stay fast, and
pandas, SciPy, SimPy or matplotlib load only with the name that needs them.

A dozen lines rather than the ``lazy_loader`` package: the tables here are small, the
behaviour is all of it (no stub files to keep in step), and it adds no dependency.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def attach(
    package: str, table: Mapping[str, Sequence[str]], also: Sequence[str] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package``.

    Parameters
    ----------
    package
        The package's ``__name__``; a module in ``table`` is relative to it (``.runs``).
    table
        Module → the public names it defines.
    also
        Further public names (submodules), loaded as modules of the package.
    """
    where = {name: module for module, names in table.items() for name in names}

    def __getattr__(name: str) -> Any:  # noqa: N807 (the module protocol names it)
        if name in where:
            return getattr(importlib.import_module(where[name], package), name)
        if name in also:
            return importlib.import_module(f".{name}", package)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:  # noqa: N807 (the module protocol names it)
        return sorted({*where, *also})

    return __getattr__, __dir__, [*where, *also]
