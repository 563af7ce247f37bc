"""The lock file pins every dependency pyproject.toml names, so a fresh clone installs exactly
what the tests ran with (`make lock` re-resolves it)."""

from __future__ import annotations

import re
import tomllib

from paths import ROOT

_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


def _canonical(name: str) -> str:
    """A distribution name as pip compares it, without extras: psycopg[binary] -> psycopg."""
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


def _locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            name, _, rest = line.partition("==")
            pins[_canonical(name)] = rest.split(";")[0].strip()
    return pins


def _declared() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        declared += [item for item in extra if not item.startswith("yusuan")]
    return declared


def test_every_declared_dependency_is_pinned_in_the_lock() -> None:
    locked = _locked()
    missing = [d for d in _declared() if _canonical(_NAME.match(d).group(1)) not in locked]  # type: ignore[union-attr]
    assert not missing, f"run `make lock`: not in requirements.lock: {missing}"


def test_every_lock_line_is_an_exact_pin() -> None:
    assert all(
        version and not version.startswith(("<", ">", "~")) for version in _locked().values()
    )


def test_exact_pins_in_pyproject_agree_with_the_lock() -> None:
    locked = _locked()
    for item in _declared():
        name, sep, version = item.partition("==")
        if sep:
            version = version.split(";")[0].split("#")[0].strip()
            assert locked[_canonical(name.strip())] == version, item
