"""The other screens through their real widgets: registry, trends, history, LINE figures,
settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLineEdit, QScrollArea
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.services import oa, registry, reports, settings, trends
from rayong_desktop.ui import prompts
from rayong_desktop.ui.history_page import HistoryPage
from rayong_desktop.ui.keying.page import KeyingPage
from rayong_desktop.ui.keying.rows import COL_COUNT, COL_REPORTER
from rayong_desktop.ui.line_page import LinePage
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.registry_page import RegistryPage, UnitDialog
from rayong_desktop.ui.settings_page import SettingsPage
from rayong_desktop.ui.trends_page import TrendsPage
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import bkk, focused, press, type_text

pytestmark = pytest.mark.gui

W19, W20, W21 = date(2020, 5, 4), date(2020, 5, 11), date(2020, 5, 18)


def show(qtbot: QtBot, window: MainWindow, name: str) -> Page:
    page = window.show_screen(name)
    qtbot.waitUntil(lambda: not page.loading and not page.stale)
    return page


def test_registry_adds_edits_and_retires_units_and_shows_both_plan_totals(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window()
    page = show(qtbot, window, "registry")
    assert isinstance(page, RegistryPage)
    assert "241,000" in page.totals.text() and "231,000" in page.totals.text()
    assert "ต่างกัน 10,000" in page.totals.text()
    assert page.unit_filter.rowCount() == 22

    # Add: a duplicate code is refused inside the dialog, which stays open with the reason.
    dialog = UnitDialog(window.ctx, list(page.data.overview.rows), parent=page)
    qtbot.addWidget(dialog)
    dialog.code.setText("TN-RY")
    dialog.name.setText("อบต.ทดสอบ")
    dialog.plan_row.setCurrentIndex(dialog.plan_row.findData(3))
    dialog.kind.setCurrentIndex(dialog.kind.findData("sao"))
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.error.text()))
    assert "มีอยู่แล้ว" in dialog.error.text() and dialog.result_unit is None
    dialog.code.setText("SAO-KLG-01")
    dialog.district.setCurrentIndex(dialog.district.findData("แกลง"))
    dialog.phone.setText("038-000-0000")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.result_unit is not None)
    unit = registry.get_unit(db, "SAO-KLG-01")
    assert (unit.plan_row, unit.kind, unit.district, unit.quota) == (3, "sao", "แกลง", 300)
    qtbot.waitUntil(lambda: page.unit_filter.rowCount() == 23)

    # Search, then edit the quota with a reason: only what changed is audited.
    page.search.setText("แกลง")
    qtbot.waitUntil(lambda: page.unit_filter.rowCount() == 2)
    page.select_unit("SAO-KLG-01")
    edit = UnitDialog(
        window.ctx, list(page.data.overview.rows), registry.get_unit(db, "SAO-KLG-01"), page
    )
    qtbot.addWidget(edit)
    edit.quota.setText("๔๕๐")
    edit.reason.setText("อบต. แจ้งเป้าหมายใหม่")
    edit.save()
    qtbot.waitUntil(lambda: edit.result_unit is not None)
    assert registry.get_unit(db, "SAO-KLG-01").quota == 450

    # Retire with Delete: asks for the reason, keeps the unit's history.
    monkeypatch.setattr(prompts, "ask_text", lambda *_a, **_k: "ยุบรวมกับเทศบาล")
    page.select_unit("SAO-KLG-01")
    page.unit_table.setFocus()
    qtbot.waitUntil(lambda: focused() is page.unit_table)
    press(qtbot, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not registry.get_unit(db, "SAO-KLG-01").active)
    assert registry.get_unit(db, "SAO-KLG-01").retired_on == date(2020, 5, 21)


def test_trends_chart_the_province_against_the_quota_with_the_oa_friends(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    reports.record_report(
        db, unit_code="R09", week=W19, count=10_000, received_at=bkk("2020-05-08 09:00")
    )
    reports.record_report(
        db, unit_code="R09", week=W21, count=25_000, received_at=bkk("2020-05-21 09:00")
    )
    reports.record_report(
        db, unit_code="TN-RY", week=W20, count=200, received_at=bkk("2020-05-14 09:00")
    )
    oa.record_oa_stat(db, on=date(2020, 5, 15), friends=12_000)
    window = open_window()
    page = show(qtbot, window, "trends")
    assert isinstance(page, TrendsPage)
    data = page.province_chart.data
    i19, i20, i21 = (list(data.weeks).index(w) for w in (W19, W20, W21))
    members, friends = data.lines[:2]  # then the dashed projection (test_distui.py)
    assert (members.values[i19], members.values[i20], members.values[i21]) == (
        10_000,
        10_200,
        25_200,
    )
    assert members.values[i21 + 1] is None  # weeks still to come are not drawn
    assert (friends.values[i19], friends.values[i20], friends.values[i21]) == (None, 12_000, 12_000)
    assert [g.value for g in data.guides] == [241_000, 231_000]
    assert data.current == i21
    nine = page.row_charts[8].data
    assert nine.guides[0].value == 60_000 and nine.lines[0].values[i21] == 25_000
    assert page.table_model.rowCount() == len(data.weeks)
    # The chart is keyboard-readable: arrows move the read-out from week to week.
    page.province_chart.setFocus()
    qtbot.keyClick(page.province_chart, Qt.Key.Key_Left)
    assert page.province_chart.hover == i20
    image = page.province_chart.grab().toImage()
    assert image.width() > 300 and image.height() >= 400
    assert trends.campaign_trend(db, now=bkk("2020-05-21 10:00")).province.values[i21] == 25_200


def test_history_shows_every_version_with_who_when_and_why(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    reports.record_report(
        db, unit_code="R01", week=W20, count=500, received_at=bkk("2020-05-15 09:00")
    )
    reports.record_report(
        db, unit_code="R01", week=W20, count=550, reason="หน่วยแจ้งแก้ไขตัวเลข", actor="clerk-b"
    )
    window = open_window()
    registry_page = show(qtbot, window, "registry")
    assert isinstance(registry_page, RegistryPage)
    registry_page.select_unit("R01")
    registry_page.unit_table.setFocus()
    qtbot.keyClick(registry_page.unit_table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen() == "history"
    page = window.pages["history"]
    assert isinstance(page, HistoryPage)
    qtbot.waitUntil(lambda: page.code == "R01" and len(page.rows()) == 2)
    cells = [
        [page.model.index(r, c).data() for c in range(page.model.columnCount())] for r in range(2)
    ]
    assert cells[0][1:4] == ["1", "500", "บันทึกครั้งแรก"]
    assert cells[1][1:4] == ["2 ✓", "550", "500 → 550 (+50)"]
    assert cells[1][8] == "clerk-b" and "หน่วยแจ้งแก้ไขตัวเลข" in cells[1][10]
    assert "แก้ไข 1 ครั้ง" in page.summary.text()


def test_line_figures_are_keyed_with_thai_digits_and_the_budget_follows(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    page = show(qtbot, window, "line")
    assert isinstance(page, LinePage)
    assert "ยังไม่มีตัวเลข" in page.budget_detail.text()
    page.date.setDate(QDate(2020, 5, 20))
    page.friends.setFocus()
    qtbot.waitUntil(lambda: focused() is page.friends)
    type_text("๑๒,๐๐๐")
    page.blocked.setFocus()
    type_text("200")
    page.sent.setFocus()
    type_text("1,180,000")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(oa.list_oa_stats(db)) == 1)
    stat = oa.list_oa_stats(db)[0]
    assert (stat.date, stat.friends, stat.blocked, stat.sent_this_month) == (
        date(2020, 5, 20),
        12_000,
        200,
        1_180_000,
    )
    qtbot.waitUntil(
        lambda: page.model.rowCount() == 1 and page.tile_friends.value.text() == "12,000"
    )
    # 3,800,000 - 1,180,000 = 2,620,000 left; one broadcast reaches 12,000 - 200 = 11,800.
    assert page.tile_left.value.text() == "222"
    # A refused figure is shown and nothing is stored.
    page.friends.setText("abc")
    page.save()
    qtbot.waitUntil(lambda: bool(page.error.text()))
    assert "จำนวนเพื่อน" in page.error.text()
    assert len(oa.list_oa_stats(db)) == 1


def test_settings_form_is_built_from_the_declared_settings_and_saves_through_the_service(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    from rayong_desktop.settings import SETTING_FIELDS

    window = open_window()
    page = show(qtbot, window, "settings")
    assert isinstance(page, SettingsPage)
    assert set(page.fields) == set(SETTING_FIELDS)  # a new setting needs no UI code
    phone = page.fields["office_phone"].editor
    months = page.fields["campaign_months"].editor
    assert isinstance(phone, QLineEdit) and isinstance(months, QLineEdit)
    assert phone.text() == "๐-๓๘๖๙-๔๑๙๑-๒"
    phone.setText("๐-๓๘๖๙-๔๑๙๒")
    months.setText("สามเดือน")
    qtbot.keyClick(months, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "บันทึกแล้ว 1" in page.status.text())
    assert settings.get_settings(db).office_phone == "๐-๓๘๖๙-๔๑๙๒"
    assert settings.get_settings(db).campaign_months == 3
    error = page.fields["campaign_months"].error
    assert error.isVisibleTo(page) and "ระยะเวลาโครงการ" in error.text()


def test_channel_and_reporter_are_remembered_for_the_units_next_figure(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    page = window.show_screen("keying")
    assert isinstance(page, KeyingPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page.week == W21)
    page.view.setFocus()
    qtbot.waitUntil(lambda: focused() is page.view)
    # On R01's row: the reporter's cell (two to the right of the status), then the figure.
    start = page.view.currentIndex()
    page.view.setCurrentIndex(start.siblingAtColumn(COL_REPORTER))
    type_text("เจ้าหน้าที่ธุรการ")
    press(qtbot, Qt.Key.Key_Up)  # stores the cell (the top row: it stays)
    page.view.setCurrentIndex(start.siblingAtColumn(COL_COUNT))
    type_text("640")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.ctx.writes.pending() == 0)
    history = reports.unit_history(db, "R01")[1]
    assert (history[0].count, history[0].reporter, history[0].channel) == (
        640,
        "เจ้าหน้าที่ธุรการ",
        "phone",
    )
    # Next week the unit's row starts with the same reporter.
    window.step_week(1)
    qtbot.waitUntil(lambda: page.week == date(2020, 5, 25))
    row = page.model.rows[page.model.row_of("R01")]
    assert (row.count, row.reporter) == (None, "เจ้าหน้าที่ธุรการ")


def test_settings_cards_stand_in_one_column_where_two_do_not_fit(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    """On a 1280-pixel screen the two columns of cards ran past the page (a horizontal scroll
    bar, the right-hand column cut): where they do not fit side by side they stand in one."""
    window = open_window()
    page = SettingsPage(window.ctx)
    qtbot.addWidget(page)
    page.show()
    scroll = page.findChild(QScrollArea, "settingsScroll")
    assert scroll is not None

    def columns() -> int:
        return sum(1 for layout in (page._left, page._right) if layout.count() > 1)

    page.resize(1900, 900)
    qtbot.waitUntil(lambda: columns() == 2)
    assert scroll.horizontalScrollBar().maximum() == 0
    page.resize(1000, 700)
    qtbot.waitUntil(lambda: columns() == 1)
    assert page._left.count() == len(page._cards) + 1  # every card, then the stretch
    assert scroll.horizontalScrollBar().maximum() == 0  # nothing runs past the page
    page.resize(1900, 900)
    qtbot.waitUntil(lambda: columns() == 2)
    order = [page._left.itemAt(i).widget() for i in range(page._left.count() - 1)]
    assert order == page._cards[0::2]  # back as they were
