"""Vietnamese typed without the keyboard's input method: Telex ("nuowcs mawms") and VNI ("ma8m1").

The key sequences are decoded by `bogo` (the BoGo input-method engine, full Telex and VNI tables);
here we only decide when a word is such a sequence. Decoding is a guess, so the caller keeps the
word as typed beside it and lets the catalogue's vocabulary decide (see analysis.plan_query).
"""

import re
from functools import lru_cache

from bogo.core import get_telex_definition, get_vni_definition, process_sequence

from marketplace.text import fold

_TELEX = get_telex_definition()
_VNI = get_vni_definition()
# Keys no unmarked syllable holds: a tone key after the vowel (s f r x j), w for ư/ơ/ă, a doubled
# vowel or d for â ê ô đ. "tour", "sim" or "homestay" pass through unchanged or fail the
# vocabulary check in the caller.
_TELEX_HINT = re.compile(r"[sfrxj]$|w|dd|aa|ee|oo|[aeiouy][sfrxj][a-z]")
# VNI: a digit 1-9 inside or after letters ("ma8m1", "d9u7o7ng2"); "1kg" or "500g" are not.
_VNI_HINT = re.compile(r"[a-z][1-9]")


@lru_cache(maxsize=4096)
def decode(word: str) -> str | None:
    """The folded word a Telex or VNI key sequence stands for, or None when it is none.

    `word` is lower-case ASCII as typed; the answer is folded like the catalogue's words, so
    "nuowcs" → "nuoc", "ma8m1" → "mam", "dduowngf" → "duong".
    """
    if not word.isascii() or not word.isalnum() or len(word) > 20:
        return None
    try:
        return _decode(word)
    except (KeyError, IndexError, ValueError):  # bogo trips on a few odd key sequences
        return None


def _decode(word: str) -> str | None:
    if _VNI_HINT.search(word) and not word.isdigit():
        decoded = fold(process_sequence(word, rules=_VNI))
        if decoded.isalpha() and decoded != word:
            return decoded
    if word.isalpha() and _TELEX_HINT.search(word):
        decoded = fold(process_sequence(word, rules=_TELEX))
        if decoded.isalpha() and decoded != word:
            return decoded
    return None
