"""The hostile-device matrix: every fault on every endpoint, in a running Home Assistant."""
