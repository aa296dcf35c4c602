"""Settings say why, not which issue asked: no comment in config/ names an issue."""

import re

from tools.import_graph import ROOT

ISSUE = re.compile(r"#.*\bissues?\s*#?\d+", re.IGNORECASE)


def test_no_comment_names_an_issue():
    found = [
        f"{path.name}:{number}"
        for path in sorted((ROOT / "config").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ISSUE.search(line)
    ]
    assert found == []


def test_the_pattern_finds_one():
    assert ISSUE.search("# --- Buying: checkout, payments (issue 4) ---")
    assert not ISSUE.search('DEBUG = env_bool("DEBUG")  # never on in production')
