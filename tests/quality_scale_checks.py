"""Mechanical checks of quality_scale.yaml claims that need no running Home Assistant.

Each check returns a list of violations, `"<file>:<line>: <what is wrong>"`; an empty list means
the rule holds as far as a machine can tell. `STATIC_CHECKS` maps a rule id to its checks.
Checks read the source with `ast` (never regexes on code) or look at the imported classes.
"""

import ast
import importlib
import inspect
import json
import pkgutil
import re
import string
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import Field, fields, is_dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from homeassistant.config_entries import ConfigFlow
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.typing import UNDEFINED
from homeassistant.helpers.update_coordinator import CoordinatorEntity, DataUpdateCoordinator

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "custom_components.flir_frigate"
COMPONENT = REPO / "custom_components" / "flir_frigate"
DOMAIN = "flir_frigate"

# Exceptions whose message the user sees: raised with a translation (exception-translations).
HA_EXCEPTIONS = frozenset(
    {
        "HomeAssistantError",
        "ServiceValidationError",
        "ConfigEntryError",
        "ConfigEntryNotReady",
        "ConfigEntryAuthFailed",
        "PlatformNotReady",
        "UpdateFailed",
    }
)
# Command-line tools that run outside Home Assistant and so own their HTTP session.
COMMAND_LINE = ("probe.py",)
DISCOVERY_SOURCES = ("bluetooth", "dhcp", "homekit", "mqtt", "ssdp", "usb", "zeroconf")
BLOCKING_MODULES = ("requests", "urllib.request", "urllib3", "http.client", "pycurl")

type Violations = list[str]
MISSING = object()
type Check = Callable[[], Violations]


# --- reading the integration ---------------------------------------------------------------------


def quality_scale() -> dict[str, str]:
    """Rule id -> status (`done`, `todo` or `exempt`) as quality_scale.yaml claims it."""
    rules = yaml.safe_load((COMPONENT / "quality_scale.yaml").read_text())["rules"]
    return {
        rule: value["status"] if isinstance(value, dict) else value for rule, value in rules.items()
    }


def quality_scale_comments() -> dict[str, str | None]:
    """Rule id -> its comment (exempt rules must say why)."""
    rules = yaml.safe_load((COMPONENT / "quality_scale.yaml").read_text())["rules"]
    return {
        rule: value.get("comment") if isinstance(value, dict) else None
        for rule, value in rules.items()
    }


def strings() -> dict[str, Any]:
    """strings.json (read fresh: others may edit it while tests run)."""
    data: dict[str, Any] = json.loads((COMPONENT / "strings.json").read_text())
    return data


def icons() -> dict[str, Any]:
    """icons.json."""
    data: dict[str, Any] = json.loads((COMPONENT / "icons.json").read_text())
    return data


def manifest() -> dict[str, Any]:
    """manifest.json."""
    data: dict[str, Any] = json.loads((COMPONENT / "manifest.json").read_text())
    return data


def rel(path: Path) -> str:
    """A path as the repository names it."""
    return path.relative_to(REPO).as_posix()


def at(path: Path, node: ast.AST | None = None) -> str:
    """`file:line` of a node (line 1 without one)."""
    return f"{rel(path)}:{getattr(node, 'lineno', 1)}"


def sources(*, api: bool = True, command_line: bool = True) -> list[Path]:
    """The integration's Python files (the device libraries under api/ unless told not to)."""
    paths = sorted(COMPONENT.rglob("*.py"))
    if not api:
        paths = [p for p in paths if "api" not in p.relative_to(COMPONENT).parts]
    if not command_line:
        paths = [p for p in paths if p.name not in COMMAND_LINE]
    return paths


@cache
def _parse(path: Path, _mtime: float) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def tree(path: Path) -> ast.Module:
    """The parsed file (parsed again when it changed)."""
    return _parse(path, path.stat().st_mtime)


def walk(path: Path) -> Iterator[ast.AST]:
    """Every node of a file."""
    return ast.walk(tree(path))


