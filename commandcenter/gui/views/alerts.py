"""Alerts (提醒): a new 紧急/特急 case, or a case crossing into due-soon/overdue.

``AlertCenter`` listens to the main window's ``sig_cases_changed`` (already on
the GUI thread) and checks the clock on a timer; the decisions are made by
``services.alerting.AlertWatch`` (plain Python).  Each alert is shown in the
``AlertBar`` banner above the queue and announced by a sound.  Nothing here is
modal and nothing takes the keyboard focus: the operator keeps typing where
they were.

Sound: ``QSoundEffect`` when ``PySide6.QtMultimedia`` is available (it is not
part of PySide6-Essentials, which this project installs), else a command-line
player (``pw-play``/``paplay``/``aplay``) for the WAV files in
resources/sounds, else ``QApplication.beep()``.  On the offscreen platform
(tests) it is always the beep, which is silent there.

Muting is for a limited time only ("静音 15 分钟"): the sound comes back by
itself; the remaining time shows on the status-bar button.
"""

from __future__ import annotations

import importlib.util
import logging
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QObject,
    QProcess,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import Priority
from ...domain.timeutil import fmt_local
from ...resources import RESOURCES
from ...services.alerting import (
    DUE_SOON,
    NEW_CRITICAL,
    NEW_URGENT,
    OVERDUE,
    Alert,
    AlertWatch,
    most_pressing,
)
from ...services.events import CasesChanged
from ...services.workspace import Workspace
from ..i18n import enum_label

log = logging.getLogger(__name__)

SOUNDS = RESOURCES / "sounds"
SOUND_FILES = {
    NEW_CRITICAL: "alert_critical.wav",
    NEW_URGENT: "alert_critical.wav",
    OVERDUE: "alert_overdue.wav",
    DUE_SOON: "alert_due_soon.wav",
}
CHECK_INTERVAL_MS = 10_000  # how often the clocks are checked for due-soon/overdue crossings
BATCH_MS = 150  # changes arriving within this window are checked together
MIN_SOUND_GAP_MS = 2_000  # a burst of alerts makes one sound
MUTE_MINUTES = 15
MAX_ALERTS = 50
SHOWN_ALERTS = 3

_PRESSING = {NEW_CRITICAL, OVERDUE}
_CTX = "AlertBar"
# what the operator reads (services.alerting.REASONS holds the same words, untranslated)
REASON_TEXT = {
    NEW_CRITICAL: str(QT_TRANSLATE_NOOP("AlertBar", "新的特急事件")),
    NEW_URGENT: str(QT_TRANSLATE_NOOP("AlertBar", "新的紧急事件")),
    DUE_SOON: str(QT_TRANSLATE_NOOP("AlertBar", "即将超期")),
    OVERDUE: str(QT_TRANSLATE_NOOP("AlertBar", "已超期")),
}


class SoundPlayer(Protocol):
    """Plays the sound for an alert kind; must not block."""

    name: str

    def play(self, kind: str) -> None: ...


def has_qt_multimedia() -> bool:
    try:
        return importlib.util.find_spec("PySide6.QtMultimedia") is not None
    except (ImportError, ValueError):
        return False


class BeepSoundPlayer:
    """The platform's beep: all PySide6-Essentials offers without QtMultimedia."""

    name = "beep"

    def play(self, kind: str) -> None:
        QApplication.beep()


class ExternalSoundPlayer:
    """Plays the WAV with a command-line player, detached (never blocks the GUI)."""

    PLAYERS = (("pw-play", ()), ("paplay", ()), ("aplay", ("-q",)))

    def __init__(self, program: str, args: Sequence[str] = ()) -> None:
        self.program = program
        self.args = list(args)
        self.name = Path(program).name

    @classmethod
    def find(cls) -> ExternalSoundPlayer | None:
        for prog, args in cls.PLAYERS:
            path = shutil.which(prog)
            if path:
                return cls(path, args)
        return None

    def play(self, kind: str) -> None:
        path = SOUNDS / SOUND_FILES.get(kind, SOUND_FILES[NEW_CRITICAL])
        if not path.is_file() or not QProcess.startDetached(self.program, [*self.args, str(path)])[0]:
            QApplication.beep()


