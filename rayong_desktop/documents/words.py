"""Where a line of Thai may end: text cut into unbreakable pieces between words.

Thai is written without spaces between words, so a line may end at a space or between two
words, never inside a word or a letter cluster. ``pieces`` cuts text into such pieces (newmm
word segmentation from PyThaiNLP, with its dictionary held as a compact ``WordList``); the
documents wrap lines at them (documents.text) and the screens elide long names at them
(ui.elide). This module needs neither ReportLab nor Qt, so a screen can use it without
loading the PDF machinery.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

from rayong_desktop.domain.registry import DISTRICT_NAMES

_THAI_LETTER = re.compile(r"[\u0e01-\u0e4e]")
_ABBREVIATION_TAIL = re.compile(r"[\u0e01-\u0e4e]{1,2}\.")
# Break opportunities: ordinary spaces only. A no-break space (U+00A0, which \s and
# str.isspace() both count as a space) holds a date or a number and its unit together.
SPACES = re.compile(r"([ \t\r\n\f\v]+)")
NBSP = "\u00a0"
# Repetition and abbreviation marks belong to the word before them, even after a space.
_REPEAT_MARKS = "ๆฯ"
_CLOSING = ")]}”’\"'.,;:!?%/"
_OPENING = "([{“‘"
_LEADING_VOWELS = "เแโใไ"
# Words newmm cuts but a line must not: transliterations it does not know (โค|โร|นา) and the
# province's place names, which read badly split (อำเภอบ้าน|ฉาง). Longest first.
_EXTRA_WORDS = tuple(
    sorted(
        {
            "โคโรนา",
            "มาบตาพุด",
            "จังหวัดระยอง",
            *DISTRICT_NAMES,
            *(f"อำเภอ{name}" for name in DISTRICT_NAMES),
        },
        key=len,
        reverse=True,
    )
)


def is_gap(s: str) -> bool:
    """A run of ordinary spaces: where a line may end."""
    return bool(s) and SPACES.fullmatch(s) is not None


def is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4e"


def _attaches_back(ch: str) -> bool:
    """A character that can never start a line (marks, ำ, repetition marks, closers)."""
    return (
        unicodedata.category(ch) == "Mn" or ch == "\u0e33" or ch in _REPEAT_MARKS or ch in _CLOSING
    )


class WordList:
    """The segmenter's dictionary as a set of words indexed by their first two letters.

    PyThaiNLP keeps its 62,000 words as a trie of Python objects: about a second to build and
    some 150 MB of memory, which the desk paid at start (its screens elide names by word).
    newmm asks the dictionary only one thing, the words that begin at a position of a text,
    shortest first (``prefixes``); a set of the words and, for each first two letters, the
    lengths of the words beginning with them, answer that with the same words in the same
    order, built in a few hundredths of a second in a few MB.
    """

    def __init__(self, words: Iterable[str]) -> None:
        # As the trie stores them: stripped, the empty word left out. PyThaiNLP's own list is
        # a frozenset already so (kept, not copied: the library holds it anyway).
        if isinstance(words, frozenset) and all(w and w == w.strip() for w in words):
            self._words: frozenset[str] = words
        else:
            self._words = frozenset(w for w in (word.strip() for word in words) if w)
        lengths: dict[str, set[int]] = {}
        for word in self._words:
            lengths.setdefault(word[:2], set()).add(len(word))
        self._lengths = {head: tuple(sorted(ls)) for head, ls in lengths.items()}

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        """The words that ``text`` holds from ``start`` on, shortest first."""
        found: list[str] = []
        if start >= len(text):
            return found
        if 1 in self._lengths.get(text[start], ()):
            found.append(text[start])
        room = len(text) - start
        for length in self._lengths.get(text[start : start + 2], ()):
            if length > room:
                break
            word = text[start : start + length]
            if word in self._words:
                found.append(word)
        return found


@lru_cache(maxsize=1)
def word_list() -> WordList:
    """PyThaiNLP's Thai word list (the one newmm uses by default), loaded once."""
    from pythainlp.corpus import thai_words

    return WordList(thai_words())