def call_name(call: ast.Call) -> str | None:
    """`f` for `f(...)`, `m.f(...)` and `a.b.f(...)`."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value of a keyword argument, if given."""
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def literal(node: ast.expr | None) -> str | None:
    """A string constant's value, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def is_none(node: ast.expr | None) -> bool:
    """Whether the node is the constant None."""
    return isinstance(node, ast.Constant) and node.value is None


def assignments(path: Path) -> Iterator[tuple[ast.AST, str, ast.expr | None]]:
    """(node, target name, value) of every assignment; `self.x = ...` gives `x`."""
    for node in walk(path):
        value: ast.expr | None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                yield node, target.id, value
            elif isinstance(target, ast.Attribute):
                yield node, target.attr, value


def functions(path: Path) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function and method of a file."""
    for node in walk(path):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def calls(node: ast.AST) -> Iterator[ast.Call]:
    """Every call under a node."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            yield sub


def platforms() -> list[str]:
    """The platform names of `__init__.PLATFORMS` (`Platform.SENSOR` -> `sensor`)."""
    for node in walk(COMPONENT / "__init__.py"):
        if isinstance(node, ast.AnnAssign | ast.Assign):
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            if isinstance(target, ast.Name) and target.id == "PLATFORMS":
                assert isinstance(node.value, ast.List)
                return [
                    element.attr.lower()
                    for element in node.value.elts
                    if isinstance(element, ast.Attribute)
                ]
    raise AssertionError("custom_components/flir_frigate/__init__.py has no PLATFORMS")


@cache
def modules() -> tuple[ModuleType, ...]:
    """Every module of the integration, imported."""
    package = importlib.import_module(PACKAGE)
    found = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(package.__path__, f"{PACKAGE}.")
    ]
    return (package, *found)


def module_path(module: ModuleType) -> Path:
    """The file of a module."""
    assert module.__file__ is not None
    return Path(module.__file__)


def module_of(path: Path) -> ModuleType:
    """The imported module of an integration file."""
    parts = path.relative_to(COMPONENT).with_suffix("").parts
    name = ".".join((PACKAGE, *parts)).removesuffix(".__init__")
    return importlib.import_module(name)


def constant(path: Path, node: ast.expr | None) -> str | None:
    """A string literal, or a module constant (`KEY`, `const.KEY`) that holds a string."""
    if (text := literal(node)) is not None:
        return text
    chain: list[str] = []
    while isinstance(node, ast.Attribute):
        chain.insert(0, node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    value: object = vars(module_of(path)).get(node.id, MISSING)
    for attribute in chain:
        value = getattr(value, attribute, None)
    return value if isinstance(value, str) else None


def own_classes(base: type) -> list[type]:
    """Classes defined in the integration that derive from `base`."""
    seen: dict[str, type] = {}
    for module in modules():
        for cls in vars(module).values():
            if (
                inspect.isclass(cls)
                and issubclass(cls, base)
                and cls.__module__.startswith(PACKAGE)
            ):
                seen[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [seen[name] for name in sorted(seen)]


def class_value(cls: type, attribute: str) -> Any:
    """The class-level `_attr_<attribute>` of an entity class, inherited or not (else MISSING).

    Home Assistant's entity metaclass moves `_attr_x` class attributes to `__attr_x` and puts a
    property in their place, so `getattr(cls, "_attr_x")` does not give the value.
    """
    for klass in cls.__mro__:
        own = vars(klass)
        if f"__attr_{attribute}" in own:
            return own[f"__attr_{attribute}"]
        if f"_attr_{attribute}" in own and not isinstance(own[f"_attr_{attribute}"], property):
            return own[f"_attr_{attribute}"]
    return MISSING


def class_at(cls: type) -> str:
    """`file:line` of a class."""
    return f"{rel(Path(inspect.getsourcefile(cls) or ''))}:{inspect.getsourcelines(cls)[1]}"


def description_names() -> set[str]:
    """Names of entity description classes: Home Assistant's and the integration's."""
    return {"EntityDescription"} | {cls.__name__ for cls in own_classes(EntityDescription)}


def is_description(call: ast.Call) -> bool:
    """Whether a call builds an entity description."""
    name = call_name(call)
    return name is not None and (name.endswith("EntityDescription") or name in description_names())


def platform_of(path: Path) -> str | None:
    """The entity platform a module belongs to (its file name), if any."""
    return path.stem if path.stem in platforms() else None


def placeholders(message: str) -> set[str]:
    """The `{name}` placeholders of a translated message."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


