"""From what a shopper typed to the words we look for: fold, tokenise, drop filler, spell out typos.

Both backends share this, so "Đặc sản PHÚ QUỐC", "dac san phu quoc" and its NFD twin become the
same query everywhere.
"""

import re
import string
from dataclasses import dataclass, field

from marketplace.search import keyboard, places, segment, synonyms
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
# Shop talk that never names a product: classifiers, units, quantities, quality and price words
# ("hũ mắm thái 1kg loại 1 ngon giá rẻ"). Always removed from matching (shown as ignored); a
# query of nothing else finds nothing and gets the no-results help.
SHOP_WORDS = (
    "hu", "chai", "bich", "goi", "hop", "lo", "thung", "ky", "kilo", "kg", "g", "gr", "gram",
    "ml", "lit", "l", "loai 1", "loai mot", "hang loai 1", "ngon", "sieu ngon", "re", "gia re",
    "gia tot", "gia si", "ban", "mua", "ban si", "chinh hang", "cao cap", "chat luong",
    "freeship", "ship", "combo", "set",
)  # fmt: skip
# Said before a place ("quà Phú Quốc", "huyện Tri Tôn"): filler like STOP_PHRASES.
PLACE_WORDS = ("qua tang", "qua bieu", "mon qua", "lam qua", "huyen", "thi xa", "thanh pho", "tp")
# Words of the filler above are removed whole, later: never split ("huyện" is not "hũ yến").
_FILLER_WORDS = frozenset(w for p in (*STOP_PHRASES, *SHOP_WORDS, *PLACE_WORDS) for w in p.split())
_UNITS = ("kg", "g", "gr", "gram", "ml", "l", "lit", "ky", "kilo")
_QUANTITY = re.compile(rf"\d+({'|'.join(_UNITS)})")
_WORD = re.compile(r"[^\W_]+")


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
    """One thing the shopper asked for (a word or a phrase) and what may stand for it."""

    word: str  # folded; a phrase ("phu quoc", "fish sauce") when a synonym or place spans words
    exact: bool = False  # every word of it is in the vocabulary
    fuzzy: list[str] = field(default_factory=list)  # vocabulary words one edit away
    prefix: bool = False  # as-you-type: the word may be the start of a longer one
    synonyms: list[str] = field(default_factory=list)  # from synonyms/*.txt, weigh less
    rule: str | None = None  # the words as a synonym rule names them (the engine expands it)
    alternatives: list[str] = field(default_factory=list)  # the word as typed, when decoded
    place: bool = False  # names a ward or an old district: that place's products rank first
    wards: list[str] = field(default_factory=list)  # an old district's new wards

    @property
    def size(self) -> int:
        return len(self.word.split())

    @property
    def matchable(self) -> bool:
        stand_ins = (self.fuzzy, self.synonyms, self.alternatives, self.wards)
        return self.exact or self.prefix or any(stand_ins)


@dataclass
class QueryPlan:
    words: list[str]
    terms: list[Term]
    suggestion: str | None = None  # "did you mean", in accented form when we know it
    ignored: list[str] = field(default_factory=list)  # shop words left out, as typed
    unmatched: list[str] = field(default_factory=list)  # words nothing in the catalog resembles

    @property
    def empty(self) -> bool:
        return not self.terms


@dataclass
class _Token:
    word: str  # folded
    typed: str  # as typed (lower case), for display
    original: str | None = None  # the folded word as typed, when `word` was decoded from it
    changed: bool = False  # decoded or split: worth a "did you mean"