def load_segmenter() -> None:
    """Load the word segmenter and its dictionary now rather than at the first long text."""
    import pythainlp.tokenize  # noqa: F401

    word_list()


def segmenter_loaded() -> bool:
    """Whether the dictionary is in memory, so that cutting Thai text costs no loading."""
    return word_list.cache_info().currsize > 0


@lru_cache(maxsize=8192)
def _thai_words(chunk: str) -> tuple[str, ...]:
    """newmm word segmentation of one space-free chunk; cached: names repeat across pages."""
    # Imported here: text that fits on its line (most table cells) never needs it.
    from pythainlp.tokenize import word_tokenize

    segmented = word_tokenize(
        chunk,
        custom_dict=word_list(),  # type: ignore[arg-type]  # newmm asks only prefixes()
        engine="newmm",
        keep_whitespace=False,
    )
    return tuple(_glue_extra_words([w for w in segmented if w]))


def _glue_extra_words(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        for extra in _EXTRA_WORDS:
            joined = ""
            j = i
            while j < len(words) and len(joined) < len(extra):
                joined += words[j]
                j += 1
            if joined == extra and j - i > 1:
                out.append(joined)
                i = j
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _may_break_between(left: str, right: str) -> bool:
    """Whether a line may end after ``left`` and the next begin with ``right`` (no space)."""
    a, b = left[-1], right[0]
    if _attaches_back(b) or a in _OPENING or a in _LEADING_VOWELS:
        return False
    if _ABBREVIATION_TAIL.match(right):
        # newmm cuts abbreviations ("โท" + "ร.", "สถ." + "อ."): keep their letters together.
        return False
    # Between two non-Thai tokens ("COVID" "-" "19") only a space is a break.
    return is_thai(a) or is_thai(b)


def _words(sub: str) -> tuple[str, ...]:
    if not _THAI_LETTER.search(sub):
        return (sub,) if sub else ()
    words = _thai_words(sub)
    # The segmenter must only cut, never change, the text; if it ever does, keep it whole.
    return words if "".join(words) == sub else (sub,)


def _chunk_pieces(chunk: str) -> list[str]:
    """A space-free chunk cut into pieces that may each end a line. A no-break space glues
    the words on either side of it."""
    if not _THAI_LETTER.search(chunk):
        return [chunk]
    pieces: list[str] = []
    subs = chunk.split(NBSP)
    for k, sub in enumerate(subs):
        for i, word in enumerate(_words(sub)):
            after_nbsp = i == 0 and k > 0
            if pieces and (after_nbsp or not _may_break_between(pieces[-1], word)):
                pieces[-1] += word
            else:
                pieces.append(word)
        if k < len(subs) - 1:
            if pieces:
                pieces[-1] += NBSP
            else:
                pieces.append(NBSP)
    return pieces


def pieces(text: str) -> list[str]:
    """``text`` as unbreakable pieces and whitespace runs, in order; joined they give it back."""
    out: list[str] = []
    for part in SPACES.split(text):
        if not part:
            continue
        if is_gap(part):
            out.append(part)
            continue
        chunk = _chunk_pieces(part)
        if out and chunk and (chunk[0][0] in _REPEAT_MARKS or _attaches_back(chunk[0][0])):
            # "ต่าง ๆ": the mark stays with its word even across the space before it.
            if len(out) >= 2 and is_gap(out[-1]):
                space = out.pop()
                out[-1] += space + chunk.pop(0)
            elif not is_gap(out[-1]):
                out[-1] += chunk.pop(0)
        out += chunk
    return out


def clusters(piece: str) -> list[str]:
    """Grapheme-like clusters: the last resort for a piece wider than a whole line."""
    clusters: list[str] = []
    for ch in piece:
        if clusters and (_attaches_back(ch) or clusters[-1][-1] in _LEADING_VOWELS):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters
