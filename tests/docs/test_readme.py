"""The README points only at files in the repository: every relative link resolves inside it,
and nothing leads outside (no `../shared`)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# Paths written as code that name a document or a tool: `docs/x.md`, `tools/verify_trace.py`.
CODE_PATH = re.compile(r"`((?:docs|tools|fixtures|bench|bin)/[^`\s]+|[^`\s/]+\.md)`")


def relative_links(text: str) -> list[str]:
    links = [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]
    return [target.split("#", 1)[0] for target in links if not target.startswith("#")]


def outside_or_missing(text: str) -> list[str]:
    bad = []
    for target in relative_links(text) + CODE_PATH.findall(text):
        path = (ROOT / target).resolve()
        if not path.is_relative_to(ROOT) or not path.exists():
            bad.append(target)
    return bad


def test_every_relative_link_resolves_inside_the_repository():
    text = README.read_text(encoding="utf-8")
    assert relative_links(text), "the README links to its documents"
    assert outside_or_missing(text) == []


def test_nothing_points_outside_the_repository():
    assert "../" not in README.read_text(encoding="utf-8")


def test_a_link_outside_or_to_nothing_is_caught():
    text = "[a](docs/ARCHITECTURE.md) [b](../shared/docs/CONTRACT.md) [c](docs/nope.md) `x.md`"
    assert outside_or_missing(text) == ["../shared/docs/CONTRACT.md", "docs/nope.md", "x.md"]
    assert relative_links("[w](https://example.org) [s](#tests)") == []
