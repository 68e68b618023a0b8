"""Every document, typeset: no text touches a table's rules, and the text copies as typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.services import printing, registry
from rayong_desktop.services.settings import update_setting
from tests.documents import pdftools
from tests.documents.scenario import W21

# Upper vowel + tone mark stacks at the start of a name, so they sit at the top of its cell.
STACKED_NAME = "ทั้งที่ซึ่งปั้นเชื้อฟื้นฝั่ง ฎุฐูญู"
# A plan row (its row is bold) and a unit listed in the reminders (LAO-MRY missed W21).
STACKED_UNITS = ("R01", "LAO-MRY")


def every_document(db: Database, folder: Path) -> dict[str, Path]:
    """Each document the desk prints, saved under ``folder``."""
    docs = {
        "summary": printing.summary_pdf(db, week=W21),
        "letter": printing.letter_pdf(db, week=W21).data,
        "reminder": printing.reminder_pdf(db, week=W21).data,
        "memo": printing.reminder_pdf(db, week=W21, memo=True).data,
        "form": printing.form_pdf(db, week=W21),
        "unit-form": printing.form_pdf(db, week=W21, unit="LAO-MRY"),
        "poster": printing.poster_pdf(db, unit="LAO-MRY"),
    }
    out = {}
    for name, data in docs.items():
        path = folder / f"{name}.pdf"
        printing.save_pdf(data, path)
        out[name] = path
    return out


@pytest.mark.parametrize("digits", ["thai", "arabic"])
def test_no_table_text_touches_its_rules(
    scenario_db: Database, tmp_path: Path, digits: str
) -> None:
    update_setting(scenario_db, "document_digits", digits)
    for code in STACKED_UNITS:
        registry.edit_unit(scenario_db, code, {"name": f"{STACKED_NAME} {code}"})
    for name, path in every_document(scenario_db, tmp_path).items():
        assert pdftools.ink_on_rules(path) == [], name


def test_the_rule_check_sees_a_mark_on_a_rule(tmp_path: Path) -> None:
    """The check itself: text drawn across a line is found, text clear of it is not."""
    from reportlab.pdfgen.canvas import Canvas

    from rayong_desktop.documents.text import ThaiText
    from rayong_desktop.settings import AppSettings

    text = ThaiText.for_settings(AppSettings())
    for gap, touches in ((-2.0, True), (3.0, False)):
        path = tmp_path / f"gap{gap}.pdf"
        canvas = Canvas(str(path))
        canvas.line(50, 700, 400, 700)
        # The stack of ที่ reaches about 1.25 em above the baseline.
        size = text.size(16)
        text.draw(canvas, 60, 700 - 1.25 * size - gap, "ที่ทั้ง", 16)
        canvas.save()
        assert bool(pdftools.ink_on_rules(path)) is touches, gap
