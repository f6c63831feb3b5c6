"""The limits every scenario obeys: sizes that keep a run within memory and time.

Plain numbers, without pydantic, so that reading a file can check its size and nesting
before anything heavier loads. docs/scenario-reference.md lists them (``Limits``).
"""

# Checked before a file is parsed (sim.scenario.loading): its size and how deep its arrays
# and tables nest (the deepest real key, a phase's session days, is six levels down).
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 12
# Checked on every value of every table (_Frozen._within_limits).
MAX_MAGNITUDE = 1e9  # any number: far beyond any real count, rate or price
MAX_TEXT = 10_000  # characters of any text (a description); names are shorter
MAX_NAME = 200  # characters of a name shown in tables and pictures
MAX_ITEMS = 10_000  # items of any array (a staff list has one row per post)
MIN_YEAR, MAX_YEAR = 1900, 2200  # any date
# Sizes that set a run's memory and time.
MAX_POSTS = 100_000  # posts in all roles together (England has about 45,000)
MAX_PHASES = 100
MAX_COHORTS = 1_000  # cohorts a phase runs
MAX_COHORT_SIZE = 10_000
MAX_SESSIONS = 100  # sessions of a cohort
MAX_SESSION_DAYS = 365  # training days of one session
MAX_MONTHS = 1_200  # any span in months (a phase's length or gap, an interval)
MAX_HORIZON_MONTHS = 600
# Rates that make events: leavers or champions stepping down per person-year (100: a mean
# stay under four days; the validation suite's extreme case uses 50), and places or
# sessions per person per month.
MAX_RATE = 100.0
MAX_PLACES = 10_000.0
# A workforce path's factors (posts, hiring delay, agency cover: 10 = ten times the value
# as given) and its offsets to annual turnover, in percentage points (100 = one more
# leaver per person-year).
MAX_POSTS_FACTOR = 10.0
MAX_TURNOVER_POINTS = 100.0
# Replications (--reps) of one scenario, strategy or grid point: the monthly values that
# bands and pictures need are kept for every replication (reps × months × 4 numbers).
MAX_REPS = 10_000
MAX_ROLES = 100  # roles, and provider-run groups
