"""Translation files: the same content, hassfest's rules, and every key the code uses exists."""

import json
import re
from pathlib import Path

COMPONENT = Path(__file__).resolve().parent.parent / "custom_components" / "flir_frigate"
STRINGS = json.loads((COMPONENT / "strings.json").read_text())
EN = json.loads((COMPONENT / "translations" / "en.json").read_text())
ICONS = json.loads((COMPONENT / "icons.json").read_text())
KEY = re.compile(r"^[a-z0-9_-]+$")


def _walk(node: object, path: tuple[str, ...] = ()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    else:
        yield path, node


def test_strings_and_english_are_identical() -> None:
    """Custom integrations ship translations/en.json; strings.json is its source."""
    assert STRINGS == EN


def test_hassfest_rules() -> None:
    """Keys are slugs; no URLs, HTML, stray spaces or single-quoted placeholders in strings."""
    for path, value in _walk(EN):
        for key in path:
            assert KEY.match(key), path
        assert isinstance(value, str), path
        assert value == value.strip(), path
        assert "http://" not in value, path
        assert "https://" not in value, path
        assert "<" not in value, path
        assert "'{" not in value, path


def test_data_descriptions_describe_fields() -> None:
    """Every data_description key is also a field of its step."""
    for path, _ in _walk(EN):
        if "data_description" in path:
            index = path.index("data_description")
            step = EN
            for key in path[:index]:
                step = step[key]
            assert path[index + 1] in step["data"], path


def test_entity_keys_have_names_and_icons() -> None:
    """Every translation_key used in code has a name (or, for a main feature, an icon)."""
    sources = "\n".join(p.read_text() for p in COMPONENT.rglob("*.py") if "api" not in p.parts)
    used = set(re.findall(r'translation_key\s*=\s*"([a-z0-9_]+)"', sources))
    named = {key for platform in EN["entity"].values() for key in platform}
    iconed = {key for platform in ICONS["entity"].values() for key in platform}
    exceptions = set(EN["exceptions"])
    for key in used:
        assert key in named | exceptions | iconed, key
    for platform, keys in EN["entity"].items():
        for key in keys:
            assert key in ICONS["entity"].get(platform, {}) or key in iconed, (platform, key)


def test_exception_keys_exist() -> None:
    """Every translated exception raised in code has a message."""
    sources = "\n".join(p.read_text() for p in COMPONENT.rglob("*.py") if "api" not in p.parts)
    raised = set(re.findall(r'translation_key="([a-z0-9_]+)"', sources))
    known = set(EN["exceptions"]) | {k for p in EN["entity"].values() for k in p}
    known |= {key for platform in ICONS["entity"].values() for key in platform}  # device-named
    assert raised <= known, raised - known
