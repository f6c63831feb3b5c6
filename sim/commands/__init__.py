"""The commands floor, the top of the house: what each ``rollout`` command does.

``cli.py`` (the entry point) parses the flags and prints; the work of each command is
here: it builds one :class:`~sim.experiments.settings.RunSettings` from the flags, checks
the request before any work (:mod:`.requests`), calls the experiment and returns the
lines to print (:mod:`.work`). Library errors name parameters; :mod:`.flags` maps them to
the flags a user typed, and rebuilds the command that resumes an interrupted run.
:mod:`.interrupts` handles Ctrl-C. Importing this package loads nothing heavy.
"""
