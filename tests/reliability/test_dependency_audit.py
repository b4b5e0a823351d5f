"""The verdict of the dependency audit that CI runs (scripts/audit_dependencies.py)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit_dependencies", ROOT / "scripts" / "audit_dependencies.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "pillow",
    "version": "9.0.0",
    "vulns": [{"id": "PYSEC-2022-168", "fix_versions": ["9.0.1"], "aliases": [], "description": "..."}],
}
UNAUDITED = {"name": "kombu", "skip_reason": "Dependency not found on PyPI and could not be audited: kombu (5.7.0)"}


def test_a_known_vulnerability_fails_the_build_and_names_the_fix():
    code, lines = audit.judge({"dependencies": [CLEAN, VULNERABLE, UNAUDITED]})

    assert code == 1
    assert "VULNERABLE pillow==9.0.0: PYSEC-2022-168 (fixed in 9.0.1)" in lines


def test_packages_that_could_not_be_audited_are_never_reported_as_clean():
    code, lines = audit.judge({"dependencies": [CLEAN, UNAUDITED]})

    assert code == 0
    assert "could not audit 1 of 2 packages" in lines[-1]
    assert "NOT a clean audit" in lines[-1]
    assert audit.judge({"dependencies": [CLEAN, UNAUDITED]}, strict=True)[0] == 2


def test_a_fully_audited_clean_report_passes():
    assert audit.judge({"dependencies": [CLEAN]}) == (0, ["pip-audit: 1 packages audited, no known vulnerabilities."])
