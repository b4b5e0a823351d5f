"""The Dutch catalogue of the portal's own strings: extract, build, check and compile.

    python scripts/translations.py check            # make test: every string translated, none fuzzy
    python scripts/translations.py compile          # make run: locale/*/LC_MESSAGES/django.mo
    python scripts/translations.py extract NAME PATH...   # a part: the strings found under PATHs
    python scripts/translations.py build            # parts + catalogue -> the one catalogue

Strings are extracted by Django's `makemessages` (GNU xgettext) in a temporary copy of the project,
so the working tree is never written to by the extraction. A part (`locale/parts/NAME.po`) lets
several people translate different areas at once; `build` folds the parts into
`locale/nl/LC_MESSAGES/django.po`, keeping every translation already made.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
CATALOGUE = LOCALE / "nl" / "LC_MESSAGES" / "django.po"
PARTS = LOCALE / "parts"
COPIED = ("manage.py", "portal", "placements", "applicants", "templates", "static")
# Written in each language already (one file per language), or not the product's own text.
IGNORED = ("templates/emails/*", "static/vendor/*", "*/migrations/*", "*/tests/*")
HEADER = {
    "Project-Id-Version": "portal",
    "Language": "nl",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


def fresh_extraction():
    """Every translatable string of the code and templates, as `makemessages` finds it today."""
    with tempfile.TemporaryDirectory(prefix="portal-messages-") as temporary:
        copy = Path(temporary)
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "vendor"))
            else:
                shutil.copy2(source, copy / name)
        (copy / "locale").mkdir()
        command = [sys.executable, "manage.py", "makemessages", "--locale", "nl", "--extension", "html,txt,py"]
        command += [f"--ignore={pattern}" for pattern in IGNORED]
        environment = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "portal.settings"}
        subprocess.run(command, cwd=copy, env=environment, check=True, capture_output=True)  # noqa: S603 (fixed argv)
        return polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"), wrapwidth=0)


def key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def translated(entry):
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def known_translations():
    """Translations made so far: the catalogue first, then the parts (a part's newer wording wins)."""
    known = {}
    sources = [CATALOGUE, *sorted(PARTS.glob("*.po"))]
    for path in sources:
        if path.exists():
            for entry in polib.pofile(str(path), wrapwidth=0):
                if translated(entry):
                    known[key(entry)] = entry
    return known


def fill(entries, known):
    for entry in entries:
        done = known.get(key(entry))
        if done is not None:
            entry.msgstr = done.msgstr
            entry.msgstr_plural = dict(done.msgstr_plural)
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        if entry.msgid_plural and not entry.msgstr_plural:
            entry.msgstr_plural = {0: "", 1: ""}


def new_file(entries):
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = dict(HEADER)
    for entry in entries:
        catalogue.append(entry)
    return catalogue


def extract(name, paths):
    wanted = [path.rstrip("/") for path in paths]
    fresh = fresh_extraction()
    entries = [
        entry
        for entry in fresh
        if any(place == path or place.startswith(path + "/") for place, _ in entry.occurrences for path in wanted)
    ]
    fill(entries, known_translations())
    PARTS.mkdir(parents=True, exist_ok=True)
    new_file(entries).save(str(PARTS / f"{name}.po"))
    missing = sum(1 for entry in entries if not translated(entry))
    print(f"locale/parts/{name}.po: {len(entries)} strings, {missing} still to translate")


def build():
    fresh = fresh_extraction()
    entries = list(fresh)
    fill(entries, known_translations())
    CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
    new_file(entries).save(str(CATALOGUE))
    missing = sum(1 for entry in entries if not translated(entry))
    print(f"{CATALOGUE.relative_to(ROOT)}: {len(entries)} strings, {missing} untranslated")
    compile_catalogues()


def check():
    """Fails when a string of the code or templates is missing from the Dutch catalogue or is fuzzy."""
    catalogue = polib.pofile(str(CATALOGUE), wrapwidth=0) if CATALOGUE.exists() else []
    done = {key(entry) for entry in catalogue if translated(entry) and not entry.obsolete}
    fuzzy = [entry for entry in catalogue if "fuzzy" in entry.flags and not entry.obsolete]
    fresh = fresh_extraction()
    missing = [entry for entry in fresh if key(entry) not in done]
    for entry in missing[:50]:
        where = ", ".join(f"{place}:{line}" for place, line in entry.occurrences[:2])
        print(f"untranslated: {entry.msgid[:80]!r} ({where})")
    for entry in fuzzy[:50]:
        print(f"fuzzy: {entry.msgid[:80]!r}")
    total = len(fresh)
    print(
        f"Dutch catalogue: {total} strings in the code and templates, {len(missing)} untranslated, {len(fuzzy)} fuzzy"
    )
    return 1 if missing or fuzzy else 0


def compile_catalogues():
    for path in LOCALE.glob("*/LC_MESSAGES/django.po"):
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


def main(arguments):
    if not arguments:
        print(__doc__)
        return 2
    command, rest = arguments[0], arguments[1:]
    if command == "check":
        return check()
    if command == "compile":
        compile_catalogues()
        return 0
    if command == "build":
        build()
        return 0
    if command == "extract" and len(rest) >= 2:
        extract(rest[0], rest[1:])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
