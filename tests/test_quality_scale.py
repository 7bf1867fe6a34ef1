"""Keep quality_scale.yaml honest: every rule it marks `done` is checked here where a machine can.

Rules are checked only while the yaml marks them `done`. A rule without a mechanical check is
named in REVIEWED_BY_HAND; a rule that is neither checked nor listed there fails
`test_every_rule_is_accounted_for`, so a new rule cannot slip by unnoticed.

Two kinds of check:
- source checks (ast walks and imported classes) in tests/quality_scale_checks.py, one test per rule;
- checks of a running Home Assistant with the fake devices: a smart-sensor FLIR camera, an
  image-streaming FLIR camera and a Frigate server, each set up as the user would have it.

Every failure names the rule and the offending file:line (or entity, device, entry).
"""

import json
import re
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState, ConfigSubentry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.discovery_flow import DiscoveryKey
from homeassistant.helpers.entity_platform import async_get_platforms
from homeassistant.helpers.update_coordinator import CoordinatorEntity, DataUpdateCoordinator
from pytest_homeassistant_custom_component.common import MockConfigEntry
from yarl import URL

from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FLIR
from custom_components.flir_frigate.diagnostics import async_get_config_entry_diagnostics
from custom_components.flir_frigate.flir.const import (
    CONF_AREA_KIND,
    CONF_RTSP_ENABLED,
    CONF_RTSP_PASSWORD,
    CONF_RTSP_USERNAME,
    CONF_X,
    CONF_Y,
    SUBENTRY_AREA,
)
from tests import quality_scale_checks as checks
from tests.conftest import SMART_SERIAL, advance, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import FrigateFactory, make_frigate_entry, setup_frigate

STATUS = checks.quality_scale()

# Rules no machine can judge (documentation, judgement calls), or exempt with a comment.
REVIEWED_BY_HAND = frozenset(
    {
        "action-exceptions",  # tests/frigate/test_services.py
        "action-setup",  # registered in async_setup: tests/frigate/test_services.py
        "appropriate-polling",  # what is sensible is a judgement
        "dependency-transparency",  # exempt: vendored libraries
        "docs-actions",
        "docs-conditions",
        "docs-configuration-parameters",
        "docs-data-update",
        "docs-examples",
        "docs-high-level-description",
        "docs-installation-instructions",
        "docs-installation-parameters",
        "docs-known-limitations",
        "docs-removal-instructions",
        "docs-supported-devices",
        "docs-supported-functions",
        "docs-triggers",
        "docs-troubleshooting",
        "docs-use-cases",
        "entity-category",  # which entity is diagnostic is a judgement
        "entity-device-class",  # whether a device class fits is a judgement
        "entity-disabled-by-default",  # what is noisy is a judgement
        "repair-issues",  # exempt
        "test-before-configure",  # behaviour of each flow step: tests/*/test_config_flow.py
    }
)

# Rules checked below on a running Home Assistant (filled by the `rule` decorator).
RUNTIME_CHECKED: set[str] = set()


def rule(name: str) -> pytest.MarkDecorator:
    """Mark a test as the check of a rule; it runs only while the yaml says `done`."""
    RUNTIME_CHECKED.add(name)
    return pytest.mark.skipif(
        STATUS.get(name) != "done",
        reason=f"{name} is {STATUS.get(name, 'missing')!r} in quality_scale.yaml",
    )


def report(name: str, problems: list[str]) -> str:
    """A failure message: the rule, then one offence per line."""
    return f"quality scale rule {name!r} is marked done but:\n  " + "\n  ".join(problems)


# --- the yaml itself -----------------------------------------------------------------------------