# --- parallel-updates ----------------------------------------------------------------------------


def check_parallel_updates() -> Violations:
    """Every platform module Home Assistant loads sets PARALLEL_UPDATES at module level."""
    found: Violations = []
    for platform in platforms():
        path = COMPONENT / f"{platform}.py"
        if not path.exists():
            found.append(f"{rel(path)}:1: platform {platform} is in PLATFORMS but has no module")
            continue
        values = [
            value
            for node in tree(path).body
            for _, name, value in _top_level_assignment(node)
            if name == "PARALLEL_UPDATES"
        ]
        if not values:
            found.append(f"{at(path)}: does not define PARALLEL_UPDATES")
        elif not all(isinstance(v, ast.Constant) and isinstance(v.value, int) for v in values):
            found.append(f"{at(path)}: PARALLEL_UPDATES is not an integer literal")
    return found


def _top_level_assignment(node: ast.stmt) -> Iterator[tuple[ast.stmt, str, ast.expr | None]]:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):
                yield node, target.id, node.value
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        yield node, node.target.id, node.value


# --- icon-translations, entity-translations, has-entity-name -------------------------------------


def _fields(cls: type) -> tuple[Field[Any], ...]:
    return fields(cls) if is_dataclass(cls) else ()


def check_no_icons_in_code() -> Violations:
    """Icons come from icons.json: no `_attr_icon`, no `icon=` in descriptions, no `icon` property."""
    found: Violations = []
    for path in sources(api=False):
        for node in walk(path):
            if isinstance(node, ast.Attribute | ast.Name) and "_attr_icon" in (
                getattr(node, "attr", None),
                getattr(node, "id", None),
            ):
                found.append(f"{at(path, node)}: uses _attr_icon (put the icon in icons.json)")
            elif isinstance(node, ast.Call) and is_description(node) and keyword(node, "icon"):
                found.append(f"{at(path, node)}: entity description sets icon=")
    for cls in own_classes(Entity):
        if "icon" in vars(cls):
            found.append(f"{class_at(cls)}: {cls.__name__} overrides the icon property")
    for cls in own_classes(EntityDescription):
        default = next((f.default for f in _fields(cls) if f.name == "icon"), None)
        if default not in (None, UNDEFINED):
            found.append(f"{class_at(cls)}: {cls.__name__} has a default icon")
    return found


def check_no_names_in_code() -> Violations:
    """Names come from translations: `_attr_name` only ever None, no `name=` in descriptions."""
    found: Violations = []
    for path in sources(api=False):
        for node, name, value in assignments(path):
            if name == "_attr_name" and not is_none(value):
                found.append(f"{at(path, node)}: _attr_name is set to something else than None")
        for node in walk(path):
            if isinstance(node, ast.Call) and is_description(node):
                value = keyword(node, "name")
                if value is not None and not is_none(value):
                    found.append(f"{at(path, node)}: entity description sets name=")
    for cls in own_classes(Entity):
        if "name" in vars(cls):
            found.append(f"{class_at(cls)}: {cls.__name__} overrides the name property")
    for cls in own_classes(EntityDescription):
        default = next((f.default for f in _fields(cls) if f.name == "name"), None)
        if default not in (None, UNDEFINED):
            found.append(f"{class_at(cls)}: {cls.__name__} has a default name")
    return found


def check_has_entity_name() -> Violations:
    """Every entity class of the integration has `_attr_has_entity_name = True` (or inherits it)."""
    return [
        f"{class_at(cls)}: {cls.__name__} does not set _attr_has_entity_name = True"
        for cls in own_classes(Entity)
        if class_value(cls, "has_entity_name") is not True
    ]


def main_entity_keys() -> dict[str, set[str]]:
    """Platform -> translation keys of entities named after their device.

    Such an entity sets `_attr_name = None`, or its description has `name=None`.
    """
    keys: dict[str, set[str]] = {}
    for cls in own_classes(Entity):
        key = class_value(cls, "translation_key")
        if class_value(cls, "name") is None and isinstance(key, str):
            platform = cls.__module__.rsplit(".", 1)[-1]
            keys.setdefault(platform, set()).add(key)
    for path in sources(api=False):
        for node in walk(path):
            if (
                isinstance(node, ast.Call)
                and is_description(node)
                and is_none(keyword(node, "name"))
                and (key := constant(path, keyword(node, "translation_key"))) is not None
            ):
                keys.setdefault(platform_of(path) or "", set()).add(key)
    return keys


