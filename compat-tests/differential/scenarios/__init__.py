"""Scenario modules; importing this package registers every scenario in harness.REGISTRY.

To add an area (produce, fetch, offsets, configs, groups, transactions): write scenarios/<area>.py
with @scenario functions and import it below. Keep each scenario independent of the others; mark
one that changes broker state (creates topics, commits offsets) mutates=True so it runs after all
read-only ones, and give whatever it creates a name unique to that scenario.
"""
from scenarios import api_versions, metadata, framing, groups, transactions  # noqa: F401