def test_every_rule_is_accounted_for() -> None:
    """Each rule of the yaml is checked or reviewed by hand, and no list names a rule it lacks."""
    checked = set(checks.STATIC_CHECKS) | RUNTIME_CHECKED
    yaml_rules = set(STATUS)
    problems = [
        f"{name}: neither checked in tests/test_quality_scale.py nor in REVIEWED_BY_HAND"
        for name in sorted(yaml_rules - checked - REVIEWED_BY_HAND)
    ]
    problems += [
        f"{name}: both checked and in REVIEWED_BY_HAND (drop it from the hand list)"
        for name in sorted(checked & REVIEWED_BY_HAND)
    ]
    problems += [
        f"{name}: checked or reviewed here, but quality_scale.yaml has no such rule"
        for name in sorted((checked | REVIEWED_BY_HAND) - yaml_rules)
    ]
    assert not problems, "quality_scale.yaml:\n  " + "\n  ".join(problems)


def test_statuses_are_valid() -> None:
    """Statuses are done, todo or exempt, and every exemption says why."""
    comments = checks.quality_scale_comments()
    problems = [
        f"{name}: unknown status {status!r}"
        for name, status in STATUS.items()
        if status not in {"done", "todo", "exempt"}
    ]
    problems += [
        f"{name}: exempt without a comment"
        for name, status in STATUS.items()
        if status == "exempt" and not comments.get(name)
    ]
    assert not problems, "quality_scale.yaml:\n  " + "\n  ".join(problems)


# --- source checks -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(checks.STATIC_CHECKS))
def test_rule_in_source(name: str) -> None:
    """The source follows the rule (ast walks, imported classes, config files)."""
    if STATUS.get(name) != "done":
        pytest.skip(f"{name} is {STATUS.get(name, 'missing')!r} in quality_scale.yaml")
    problems = [problem for check in checks.STATIC_CHECKS[name] for problem in check()]
    assert not problems, report(name, problems)


# --- a running Home Assistant with each kind of device -------------------------------------------

# kind -> (fixture with the set-up entry, fixture with its fake device)
KINDS = {
    "flir_smart_sensor": ("smart_entry", "flir_smart"),
    "flir_image_streaming": ("streaming_entry", "flir_streaming"),
    "frigate": ("frigate_entry", "frigate"),
}


@dataclass
class Loaded:
    """One device's entry, set up in Home Assistant, and its fake."""

    kind: str
    entry: MockConfigEntry
    fake: FakeFlirCamera | FakeFrigateServer

    @property
    def port(self) -> int:
        """The TCP port the fake listens on."""
        if isinstance(self.fake, FakeFlirCamera):
            return self.fake.port
        port = URL(self.fake.url).port
        assert port is not None
        return port

    def registry_entities(self, hass: HomeAssistant) -> list[er.RegistryEntry]:
        """The entry's entities (disabled ones included)."""
        entities = er.async_entries_for_config_entry(er.async_get(hass), self.entry.entry_id)
        assert entities, f"{self.kind}: no entities were created"
        return entities

    def devices(self, hass: HomeAssistant) -> list[dr.DeviceEntry]:
        """The entry's devices."""
        return dr.async_entries_for_config_entry(dr.async_get(hass), self.entry.entry_id)


@pytest.fixture(params=sorted(KINDS))
def loaded(request: pytest.FixtureRequest, hass: HomeAssistant) -> Loaded:
    """Each kind of device in turn, set up with every platform."""
    entry_fixture, fake_fixture = KINDS[request.param]
    entry = request.getfixturevalue(entry_fixture)
    assert entry.state is ConfigEntryState.LOADED, f"{request.param}: {entry.state}"
    return Loaded(request.param, entry, request.getfixturevalue(fake_fixture))


def url_parts(text: str, port: int) -> list[str]:
    """What in `text` gives away a network address: loopback host, the fake's port, a URL."""
    found = [part for part in ("127.0.0.1", "localhost", "http", "://") if part in text.lower()]
    if re.search(rf"(?<!\d){port}(?!\d)", text):
        found.append(f"port {port}")
    return found


def coordinators(hass: HomeAssistant, loaded: Loaded) -> list[DataUpdateCoordinator[Any]]:
    """The coordinators the entry's entities follow."""
    found: dict[int, DataUpdateCoordinator[Any]] = {}
    for platform in async_get_platforms(hass, DOMAIN):
        if platform.config_entry is loaded.entry:
            for entity in platform.entities.values():
                if isinstance(entity, CoordinatorEntity):
                    found[id(entity.coordinator)] = entity.coordinator
    assert found, f"{loaded.kind}: no coordinators"
    return list(found.values())


