"""Fixtures of the soak test: asyncio's debug mode off, as in a running Home Assistant."""

import pytest


@pytest.fixture(autouse=True)
async def enable_event_loop_debug() -> None:
    """Keep asyncio's debug mode off (the harness turns it on for every test).

    With it every task and callback records its stack: thousands of cycles would take several
    times longer, and its slow-callback check only reports the jumps of the frozen clock.
    Tasks and timers left behind are still checked (verify_cleanup), and by the soak itself.
    """
