"""The app floor: the web app for planners (``rollout app``), on top of every other floor.

:mod:`.logic` holds what the app does as plain functions (where a scenario comes from, the
levers and the keys they set, problems placed next to their lever, the experiments and
their downloads), tested without a browser; :mod:`.page` is the thin Streamlit page;
:mod:`.serve` starts it on localhost. Streamlit is imported only by the page and by
``rollout app``, never by ``rollout --help`` or the other commands.
"""
