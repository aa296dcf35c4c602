"""The English catalogues stay honest: every marked string has an entry, every entry has English.

Helpers who add a Vietnamese UI string must run `make messages` and translate it; these tests fail
otherwise. The first extracts the strings again (the Makefile's own `makemessages` command, in a
copy of the source so the tree is not touched) and compares them with the committed catalogues.
"""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# What `make messages` scans: the Makefile is the one place that says which folders it skips.
_IGNORE_LINE = re.search(r"^MESSAGES_IGNORE :=(.*)$", (ROOT / "Makefile").read_text(), re.M)
IGNORE = [p for p in shlex.split(_IGNORE_LINE.group(1)) if p != "-i"]
SKIP_DIRS = {".git", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache"}
# Vietnamese letters that English never uses: a msgstr containing one was left untranslated.
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉĩịọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹ]", re.I)
# ... except the currency's own name and quoted examples of what a shopper may type.
ALLOWED_VIETNAMESE = re.compile(r"“[^”]*”|\bđồng\b")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def _catalogues(root: Path) -> dict[str, Path]:
    found = {}
    for po in sorted(root.rglob("locale/en/LC_MESSAGES/django.po")):
        relative = po.relative_to(root)
        if relative.parts[0] in (".venv", "var", "node_modules"):
            continue
        found[str(relative)] = po
    return found


def _keys(po_path: Path) -> set[tuple]:
    return {
        (e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(po_path)) if not e.obsolete
    }


def _copy_source(target: Path) -> None:
    def ignore(folder, names):
        relative = Path(folder).relative_to(ROOT)
        skipped = set()
        for name in names:
            path = (relative / name).as_posix()
            if name in SKIP_DIRS or any(Path(path).match(p.rstrip("/*")) for p in IGNORE):
                skipped.add(name)
        return skipped

    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)


def test_committed_catalogues_hold_every_marked_string(tmp_path):
    committed = _catalogues(ROOT)
    assert "locale/en/LC_MESSAGES/django.po" in committed
    copy = tmp_path / "src"
    _copy_source(copy)
    ignore_args = [arg for pattern in IGNORE for arg in ("-i", pattern)]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", *ignore_args],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = _catalogues(copy)
    assert fresh.keys() == committed.keys(), "a catalogue appeared or vanished: run make messages"
    for name, po in committed.items():
        missing = _keys(fresh[name]) - _keys(po)
        stale = _keys(po) - _keys(fresh[name])
        assert not missing, (
            f"{name}: strings marked in the source but not in the catalogue (run `make messages`"
            f" and translate them): {sorted(m[1] for m in missing)[:20]}"
        )
        assert not stale, f"{name}: entries no longer in the source: {sorted(s[1] for s in stale)}"


def _msgstrs(entry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural.get(i, "") for i in range(2)]
    return [entry.msgstr]


@pytest.mark.parametrize("name", sorted(_catalogues(ROOT)))
def test_every_entry_has_real_english(name):
    problems = []
    for entry in polib.pofile(str(_catalogues(ROOT)[name])):
        if entry.obsolete:
            continue
        label = repr(entry.msgid[:60])
        if "fuzzy" in entry.flags:
            problems.append(f"{label}: fuzzy (a guess by msgmerge, check and unmark it)")
        for text in _msgstrs(entry):
            if not text.strip():
                problems.append(f"{label}: no English")
            elif VIETNAMESE.search(ALLOWED_VIETNAMESE.sub("", text)):
                problems.append(f"{label}: the English is still Vietnamese: {text!r}")
            elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(entry.msgid)):
                problems.append(f"{label}: placeholders differ from the source: {text!r}")
    assert not problems, f"{name}: {len(problems)} entries to fix:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", sorted(_catalogues(ROOT)))
def test_compiled_catalogue_matches_its_source(name):
    po_path = _catalogues(ROOT)[name]
    compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(po_path.with_suffix(".mo")))}
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete or not entry.msgid:
            continue
        mo = compiled.get((entry.msgctxt, entry.msgid))
        assert mo is not None, f"{entry.msgid!r} missing from the .mo: run make messages"
        assert _msgstrs(mo) == _msgstrs(entry), f"{entry.msgid!r}: .mo is stale"


def test_a_string_in_two_catalogues_means_the_same_in_both():
    """Django reads locale/ (LOCALE_PATHS) before an app's own catalogue: when both hold a
    string, the app's English is silently replaced. Give one of them a context instead."""
    english: dict[tuple, tuple[str, list[str]]] = {}
    clashes = []
    for name, po_path in _catalogues(ROOT).items():
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete or not entry.msgid:
                continue
            key = (entry.msgctxt, entry.msgid)
            seen = english.setdefault(key, (name, _msgstrs(entry)))
            if seen[1] != _msgstrs(entry):
                clashes.append(f"{entry.msgid!r}: {seen[0]} {seen[1]} vs {name} {_msgstrs(entry)}")
    assert not clashes, "\n".join(clashes)