def translation_problems(
    where: str, domain: str | None, key: str | None, given: dict[str, str] | None
) -> list[str]:
    """What is wrong with an error's translation (domain, key, placeholders)."""
    if domain != DOMAIN or not key:
        return [f"{where}: no translation (domain {domain!r}, key {key!r})"]
    message = checks.strings().get("exceptions", {}).get(key)
    if message is None:
        return [f"{where}: translation key {key!r} is not in strings.json exceptions"]
    missing = checks.placeholders(message.get("message", "")) - set(given or {})
    return [f"{where}: {key!r} lacks placeholders {sorted(missing)}"] if missing else []


def error_problems(where: str, err: BaseException | None) -> list[str]:
    """What is wrong with the translation of an error the integration raised."""
    if not isinstance(err, HomeAssistantError):
        return [f"{where}: {err!r} is not a translated Home Assistant error"]
    return translation_problems(
        f"{where} ({type(err).__name__})",
        err.translation_domain,
        err.translation_key,
        err.translation_placeholders,
    )


@rule("has-entity-name")
async def test_entities_have_entity_name(hass: HomeAssistant, loaded: Loaded) -> None:
    """Every entity is named relative to its device."""
    problems = [
        f"{entity.entity_id} ({loaded.kind}): has_entity_name is False"
        for entity in loaded.registry_entities(hass)
        if not entity.has_entity_name
    ]
    assert not problems, report("has-entity-name", problems)


@rule("entity-translations")
async def test_entities_are_translated(hass: HomeAssistant, loaded: Loaded) -> None:
    """Each entity has a translation key that exists, or is its device's main entity."""
    problems: list[str] = []
    for entity in loaded.registry_entities(hass):
        where = f"{entity.entity_id} ({loaded.kind}, unique id {entity.unique_id})"
        key = entity.translation_key
        if key is None:
            if entity.original_name is not None:
                problems.append(f"{where}: named {entity.original_name!r} without translation_key")
            continue
        nameless = entity.original_name is None
        if not checks.translation_key_known(entity.domain, key, nameless=nameless):
            problems.append(f"{where}: translation key entity.{entity.domain}.{key} is missing")
        state = hass.states.get(entity.entity_id)
        friendly = "" if state is None else str(state.attributes.get("friendly_name", ""))
        if "{" in friendly or "}" in friendly:
            problems.append(f"{where}: name {friendly!r} has an unfilled placeholder")
    assert not problems, report("entity-translations", problems)


@rule("icon-translations")
async def test_entities_have_no_icon_in_code(hass: HomeAssistant, loaded: Loaded) -> None:
    """No entity sets its icon in code (icons come from icons.json by translation key)."""
    problems = [
        f"{entity.entity_id} ({loaded.kind}): icon {entity.original_icon!r} set in code"
        for entity in loaded.registry_entities(hass)
        if entity.original_icon is not None
    ]
    assert not problems, report("icon-translations", problems)


@rule("entity-unique-id")
async def test_entities_have_unique_ids(hass: HomeAssistant, loaded: Loaded) -> None:
    """Every entity object has a unique id and so a registry entry."""
    entities = [
        entity
        for platform in async_get_platforms(hass, DOMAIN)
        if platform.config_entry is loaded.entry
        for entity in platform.entities.values()
    ]
    assert entities, f"{loaded.kind}: no entities"
    problems = [
        f"{entity.entity_id} ({loaded.kind}, {type(entity).__name__}): no unique id"
        for entity in entities
        if entity.unique_id is None or entity.registry_entry is None
    ]
    assert not problems, report("entity-unique-id", problems)


