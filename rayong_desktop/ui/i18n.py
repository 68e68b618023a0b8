"""The desk speaks Thai; English comes through Qt's translation system.

Every string on screen is written in Thai in the code and wrapped in tr()/translate(), so
`pyside6-lupdate` collects them into resources/translations/desk_en.ts and `pyside6-lrelease`
compiles the English .qm the desk loads (`python .ci/translations.py` does both). The language
is a remembered UI choice ("th", "en" or "system": Thai when the computer's locale is Thai, else
English), read at start; a new choice applies the next time the desk opens.

PySide6 ships no Thai translation of Qt's own texts (qtbase_th.qm), so in Thai mode the desk
loads qt_th.qm, compiled from resources/translations/qt_th.ts: the standard buttons of Qt's
dialogs (QPlatformTheme) and the text fields' context menu, in Thai.

What the services say (refusals, questions, setting labels) carries its own Thai and English
text (`.th` / `.en`): `in_ui_language` picks the one the screens speak. Dates go through
`date_text`, `datetime_text`, `time_text`, `week_range_text` and `weekday_text`, which write
them the Thai or the English way (domain/thaidate.py has both).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from rayong_desktop.domain import letter_register, reporting, thaidate
from rayong_desktop.domain.registry import Kind
from rayong_desktop.paths import resource_path
from rayong_desktop.ui.state import ui_settings

LANGUAGE_KEY = "ui/language"
LANGUAGES = ("th", "en", "system")
TRANSLATOR_NAME = "deskTranslator"  # the application's child that holds the loaded language
QT_TRANSLATOR_NAME = "qtTranslator"  # the one that holds Qt's own texts in that language

_current = "th"  # the language the installed translators speak


class Bilingual(Protocol):
    """Anything that carries its text in both languages (RefusedError, Concern, …)."""

    @property
    def th(self) -> str: ...

    @property
    def en(self) -> str: ...


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate knows
    """Mark `text` for lupdate in `context` where it is declared (a table of labels); it is
    translated where it is shown, with QCoreApplication.translate(context, text). Qt's own
    QT_TRANSLATE_NOOP is typed as returning an object."""
    return text


def chosen_language() -> str:
    value = ui_settings().value(LANGUAGE_KEY, "th")
    return value if value in LANGUAGES else "th"


def choose_language(code: str) -> None:
    if code not in LANGUAGES:
        raise ValueError(code)
    store = ui_settings()
    store.setValue(LANGUAGE_KEY, code)
    store.sync()


def effective_language(choice: str | None = None) -> str:
    choice = choice or chosen_language()
    if choice == "system":
        return "th" if QLocale.system().language() == QLocale.Language.Thai else "en"
    return choice


def ui_language() -> str:
    """The language the screens speak now: "th" or "en"."""
    return _current


def in_ui_language(message: Bilingual) -> str:
    """A service's message (a refusal, a question, a label) in the language of the screens."""
    return message.en if _current == "en" else message.th


def _named(code: str, thai: Mapping[str, str], english: Mapping[str, str]) -> str:
    """A code's name from the domain's tables in the language of the screens; a code neither
    table knows (from a later version of the desk) as it is stored."""
    return (english if _current == "en" else thai).get(code, code)


def channel_name(code: str) -> str:
    """How a report came (domain.reporting.CHANNELS), in the language of the screens."""
    return _named(code, reporting.CHANNELS, reporting.CHANNELS_EN)


def sent_channel_name(code: str) -> str:
    """How a letter was sent (domain.letter_register.SENT_CHANNELS), in the screens' language."""
    return _named(code, letter_register.SENT_CHANNELS, letter_register.SENT_CHANNELS_EN)


def letter_kind_name(code: str) -> str:
    """What a letter in the register is (domain.letter_register.KIND_NAMES), in the screens'
    language."""
    return _named(code, letter_register.KIND_NAMES, letter_register.KIND_NAMES_EN)


