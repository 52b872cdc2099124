"""Python modules generated from ui/*.ui by pyside6-uic (scripts/build_forms).

Never edit these by hand: change the .ui form in Qt Designer and re-run
``scripts/build_forms``; tests/gui/test_forms_up_to_date.py checks they agree.
"""
