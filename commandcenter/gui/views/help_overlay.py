"""The keyboard help overlay (F1 or ?): every shortcut of the window, read from the window.

The list is generated from the window's own QActions (the window's, its menu
bar's and its tool bars') and QShortcuts each time the overlay is shown, so it
cannot drift from what the keys really do.  Actions the role can never use are
hidden and so not listed; actions not possible on the current selection are
listed dimmed.  Groups follow the menu bar (案件, 视图, 帮助); a QShortcut names
its group with the dynamic property ``helpGroup`` and describes itself with its
``whatsThis``.

The overlay is a non-modal panel floating over the window: it never takes the
keyboard focus, so every shortcut keeps working while it is shown.  F1, ? and
Esc close it (the window routes them here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

translate = QCoreApplication.translate  # lupdate reads translate("HelpOverlay", "…")

HELP_GROUP_PROPERTY = "helpGroup"
COLUMNS = 3
MARGIN = 40  # px between the overlay and the window's edges
KEY_COLOUR = "#3a8dde"
MUTED_COLOUR = "#8b98a9"

_MNEMONIC = re.compile(r"\(&.\)$")

# Explicit colours per theme: the window's own stylesheet may hide the theme's palette.
OVERLAY_COLOURS = {
    "dark": {"bg": "#161e27", "fg": "#d3dbe4", "border": "#3a8dde", "hover": "#223040"},
    "light": {"bg": "#ffffff", "fg": "#1f2933", "border": "#3a8dde", "hover": "#e6eef8"},
}
OVERLAY_QSS = """
QFrame#helpOverlay {{ background-color: {bg}; border: 1px solid {border}; border-radius: 6px; }}
QFrame#helpOverlay QLabel, QFrame#helpOverlay QScrollArea, QFrame#helpOverlay QWidget#helpBody,
QFrame#helpOverlay QWidget#qt_scrollarea_viewport {{ background: transparent; border: none; color: {fg}; }}
QFrame#helpOverlay QLabel#helpTitle {{ font-size: 16pt; font-weight: 600; }}
QFrame#helpOverlay QLabel#helpHint {{ color: #8b98a9; }}
QFrame#helpOverlay QToolButton#helpClose {{
    background: transparent; color: {fg}; border: none; border-radius: 4px; padding: 0 8px; font-size: 14pt;
}}
QFrame#helpOverlay QToolButton#helpClose:hover {{ background-color: {hover}; }}
"""


@dataclass(frozen=True)
class ShortcutEntry:
    group: str
    text: str
    keys: tuple[str, ...]  # each key sequence as the platform writes it
    enabled: bool = True
    source: QObject | None = field(default=None, compare=False, repr=False)


def clean_text(text: str) -> str:
    """'派遣(&D)' -> '派遣', '&Refresh' -> 'Refresh', '…' trimmed."""
    text = _MNEMONIC.sub("", text.strip())
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def key_texts(sequences: list[QKeySequence]) -> tuple[str, ...]:
    out: list[str] = []
    for seq in sequences:
        if seq.isEmpty():
            continue
        text = seq.toString(QKeySequence.SequenceFormat.NativeText)
        if text and text not in out:
            out.append(text)
    return tuple(out)


def _menu_actions(menu: QMenu, group: str, into: dict[int, tuple[QAction, str]]) -> None:
    for act in menu.actions():
        sub = act.menu()
        if isinstance(sub, QMenu):
            _menu_actions(sub, group, into)
        elif not act.isSeparator():
            into.setdefault(id(act), (act, group))


def _belongs_to(obj: QObject, window: QWidget) -> bool:
    """Whether a QShortcut lives in the window itself (not in a dialog parented to it)."""
    parent = obj.parent()
    return isinstance(parent, QWidget) and parent.window() is window


def collect_shortcuts(window: QMainWindow) -> list[ShortcutEntry]:
    """Every shortcut of the window: its actions (menu-bar order first) and its QShortcuts."""
    other = translate("HelpOverlay", "其他")
    ordered: dict[int, tuple[QAction, str]] = {}
    bar = window.menuBar()
    for top in bar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu) and top.isVisible():
            _menu_actions(menu, clean_text(menu.title()), ordered)
    for toolbar in window.findChildren(QToolBar):
        if toolbar.window() is window:
            for act in toolbar.actions():
                ordered.setdefault(id(act), (act, clean_text(toolbar.windowTitle()) or other))
    for act in window.actions():
        ordered.setdefault(id(act), (act, other))

    entries: list[ShortcutEntry] = []
    for act, group in ordered.values():
        keys = key_texts(act.shortcuts())
        if not keys or not act.isVisible() or act.menu() is not None:
            continue
        text = clean_text(act.text()) or clean_text(act.iconText()) or act.objectName()
        entries.append(ShortcutEntry(group, text, keys, act.isEnabled(), act))

    for sc in window.findChildren(QShortcut):
        if not sc.isEnabled() or not _belongs_to(sc, window):
            continue
        keys = key_texts(sc.keys())
        if not keys:
            continue
        group = sc.property(HELP_GROUP_PROPERTY)
        text = sc.whatsThis() or sc.objectName() or keys[0]
        entries.append(ShortcutEntry(str(group) if group else other, text, keys, True, sc))

    # keep the groups together, in the order they first appear
    order: dict[str, int] = {}
    for entry in entries:
        order.setdefault(entry.group, len(order))
    return sorted(entries, key=lambda en: order[en.group])  # stable: menu order inside a group


def _columns(entries: list[ShortcutEntry], n: int) -> list[list[tuple[str, ShortcutEntry | None]]]:
    """Split the rows (a header per group, then its entries) into n columns of similar height;
    a group that goes on in the next column repeats its header there."""
    rows: list[tuple[str, ShortcutEntry | None]] = []
    group = None
    for entry in entries:
        if entry.group != group:
            group = entry.group
            rows.append((group, None))
        rows.append((group, entry))
    per = max(1, -(-len(rows) // max(1, n)))
    cols: list[list[tuple[str, ShortcutEntry | None]]] = [[]]
    for row in rows:
        col = cols[-1]
        if len(col) >= per and len(cols) < n:
            carry = [col.pop()] if col and col[-1][1] is None else []  # no lone header at the bottom
            if not carry and row[1] is not None:
                carry = [(row[0], None)]
            col = [*carry]
            cols.append(col)
        col.append(row)
    return [c for c in cols if c]


def _column_html(rows: list[tuple[str, ShortcutEntry | None]]) -> str:
    out = ["<table cellspacing='0' cellpadding='3'>"]
    for group, entry in rows:
        if entry is None:
            out.append(f"<tr><td colspan='2' style='padding-top:8px;'><b>{escape(group)}</b></td></tr>")
            continue
        keys = " / ".join(escape(k) for k in entry.keys)
        colour = "" if entry.enabled else f" style='color:{MUTED_COLOUR};'"
        out.append(
            f"<tr><td style='white-space:nowrap; padding-right:14px;' align='right'>"
            f"<b style='color:{KEY_COLOUR};'>{keys}</b></td>"
            f"<td{colour}>{escape(entry.text)}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)


class HelpOverlay(QFrame):
    """The panel listing the window's shortcuts; see the module docstring."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._entries: list[ShortcutEntry] = []
        self.setObjectName("helpOverlay")
        self.set_theme("dark")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)

        self.titleLabel = QLabel(self)
        self.titleLabel.setObjectName("helpTitle")
        self.hintLabel = QLabel(self)
        self.hintLabel.setObjectName("helpHint")
        self.closeButton = QToolButton(self)
        self.closeButton.setObjectName("helpClose")
        self.closeButton.setText("×")
        self.closeButton.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.closeButton.clicked.connect(self.hide)

        head = QHBoxLayout()
        head.addWidget(self.titleLabel)
        head.addSpacing(16)
        head.addWidget(self.hintLabel, 1)
        head.addWidget(self.closeButton, 0, Qt.AlignmentFlag.AlignTop)

        self.body = QWidget(self)
        self.body.setObjectName("helpBody")
        self._grid = QGridLayout(self.body)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(36)
        self.columnLabels: list[QLabel] = []
        for i in range(COLUMNS):
            lab = QLabel(self.body)
            lab.setObjectName(f"helpColumn{i}")
            lab.setTextFormat(Qt.TextFormat.RichText)
            lab.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            lab.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            self._grid.addWidget(lab, 0, i, Qt.AlignmentFlag.AlignTop)
            self.columnLabels.append(lab)
        self._grid.setRowStretch(1, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.body)
        self._scroll = scroll

        layout = QVBoxLayout(self)
        self._layout = layout
        layout.setContentsMargins(22, 16, 16, 18)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)

        self._retranslate()
        self.hide()
        window.installEventFilter(self)

    # --- public -------------------------------------------------------------------

    def entries(self) -> list[ShortcutEntry]:
        """What the overlay lists now (rebuilt each time it is shown)."""
        return list(self._entries)

    def text(self) -> str:
        """The overlay's text, as plain text (tests)."""
        parts = [self.titleLabel.text(), self.hintLabel.text()]
        parts += [lab.text() for lab in self.columnLabels]
        return "\n".join(parts)

    def set_theme(self, theme: str) -> None:
        self.setStyleSheet(OVERLAY_QSS.format(**OVERLAY_COLOURS.get(theme, OVERLAY_COLOURS["dark"])))

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
        else:
            self.show_overlay()

    def show_overlay(self) -> None:
        self.rebuild()
        self.show()
        self.raise_()
        self._place()  # polished now: the size is final

    def rebuild(self) -> None:
        self._entries = collect_shortcuts(self._window)
        cols = _columns(self._entries, COLUMNS)
        for i, lab in enumerate(self.columnLabels):
            lab.setText(_column_html(cols[i]) if i < len(cols) else "")
        self._place()

    # --- events -------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            if self.isVisible():
                self.rebuild()
        super().changeEvent(event)

    # --- helpers ------------------------------------------------------------------

    def _retranslate(self) -> None:
        self.titleLabel.setText(translate("HelpOverlay", "键盘快捷键"))
        self.hintLabel.setText(
            translate("HelpOverlay", "按 Esc、F1 或 ? 关闭；灰色的操作对当前选中的事件不可用")
        )
        self.closeButton.setToolTip(translate("HelpOverlay", "关闭（Esc）"))

    def _place(self) -> None:
        """Centre the panel in the window, as large as its content (within the margins)."""
        self.ensurePolished()
        layout = self._layout
        m = layout.contentsMargins()
        body = self.body.sizeHint()
        head_w = (
            self.titleLabel.sizeHint().width() + 16 + self.hintLabel.sizeHint().width()
            + self.closeButton.sizeHint().width() + 2 * layout.spacing()
        )
        head_h = max(self.titleLabel.sizeHint().height(), self.closeButton.sizeHint().height())
        width = max(body.width(), head_w) + m.left() + m.right() + 8
        height = head_h + layout.spacing() + body.height() + m.top() + m.bottom() + 8
        win = self._window.rect()
        width = max(320, min(win.width() - 2 * MARGIN, width))
        height = max(200, min(win.height() - 2 * MARGIN, height))
        self.setGeometry((win.width() - width) // 2, max(MARGIN, (win.height() - height) // 2), width, height)
