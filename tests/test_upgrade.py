"""Entries stored by the first release load with the same devices, entities and states.

`tests/fixtures/release_1/entries.json` holds entries as that release stored them; the expected
registry and states in `expected.json` were recorded by this test on that release's code
(`RECORD_RELEASE_FIXTURE=1 scripts/test tests/test_upgrade.py`, run once on commit 9d84d95).
"""

import json
import os
from pathlib import Path
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState, ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import DOMAIN
from tests.fakes.flir_camera import FakeFlirCamera
from tests.fakes.frigate_server import FakeFrigateServer

FIXTURES = Path(__file__).parent / "fixtures" / "release_1"
# States that move with the clock or with tokens, compared only as available or not.
VOLATILE_DOMAINS = {"camera", "image", "event", "update"}


def _entry(spec: dict[str, Any], port: int) -> MockConfigEntry:
    text = json.dumps({k: v for k, v in spec.items() if k != "subentries"})
    stored = json.loads(text.replace("{port}", str(port)))
    return MockConfigEntry(
        domain=DOMAIN,
        subentries_data=[ConfigSubentryData(**sub, unique_id=None) for sub in spec["subentries"]],
        **stored,
    )


def _record(hass: HomeAssistant, entries: list[MockConfigEntry]) -> dict[str, Any]:
    entities = er.async_get(hass)
    devices = dr.async_get(hass)
    result: dict[str, Any] = {"devices": {}, "entities": {}}
    for device in [
        d for e in entries for d in dr.async_entries_for_config_entry(devices, e.entry_id)
    ]:
        identifiers = sorted("|".join(pair) for pair in device.identifiers)
        via = devices.async_get(device.via_device_id) if device.via_device_id else None
        result["devices"][identifiers[0]] = {
            "identifiers": identifiers,
            "name": device.name,
            "model": device.model,
            "manufacturer": device.manufacturer,
            "via": None if via is None else sorted("|".join(pair) for pair in via.identifiers),
        }
    for entry in [
        x for e in entries for x in er.async_entries_for_config_entry(entities, e.entry_id)
    ]:
        state = hass.states.get(entry.entity_id)
        value = None if state is None else state.state
        if value is not None and entry.domain in VOLATILE_DOMAINS:
            value = "unavailable" if value == "unavailable" else "available"
        device = devices.async_get(entry.device_id) if entry.device_id else None
        result["entities"][entry.unique_id] = {
            "entity_id": entry.entity_id,
            "translation_key": entry.translation_key,
            "disabled_by": None if entry.disabled_by is None else str(entry.disabled_by),
            "device": None if device is None else sorted("|".join(p) for p in device.identifiers),
            "state": value,
        }
    return result


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_release_1_entries_load_unchanged(
    hass: HomeAssistant, socket_enabled: None, freezer: FrozenDateTimeFactory
) -> None:
    """The same unique ids, entity ids, devices and states as the first release gave."""
    freezer.move_to("2026-11-30T12:00:00+00:00")
    specs = json.loads((FIXTURES / "entries.json").read_text())
    smart = FakeFlirCamera(profile="smart_sensor", serial="55501234", drift=False)
    streaming = FakeFlirCamera(profile="image_streaming", serial="55509876", drift=False)
    frigate = FakeFrigateServer(version="0.17", seed=1)
    for device in (smart, streaming, frigate):
        await device.start()
    try:
        entries = [
            _entry(specs["flir_smart"], smart.port),
            _entry(specs["flir_streaming"], streaming.port),
            _entry(specs["frigate"], int(frigate.url.rsplit(":", 1)[1])),
        ]
        for entry in entries:
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert all(entry.state is ConfigEntryState.LOADED for entry in entries)
        recorded = _record(hass, entries)
        for entry in entries:
            assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    finally:
        for device in (smart, streaming, frigate):
            await device.stop()

    expected_file = FIXTURES / "expected.json"
    if os.environ.get("RECORD_RELEASE_FIXTURE"):
        expected_file.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    expected = json.loads(expected_file.read_text())
    assert recorded["devices"] == expected["devices"]
    # Every entity of the first release is still there, unchanged; later releases may add more.
    assert set(expected["entities"]) <= set(recorded["entities"])
    for unique_id, entity in expected["entities"].items():
        assert recorded["entities"][unique_id] == entity, unique_id


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_release_1_entity_ids_survive_friendly_names(
    hass: HomeAssistant, socket_enabled: None, freezer: FrozenDateTimeFactory
) -> None:
    """Friendly names set on Frigate 0.17+ later rename devices, never registered entity ids.

    Home Assistant derives an entity id from the device name only when it first registers the
    entity; the registry keeps it from then on, so only new entries get ids from friendly names.
    """
    freezer.move_to("2026-11-30T12:00:00+00:00")
    spec = json.loads((FIXTURES / "entries.json").read_text())["frigate"]
    expected = json.loads((FIXTURES / "expected.json").read_text())
    frigate = FakeFrigateServer(version="0.17", seed=1)
    await frigate.start()
    try:
        entry = _entry(spec, int(frigate.url.rsplit(":", 1)[1]))
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert await hass.config_entries.async_unload(entry.entry_id)
        frigate.set_friendly_names("front_door", "Porch Cam", {"porch": "Front porch"})
        frigate.set_friendly_names("backyard", "Garden")
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        recorded = _record(hass, [entry])
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    finally:
        await frigate.stop()

    released = {
        unique_id: entity
        for unique_id, entity in expected["entities"].items()
        if unique_id.startswith(f"{spec['entry_id']}:")
    }
    assert released
    for unique_id, entity in released.items():
        assert recorded["entities"][unique_id]["entity_id"] == entity["entity_id"], unique_id
    names = {key: device["name"] for key, device in recorded["devices"].items()}
    prefix = f"{DOMAIN}|{spec['entry_id']}"
    assert names[f"{prefix}:front_door"] == "Porch Cam"
    assert names[f"{prefix}:backyard"] == "Garden"
    assert names[prefix] == expected["devices"][prefix]["name"]
