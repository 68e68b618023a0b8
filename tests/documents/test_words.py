"""The compact word list answers newmm exactly as PyThaiNLP's own trie does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_dict_trie, word_tokenize
from pythainlp.util import Trie

from rayong_desktop.documents.words import WordList, pieces, word_list
from rayong_desktop.domain.registry import DISTRICT_NAMES
from tests.helpers import python_output

REPO = Path(__file__).resolve().parents[2]

SAMPLES = [
    "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองระยอง",
    "ขอให้องค์กรปกครองส่วนท้องถิ่นประชาสัมพันธ์เชิญชวนประชาชนเข้าร่วมกลุ่มไลน์",
    "ที่ ซึ่ง ปั้น เชื้อ ไวรัสโคโรนา ๒๐๑๙",
    "เทศบาลตำบลมาบตาพุดรายงานจำนวนสมาชิกทุกวันพฤหัสบดีก่อนเวลา๑๒.๐๐น.",
    "องค์การบริหารส่วนตำบลบ้านค่าย",
    "ก",
    "กข",
    "",
]


def _texts() -> list[str]:
    places = [*DISTRICT_NAMES, *(f"อำเภอ{d}" for d in DISTRICT_NAMES)]
    sources = [REPO / "resources" / "seed" / "plan.json", *(REPO / "rayong_desktop").rglob("*.py")]
    found = {t for f in sources for t in re.findall(r"[\u0e01-\u0e4e]+", f.read_text("utf-8"))}
    return [*SAMPLES, *places, *sorted(found)]


@pytest.fixture(scope="module")
def trie() -> Trie:
    return word_dict_trie()


def test_it_holds_the_same_words_as_the_default_dictionary(trie: Trie) -> None:
    ours = word_list()
    assert len(ours) == len(trie)
    words = sorted(thai_words())
    assert all(w in ours for w in words[:: max(1, len(words) // 2000)])
    assert "ไม่ใช่คำในพจนานุกรมxyz" not in ours


def test_prefixes_are_the_tries_at_every_position(trie: Trie) -> None:
    ours = word_list()
    checked = 0
    for text in _texts():
        for start in range(len(text) + 1):
            assert ours.prefixes(text, start) == trie.prefixes(text, start), (text, start)
            checked += 1
    assert checked > 500


def test_segmentation_is_newmms_with_its_own_dictionary() -> None:
    for text in _texts():
        expected = word_tokenize(text, engine="newmm", keep_whitespace=False)
        got = word_tokenize(text, custom_dict=word_list(), engine="newmm", keep_whitespace=False)  # type: ignore[arg-type]
        assert got == expected, text


def test_a_small_list_answers_shortest_first_and_only_whole_words() -> None:
    words = WordList(["ก", "กา", "กาล", "กาลเวลา", " เวลา ", ""])
    assert len(words) == 5  # stripped as the trie strips; the empty word left out
    assert words.prefixes("กาลเวลาผ่าน") == ["ก", "กา", "กาล", "กาลเวลา"]
    assert words.prefixes("กาลเวลาผ่าน", 3) == ["เวลา"]
    assert words.prefixes("กาลเว", 0) == ["ก", "กา", "กาล"]  # a longer word past the end
    assert words.prefixes("ขา") == []
    assert words.prefixes("ก", 1) == []


def test_pieces_join_back_to_the_text() -> None:
    for text in _texts():
        assert "".join(pieces(text)) == text


def test_cutting_names_loads_neither_reportlab_nor_qt() -> None:
    probe = (
        "import sys\n"
        "from rayong_desktop.documents.words import pieces\n"
        "assert len(pieces('สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองระยอง')) > 3\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'PySide6'}))\n"
    )
    output = python_output(probe)
    assert output.strip() == "[]"