@rule("entity-unique-id")
@pytest.mark.parametrize(
    ("loaded", "what"),
    [(kind, what) for kind in sorted(KINDS) for what in ("entry", "device", "entity")],
    indirect=["loaded"],
)
async def test_no_address_in_identifiers(hass: HomeAssistant, loaded: Loaded, what: str) -> None:
    """Unique ids and device identifiers never hold an IP address, port or URL (they change)."""
    identifiers: list[tuple[str, str]] = []
    if what == "entry":
        identifiers = [(f"config entry {loaded.entry.entry_id}", str(loaded.entry.unique_id))]
    elif what == "device":
        identifiers = [
            (f"device {device.name!r}", identifier)
            for device in loaded.devices(hass)
            for domain, identifier in device.identifiers
            if domain == DOMAIN
        ]
    else:
        identifiers = [(e.entity_id, e.unique_id) for e in loaded.registry_entities(hass)]
    assert identifiers, f"{loaded.kind}: no {what} identifiers"
    problems = [
        f"{owner} ({loaded.kind}): {value!r} contains {', '.join(parts)}"
        for owner, value in identifiers
        if (parts := url_parts(value, loaded.port))
    ]
    assert not problems, report("entity-unique-id", problems)


@pytest.fixture(params=["flir", "frigate"])
def new_device(request: pytest.FixtureRequest) -> tuple[str, FakeFlirCamera | FakeFrigateServer]:
    """Each kind of device, running and not configured yet."""
    fixture = "flir_smart" if request.param == "flir" else "frigate"
    fake: FakeFlirCamera | FakeFrigateServer = request.getfixturevalue(fixture)
    return request.param, fake


@rule("unique-config-entry")
async def test_flow_gives_no_address_as_unique_id(
    hass: HomeAssistant, new_device: tuple[str, FakeFlirCamera | FakeFrigateServer]
) -> None:
    """An entry the config flow creates has a unique id without its device's address."""
    kind, fake = new_device
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": kind}
    )
    if isinstance(fake, FakeFlirCamera):
        port = fake.port
        form: dict[str, Any] = {CONF_HOST: f"http://127.0.0.1:{port}"}
    else:
        port = URL(fake.url).port or 0
        form = {"url": fake.url, "verify_ssl": True}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], form)
    assert result["type"] == "create_entry", result
    unique_id = str(result["result"].unique_id)
    parts = url_parts(unique_id, port)
    assert not parts, report(
        "unique-config-entry", [f"{kind}: unique id {unique_id!r} contains {', '.join(parts)}"]
    )


@rule("devices")
async def test_entities_belong_to_devices(hass: HomeAssistant, loaded: Loaded) -> None:
    """Every entity is attached to a device of its entry."""
    devices = {device.id for device in loaded.devices(hass)}
    problems = [
        f"{entity.entity_id} ({loaded.kind}): not attached to a device of the entry"
        for entity in loaded.registry_entities(hass)
        if entity.device_id not in devices
    ]
    assert not problems, report("devices", problems)


@rule("runtime-data")
async def test_state_lives_in_runtime_data(hass: HomeAssistant, loaded: Loaded) -> None:
    """The loaded entry carries its runtime data; nothing sits in hass.data[DOMAIN]."""
    problems = []
    if getattr(loaded.entry, "runtime_data", None) is None:
        problems.append(f"config entry {loaded.entry.entry_id} ({loaded.kind}): no runtime_data")
    if DOMAIN in hass.data:
        problems.append(f"hass.data[{DOMAIN!r}] exists: {type(hass.data[DOMAIN]).__name__}")
    assert not problems, report("runtime-data", problems)


@rule("config-entry-unloading")
async def test_entry_unloads(hass: HomeAssistant, loaded: Loaded) -> None:
    """The entry unloads cleanly; its entities become unavailable (leftover timers fail teardown)."""
    entities = loaded.registry_entities(hass)
    assert await hass.config_entries.async_unload(loaded.entry.entry_id)
    await hass.async_block_till_done()
    problems = []
    if loaded.entry.state is not ConfigEntryState.NOT_LOADED:
        problems.append(f"config entry {loaded.entry.entry_id}: {loaded.entry.state} after unload")
    if hasattr(loaded.entry, "runtime_data"):
        problems.append(f"config entry {loaded.entry.entry_id}: runtime_data left after unload")
    problems += [
        f"{entity.entity_id} ({loaded.kind}): {state.state} after unload"
        for entity in entities
        if (state := hass.states.get(entity.entity_id)) is not None
        and state.state != STATE_UNAVAILABLE
    ]
    assert not problems, report("config-entry-unloading", problems)


async def _outage(
    hass: HomeAssistant, loaded: Loaded, freezer: FrozenDateTimeFactory
) -> Callable[[], Any]:
    """Take the fake off the network; returns what brings it back on the same port."""
    port = loaded.port
    await loaded.fake.stop()

    async def back() -> None:
        await loaded.fake.start(port=port)
        await advance(hass, freezer)

    return back


@rule("entity-unavailable")
async def test_entities_unavailable_when_unreachable(
    hass: HomeAssistant, loaded: Loaded, freezer: FrozenDateTimeFactory
) -> None:
    """Every entity goes unavailable while the device is unreachable and comes back after."""

    def states() -> dict[str, str]:
        return {
            entity.entity_id: state.state
            for entity in loaded.registry_entities(hass)
            if (state := hass.states.get(entity.entity_id)) is not None
        }

    available = {entity_id for entity_id, state in states().items() if state != STATE_UNAVAILABLE}
    back = await _outage(hass, loaded, freezer)
    await advance(hass, freezer)
    await advance(hass, freezer)
    problems = [
        f"{entity_id} ({loaded.kind}): {state} while unreachable"
        for entity_id, state in states().items()
        if state != STATE_UNAVAILABLE
    ]
    await back()
    problems += [
        f"{entity_id} ({loaded.kind}): still unavailable after the device came back"
        for entity_id, state in states().items()
        if entity_id in available and state == STATE_UNAVAILABLE
    ]
    assert not problems, report("entity-unavailable", problems)