def _typed_tokens(text: str | None) -> list[_Token]:
    """Words as typed: '#', emoji and punctuation are separators; each word folded."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in (text or "")[: MAX_QUERY_CHARS * 4])
    found = []
    for typed in _WORD.findall(nfc(cleaned)[:MAX_QUERY_CHARS].lower()):
        for folded in _TOKEN.findall(fold(typed)):
            found.append(_Token(folded, typed if folded == fold(typed) else folded))
    return found


def _remove(tokens: list[_Token], phrases, where=None) -> tuple[list[_Token], list[_Token]]:
    """Tokens without the given folded phrases (longest first); also the removed ones."""
    ordered = sorted((p.split() for p in phrases), key=len, reverse=True)
    kept, removed, i = [], [], 0
    while i < len(tokens):
        for phrase in ordered:
            window = [t.word for t in tokens[i : i + len(phrase)]]
            if window == phrase and (where is None or where(i)):
                removed += tokens[i : i + len(phrase)]
                i += len(phrase)
                break
        else:
            kept.append(tokens[i])
            i += 1
    return kept, removed


def _without_shop_words(tokens: list[_Token]) -> tuple[list[_Token], list[_Token]]:
    """Shop words out; quantities too ("1kg", "500 g"), but not a bare number ("40 độ đạm")."""
    kept, removed = [], []
    for i, token in enumerate(tokens):
        following = tokens[i + 1].word if i + 1 < len(tokens) else None
        unit = token.word.isdigit() and following in _UNITS
        if unit or (_QUANTITY.fullmatch(token.word) and not token.word.isdigit()):
            removed.append(token)
        else:
            kept.append(token)
    kept, words = _remove(kept, SHOP_WORDS)
    position = {id(t): i for i, t in enumerate(tokens)}
    return kept, sorted(removed + words, key=lambda t: position[id(t)])


def _without_filler(tokens: list[_Token]) -> list[_Token]:
    kept, _ = _remove(tokens, STOP_PHRASES + PLACE_WORDS)
    kept, _ = _remove(kept, ("qua",), where=lambda i: i == 0)  # "quà Phú Quốc", not "khổ qua"
    return kept or tokens


def _decode_and_split(tokens: list[_Token], vocabulary) -> tuple[list[_Token], dict, set]:
    """Telex/VNI words decoded and joined words split, where the vocabulary agrees. Also the
    known words and, for the words and their decodings, whether each starts a known word."""
    decoded = {t.word: keyboard.decode(t.word) for t in tokens}
    candidates = {t.word for t in tokens} | {d for d in decoded.values() if d}
    # One look-up for the words, their decodings and every one-edit neighbour (for typos), and
    # for which of them start a longer word (the last one may be typed half-way).
    neighbours = {e for w in candidates if len(w) >= FUZZY_MIN_LENGTH for e in edits1(w)}
    known, started = vocabulary.look_up(candidates | neighbours, candidates)
    starts = {word: word in started for word in candidates}
    resolved = []
    for token in tokens:
        choice = decoded[token.word]
        if choice and (choice in known or token.word not in known):
            resolved.append(_Token(choice, token.typed, original=token.word, changed=True))
        else:
            resolved.append(token)
    unknown = [t.word for t in resolved if t.word not in known and t.word not in _FILLER_WORDS]
    pieces = set().union(*(segment.pieces_to_look_up(w) for w in unknown)) if unknown else set()
    if pieces:
        known |= vocabulary.known(pieces)
    frequency = {word: count for word, (_, count) in known.items()}
    found = []
    for token in resolved:
        whole = token.word in known or token.word in _FILLER_WORDS
        parts = None if whole else segment.split(token.word, frequency)
        if parts:
            found += [_Token(p, p, changed=True) for p in parts]
        else:
            found.append(token)
    return found, known, starts


def _concepts(tokens: list[_Token]) -> list[tuple[list[_Token], tuple, tuple | None, str | None]]:
    """Group words into synonym phrases and places, longest first: (tokens, synonyms, wards,
    the phrase as the synonym rule names it)."""
    rules, named = synonyms.alternatives(), places.known_places()
    groups, i = [], 0
    while i < len(tokens):
        for size in range(min(synonyms.MAX_PHRASE, len(tokens) - i), 0, -1):
            window = tokens[i : i + size]
            # An English word may look like Telex ("essential"): its phrase as typed counts too.
            spellings = (
                " ".join(t.word for t in window),
                " ".join(t.original or t.word for t in window),
            )
            phrase = next((p for p in spellings if p in named or p in rules), None)
            if phrase:
                rule = phrase if phrase in rules else None
                groups.append((window, rules.get(phrase, ()), named.get(phrase), rule))
                i += size
                break
        else:
            groups.append(([tokens[i]], (), None, None))
            i += 1
    return groups


def plan_query(text: str | None, vocabulary) -> QueryPlan:
    """Resolve the query against the vocabulary (see SearchVocabulary in backends.database):
    decode Telex/VNI, split joined words, drop shop words and filler, group synonyms and
    places, then forgive one typo per unknown word."""
    typed = _typed_tokens(text)
    if not typed:
        return QueryPlan(words=[], terms=[])
    tokens, known, starts = _decode_and_split(typed, vocabulary)
    tokens, ignored = _without_shop_words(tokens)
    tokens = _without_filler(tokens)[:MAX_TERMS]
    plan = QueryPlan(words=[t.word for t in tokens], terms=[], ignored=[t.typed for t in ignored])
    groups = _concepts(tokens)
    spelled = {word: display for word, (display, _) in known.items()}
    corrected, changed = [], False
    for position, (members, alternatives, wards, rule) in enumerate(groups):
        word = " ".join(t.word for t in members)
        term = Term(
            word,
            exact=all(t.word in spelled for t in members),
            synonyms=list(alternatives),
            rule=rule,
            alternatives=[t.original for t in members if t.original and t.original in spelled],
            place=wards is not None,
            wards=list(wards or ()),
        )
        if len(members) == 1 and not term.exact and len(word) >= FUZZY_MIN_LENGTH:
            term.fuzzy = sorted(e for e in edits1(word) if e in spelled)
        if len(members) == 1 and position == len(groups) - 1:
            # A known word starts itself; split pieces are known, so only a word the one
            # look-up did not ask about costs another.
            term.prefix = word in spelled or (
                starts[word] if word in starts else vocabulary.has_prefix(word)
            )
        changed = changed or any(t.changed for t in members)
        if term.matchable:
            plan.terms.append(term)
        else:
            plan.unmatched.append(" ".join(t.typed for t in members))
        if term.exact or (term.prefix and not term.fuzzy):
            corrected.append(" ".join(spelled.get(t.word, t.word) for t in members))
        elif term.fuzzy:
            corrected.append(spelled[term.fuzzy[0]])
            changed = True
        elif term.synonyms or term.wards:
            corrected.append(" ".join(t.typed for t in members))
        else:
            changed = True  # a word nothing in the catalog resembles: leave it out
    plan.suggestion = " ".join(corrected) if changed and corrected else None
    return plan
