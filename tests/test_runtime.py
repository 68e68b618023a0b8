"""runtime.plain_imports: the interpreter's own import for a while, then whatever was there."""

from __future__ import annotations

import builtins

import pytest

from rayong_desktop import runtime
from tests.helpers import python_output


def test_the_hooked_import_is_put_back_even_when_the_import_fails() -> None:
    before = builtins.__import__
    with pytest.raises(ModuleNotFoundError), runtime.plain_imports():
        assert builtins.__import__ is runtime._PLAIN_IMPORT
        import rayong_desktop_no_such_module  # noqa: F401
    assert builtins.__import__ is before


def test_modules_imported_plainly_skip_pyside6s_source_reading_hook() -> None:
    """Loaded before Qt (as the desk starts), the module keeps the plain import and lends it
    to imports of modules that do not use Qt: PySide6 neither registers nor reads them."""
    probe = (
        "import sys, linecache\n"
        "from rayong_desktop import runtime\n"
        "import PySide6.QtCore\n"
        "feature = sys.modules['shibokensupport.feature'].pyside_feature_dict\n"
        "with runtime.plain_imports():\n"
        "    import colorsys\n"
        "import netrc\n"  # afterwards: through the hook again
        "print('colorsys' in feature, 'netrc' in feature,\n"
        "      any(f.endswith('colorsys.py') for f in linecache.cache))\n"
    )
    output = python_output(probe)
    assert output.split() == ["False", "True", "False"]
