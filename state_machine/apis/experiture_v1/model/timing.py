"""How long the simulated asynchronous work takes, in seconds of (mock) time.

The documents say the work is asynchronous but give no durations; these are the model's choice.
"""
REACH_EVALUATION_SECONDS = 3  # 002: binding -> pending -> ok | failed
EXECUTION_START_SECONDS = 2   # 003: due -> pending_or_overdue for this long -> running
EXECUTION_RUN_SECONDS = 10    # 003: running -> completed | failed
IDEMPOTENCY_TTL_SECONDS = 24 * 3600  # 000: "return the cached response for 24 hours"
