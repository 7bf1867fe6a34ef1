"""Long runs of both device kinds with random faults: nothing may pile up."""
