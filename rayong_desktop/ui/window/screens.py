"""The screens down the side of the window: each is built the first time it is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rayong_desktop.ui.context import DeskContext
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.window.base import WindowBase

if TYPE_CHECKING:
    from rayong_desktop.ui.keying.page import KeyingPage

SCREENS = ("home", "keying", "registry", "trends", "history", "line", "register", "settings")


def make_page(name: str, ctx: DeskContext) -> Page:
    # Imported here: each screen's module loads only when the clerk first opens it.
    if name == "home":
        from rayong_desktop.ui.home_page import HomePage

        return HomePage(ctx)
    if name == "keying":
        from rayong_desktop.ui.keying.page import KeyingPage

        return KeyingPage(ctx)
    if name == "registry":
        from rayong_desktop.ui.registry_page import RegistryPage

        return RegistryPage(ctx)
    if name == "trends":
        from rayong_desktop.ui.trends_page import TrendsPage

        return TrendsPage(ctx)
    if name == "history":
        from rayong_desktop.ui.history_page import HistoryPage

        return HistoryPage(ctx)
    if name == "line":
        from rayong_desktop.ui.line_page import LinePage

        return LinePage(ctx)
    if name == "register":
        from rayong_desktop.ui.register_page import RegisterPage

        return RegisterPage(ctx)
    if name == "settings":
        from rayong_desktop.ui.settings_page import SettingsPage

        return SettingsPage(ctx)
    raise KeyError(name)


class ScreensPart(WindowBase):
    def _screen_labels(self) -> dict[str, str]:
        return {
            "home": self.tr("สัปดาห์นี้"),
            "keying": self.tr("บันทึกรายงาน"),
            "registry": self.tr("ทะเบียนหน่วย"),
            "trends": self.tr("แนวโน้ม"),
            "history": self.tr("ประวัติหน่วย"),
            "line": self.tr("ตัวเลข LINE OA"),
            "register": self.tr("ทะเบียนหนังสือส่ง"),
            "settings": self.tr("ตั้งค่า"),
        }

    def page(self, name: str) -> Page:
        """The screen called `name`, built on first use."""
        if name not in self.pages and not self.ctx.ready and name != "home":
            raise RuntimeError(f"the {name} screen is built once the database is open")
        if name not in self.pages:
            page = make_page(name, self.ctx)
            page.setObjectName(f"page_{name}")
            holder = self.stack.widget(SCREENS.index(name))
            assert holder is not None
            layout = holder.layout()
            assert layout is not None
            layout.addWidget(page)
            self.pages[name] = page
            if name == "keying":
                self.keying().undoChanged.connect(self._undo_changed)
            if name == "home":
                page.firstRunStep.connect(self._first_run_step)  # type: ignore[attr-defined]
        return self.pages[name]

    def show_screen(self, name: str) -> Page | None:
        """Show the screen called `name` (None while the database opens: only the home screen
        exists until then; the one chosen is built as soon as the database is open)."""
        index = SCREENS.index(name)
        if not self.ctx.ready and name != "home":
            self.stack.setCurrentIndex(index)
            self._select_nav(index)
            return None
        page = self.page(name)
        self.stack.setCurrentIndex(index)
        self._select_nav(index)
        target = page.focus_target()
        if target is not None:
            target.setFocus()
        return page

    def _select_nav(self, index: int) -> None:
        if self.nav.currentRow() != index:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(index)
            self.nav.blockSignals(False)

    def current_screen(self) -> str:
        return SCREENS[self.stack.currentIndex()]

    def _open_history(self, code: str) -> None:
        from rayong_desktop.ui.history_page import HistoryPage

        page = self.show_screen("history")
        if isinstance(page, HistoryPage):
            page.show_unit(code)

    def keying(self) -> KeyingPage:
        """The keying screen (built now if it is not yet)."""
        from rayong_desktop.ui.keying.page import KeyingPage

        page = self.page("keying")
        assert isinstance(page, KeyingPage)
        return page

    def built_keying(self) -> KeyingPage | None:
        """The keying screen if the clerk has opened it (figures may be typed there)."""
        return self.keying() if "keying" in self.pages else None