def translation_key_known(platform: str | None, key: str, *, nameless: bool = False) -> bool:
    """Whether strings.json has `entity.<platform>.<key>` (any platform when unknown).

    An entity named after its device has no name to translate: its key may live in icons.json only.
    """
    entity = strings().get("entity", {})
    icon_entity = icons().get("entity", {})
    tables = [entity.get(platform, {})] if platform else list(entity.values())
    if nameless:
        tables += [icon_entity.get(platform, {})] if platform else list(icon_entity.values())
    return any(key in table for table in tables)


def check_translation_keys_in_code() -> Violations:
    """Every literal entity translation key in the code exists in strings.json."""
    found: Violations = []
    nameless = main_entity_keys()
    for path in sources(api=False):
        platform = platform_of(path)
        keys: list[tuple[ast.AST, str]] = [
            (node, key)
            for node, name, value in assignments(path)
            if name == "_attr_translation_key" and (key := constant(path, value)) is not None
        ]
        keys += [
            (node, key)
            for node in walk(path)
            if isinstance(node, ast.Call)
            and is_description(node)
            and (key := constant(path, keyword(node, "translation_key"))) is not None
        ]
        for node, key in keys:
            main = key in nameless.get(platform or "", set())
            if not translation_key_known(platform, key, nameless=main):
                where = f"entity.{platform}.{key}" if platform else f"entity.*.{key}"
                found.append(
                    f"{at(path, node)}: translation key {key!r} is not in strings.json {where}"
                )
    return found


def json_at(path: Path, *keys: str) -> str:
    """`file:line` of a nested key of a JSON file (each key searched after the one before)."""
    lines = path.read_text().splitlines()
    line = 0
    for key in keys:
        line = next((n for n in range(line, len(lines)) if f'"{key}"' in lines[n]), line)
    return f"{rel(path)}:{line + 1}"


def check_icons_are_translated_entities() -> Violations:
    """Every key of icons.json belongs to a translated entity (or a device's main entity)."""
    found: Violations = []
    path = COMPONENT / "icons.json"
    nameless = main_entity_keys()
    entity = strings().get("entity", {})
    for platform, keys in icons().get("entity", {}).items():
        for key in keys:
            if key not in entity.get(platform, {}) and key not in nameless.get(platform, set()):
                found.append(
                    f"{json_at(path, 'entity', platform, key)}: icon for entity.{platform}.{key}, "
                    "which strings.json does not have and no nameless main entity uses"
                )
    return found


# --- entity-event-setup --------------------------------------------------------------------------

SUBSCRIBE = ("async_dispatcher_connect", "async_listen", "async_listen_once", "async_add_listener")
KEEPERS = ("async_on_remove", "async_on_unload")


def _subscribes(call: ast.Call) -> bool:
    name = call_name(call) or ""
    return name in SUBSCRIBE or name.startswith("async_track_")


def check_subscriptions_cleaned_up() -> Violations:
    """Every subscription is handed to async_on_remove/async_on_unload; entities don't subscribe
    in __init__ (only once added to Home Assistant)."""
    found: Violations = []
    entities = {cls.__name__ for cls in own_classes(Entity)}
    for path in sources(api=False, command_line=False):
        kept = {
            id(argument)
            for call in calls(tree(path))
            if call_name(call) in KEEPERS
            for argument in call.args
        }
        found.extend(
            f"{at(path, call)}: {call_name(call)}() is not passed to async_on_remove "
            "or async_on_unload"
            for call in calls(tree(path))
            if _subscribes(call) and id(call) not in kept
        )
        for node in walk(path):
            if isinstance(node, ast.ClassDef) and node.name in entities:
                found.extend(
                    f"{at(path, call)}: {node.name} subscribes in __init__ "
                    "(do it in async_added_to_hass)"
                    for method in node.body
                    if isinstance(method, ast.FunctionDef) and method.name == "__init__"
                    for call in calls(method)
                    if _subscribes(call)
                )
    return found


