"""Joined words ("tieuphuquoc", "#nuocmam") split back into the catalogue's own syllables."""

from collections.abc import Mapping

# Folded syllables are at most 7 letters ("nghieng"); a few loan words in names are longer.
MAX_PIECE = 10
MIN_PIECE = 2
MIN_JOINED = 4


def pieces_to_look_up(word: str) -> set[str]:
    """Every substring a split of `word` could use (one vocabulary look-up for all of them)."""
    if len(word) < MIN_JOINED or not word.isalpha():
        return set()
    return {
        word[i:j]
        for i in range(len(word))
        for j in range(i + MIN_PIECE, min(len(word), i + MAX_PIECE) + 1)
    }


def split(word: str, frequency: Mapping[str, int]) -> list[str] | None:
    """The split of `word` into known pieces: fewest pieces, then the most frequent ones.

    Dynamic programming over the prefixes of the word; `frequency` maps a known folded word to
    how often the catalogue uses it. None when no split into two or more known pieces exists.
    """
    if len(word) < MIN_JOINED or not word.isalpha():
        return None
    # best[i]: (pieces, -summed frequency, the pieces) for word[:i]
    best: list[tuple[int, int, list[str]] | None] = [None] * (len(word) + 1)
    best[0] = (0, 0, [])
    for end in range(MIN_PIECE, len(word) + 1):
        for start in range(max(0, end - MAX_PIECE), end - MIN_PIECE + 1):
            piece = word[start:end]
            if best[start] is None or piece not in frequency:
                continue
            count, score, pieces = best[start]
            candidate = (count + 1, score - frequency[piece], [*pieces, piece])
            if best[end] is None or candidate[:2] < best[end][:2]:
                best[end] = candidate
    found = best[len(word)]
    return found[2] if found and found[0] >= 2 else None
