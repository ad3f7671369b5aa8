"""Integration fixtures: real servers on loopback (from tests/server_fixtures.py)."""

from tests.server_fixtures import live_server, live_server_any  # noqa: F401