@rule("log-when-unavailable")
async def test_unavailable_logged_once(
    hass: HomeAssistant,
    loaded: Loaded,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An outage is logged when it starts, not again on every poll, and its end is logged."""

    def ours() -> list[str]:
        return [
            f"{record.levelname} {record.getMessage()}"
            for record in caplog.records
            if record.name.startswith("custom_components.flir_frigate")
            and record.levelname in {"INFO", "WARNING", "ERROR", "CRITICAL"}
        ]

    caplog.set_level("INFO")
    caplog.clear()
    back = await _outage(hass, loaded, freezer)  # a poll may already fail while it stops
    cycles: list[list[str]] = []
    for _ in range(4):
        await advance(hass, freezer)
        cycles.append(ours())
        caplog.clear()
    caplog.clear()
    await back()
    recovered = ours()
    problems = []
    first = next((index for index, logged in enumerate(cycles) if logged), None)
    if first is None:
        problems.append(f"{loaded.kind}: nothing logged in 4 polls of an unreachable device")
    else:
        problems += [
            f"{loaded.kind}: logged again while still unreachable: {message}"
            for logged in cycles[first + 1 :]
            for message in logged
        ]
    if not any("recovered" in message for message in recovered):
        problems.append(f"{loaded.kind}: nothing logged when the device came back: {recovered}")
    assert not problems, report("log-when-unavailable", problems)


@rule("exception-translations")
async def test_poll_errors_are_translated(
    hass: HomeAssistant, loaded: Loaded, freezer: FrozenDateTimeFactory
) -> None:
    """A failed poll's error (what the logs and the UI show) is translated."""
    back = await _outage(hass, loaded, freezer)
    await advance(hass, freezer)
    await advance(hass, freezer)
    problems = [
        problem
        for coordinator in coordinators(hass, loaded)
        for problem in error_problems(
            f"coordinator {coordinator.name!r} ({loaded.kind})", coordinator.last_exception
        )
    ]
    await back()
    assert not problems, report("exception-translations", problems)


@pytest.fixture(params=["flir", "frigate"])
def unreachable(request: pytest.FixtureRequest) -> tuple[MockConfigEntry, Any]:
    """An entry for each kind of device, and its fake (running until the test stops it)."""
    if request.param == "flir":
        camera: FakeFlirCamera = request.getfixturevalue("flir_smart")
        return flir_entry(camera, SMART_SERIAL), camera
    server: FakeFrigateServer = request.getfixturevalue("frigate")
    return make_frigate_entry(server), server


@rule("test-before-setup")
async def test_setup_retries_when_unreachable(
    hass: HomeAssistant, unreachable: tuple[MockConfigEntry, Any]
) -> None:
    """Setup raises ConfigEntryNotReady (the entry retries) when the device cannot be reached."""
    entry, fake = unreachable
    await fake.stop()
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY, report(
        "test-before-setup", [f"{entry.entry_id}: {entry.state} when its device is unreachable"]
    )


@rule("exception-translations")
async def test_setup_errors_are_translated(
    hass: HomeAssistant, unreachable: tuple[MockConfigEntry, Any]
) -> None:
    """The reason a setup failed, shown on the integration's page, is translated."""
    entry, fake = unreachable
    await fake.stop()
    await setup_entry(hass, entry)
    problems = translation_problems(
        f"config entry {entry.entry_id} ({entry.state})",
        entry.error_reason_translation_domain,
        entry.error_reason_translation_key,
        entry.error_reason_translation_placeholders,
    )
    assert not problems, report("exception-translations", problems)


@pytest.fixture(params=["flir", "frigate"])
def refused(request: pytest.FixtureRequest) -> MockConfigEntry:
    """An entry with a wrong password, for a device that asks for one."""
    if request.param == "flir":
        camera: FakeFlirCamera = request.getfixturevalue("flir_secret_camera")
        return flir_entry(camera, camera.serial, username=camera.username, password="wrong")
    server: FakeFrigateServer = request.getfixturevalue("frigate_login")
    return make_frigate_entry(server, credentials=True, password="wrong")


@rule("reauthentication-flow")
async def test_refused_credentials_start_reauth(
    hass: HomeAssistant, refused: MockConfigEntry
) -> None:
    """Credentials the device refuses stop the setup and start a reauthentication."""
    await setup_entry(hass, refused)
    flows = [
        flow
        for flow in hass.config_entries.flow.async_progress()
        if flow["context"].get("entry_id") == refused.entry_id
    ]
    problems = []
    if refused.state is not ConfigEntryState.SETUP_ERROR:
        problems.append(f"{refused.entry_id}: {refused.state} with refused credentials")
    if [flow["context"]["source"] for flow in flows] != ["reauth"]:
        problems.append(f"{refused.entry_id}: flows {flows} instead of one reauth flow")
    problems += translation_problems(
        f"config entry {refused.entry_id}",
        refused.error_reason_translation_domain,
        refused.error_reason_translation_key,
        refused.error_reason_translation_placeholders,
    )
    assert not problems, report("reauthentication-flow", problems)


async def _add_area(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """Add a measurement area to a FLIR camera (the user's subentry flow, shortened)."""
    subentry = ConfigSubentry(
        data=MappingProxyType({CONF_AREA_KIND: "spot", CONF_X: 5, CONF_Y: 5}),
        subentry_type=SUBENTRY_AREA,
        title="Quality scale area",
        unique_id=None,
    )
    hass.config_entries.async_add_subentry(entry, subentry)
    await hass.async_block_till_done()
    return subentry.subentry_id


@rule("dynamic-devices")
@pytest.mark.parametrize("loaded", ["flir_smart_sensor", "frigate"], indirect=True)
async def test_new_devices_appear(
    hass: HomeAssistant, loaded: Loaded, freezer: FrozenDateTimeFactory
) -> None:
    """A Frigate camera or a FLIR measurement area added later gets its device, no re-adding."""
    before = {device.id for device in loaded.devices(hass)}
    if isinstance(loaded.fake, FakeFrigateServer):
        loaded.fake.add_camera("quality_scale_camera")
        await advance(hass, freezer, 16)  # Frigate's stats name cameras every 15 s
    else:
        await _add_area(hass, loaded.entry)
    new = [device for device in loaded.devices(hass) if device.id not in before]
    assert new, report("dynamic-devices", [f"{loaded.kind}: no device for what was added"])
    assert all(er.async_entries_for_device(er.async_get(hass), device.id) for device in new), (
        report("dynamic-devices", [f"{loaded.kind}: the new device has no entities"])
    )


@rule("stale-devices")
@pytest.mark.parametrize("loaded", ["flir_smart_sensor", "frigate"], indirect=True)
async def test_gone_devices_are_removed(
    hass: HomeAssistant, loaded: Loaded, freezer: FrozenDateTimeFactory
) -> None:
    """A camera removed from Frigate, or a removed FLIR area, takes its device with it."""
    registry = dr.async_get(hass)

    def device() -> dr.DeviceEntry | None:
        found = registry.async_get_devices(
            identifiers={identifier}, config_entry_id=loaded.entry.entry_id
        )
        return found[0] if found else None

    if isinstance(loaded.fake, FakeFrigateServer):
        identifier = (DOMAIN, f"{loaded.entry.entry_id}:backyard")
        assert device() is not None
        loaded.fake.remove_camera("backyard")
        await advance(hass, freezer, 301)  # Frigate's config is read again every 5 minutes
    else:
        subentry_id = await _add_area(hass, loaded.entry)
        identifier = (DOMAIN, f"{SMART_SERIAL}_area_{subentry_id}")
        assert device() is not None
        hass.config_entries.async_remove_subentry(loaded.entry, subentry_id)
        await hass.async_block_till_done()
    gone = device()
    assert gone is None, report(
        "stale-devices", [f"{loaded.kind}: device {gone and gone.name!r} stays after removal"]
    )


# --- diagnostics: nothing that identifies the user, their network or their device --------------

MAC = "00:40:7f:ab:cd:ef"
TITLE = "Quality Scale Title"
JWT = re.compile(r"eyJ[\w-]+\.[\w-]+")


@dataclass
class Secrets:
    """Diagnostics of one entry and what must not appear in them, by category."""

    text: str
    forbidden: dict[str, list[str | re.Pattern[str]]]


def _mac_entry(entry: MockConfigEntry, **extra: Any) -> MockConfigEntry:
    """The entry again, with a DHCP-discovered MAC address in data and discovery keys."""
    mac_key = MAC.replace(":", "")
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=entry.entry_id,
        title=TITLE,
        unique_id=entry.unique_id,
        data={**entry.data, "mac": MAC},
        discovery_keys=MappingProxyType(
            {"dhcp": (DiscoveryKey(domain="dhcp", key=mac_key, version=1),)}
        ),
        **extra,
    )


@pytest.fixture
async def flir_secret_camera(socket_enabled: None) -> AsyncGenerator[FakeFlirCamera]:
    """A FLIR camera with credentials nothing else uses."""
    camera = FakeFlirCamera(
        profile="smart_sensor",
        serial="55504321",
        drift=False,
        auth="basic",
        username="qs-flir-user",
        password="qs-flir-password",
    )
    await camera.start()
    yield camera
    await camera.stop()


@pytest.fixture(params=["flir", "frigate_password", "frigate_token"])
def diagnosed(request: pytest.FixtureRequest, hass: HomeAssistant) -> Secrets:
    """Diagnostics of an entry holding every kind of secret its device can have."""
    secrets: Secrets = request.getfixturevalue(f"_diagnosed_{request.param}")
    return secrets


async def _diagnostics(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    assert entry.state is ConfigEntryState.LOADED, entry.state
    return json.dumps(await async_get_config_entry_diagnostics(hass, entry), default=str)


def _host(port: int) -> list[str | re.Pattern[str]]:
    # The port only as part of an address or as a port field: statistics hold other numbers.
    address = re.compile(rf'(?:[\w\]]:{port}(?!\d))|(?:"port": {port}(?!\d))')
    return ["127.0.0.1", "://", address]


def _mac() -> list[str | re.Pattern[str]]:
    return [re.compile(re.escape(MAC), re.IGNORECASE), MAC.replace(":", "")]


@pytest.fixture
async def _diagnosed_flir(hass: HomeAssistant, flir_secret_camera: FakeFlirCamera) -> Secrets:
    camera = flir_secret_camera
    entry = flir_entry(camera, camera.serial, username=camera.username, password=camera.password)
    entry = _mac_entry(
        entry,
        options={
            CONF_RTSP_ENABLED: True,
            CONF_RTSP_USERNAME: "qs-rtsp-user",
            CONF_RTSP_PASSWORD: "qs-rtsp-password",
        },
    )
    assert entry.data[CONF_KIND] == KIND_FLIR
    await setup_entry(hass, entry)
    return Secrets(
        await _diagnostics(hass, entry),
        {
            "password": [camera.password, "qs-rtsp-password"],
            "username": [camera.username, "qs-rtsp-user"],
            "host": [*_host(camera.port), entry.data[CONF_HOST]],
            "serial": [camera.serial],
            "mac": _mac(),
            "title": [TITLE],
        },
    )


@pytest.fixture
async def _diagnosed_frigate_password(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> Secrets:
    server = await frigate_factory(auth="login", username="qs-frigate-user", password="qs-pw-1")
    entry = _mac_entry(make_frigate_entry(server, credentials=True))
    await setup_frigate(hass, entry)
    port = URL(server.url).port
    assert port is not None
    return Secrets(
        await _diagnostics(hass, entry),
        {
            "password": [str(entry.data[CONF_PASSWORD])],
            "username": [str(entry.data[CONF_USERNAME])],
            "token": [JWT],
            "host": [*_host(port), server.url],
            "mac": _mac(),
            "title": [TITLE],
        },
    )


@pytest.fixture
async def _diagnosed_frigate_token(hass: HomeAssistant, frigate_factory: FrigateFactory) -> Secrets:
    server = await frigate_factory(auth="login")
    token = server.issue_token()
    entry = _mac_entry(make_frigate_entry(server, token=token))
    await setup_frigate(hass, entry)
    port = URL(server.url).port
    assert port is not None
    return Secrets(
        await _diagnostics(hass, entry),
        {
            "token": [token, JWT],
            "host": [*_host(port), server.url],
            "mac": _mac(),
            "title": [TITLE],
        },
    )


# kind -> categories of secret its entries can hold
DIAGNOSTIC_SECRETS = {
    "flir": ("password", "username", "host", "serial", "mac", "title"),
    "frigate_password": ("password", "username", "token", "host", "mac", "title"),
    "frigate_token": ("token", "host", "mac", "title"),
}


@rule("diagnostics")
@pytest.mark.parametrize(
    ("diagnosed", "category"),
    [
        (kind, category)
        for kind, categories in DIAGNOSTIC_SECRETS.items()
        for category in categories
    ],
    indirect=["diagnosed"],
)
async def test_diagnostics_redacted(diagnosed: Secrets, category: str) -> None:
    """Diagnostics never contain credentials, tokens, addresses, serials, MACs or the title."""
    problems = []
    for secret in diagnosed.forbidden[category]:
        if isinstance(secret, re.Pattern):
            for match in secret.finditer(diagnosed.text):
                start = max(match.start() - 40, 0)
                context = diagnosed.text[start : match.end() + 40]
                problems.append(f"{category}: {secret.pattern!r} matches in …{context}…")
        elif secret in diagnosed.text:
            start = max(diagnosed.text.index(secret) - 40, 0)
            context = diagnosed.text[start : start + len(secret) + 80]
            problems.append(f"{category}: {secret!r} appears in …{context}…")
    assert not problems, report(
        "diagnostics", [f"custom_components/flir_frigate/diagnostics.py: {p}" for p in problems]
    )
