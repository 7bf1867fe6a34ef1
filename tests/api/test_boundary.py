"""The device clients under api/ never import Home Assistant."""

import ast
from pathlib import Path

API = Path(__file__).parents[2] / "custom_components" / "flir_frigate" / "api"


def imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_api_files_found():
    files = list(API.rglob("*.py"))
    assert API / "flir" / "rjpeg.py" in files
    assert len(files) >= 5


def test_no_homeassistant_imports():
    offenders = [
        f"{path.relative_to(API)}: {name}"
        for path in sorted(API.rglob("*.py"))
        for name in imported_modules(path)
        if name == "homeassistant" or name.startswith("homeassistant.")
    ]
    assert offenders == []


def test_no_relative_imports_out_of_api():
    # From api/flir/*.py, "from .. import" is api itself; "from ..." would reach the integration.
    offenders: list[str] = []
    for path in sorted(API.rglob("*.py")):
        highest = len(path.relative_to(API).parts)  # 1 in api/, 2 in api/flir/
        offenders.extend(
            f"{path.relative_to(API)}: level {node.level}"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and node.level > highest
        )
    assert offenders == []
