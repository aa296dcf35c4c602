"""docs/CONTRACT.md is a superset of the shared contract, which stays the source outside checks
use: every line of the shared copy stands in ours, in the same order; and every GraphQL root
field the schema has is named in ours."""

import re
from pathlib import Path

import pytest

from config.schema import schema

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "docs" / "CONTRACT.md"
SHARED = ROOT.parent / "shared" / "docs" / "CONTRACT.md"


def missing_lines(shared: str, ours: str) -> list[str]:
    """The shared lines (blank ones aside) not found in ours in the same order."""
    ours_lines, position, missing = ours.splitlines(), 0, []
    for line in filter(str.strip, shared.splitlines()):
        try:
            position = ours_lines.index(line, position) + 1
        except ValueError:
            missing.append(line)
    return missing


@pytest.mark.skipif(not SHARED.exists(), reason=f"the shared contract is not at {SHARED}")
def test_every_line_of_the_shared_contract_is_in_ours():
    assert missing_lines(SHARED.read_text(encoding="utf-8"), OURS.read_text(encoding="utf-8")) == []


def test_a_dropped_or_changed_line_is_caught():
    shared = "# The public contract\n\n| `make run` | serves |\n| `make test` | tests |\n"
    assert missing_lines(shared, shared + "\n## More\n") == []
    assert missing_lines(shared, shared.replace("| tests |", "| runs tests |")) == [
        "| `make test` | tests |"
    ]
    swapped = "# The public contract\n| `make test` | tests |\n| `make run` | serves |\n"
    assert missing_lines(shared, swapped)


def test_every_root_field_of_the_schema_is_named():
    text = OURS.read_text(encoding="utf-8")
    graphql = schema.graphql_schema
    fields = set(graphql.query_type.fields) | set(graphql.mutation_type.fields)
    named = {name for name in fields if re.search(rf"\b{name}\b", text)}
    assert fields - named == set()
