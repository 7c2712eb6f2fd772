"""Driving a Campaigns API target over HTTP with the lifecycle model as oracle (hypothesis, httpx)."""