# --- exception-translations ----------------------------------------------------------------------


def translated_exception_names() -> set[str]:
    """Home Assistant's user-facing exceptions and the integration's own subclasses of them."""
    return set(HA_EXCEPTIONS) | {cls.__name__ for cls in own_classes(HomeAssistantError)}


def check_exception_translations() -> Violations:
    """Every Home Assistant exception the integration creates names a translation that exists.

    A key held in a variable (an error-mapping helper) cannot be followed here; the running
    checks in test_quality_scale.py look at the errors such helpers actually produce.
    """
    found: Violations = []
    names = translated_exception_names()
    messages = strings().get("exceptions", {})
    for path in sources(api=False, command_line=False):
        for node in walk(path):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Name):
                if node.exc.id in names:
                    found.append(f"{at(path, node)}: raises {node.exc.id} without a translation")
                continue
            if not isinstance(node, ast.Call) or call_name(node) not in names:
                continue
            where = f"{at(path, node)}: {call_name(node)}()"
            domain = keyword(node, "translation_domain")
            if not (
                (isinstance(domain, ast.Name) and domain.id == "DOMAIN")
                or literal(domain) == DOMAIN
                # copying another translated error's translation
                or (isinstance(domain, ast.Attribute) and domain.attr == "translation_domain")
            ):
                found.append(f"{where} without translation_domain=DOMAIN")
            if keyword(node, "translation_key") is None:
                found.append(f"{where} without translation_key")
                continue
            key = constant(path, keyword(node, "translation_key"))
            if key is None:
                continue
            if key not in messages:
                found.append(f"{where} translation_key {key!r} is not in strings.json exceptions")
                continue
            found.extend(
                f"{where} {problem}"
                for problem in _placeholder_problems(
                    path, key, messages[key], keyword(node, "translation_placeholders")
                )
            )
    return found


def _placeholder_problems(
    path: Path, key: str, message: dict[str, str], given: ast.expr | None
) -> Violations:
    wanted = placeholders(message.get("message", ""))
    if given is None or is_none(given):
        return [f"{key!r} needs translation_placeholders {sorted(wanted)}"] if wanted else []
    if not isinstance(given, ast.Dict):
        return []  # built elsewhere: the running checks see it
    passed = {name for k in given.keys if (name := constant(path, k)) is not None}
    if len(passed) == len(given.keys) and passed != wanted:
        return [f"{key!r} gets placeholders {sorted(passed)}, its message has {sorted(wanted)}"]
    return []


# --- runtime-data, config-entry-unloading --------------------------------------------------------


def _is_hass_data(node: ast.expr) -> bool:
    if not (isinstance(node, ast.Attribute) and node.attr == "data"):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id == "hass") or (
        isinstance(owner, ast.Attribute) and owner.attr == "hass"
    )


def _is_domain(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "DOMAIN") or literal(node) == DOMAIN


def check_no_domain_in_hass_data() -> Violations:
    """No `hass.data[DOMAIN]` (nor `.get/.setdefault/.pop(DOMAIN)`): entry state is runtime_data."""
    found: Violations = []
    for path in sources():
        for node in walk(path):
            if (
                isinstance(node, ast.Subscript)
                and _is_hass_data(node.value)
                and _is_domain(node.slice)
            ):
                found.append(f"{at(path, node)}: hass.data[DOMAIN] (use entry.runtime_data)")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and _is_hass_data(node.func.value)
                and node.args
                and _is_domain(node.args[0])
            ):
                found.append(
                    f"{at(path, node)}: hass.data.{node.func.attr}(DOMAIN) (use entry.runtime_data)"
                )
    return found


def check_typed_config_entries() -> Violations:
    """Each wing names its entry type: `type XConfigEntry = ConfigEntry[XRuntimeData]`."""
    found: Violations = []
    for wing in ("flir", "frigate"):
        aliases = [
            node
            for path in sorted((COMPONENT / wing).glob("*.py"))
            for node in walk(path)
            if isinstance(node, ast.TypeAlias)
            and isinstance(node.value, ast.Subscript)
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "ConfigEntry"
        ]
        if not aliases:
            found.append(f"{rel(COMPONENT / wing)}:1: no `type ... = ConfigEntry[...]` alias")
    return found


def check_unload_entry() -> Violations:
    """`__init__` defines async_unload_entry, and it unloads the platforms."""
    path = COMPONENT / "__init__.py"
    unload = next((f for f in functions(path) if f.name == "async_unload_entry"), None)
    if unload is None:
        return [f"{at(path)}: no async_unload_entry"]
    if not any(call_name(c) == "async_unload_platforms" for c in calls(unload)):
        return [f"{at(path, unload)}: async_unload_entry does not call async_unload_platforms"]
    return []


# --- strict-typing, test-coverage, config-flow-test-coverage -------------------------------------


def check_strict_typing() -> Violations:
    """py.typed ships, mypy runs strict on the package (pyproject and scripts/test)."""
    found: Violations = []
    if not (COMPONENT / "py.typed").exists():
        found.append(f"{rel(COMPONENT)}/py.typed:1: missing")
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    if pyproject.get("tool", {}).get("mypy", {}).get("strict") is not True:
        found.append("pyproject.toml:1: [tool.mypy] strict = true is not set")
    script = REPO / "scripts" / "test"
    if not any(
        "mypy" in line and "custom_components/flir_frigate" in line
        for line in _script_lines(script)
    ):
        found.append(f"{rel(script)}:1: does not run mypy on custom_components/flir_frigate")
    return found


def _script_lines(script: Path) -> list[str]:
    """Non-comment lines of a shell script."""
    return [line for line in script.read_text().splitlines() if not line.lstrip().startswith("#")]


def check_coverage_floor() -> Violations:
    """scripts/test fails when coverage of the integration is under 95 %."""
    script = REPO / "scripts" / "test"
    text = "\n".join(_script_lines(script))
    found: Violations = []
    if "--cov=custom_components/flir_frigate" not in text:
        found.append(
            f"{rel(script)}:1: pytest does not measure --cov=custom_components/flir_frigate"
        )
    floors = [int(m) for m in re.findall(r"--cov-fail-under[= ](\d+)", text)]
    if not floors or min(floors) < 95:
        found.append(f"{rel(script)}:1: no --cov-fail-under of at least 95 (found {floors})")
    return found


def flow_modules() -> list[Path]:
    """Files that define config, options or subentry flow steps."""
    return [
        path
        for path in sources(api=False)
        if any(f.name.startswith("async_step_") for f in functions(path))
    ]


def check_flow_coverage() -> Violations:
    """scripts/test demands 100 % coverage of every module with flow steps."""
    script = REPO / "scripts" / "test"
    full: set[str] = set()
    for line in _script_lines(script):
        if "coverage" in line and re.search(r"--fail-under[= ]100\b", line):
            for include in re.findall(r"--include[= ]'?([^' ]+)'?", line):
                full.update(include.split(","))
    return [
        f"{rel(script)}:1: {rel(path)} has flow steps but is not held to 100 % coverage"
        for path in flow_modules()
        if rel(path) not in full
    ]


# --- inject-websession, async-dependency ---------------------------------------------------------


def client_classes() -> list[type]:
    """The device libraries' clients (`api/<device>/client.py`, `...Client`)."""
    return [
        cls
        for cls in own_classes(object)
        if cls.__module__.startswith(f"{PACKAGE}.api.")
        and cls.__module__.endswith(".client")
        and cls.__name__.endswith("Client")
    ]


def check_no_own_sessions() -> Violations:
    """Only the command-line tools create an HTTP session; everything else gets Home Assistant's."""
    found: Violations = []
    for path in sources(command_line=False):
        for node in walk(path):
            if isinstance(node, ast.Call) and call_name(node) in {
                "ClientSession",
                "AsyncClient",
                "Client",
            }:
                func = node.func
                owner = func.value if isinstance(func, ast.Attribute) else None
                if call_name(node) == "ClientSession" or (
                    isinstance(owner, ast.Name) and owner.id == "httpx"
                ):
                    found.append(f"{at(path, node)}: creates its own HTTP session")
    return found


