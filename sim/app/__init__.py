"""The app floor: the web app for planners (``rollout app``), on top of every other floor.

:mod:`.logic`, :mod:`.words` and :mod:`.observed` hold what the app does as plain
functions (where a scenario comes from, the levers and the keys they set, problems placed
next to their lever, the explanation in paragraphs and tables, observed figures against the
futures, the experiments and their downloads), tested without a browser. :mod:`.page` is the
thin Streamlit page; each screen is a module of its own (:mod:`.sidebar`,
``screen_*``, with :mod:`.common` shared). :mod:`.jobs` is the server's one pool of worker
processes and its queue; :mod:`.settings` reads the server's settings file; :mod:`.serve`
starts Streamlit. Streamlit is imported only by the page and its screens and by
``rollout app``, never by ``rollout --help`` or the other commands.
"""
