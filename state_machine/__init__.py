"""Campaigns v1: the lifecycle model (`state_machine.apis.experiture_v1.model`, standard library only) and, above it, the
Hypothesis machine that drives a target over HTTP with the model as its oracle."""
