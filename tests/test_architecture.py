"""The layers of the README's "Layout" cover every module of the product.

`lint-imports` checks the imports between the modules that pyproject.toml names; a module it does not
name would escape the contracts, so each one must sit in a layer or in infrastructure.
"""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "placements", "applicants")


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def _named_modules() -> set[str]:
    named = set()
    for contract in _contracts():
        for layer in contract.get("layers", []):
            named.update(part.strip() for part in layer.replace("|", ":").split(":"))
        named.update(contract.get("source_modules", []))
    return named


def _product_modules() -> list[str]:
    modules = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            if len(parts) > 1:
                modules.append(".".join(parts))
    return modules


def _is_within(module: str, named: str) -> bool:
    return module == named or module.startswith(named + ".")


def test_every_module_sits_in_a_layer_or_in_infrastructure():
    named = _named_modules()
    unplaced = [module for module in _product_modules() if not any(_is_within(module, n) for n in named)]
    assert unplaced == []


def test_no_module_is_named_twice():
    named = [
        part.strip()
        for contract in _contracts()
        for layer in contract.get("layers", []) + contract.get("source_modules", [])
        for part in layer.replace("|", ":").split(":")
    ]
    overlapping = sorted(
        {a for a in named for b in named if a != b and _is_within(a, b)} | {a for a in named if named.count(a) > 1}
    )
    assert overlapping == []
