"""Audit the pinned runtime dependencies with pip-audit; fail on any known vulnerability.

Run by `make audit` (and so by CI). pip-audit resolves requirements.txt, including the packages
pulled in by the pins, and asks PyPI's vulnerability data about each one:

- a known vulnerability in any of them: the table is printed and the exit status is 1 (upgrade
  the pin, within Django 5.2.x for Django, and run the tests);
- packages the service could not be asked about (no network, or an index without PyPI's
  per-release JSON API): a warning names how many, and says plainly that this is not a clean
  audit; the exit status is 0 unless AUDIT_STRICT=1, so that an offline build still runs its tests;
- pip-audit failing outright: the same warning, or exit status 2 with AUDIT_STRICT=1.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def main() -> int:
    strict = os.environ.get("AUDIT_STRICT") == "1"
    with tempfile.TemporaryDirectory() as folder:
        report_path = Path(folder) / "audit.json"
        command = [
            str(PIP_AUDIT), "-r", str(ROOT / "requirements.txt"), "--progress-spinner", "off",
            "--format", "json", "--output", str(report_path),
        ]  # fmt: skip
        finished = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        try:
            report = json.loads(report_path.read_text())
        except (OSError, ValueError):
            print(finished.stdout + finished.stderr, file=sys.stderr)
            print("WARNING: pip-audit did not run to the end; the dependencies are NOT audited.")
            return 2 if strict else 0

    code, lines = judge(report, strict=strict)
    print("\n".join(lines))
    return code


def judge(report: dict, *, strict: bool = False) -> tuple[int, list[str]]:
    """The exit status and the lines to print for pip-audit's JSON `report`."""
    lines = []
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    unaudited = [d for d in dependencies if d.get("skip_reason")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            lines.append(f"VULNERABLE {dependency['name']}=={dependency['version']}: {vuln['id']} (fixed in {fixes})")
    audited = len(dependencies) - len(unaudited)
    if vulnerable:
        lines.append(f"pip-audit: {len(vulnerable)} of {audited} audited packages have known vulnerabilities.")
        return 1, lines
    if unaudited:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in unaudited})
        lines.append(
            f"WARNING: pip-audit could not audit {len(unaudited)} of {len(dependencies)} packages "
            f"({'; '.join(reasons)}): the vulnerability service was not reachable from here, so this is "
            "NOT a clean audit. Run `make audit` where PyPI's JSON API answers."
        )
        return (2 if strict else 0), lines
    lines.append(f"pip-audit: {audited} packages audited, no known vulnerabilities.")
    return 0, lines


if __name__ == "__main__":
    sys.exit(main())
