"""The desktop GUI: the only package that imports PySide6 / pyqtgraph.

``forms/`` is generated from ``ui/*.ui`` by ``scripts/build_forms`` and never edited
by hand; ``models/`` holds Qt item models over service queries; ``views/`` the
windows and panels; ``app.py`` the QApplication and the top-level wiring.
"""