def kind_name(kind: Kind, *, short: bool = False) -> str:
    """A unit kind's name (short: its abbreviation) in the language of the screens."""
    if _current == "en":
        return kind.short_en if short else kind.en
    return kind.short_th if short else kind.th


def kind_choice(kind: Kind) -> str:
    """A unit kind as a list offers it: in Thai the abbreviation, then the name ("อบต.
    องค์การบริหารส่วนตำบล"; once when the same); in English the name, with an acronym after it
    ("Subdistrict Administrative Organization (SAO)")."""
    short, full = kind_name(kind, short=True), kind_name(kind)
    if _current == "en":
        return f"{full} ({short})" if short.isalpha() and short.isupper() else full
    return full if short == full else f"{short} {full}"


def error_text(exc: BaseException) -> str:
    """What a failure says to the clerk: a refusal's message in the language of the screens,
    else the exception's own text."""
    if isinstance(getattr(exc, "th", None), str) and isinstance(getattr(exc, "en", None), str):
        return in_ui_language(exc)  # type: ignore[arg-type]
    return str(exc)


def date_text(d: date, *, short: bool = True, year: bool = True) -> str:
    """A date as the screens write it: "18 พ.ค. 2563" in Thai, "18 May 2020" in English."""
    if _current == "en":
        return thaidate.english_date(d, short=short, year=year)
    return thaidate.thai_date(d, short=short, year=year)


def datetime_text(dt: datetime) -> str:
    """A moment as the screens write it: "18 พ.ค. 2563 14.30 น." / "18 May 2020 14:30"."""
    if _current == "en":
        return thaidate.english_datetime(dt)
    return thaidate.thai_datetime(dt)


def time_text(dt: datetime) -> str:
    """The time of day in Bangkok: "14.30 น." / "14:30"."""
    if _current == "en":
        return thaidate.english_time(dt)
    return thaidate.thai_time(dt)


def week_range_text(monday: date) -> str:
    """A week Monday to Sunday: "4–10 พฤษภาคม 2563" / "4–10 May 2020"."""
    if _current == "en":
        return thaidate.english_week_range(monday)
    return thaidate.thai_week_range(monday)


def weekday_text(d: date, *, short: bool = False) -> str:
    """The day of the week: "พฤหัสบดี" / "Thursday", short "พฤ." / "Thu"."""
    if _current == "en":
        return thaidate.english_weekday(d, short=short)
    return thaidate.thai_weekday(d, short=short)


def qm_path(language: str) -> str:
    return str(resource_path("translations", f"desk_{language}.qm"))


def qt_qm_path(language: str) -> str | None:
    """Qt's own texts in `language`: PySide6's qtbase_<lang>.qm, else the desk's qt_<lang>.qm."""
    shipped = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for candidate in (f"{shipped}/qtbase_{language}.qm", qt_own_path(language)):
        if QTranslator().load(candidate):
            return candidate
    return None


def qt_own_path(language: str) -> str:
    return str(resource_path("translations", f"qt_{language}.qm"))


def _remove(app: QCoreApplication, name: str) -> None:
    old = app.findChild(QTranslator, name)
    if old is not None:
        app.removeTranslator(old)
        old.setParent(None)  # forgotten: the next look finds none


def _install(app: QCoreApplication, name: str, path: str) -> bool:
    translator = QTranslator(app)
    if not translator.load(path):
        translator.setParent(None)
        return False
    app.installTranslator(translator)
    translator.setObjectName(name)
    return True


def install_translator(app: QCoreApplication, language: str | None = None) -> str:
    """Load the chosen language's translations (the desk's and Qt's own). Returns the language
    used: Thai when the English translation is not shipped, rather than half-translated."""
    global _current
    lang = effective_language(language)
    _remove(app, TRANSLATOR_NAME)
    _remove(app, QT_TRANSLATOR_NAME)
    if lang != "th" and not _install(app, TRANSLATOR_NAME, qm_path(lang)):
        lang = "th"
    if lang == "th":
        qt_path = qt_qm_path("th")
        if qt_path is not None:
            _install(app, QT_TRANSLATOR_NAME, qt_path)
    _current = lang
    return lang
