"""From what a shopper typed to the words we look for: fold, tokenise, drop filler, spell out typos.

Both backends share this, so "Đặc sản PHÚ QUỐC", "dac san phu quoc" and its NFD twin become the
same query everywhere.
"""

import re
import string
from dataclasses import dataclass, field

from marketplace.text import fold, nfc

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
# Typos are forgiven (one edit) on words of this many letters or more.
FUZZY_MIN_LENGTH = 4
_TOKEN = re.compile(r"[a-z0-9]+")
_ALPHABET = string.ascii_lowercase + string.digits
# Shopper filler that says nothing about the product ("đặc sản Phú Quốc" means "Phú Quốc").
# Removed only when something else is left, so a search for "đặc sản" alone still answers.
STOP_PHRASES = ("dac san", "san pham", "chinh hang", "gia re", "mua", "ban", "cua", "tai", "o")


def tokens(text: str) -> list[str]:
    """Folded words of any text: 'Nước mắm Phú-Quốc' → ['nuoc', 'mam', 'phu', 'quoc']."""
    return _TOKEN.findall(fold(text))


def padded(words: list[str]) -> str:
    """The stored form of a field: ' w1 w2 ' (see SearchDocument)."""
    return f" {' '.join(words)} " if words else " "


def query_tokens(text: str | None) -> list[str]:
    """A shopper's query, sanitised: any input (control characters, 10k chars, `"*:(-~`) is fine."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in (text or "")[: MAX_QUERY_CHARS * 4])
    words = tokens(nfc(cleaned)[:MAX_QUERY_CHARS])
    kept = _without_stop_phrases(words)
    return (kept or words)[:MAX_TERMS]


def _without_stop_phrases(words: list[str]) -> list[str]:
    text = f" {' '.join(words)} "
    for phrase in STOP_PHRASES:
        text = text.replace(f" {phrase} ", " ")
    return text.split()


def edits1(word: str) -> set[str]:
    """Every string one deletion, substitution, insertion or transposition away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word}


@dataclass
class Term:
    """One query word and what may stand for it in a document."""

    word: str
    exact: bool = False  # the word itself is in the vocabulary
    fuzzy: list[str] = field(default_factory=list)  # vocabulary words one edit away
    prefix: bool = False  # as-you-type: the word may be the start of a longer one

    @property
    def matchable(self) -> bool:
        return self.exact or bool(self.fuzzy) or self.prefix


@dataclass
class QueryPlan:
    words: list[str]
    terms: list[Term]
    suggestion: str | None = None  # "did you mean", in accented form when we know it

    @property
    def empty(self) -> bool:
        return not self.terms


def plan_query(text: str | None, vocabulary) -> QueryPlan:
    """Resolve each word against the vocabulary (see SearchVocabulary in backends.database)."""
    words = query_tokens(text)
    # One look-up for the words and all their one-edit neighbours: word → accented spelling.
    known = vocabulary.lookup(
        set(words) | {e for w in words if len(w) >= FUZZY_MIN_LENGTH for e in edits1(w)}
    )
    terms, corrected, changed = [], [], False
    for position, word in enumerate(words):
        term = Term(word, exact=word in known)
        if not term.exact and len(word) >= FUZZY_MIN_LENGTH:
            term.fuzzy = sorted(e for e in edits1(word) if e in known)
        if position == len(words) - 1:
            term.prefix = vocabulary.has_prefix(word)
        if term.matchable:
            terms.append(term)
        if term.exact or (term.prefix and not term.fuzzy):
            corrected.append(known.get(word, word))
        elif term.fuzzy:
            corrected.append(known[term.fuzzy[0]])
            changed = True
        else:
            changed = True  # a word nothing in the catalog resembles: leave it out
    suggestion = " ".join(corrected) if changed and corrected else None
    return QueryPlan(words=words, terms=terms, suggestion=suggestion)