class QtSoundPlayer:
    """QSoundEffect per alert kind (only when PySide6.QtMultimedia is installed)."""

    name = "QSoundEffect"

    def __init__(self, parent: QObject) -> None:
        from PySide6.QtMultimedia import QSoundEffect  # not in PySide6-Essentials

        self._effects: dict[str, Any] = {}
        for kind, file in SOUND_FILES.items():
            effect = QSoundEffect(parent)
            effect.setSource(QUrl.fromLocalFile(str(SOUNDS / file)))
            effect.setVolume(0.9)
            self._effects[kind] = effect

    def play(self, kind: str) -> None:
        effect = self._effects.get(kind) or self._effects[NEW_CRITICAL]
        effect.play()


def default_sound_player(parent: QObject) -> SoundPlayer:
    """The best sound the installation offers (see the module docstring)."""
    platform = QGuiApplication.platformName()
    if platform in ("offscreen", "minimal"):
        return BeepSoundPlayer()
    if has_qt_multimedia():
        try:
            return QtSoundPlayer(parent)
        except Exception:
            log.exception("QtMultimedia present but unusable; falling back")
    external = ExternalSoundPlayer.find()
    if external is not None:
        return external
    log.info("no QtMultimedia and no command-line player: alerts use QApplication.beep()")
    return BeepSoundPlayer()


