"""The synonym files beside this module (Solr format), read once for both backends.

The database backend expands queries with `alternatives()`; the engine gets `engine_rules()` in
its index settings (a synonym_graph filter) and expands the same words itself. Both fold the
words first, exactly as documents are folded.
"""

from functools import cache
from pathlib import Path

from marketplace.text import fold

DIRECTORY = Path(__file__).parent
# The longest phrase on the left of a rule, in words: the query is scanned for phrases this long.
MAX_PHRASE = 4


def _phrases(side: str) -> list[str]:
    return [" ".join(fold(p).split()) for p in side.split(",") if fold(p).strip()]


@cache
def engine_rules() -> tuple[str, ...]:
    """Every rule, folded, in the format Elasticsearch's synonym_graph filter reads."""
    rules = []
    for path in sorted(DIRECTORY.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if "=>" in line:
                left, right = line.split("=>", 1)
                rules.append(f"{', '.join(_phrases(left))} => {', '.join(_phrases(right))}")
            else:
                rules.append(", ".join(_phrases(line)))
    return tuple(rules)


@cache
def alternatives() -> dict[str, tuple[str, ...]]:
    """folded phrase → the folded phrases it also stands for (never itself)."""
    found: dict[str, list[str]] = {}
    for rule in engine_rules():
        if "=>" in rule:
            left, right = rule.split("=>", 1)
            sources, targets = _phrases(left), _phrases(right)
        else:
            sources = targets = _phrases(rule)
        for source in sources:
            entry = found.setdefault(source, [])
            entry.extend(t for t in targets if t != source and t not in entry)
    return {source: tuple(targets) for source, targets in found.items() if targets}