def check_clients_take_session() -> Violations:
    """Every device client requires a session, and the integration always passes one."""
    found: Violations = []
    clients = client_classes()
    if not clients:
        found.append(f"{rel(COMPONENT / 'api')}:1: no device client classes found")
    for cls in clients:
        parameter = inspect.signature(cls).parameters.get("session")
        if parameter is None:
            found.append(f"{class_at(cls)}: {cls.__name__}() takes no session")
        elif parameter.default is not inspect.Parameter.empty:
            found.append(f"{class_at(cls)}: {cls.__name__}() does not require its session")
    names = {cls.__name__ for cls in clients}
    for path in sources(api=False):
        for node in walk(path):
            if (
                isinstance(node, ast.Call)
                and call_name(node) in names
                and keyword(node, "session") is None
            ):
                found.append(f"{at(path, node)}: {call_name(node)}() without session=")
    return found


def check_async_only() -> Violations:
    """No blocking HTTP library and no time.sleep anywhere in the integration or its libraries."""
    found: Violations = []
    for path in sources():
        for node in walk(path):
            imported: list[str] = []
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found.extend(
                f"{at(path, node)}: imports blocking {name}"
                for name in imported
                if name in BLOCKING_MODULES
            )
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "sleep"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "time"
            ):
                found.append(f"{at(path, node)}: time.sleep blocks the event loop")
    return found


# --- common-modules, brands, integration-owner ---------------------------------------------------


def check_common_modules() -> Violations:
    """Coordinators live in coordinator.py, base entities (on CoordinatorEntity) in entity.py."""
    found: Violations = []
    for cls in own_classes(DataUpdateCoordinator):
        if not cls.__module__.endswith(".coordinator"):
            found.append(f"{class_at(cls)}: coordinator {cls.__name__} is not in a coordinator.py")
    for cls in own_classes(CoordinatorEntity):
        if CoordinatorEntity in cls.__bases__ and not cls.__module__.endswith(".entity"):
            found.append(f"{class_at(cls)}: base entity {cls.__name__} is not in an entity.py")
    return found


def check_brand() -> Violations:
    """The brand folder has the icon and the logo."""
    return [
        f"{rel(COMPONENT / 'brand' / name)}:1: missing"
        for name in ("icon.png", "logo.png")
        if not (COMPONENT / "brand" / name).exists()
    ]


def check_codeowners() -> Violations:
    """manifest.json names code owners (GitHub handles)."""
    owners = manifest().get("codeowners") or []
    if not owners or not all(isinstance(o, str) and o.startswith("@") for o in owners):
        return [f"{rel(COMPONENT / 'manifest.json')}:1: codeowners is empty or not @handles"]
    return []


# --- flows: config-flow, unique-config-entry, discovery, reauth, reconfigure ---------------------


def config_flow_class() -> type[ConfigFlow]:
    """The integration's config flow (registered for the domain)."""
    flows = [
        cls
        for cls in own_classes(ConfigFlow)
        if cls.__module__ == f"{PACKAGE}.config_flow" and cls.__dict__.get("VERSION") is not None
    ]
    assert len(flows) == 1, flows
    return flows[0]


def check_config_flow() -> Violations:
    """Set up from the UI; every form field has a data_description."""
    found: Violations = []
    if manifest().get("config_flow") is not True:
        found.append(f"{rel(COMPONENT / 'manifest.json')}:1: config_flow is not true")
    if not (COMPONENT / "config_flow.py").exists():
        found.append(f"{rel(COMPONENT)}/config_flow.py:1: missing")
    texts = strings()
    sections = {"config": texts.get("config", {}), "options": texts.get("options", {})}
    sections |= {f"config_subentries.{k}": v for k, v in texts.get("config_subentries", {}).items()}
    for section, content in sections.items():
        for step, form in content.get("step", {}).items():
            missing = set(form.get("data", {})) - set(form.get("data_description", {}))
            found.extend(
                f"{json_at(COMPONENT / 'strings.json', *section.split('.'), step, field)}: "
                f"{section}.step.{step}.data.{field} has no data_description"
                for field in sorted(missing)
            )
    return found


def _config_flow_modules() -> list[Path]:
    return sorted(
        {module_path(importlib.import_module(cls.__module__)) for cls in own_classes(ConfigFlow)}
    )


