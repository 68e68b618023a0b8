"""The desk refreshes what others changed (another clerk on a server database, the CLI)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import reports
from rayong_desktop.ui.home_page import HomePage
from rayong_desktop.ui.keying.page import KeyingPage
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.window import MainWindow
from rayong_desktop.ui.window.poll import OTHERS
from tests.ui.conftest import bkk, focused, press, type_text
from tests.ui.test_xlsx_dialogs import fill

pytestmark = pytest.mark.gui


def test_a_figure_stored_elsewhere_appears_without_touching_the_desk(
    qtbot: QtBot, db: Database, db_target: object, open_window: Callable[..., MainWindow]
) -> None:
    from rayong_desktop.services.startup import open_database

    window = open_window()
    home = window.show_screen("home")
    assert isinstance(home, HomePage)
    qtbot.waitUntil(lambda: home.data is not None and not home.loading)
    received_before = home.data.summary.totals.received
    assert "TN-RY" in {c.code for c in home.data.summary.call_list}  # owes its figure
    window.check_for_others()  # the first look only notes where the data stands
    qtbot.waitUntil(lambda: window._last_marker is not None)

    other_clerk = open_database(db_target)  # type: ignore[arg-type]
    try:
        reports.record_report(
            other_clerk,
            unit_code="TN-RY",
            week=date(2020, 5, 18),
            count=1234,
            received_at=bkk("2020-05-21 09:30"),
            actor="other",
        )
    finally:
        other_clerk.dispose()

    window.check_for_others()
    qtbot.waitUntil(
        lambda: home.data is not None and home.data.summary.totals.received == received_before + 1,
        timeout=5000,
    )
    assert "TN-RY" not in {c.code for c in home.data.summary.call_list}


def test_the_poll_skips_the_desks_own_writes_and_refreshes_only_what_others_changed(
    qtbot: QtBot, db: Database, db_target: object, open_window: Callable[..., MainWindow]
) -> None:
    """Fetches are counted: the desk's own write is announced once, by the writes queue, and the
    screen that made it (the origin) does not load again, nor does the poll make it; a settings
    change made elsewhere reloads the screen on show only if it shows settings."""
    from rayong_desktop.services.settings import update_setting
    from rayong_desktop.services.startup import open_database

    window = open_window()
    home = window.show_screen("home")
    assert isinstance(home, HomePage)
    qtbot.waitUntil(lambda: home.data is not None and not home.loading)
    window.check_for_others()
    qtbot.waitUntil(lambda: window._last_marker is not None)
    fetches = count_fetches(home)
    seen = announcements(window)

    # The desk's own write, through its writes queue, made by the home screen (its origin).
    done: list[object] = []
    window.ctx.writes.submit(
        lambda: reports.record_report(
            window.ctx.db,
            unit_code="TN-RY",
            week=date(2020, 5, 18),
            count=1234,
            received_at=bkk("2020-05-21 09:30"),
        ),
        done.append,
        origin=home,
    )
    qtbot.waitUntil(lambda: bool(done))
    assert seen == [("reports", home)]
    assert window.ctx.own_markers
    marker_before = window._last_marker
    window.check_for_others()
    qtbot.waitUntil(lambda: window._last_marker != marker_before)
    # Announcements reach the screens at once: nothing made the screen stale or due to load.
    assert seen == [("reports", home)]
    assert not home.stale and not home._debounce.isActive() and fetches == []

    other_clerk = open_database(db_target)  # type: ignore[arg-type]
    try:
        update_setting(other_clerk, "rise_floor", "450", actor="other")
    finally:
        other_clerk.dispose()
    marker_before = window._last_marker
    window.check_for_others()
    qtbot.waitUntil(lambda: window._last_marker != marker_before)
    assert seen[1:] == [("settings", OTHERS)]
    qtbot.waitUntil(lambda: fetches == ["HomePage"], timeout=5000)  # home shows settings
    assert window.ctx.own_markers == set()  # the poll has passed them


def announcements(window: MainWindow) -> list[tuple[str, object]]:
    """Every (kind, origin) the desk announces to its screens from now on."""
    seen: list[tuple[str, object]] = []
    window.ctx.dataChanged.connect(lambda kind, origin: seen.append((kind, origin)))
    return seen


def count_fetches(page: Page) -> list[str]:
    fetches: list[str] = []
    real_fetch = page.fetch
    page.fetch = lambda: (fetches.append(type(page).__name__), real_fetch())[1]  # type: ignore[method-assign]
    return fetches


def loaded(qtbot: QtBot, window: MainWindow, *names: str) -> dict[str, Page]:
    """The screens, each shown once and loaded; the last stays on show."""
    pages: dict[str, Page] = {}
    for name in names:
        page = window.show_screen(name)
        assert page is not None
        qtbot.waitUntil(lambda page=page: not page.loading and not page.stale)
        pages[name] = page
    return pages


def stale(pages: dict[str, Page]) -> set[str]:
    """The screens that will load again (at once if on show, else when next shown)."""
    return {name for name, page in pages.items() if page.stale or page._debounce.isActive()}


def test_a_figure_keyed_reloads_only_the_screens_showing_reports_not_the_keying_screen(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    pages = loaded(qtbot, window, "settings", "registry", "line", "home", "keying")
    keying = pages["keying"]
    assert isinstance(keying, KeyingPage)
    fetches = count_fetches(keying)
    seen = announcements(window)
    keying.view.setFocus()
    qtbot.waitUntil(lambda: focused() is keying.view)
    type_text("120")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.ctx.writes.pending() == 0)
    assert seen == [("reports", keying)]  # once, from the write itself, with its origin
    assert stale(pages) == {"line", "home"}  # they show reports; registry and settings do not
    assert fetches == []  # the keying screen shows its own figure already

    window.undo()
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen[1] == ("reports", keying)
    assert fetches == [] and "keying" not in stale(pages)


def test_a_letter_number_issued_from_the_print_dialog_announces_settings(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rayong_desktop.services.settings import get_settings
    from rayong_desktop.ui import print_dialog

    window = open_window()
    pages = loaded(qtbot, window, "settings", "registry", "keying", "home")
    seen = announcements(window)
    dialog = print_dialog.PrintDialog(window.ctx, window)
    qtbot.addWidget(dialog)

    def settled() -> bool:
        return dialog._busy_action is None and not dialog._debounce.isActive()

    qtbot.waitUntil(settled)
    dialog.kind.setCurrentIndex(dialog.kind.findData("letter"))
    qtbot.waitUntil(settled)
    assert seen == []  # a preview uses no number
    out = tmp_path / "letter.pdf"
    monkeypatch.setattr(
        print_dialog.QFileDialog, "getSaveFileName", lambda *_a: (str(out), "PDF (*.pdf)")
    )
    dialog.save_button.click()
    qtbot.waitUntil(lambda: settled() and out.is_file(), timeout=30_000)
    assert get_settings(db).letter_next_number == 2
    assert seen == [("settings", None)]
    assert stale(pages) == {"settings", "registry", "home"}  # keying shows no settings
    dialog.reject()


def test_a_cancelled_or_refused_import_announces_nothing(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rayong_desktop.services import excel_export
    from rayong_desktop.ui import excel_dialogs

    form = tmp_path / "form.xlsx"
    excel_export.export_workbook(
        db, excel_export.WorkbookRequest("form", date(2020, 5, 18), plan_row=3), form
    )
    fill(form, {"TN-RY": 280})
    window = open_window()
    pages = loaded(qtbot, window, "settings", "keying", "home")
    seen = announcements(window)
    monkeypatch.setattr(excel_dialogs, "choose_open_path", lambda _p, _t: form)
    shown: list[excel_dialogs._ImportDialog] = []

    def previewed_then_cancelled(dialog: excel_dialogs._ImportDialog) -> int:
        shown.append(dialog)
        qtbot.waitUntil(lambda: dialog.preview is not None)
        assert dialog.commit_button.isEnabled()  # there was something to import
        dialog.reject()
        return 0

    monkeypatch.setattr(excel_dialogs._ImportDialog, "exec", previewed_then_cancelled)
    window.import_forms_action.trigger()
    assert len(shown) == 1 and shown[0].result_ is None
    qtbot.waitUntil(lambda: window.ctx.reads.pending() == 0)
    assert seen == [] and stale(pages) == set()

    # Refused at the import (another clerk changed the figures meanwhile): nothing either.
    def refused(*_a: object, **_k: object) -> object:
        raise RefusedError("มีผู้อื่นแก้ไขตัวเลขในระหว่างนี้", "changed meanwhile", code="conflict")

    warned: list[str] = []
    monkeypatch.setattr(excel_dialogs.excel_io, "import_forms", refused)
    monkeypatch.setattr(excel_dialogs.prompts, "warn", lambda _p, _t, text: warned.append(text))

    def previewed_then_imported(dialog: excel_dialogs._ImportDialog) -> int:
        qtbot.waitUntil(lambda: dialog.preview is not None)
        dialog.commit_button.click()
        qtbot.waitUntil(lambda: bool(warned))
        dialog.reject()
        return 0

    monkeypatch.setattr(excel_dialogs._ImportDialog, "exec", previewed_then_imported)
    window.import_forms_action.trigger()
    assert "ไม่ได้บันทึกข้อมูลใด" in warned[0]
    assert seen == [] and stale(pages) == set()
