"""A stateful mock of the Experiture Campaigns API v1, run by the lifecycle model (state_machine.model)."""
from .app import create_app
from .clock import MockClock

__all__ = ["MockClock", "create_app"]
