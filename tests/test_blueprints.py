"""The automation blueprints: valid for Home Assistant's blueprint schema, inputs all used.

The end-to-end test (tests/e2e) imports them into a running Home Assistant, creates an automation
from each and checks that each notifies; this is the quick check of the files themselves.
"""

from pathlib import Path

import pytest
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.util.yaml import Input, load_yaml_dict

from tests.harness import REPO

BLUEPRINTS = sorted((REPO / "blueprints" / "automation" / "flir_frigate").glob("*.yaml"))


def used_inputs(node: object) -> set[str]:
    """The names of every `!input` in a loaded blueprint."""
    if isinstance(node, Input):
        return {node.name}
    if isinstance(node, dict):
        return set().union(*(used_inputs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(used_inputs(value) for value in node))
    return set()


def test_three_blueprints() -> None:
    """FLIR alarm, Frigate event and temperature rise."""
    assert [path.name for path in BLUEPRINTS] == [
        "flir_alarm_notification.yaml",
        "frigate_event_notification.yaml",
        "temperature_rise_warning.yaml",
    ]


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda path: path.stem)
def test_blueprint_is_valid(path: Path) -> None:
    """Home Assistant accepts the blueprint; every input is used and every use is declared."""
    data = load_yaml_dict(path)
    blueprint = Blueprint(
        data, path=path.name, expected_domain="automation", schema=AUTOMATION_BLUEPRINT_SCHEMA
    )
    metadata = blueprint.metadata
    assert metadata["homeassistant"]["min_version"] == "2026.10.0"
    assert metadata["source_url"].endswith(f"/blueprints/automation/flir_frigate/{path.name}")
    declared = set(metadata["input"])
    assert used_inputs({k: v for k, v in data.items() if k != "blueprint"}) == declared
    for name, spec in metadata["input"].items():
        assert spec.get("name"), f"input {name} has no name"
