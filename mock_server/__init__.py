"""A stateful mock of any registered API (state_machine.registry), served from its spec and decided by its model."""
from .app import create_app
from .clock import MockClock

__all__ = ["MockClock", "create_app"]
