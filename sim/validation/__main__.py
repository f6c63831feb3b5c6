"""``python -m sim.validation --report docs/validation.md``: run the cases, write the report."""

from .report import main

raise SystemExit(main())
