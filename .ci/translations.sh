#!/usr/bin/env bash
# Collect every tr()/translate() string of the screens into the English translation (new ones
# come in unfinished: give each its English, e.g. with .venv/bin/pyside6-linguist), then compile
# it and Qt's own texts in Thai (qt_th.ts, kept by hand) into the .qm files the desk loads.
# Run from anywhere: bash .ci/translations.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tools=.venv/bin
out=resources/translations
mapfile -t screens < <(find rayong_desktop/ui -name '*.py' | LC_ALL=C sort)
"$tools/pyside6-lupdate" -silent "${screens[@]}" -ts "$out/desk_en.ts" \
  -target-language en -locations none -no-obsolete
"$tools/pyside6-lrelease" -silent "$out/desk_en.ts" -qm "$out/desk_en.qm"
"$tools/pyside6-lrelease" -silent "$out/qt_th.ts" -qm "$out/qt_th.qm"
