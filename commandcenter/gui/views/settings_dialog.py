"""服务器设置: the platform server's address (empty: standalone), TLS certificate
verification (on by default), a CA bundle, the offline-login window, and a 测试连接
button that asks the server off the GUI thread.  Saved to a small JSON file in the user
config directory (``commandcenter.sync.workstation.settings_path()``); the change takes
effect at the next start."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...sync import client as sc
from ...sync.workstation import SyncSettings, settings_path, validate_server_url
from .sync_session import run_off_gui

log = logging.getLogger(__name__)

_ERROR_STYLE = "color: #ff5c61;"
_OK_STYLE = "color: #3fb950;"
_INFO_STYLE = "color: #8b98a9;"


class SyncSettingsDialog(QDialog):
    """Edit and save the sync settings; ``saved`` holds what was saved (None if nothing)."""

    sig_test_finished = Signal(bool, str)  # ok, the sentence shown

    def __init__(self, settings: SyncSettings, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncSettingsDialog")
        self.setWindowTitle(self.tr("服务器设置"))
        self.setMinimumWidth(560)
        self._path = path or settings_path()
        self._initial = settings
        self.saved: SyncSettings | None = None
        self._testing = False

        self.urlEdit = QLineEdit(settings.server_url, self)
        self.urlEdit.setObjectName("serverUrlEdit")
        self.urlEdit.setPlaceholderText(self.tr("例如 https://cc.example.gov.cn:8765（留空：单机模式）"))
        self.verifyCheck = QCheckBox(self.tr("验证服务器的 TLS 证书（强烈建议保持开启）"), self)
        self.verifyCheck.setObjectName("verifyTlsCheck")
        self.verifyCheck.setChecked(settings.verify_tls)
        self.caEdit = QLineEdit(settings.ca_bundle, self)
        self.caEdit.setObjectName("caBundleEdit")
        self.caEdit.setPlaceholderText(self.tr("留空：使用系统的根证书"))
        self.caBrowse = QPushButton(self.tr("浏览…"), self)
        self.caBrowse.setObjectName("caBrowseButton")
        self.hoursSpin = QDoubleSpinBox(self)
        self.hoursSpin.setObjectName("offlineHoursSpin")
        self.hoursSpin.setRange(1, 24 * 90)
        self.hoursSpin.setDecimals(0)
        self.hoursSpin.setSuffix(self.tr(" 小时"))
        self.hoursSpin.setValue(settings.offline_login_hours)
        self.testButton = QPushButton(self.tr("测试连接"), self)
        self.testButton.setObjectName("testConnectionButton")
        self.testLabel = QLabel(self)
        self.testLabel.setObjectName("testResultLabel")
        self.testLabel.setWordWrap(True)
        self.messageLabel = QLabel(self)
        self.messageLabel.setObjectName("settingsMessageLabel")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setStyleSheet(_ERROR_STYLE)
        note = QLabel(self.tr("更改在下次启动工作台时生效。"), self)
        note.setObjectName("settingsNoteLabel")
        note.setStyleSheet(_INFO_STYLE)

        ca_row = QHBoxLayout()
        ca_row.addWidget(self.caEdit, 1)
        ca_row.addWidget(self.caBrowse)
        test_row = QHBoxLayout()
        test_row.addWidget(self.testButton)
        test_row.addWidget(self.testLabel, 1)
        form = QFormLayout()
        form.addRow(self.tr("服务器地址"), self.urlEdit)
        form.addRow("", self.verifyCheck)
        form.addRow(self.tr("CA 证书文件"), ca_row)
        form.addRow(self.tr("离线登录有效期"), self.hoursSpin)
        form.addRow("", test_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        root = QVBoxLayout(self)
        root.addLayout(form)
        root.addWidget(self.messageLabel)
        root.addWidget(note)
        root.addWidget(self.buttons)

        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.testButton.clicked.connect(self.test_connection)
        self.caBrowse.clicked.connect(self.on_browse_clicked)
        self.verifyCheck.toggled.connect(self.on_verify_toggled)
        self.on_verify_toggled(self.verifyCheck.isChecked())

    # --- the form --------------------------------------------------------------

    def current(self) -> SyncSettings:
        return SyncSettings(
            server_url=self.urlEdit.text().strip(),
            verify_tls=self.verifyCheck.isChecked(),
            ca_bundle=self.caEdit.text().strip(),
            offline_login_hours=float(self.hoursSpin.value()),
        )

    def problem(self, s: SyncSettings) -> str:
        """Why the form cannot be saved (a sentence for the operator), '' if it can."""
        url = s.server_url
        if url and validate_server_url(url):
            return self.tr("服务器地址无效：应为 http:// 或 https:// 开头的完整地址，例如 https://cc.example.gov.cn:8765")
        if s.ca_bundle and not Path(s.ca_bundle).is_file():
            return self.tr("找不到 CA 证书文件：{path}").format(path=s.ca_bundle)
        return ""

    def save(self) -> bool:
        """Validate and save; True (and the dialog accepted) when saved."""
        s = self.current()
        why = self.problem(s)
        if why:
            self.messageLabel.setStyleSheet(_ERROR_STYLE)
            self.messageLabel.setText(why)
            return False
        try:
            s.save(self._path)
        except OSError as exc:
            log.exception("cannot save the sync settings to %s", self._path)
            self.messageLabel.setText(self.tr("无法保存设置：{error}").format(error=exc))
            return False
        if not s.verify_tls and not s.standalone:
            log.warning("TLS certificate verification turned OFF in the settings for %s", s.server_url)
        log.info("sync settings saved to %s: server %r", self._path, s.server_url or "(standalone)")
        self.saved = s
        self.accept()
        return True

    def on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择 CA 证书文件"), self.caEdit.text(), self.tr("证书 (*.pem *.crt *.cer);;所有文件 (*)")
        )
        if path:
            self.caEdit.setText(path)

    def on_verify_toggled(self, on: bool) -> None:
        self.caEdit.setEnabled(on)
        self.caBrowse.setEnabled(on)
        if not on:
            self.messageLabel.setStyleSheet("color: #e0a030;")
            self.messageLabel.setText(self.tr("警告：关闭证书验证后，无法确认连接的是真正的服务器，仅限测试环境使用。"))
        else:
            self.messageLabel.clear()

    # --- 测试连接 ------------------------------------------------------------------

    @property
    def testing(self) -> bool:
        return self._testing

    def test_connection(self) -> bool:
        """Ask the server (off the GUI thread); the result shows in ``testLabel``. False if not started."""
        if self._testing:
            return False
        s = self.current()
        if s.standalone:
            self._show_test(False, self.tr("未填写服务器地址：工作台将以单机模式运行。"))
            return False
        why = self.problem(s)
        if why:
            self._show_test(False, why)
            return False
        self._testing = True
        self.testButton.setEnabled(False)
        self.testLabel.setStyleSheet(_INFO_STYLE)
        self.testLabel.setText(self.tr("正在连接 {url} …").format(url=s.server_url))
        client = sc.SyncClient(s.server_url, verify=s.verify, timeout=5.0)
        run_off_gui(self, client.probe, self._on_probe, "cc-test-connection")
        return True

    def _on_probe(self, result: tuple[str, str] | None, error: BaseException | None) -> None:
        self._testing = False
        self.testButton.setEnabled(True)
        code, detail = result if result is not None else (sc.PROBE_NOT_SERVER, str(error))
        words = {
            sc.PROBE_OK: self.tr("连接成功：服务器正常应答。"),
            sc.PROBE_UNREACHABLE: self.tr("无法连接：该地址没有服务器应答（地址、端口或网络有误，或服务器未启动）。"),
            sc.PROBE_TIMEOUT: self.tr("连接超时：服务器没有及时应答，请检查网络。"),
            sc.PROBE_TLS: self.tr("证书验证失败：服务器的 TLS 证书不受信任，请指定正确的 CA 证书文件。"),
            sc.PROBE_HTTP_ERROR: self.tr("服务器应答出错，请联系管理员。"),
            sc.PROBE_NOT_SERVER: self.tr("该地址上的不是 CommandCenter 服务器。"),
        }
        self._show_test(code == sc.PROBE_OK, words.get(code, detail), detail)

    def _show_test(self, ok: bool, text: str, detail: str = "") -> None:
        self.testLabel.setStyleSheet(_OK_STYLE if ok else _ERROR_STYLE)
        self.testLabel.setText(text)
        self.testLabel.setToolTip(detail)
        self.sig_test_finished.emit(ok, text)