def check_unique_config_entry() -> Violations:
    """Each module with config flow steps that create entries sets and checks a unique id."""
    found: Violations = []
    for path in _config_flow_modules():
        names = {call_name(c) for c in calls(tree(path))}
        if "async_create_entry" not in names:
            continue
        if "async_set_unique_id" not in names or not (
            names & {"_abort_if_unique_id_configured", "_async_abort_entries_match"}
        ):
            found.append(f"{at(path)}: creates entries without a unique id check")
    return found


def _steps(name: str) -> list[tuple[Path, ast.FunctionDef | ast.AsyncFunctionDef]]:
    return [(path, f) for path in flow_modules() for f in functions(path) if f.name == name]


def check_discovery() -> Violations:
    """Every discovery source of the manifest has its flow step (and there is at least one)."""
    path = COMPONENT / "manifest.json"
    declared = [source for source in DISCOVERY_SOURCES if source in manifest()]
    if not declared:
        return [f"{rel(path)}:1: declares no discovery source"]
    return [
        f"{rel(path)}:1: declares {source} discovery but no flow has async_step_{source}"
        for source in declared
        if not _steps(f"async_step_{source}")
    ]


def check_discovery_updates_entry() -> Violations:
    """Each discovery step updates the address of an entry it already knows."""
    found: Violations = []
    for source in DISCOVERY_SOURCES:
        for path, step in _steps(f"async_step_{source}"):
            if not any(
                call_name(c) == "_abort_if_unique_id_configured" and keyword(c, "updates")
                for c in calls(step)
            ):
                found.append(
                    f"{at(path, step)}: {step.name} does not call "
                    "_abort_if_unique_id_configured(updates=...)"
                )
    return found


def check_reauth_flow() -> Violations:
    """The flow has a reauth step with a confirm step, and setup can start it."""
    found: Violations = []
    flow = config_flow_class()
    if "async_step_reauth" not in vars(flow):
        found.append(f"{class_at(flow)}: {flow.__name__} has no async_step_reauth")
    if not any(
        name.endswith("reauth_confirm") for name in dir(flow) if name.startswith("async_step_")
    ):
        found.append(f"{class_at(flow)}: {flow.__name__} has no reauth confirm step")
    used = {
        node.id
        for path in sources(api=False, command_line=False)
        for node in walk(path)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    if "ConfigEntryAuthFailed" not in used:
        found.append(f"{rel(COMPONENT)}:1: ConfigEntryAuthFailed is never used to start reauth")
    return found


def check_reconfigure_flow() -> Violations:
    """The flow has a reconfigure step."""
    flow = config_flow_class()
    if "async_step_reconfigure" not in vars(flow):
        return [f"{class_at(flow)}: {flow.__name__} has no async_step_reconfigure"]
    return []


# --- the table ------------------------------------------------------------------------------------

STATIC_CHECKS: dict[str, tuple[Check, ...]] = {
    "async-dependency": (check_async_only,),
    "brands": (check_brand,),
    "common-modules": (check_common_modules,),
    "config-entry-unloading": (check_unload_entry,),
    "config-flow": (check_config_flow,),
    "config-flow-test-coverage": (check_flow_coverage,),
    "discovery": (check_discovery,),
    "discovery-update-info": (check_discovery_updates_entry,),
    "entity-event-setup": (check_subscriptions_cleaned_up,),
    "entity-translations": (
        check_no_names_in_code,
        check_translation_keys_in_code,
        check_icons_are_translated_entities,
    ),
    "exception-translations": (check_exception_translations,),
    "has-entity-name": (check_has_entity_name, check_no_names_in_code),
    "icon-translations": (check_no_icons_in_code, check_icons_are_translated_entities),
    "inject-websession": (check_no_own_sessions, check_clients_take_session),
    "integration-owner": (check_codeowners,),
    "parallel-updates": (check_parallel_updates,),
    "reauthentication-flow": (check_reauth_flow,),
    "reconfiguration-flow": (check_reconfigure_flow,),
    "runtime-data": (check_no_domain_in_hass_data, check_typed_config_entries),
    "strict-typing": (check_strict_typing,),
    "test-coverage": (check_coverage_floor,),
    "unique-config-entry": (check_unique_config_entry,),
}
