"""The desk speaks Thai; English comes through Qt's translation system.

Every string on screen is written in Thai in the code and wrapped in tr()/translate(), so
`pyside6-lupdate` collects them into resources/translations/desk_en.ts and `pyside6-lrelease`
compiles the English .qm the desk loads. The language is a remembered UI choice
("th", "en" or "system": Thai when the computer's locale is Thai, else English), read at start.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from rayong_desktop.paths import resource_path
from rayong_desktop.ui.state import ui_settings

LANGUAGE_KEY = "ui/language"
LANGUAGES = ("th", "en", "system")
TRANSLATOR_NAME = "deskTranslator"  # the application's child that holds the loaded language


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


def qm_path(language: str) -> str:
    return str(resource_path("translations", f"desk_{language}.qm"))


def install_translator(app: QCoreApplication, language: str | None = None) -> str:
    """Load the chosen language's translation; Thai needs none. Returns the language used."""
    lang = effective_language(language)
    old = app.findChild(QTranslator, TRANSLATOR_NAME)
    if old is not None:
        app.removeTranslator(old)
        old.setParent(None)  # forgotten: the next look finds none
    if lang == "th":
        return "th"
    translator = QTranslator(app)
    if not translator.load(qm_path(lang)):
        return "th"  # no compiled translation shipped: stay in Thai rather than half-translated
    app.installTranslator(translator)
    translator.setObjectName(TRANSLATOR_NAME)
    return lang
