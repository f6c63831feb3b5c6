"""The councils floor: every English council's DfE workforce figures, and scenarios built
from them (``rollout councils``, ``rollout new``).

:mod:`.figures` (the published figures, pooled over years into flows), :mod:`.names`
(finding a council by name; the listing), :mod:`.templates` (the bundled programmes),
:mod:`.scenario_writer` and :mod:`.toml_text` (the new file's text), :mod:`.builder`
(``rollout new``). It builds on the scenario floor only: it never runs the model.
"""