class AlertCenter(QObject):
    """Collects alerts for one window's scope, plays their sound, handles muting."""

    sig_alerts_changed = Signal()
    sig_alert = Signal(object)  # Alert, one per new alert
    sig_sound = Signal(str)  # the kind whose sound was played (not emitted while muted)
    sig_mute_changed = Signal(bool)
    sig_mute_tick = Signal(int)  # seconds of mute left, every second while muted

    def __init__(
        self,
        workspace: Workspace,
        scope: Callable[[], Sequence[str]],
        parent: QObject | None = None,
        *,
        sound: SoundPlayer | None = None,
        check_interval_ms: int = CHECK_INTERVAL_MS,
        batch_ms: int = BATCH_MS,
        min_sound_gap_ms: int = MIN_SOUND_GAP_MS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._scope = scope
        self._watch = AlertWatch(workspace)
        self._alerts: list[Alert] = []
        self._changed: dict[str, None] = {}
        self._created: dict[str, None] = {}
        self._ignored: set[str] = set()
        self._stopped = False
        self._clock = clock
        self._last_sound = float("-inf")
        self.min_sound_gap_s = min_sound_gap_ms / 1000.0
        self._muted_until = 0.0
        self.sound: SoundPlayer = sound if sound is not None else default_sound_player(self)

        self._check_timer = QTimer(self)
        self._check_timer.setInterval(check_interval_ms)
        self._check_timer.timeout.connect(self.check)
        self._batch_timer = QTimer(self)
        self._batch_timer.setSingleShot(True)
        self._batch_timer.setInterval(batch_ms)
        self._batch_timer.timeout.connect(self.check)
        self._mute_timer = QTimer(self)
        self._mute_timer.setSingleShot(True)
        self._mute_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._mute_timer.timeout.connect(self.on_mute_timer_timeout)
        self._mute_tick = QTimer(self)
        self._mute_tick.setInterval(1000)
        self._mute_tick.timeout.connect(self.on_mute_tick_timeout)

    # --- life cycle ---------------------------------------------------------------

    def start(self) -> None:
        """Take the baseline soon (after the window is up) and check the clocks periodically."""
        self._stopped = False
        self._check_timer.start()
        QTimer.singleShot(0, self.check)

    def stop(self) -> None:
        self._stopped = True
        for timer in (self._check_timer, self._batch_timer, self._mute_timer, self._mute_tick):
            timer.stop()

    def stop_on_close(self, window: QWidget) -> None:
        """Stop when ``window`` closes (its workspace may be closed right after)."""
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.stop()
        return False

    # --- input --------------------------------------------------------------------

    def on_cases_changed(self, event: CasesChanged) -> None:
        """Slot for MainWindow.sig_cases_changed: check these cases shortly (bursts coalesce)."""
        if self._stopped:
            return
        self._changed.update(dict.fromkeys(event.case_ids))
        self._created.update(dict.fromkeys(c for c in event.created if c not in self._ignored))
        self._ignored.difference_update(event.created)
        if not self._batch_timer.isActive():
            self._batch_timer.start()

    def ignore_new(self, case_id: str) -> None:
        """A case this workstation just created itself (hotline intake): no "new case" alert for it."""
        self._ignored.add(case_id)
        self._created.pop(case_id, None)

    def check(self) -> list[Alert]:
        """Scan now: the changed cases and the clocks.  Returns the new alerts."""
        if self._stopped:
            return []
        self._batch_timer.stop()
        changed, created = list(self._changed), list(self._created)
        self._changed.clear()
        self._created.clear()
        try:
            new = self._watch.scan(tuple(self._scope()), self._ws.now(), changed, created)
        except Exception:  # a failed check must never break the window; the next one retries
            log.exception("alert check failed")
            return []
        if new:
            self._add(new)
        return new

    # --- alerts -------------------------------------------------------------------

    @property
    def alerts(self) -> list[Alert]:
        """Newest first."""
        return list(self._alerts)

    @property
    def watch(self) -> AlertWatch:
        return self._watch

    def dismiss(self, case_id: str) -> None:
        before = len(self._alerts)
        self._alerts = [a for a in self._alerts if a.case_id != case_id]
        if len(self._alerts) != before:
            self.sig_alerts_changed.emit()

    def clear(self) -> None:
        if self._alerts:
            self._alerts.clear()
            self.sig_alerts_changed.emit()

    def _add(self, new: list[Alert]) -> None:
        ids = {a.case_id for a in new}
        # one line per case: a newer alert for the same case replaces the older one
        self._alerts = [a for a in reversed(new)] + [a for a in self._alerts if a.case_id not in ids]
        del self._alerts[MAX_ALERTS:]
        for a in new:
            log.info("alert: case %s %s (%s)", a.case_id, a.kind, a.priority)  # ids: codes look like ID numbers to the log mask
            self.sig_alert.emit(a)
        self.sig_alerts_changed.emit()
        kind = most_pressing(new)
        if kind is not None:
            self._play(kind)

    def _play(self, kind: str) -> None:
        if self.is_muted:
            return
        now = self._clock()
        if now - self._last_sound < self.min_sound_gap_s:
            return
        self._last_sound = now
        try:
            self.sound.play(kind)
        except Exception:
            log.exception("alert sound failed")
        self.sig_sound.emit(kind)

    # --- mute ---------------------------------------------------------------------

    @property
    def is_muted(self) -> bool:
        return self._muted_until > self._clock()

    def mute_remaining_s(self) -> int:
        return max(0, round(self._muted_until - self._clock()))

    def mute(self, duration_ms: int = MUTE_MINUTES * 60_000) -> None:
        """Silence the sound for a limited time; it comes back by itself."""
        self._muted_until = self._clock() + duration_ms / 1000.0
        self._mute_timer.start(max(1, duration_ms))
        self._mute_tick.start()
        log.info("alert sound muted for %d s", duration_ms // 1000)
        self.sig_mute_changed.emit(True)
        self.sig_mute_tick.emit(self.mute_remaining_s())

    def unmute(self) -> None:
        was = self._muted_until > 0
        self._muted_until = 0.0
        self._mute_timer.stop()
        self._mute_tick.stop()
        if was:
            self.sig_mute_changed.emit(False)

    def toggle_mute(self) -> None:
        if self.is_muted:
            self.unmute()
        else:
            self.mute()

    def on_mute_timer_timeout(self) -> None:
        if self._muted_until > self._clock():  # woke a little early: wait for the rest
            self._mute_timer.start(max(1, int((self._muted_until - self._clock()) * 1000) + 1))
            return
        log.info("alert sound back on")
        self.unmute()

    def on_mute_tick_timeout(self) -> None:
        self.sig_mute_tick.emit(self.mute_remaining_s())


def alert_text(alert: Alert) -> str:
    """'【新的特急事件】 330122202611240006  标题  ·  特急  ·  09:01'."""
    prio = enum_label(Priority, alert.priority)
    reason = QCoreApplication.translate(_CTX, REASON_TEXT.get(alert.kind, alert.reason))
    head = QCoreApplication.translate("AlertBar", "【{reason}】").format(reason=reason)
    return f"{head} {alert.code}  {alert.title}  ·  {prio}  ·  {fmt_local(alert.at, '%H:%M')}"


def mute_text(remaining_s: int) -> str:
    m, s = divmod(max(0, remaining_s), 60)
    return f"{m:02d}:{s:02d}"


_BAR_STYLE = """
QFrame#alertBar {
    background-color: rgba(229, 72, 77, 40);
    border: 1px solid rgba(229, 72, 77, 160);
    border-radius: 4px;
}
QFrame#alertBar QLabel { background: transparent; }
QLabel#alertBarTitle { color: #ff7b7f; font-weight: 600; padding: 0 6px; }
QLabel#alertMoreLabel { color: #c9a0a2; }
QPushButton[alertLine="true"] {
    background: transparent;
    border: none;
    padding: 2px 6px;
    text-align: left;
    font-weight: 600;
}
QPushButton[alertLine="true"]:hover { text-decoration: underline; }
QPushButton[alertLine="true"][pressing="true"] { color: #f0464c; }
QPushButton[alertLine="true"][pressing="false"] { color: #d5800f; }
QToolButton#alertMuteButton, QToolButton#alertClearButton {
    background-color: rgba(0, 0, 0, 40);
    border: 1px solid rgba(229, 72, 77, 140);
    border-radius: 3px;
    padding: 3px 10px;
}
"""


class AlertBar(QFrame):
    """The banner above the queue: the newest alerts (click one to open its case), mute, clear."""

    sig_case_activated = Signal(str)

    def __init__(self, center: AlertCenter, parent: QWidget | None = None, shown: int = SHOWN_ALERTS) -> None:
        super().__init__(parent)
        self._center = center
        self.setObjectName("alertBar")
        self.setStyleSheet(_BAR_STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(22, 22))
        title = QLabel(self.tr("提醒"), self)
        title.setObjectName("alertBarTitle")
        self.lines: list[QPushButton] = []
        lines_box = QVBoxLayout()
        lines_box.setSpacing(0)
        lines_box.setContentsMargins(0, 0, 0, 0)
        for i in range(shown):
            b = QPushButton(self)
            b.setObjectName(f"alertLine{i}")
            b.setProperty("alertLine", True)
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click never takes the keyboard focus
            b.setFlat(True)
            b.setAutoDefault(False)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            b.clicked.connect(lambda _checked=False, i=i: self.activate(i))
            lines_box.addWidget(b)
            self.lines.append(b)
        self.moreLabel = QLabel(self)
        self.moreLabel.setObjectName("alertMoreLabel")
        self.muteButton = QToolButton(self)
        self.muteButton.setObjectName("alertMuteButton")
        self.muteButton.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.clearButton = QToolButton(self)
        self.clearButton.setObjectName("alertClearButton")
        self.clearButton.setText(self.tr("全部知道了"))
        self.clearButton.setToolTip(self.tr("清除全部提醒（事件仍在队列中）"))
        self.clearButton.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(title, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(lines_box, 1)
        row.addWidget(self.moreLabel, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.muteButton, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.clearButton, 0, Qt.AlignmentFlag.AlignTop)

        center.sig_alerts_changed.connect(self.update_alerts)
        center.sig_mute_changed.connect(self.update_mute)
        center.sig_mute_tick.connect(self.update_mute)
        self.muteButton.clicked.connect(self.on_mute_clicked)
        self.clearButton.clicked.connect(center.clear)
        self.update_alerts()
        self.update_mute()

    def shown_alerts(self) -> list[Alert]:
        return self._center.alerts[: len(self.lines)]

    def activate(self, index: int) -> None:
        """Open the case of the index-th alert shown (and drop that alert)."""
        shown = self.shown_alerts()
        if 0 <= index < len(shown):
            case_id = shown[index].case_id
            self._center.dismiss(case_id)
            self.sig_case_activated.emit(case_id)

    def update_alerts(self) -> None:
        alerts = self._center.alerts
        shown = alerts[: len(self.lines)]
        for b, a in zip(self.lines, shown + [None] * (len(self.lines) - len(shown)), strict=True):
            if a is None:
                b.setVisible(False)
                continue
            pressing = a.kind in _PRESSING or a.priority == Priority.CRITICAL.value
            if b.property("pressing") != pressing:
                b.setProperty("pressing", pressing)
                b.style().unpolish(b)
                b.style().polish(b)
            b.setText(alert_text(a))
            b.setToolTip(self.tr("打开事件 {code}").format(code=a.code))
            b.setVisible(True)
        more = len(alerts) - len(shown)
        self.moreLabel.setText(self.tr("另有 {n} 条").format(n=more) if more > 0 else "")
        self.moreLabel.setVisible(more > 0)
        self.setVisible(bool(alerts))

    def update_mute(self, *_args: object) -> None:
        if self._center.is_muted:
            self.muteButton.setText(self.tr("取消静音（{t}）").format(t=mute_text(self._center.mute_remaining_s())))
            self.muteButton.setToolTip(self.tr("恢复提醒声音"))
        else:
            self.muteButton.setText(self.tr("静音 {m} 分钟").format(m=MUTE_MINUTES))
            self.muteButton.setToolTip(self.tr("{m} 分钟内不响提示音，之后自动恢复").format(m=MUTE_MINUTES))

    def on_mute_clicked(self) -> None:
        self._center.toggle_mute()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:  # the language was switched at run time
            title = self.findChild(QLabel, "alertBarTitle")
            if title is not None:
                title.setText(self.tr("提醒"))
            self.clearButton.setText(self.tr("全部知道了"))
            self.clearButton.setToolTip(self.tr("清除全部提醒（事件仍在队列中）"))
            self.update_alerts()
            self.update_mute()
        super().changeEvent(event)


class MuteButton(QToolButton):
    """Status-bar button: shows whether alert sounds are on, and the mute time left."""

    def __init__(self, center: AlertCenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._center = center
        self.setObjectName("alertSoundButton")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        center.sig_mute_changed.connect(self.update_state)
        center.sig_mute_tick.connect(self.update_state)
        self.clicked.connect(center.toggle_mute)
        self.update_state()

    def update_state(self, *_args: object) -> None:
        style = self.style()
        if self._center.is_muted:
            self.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaVolumeMuted))
            self.setText(self.tr("静音 剩余 {t}").format(t=mute_text(self._center.mute_remaining_s())))
            self.setToolTip(self.tr("提醒声音已暂时关闭；点击恢复"))
        else:
            self.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaVolume))
            self.setText(self.tr("提醒声音"))
            self.setToolTip(
                self.tr("新的紧急/特急事件、即将超期和已超期时响提示音（{p}）；点击静音 {m} 分钟").format(
                    p=self._center.sound.name, m=MUTE_MINUTES
                )
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.update_state()
        super().changeEvent(event)
