"""The benchmark behind scripts/bench: the integration measured against the fakes, as ratios.

Home Assistant runs in the bench's own process (the event loop whose CPU time is measured); the
fake devices run in a child process (`fakehost`), so their work is never counted as Home
Assistant's. Every figure is a ratio of two numbers measured in the same run: a lower bound or a
peer measured next to the integration, never a wall-clock time compared with a constant.
"""
