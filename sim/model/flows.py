"""A replication's monthly totals: the flows every costed activity adds to.

Kept apart from :mod:`.state` so that the measures' names load without SimPy.
"""

# This month's totals, kept in ``ServiceState.flows`` and reset at every month end.
FLOWS = ("training_days", "provider_days", "cost", "activity_days", "completed")
FLOW_TRAINING_DAYS, FLOW_PROVIDER_DAYS, FLOW_COST, FLOW_ACTIVITY_DAYS, FLOW_COMPLETED = range(5)
