"""导入地图数据: grids and boundaries from GeoJSON, or an MBTiles basemap.

The user picks what the file holds and its datum (GeoJSON: WGS-84 or GCJ-02, converted
to WGS-84 on import; MBTiles: whether its tiles are drawn in GCJ-02).  检查 reads and
checks the file off the GUI thread with a progress bar and lists every problem; 导入 is
enabled only for a file without problems, and writes everything in one transaction
(``services.geoimport``) -- or nothing.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...geo.mbtiles import MBTiles, MBTilesError
from ...services import geoimport
from ...services.workspace import Workspace

KINDS = ("grids", "boundaries", "mbtiles")


class MapImportDialog(QDialog):
    sig_progress = Signal(int, int)  # from the checking thread
    sig_checked = Signal(object)  # ImportPlan | list[str] (MBTiles problems), from the checking thread
    sig_units_imported = Signal(int)  # units written
    sig_basemap_chosen = Signal(str, str)  # path, datum

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapImportDialog")
        self._ws = workspace
        self.plan: geoimport.ImportPlan | None = None
        self.mbtiles_ok = False
        self._thread: threading.Thread | None = None

        self.kindCombo = QComboBox(self)
        self.kindCombo.setObjectName("importKindCombo")
        for kind in KINDS:
            self.kindCombo.addItem("", kind)
        self.pathEdit = QLineEdit(self)
        self.pathEdit.setObjectName("importPathEdit")
        self.browseButton = QPushButton(self)
        row = QHBoxLayout()
        row.addWidget(self.pathEdit, 1)
        row.addWidget(self.browseButton)
        self.datumCombo = QComboBox(self)
        self.datumCombo.setObjectName("importDatumCombo")
        self.datumCombo.addItem("", "WGS-84")
        self.datumCombo.addItem("", "GCJ-02")
        self.form = QFormLayout()
        self.kindLabel, self.fileLabel, self.datumLabel = QLabel(self), QLabel(self), QLabel(self)
        self.form.addRow(self.kindLabel, self.kindCombo)
        self.form.addRow(self.fileLabel, row)
        self.form.addRow(self.datumLabel, self.datumCombo)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.report = QPlainTextEdit(self)
        self.report.setObjectName("importReport")
        self.report.setReadOnly(True)
        self.buttons = QDialogButtonBox(self)
        self.checkButton = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.checkButton.setObjectName("importCheckButton")
        self.importButton = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.importButton.setObjectName("importApplyButton")
        self.importButton.setEnabled(False)
        self.closeButton = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.progress)
        lay.addWidget(self.report, 1)
        lay.addWidget(self.buttons)
        self.resize(640, 420)

        self.browseButton.clicked.connect(self.on_browse)
        self.checkButton.clicked.connect(self.start_check)
        self.importButton.clicked.connect(self.apply)
        self.closeButton.clicked.connect(self.reject)
        self.kindCombo.currentIndexChanged.connect(self._reset)
        self.datumCombo.currentIndexChanged.connect(self._reset)
        self.pathEdit.textChanged.connect(self._reset)
        self.sig_progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.sig_checked.connect(self._on_checked, Qt.ConnectionType.QueuedConnection)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("导入地图数据"))
        for i, text in enumerate((self.tr("网格（GeoJSON）"), self.tr("行政边界（GeoJSON）"), self.tr("底图（MBTiles）"))):
            self.kindCombo.setItemText(i, text)
        self.datumCombo.setItemText(0, self.tr("WGS-84（GPS 坐标）"))
        self.datumCombo.setItemText(1, self.tr("GCJ-02（高德/腾讯等国内地图坐标）"))
        self.kindLabel.setText(self.tr("内容"))
        self.fileLabel.setText(self.tr("文件"))
        self.datumLabel.setText(self.tr("坐标系"))
        self.browseButton.setText(self.tr("浏览…"))
        self.checkButton.setText(self.tr("检查"))
        self.importButton.setText(self.tr("导入"))
        self.closeButton.setText(self.tr("关闭"))

    @property
    def kind(self) -> str:
        return str(self.kindCombo.currentData())

    @property
    def datum(self) -> str:
        return str(self.datumCombo.currentData())

    def set_input(self, path: str | Path, kind: str, datum: str = "WGS-84") -> None:
        self.kindCombo.setCurrentIndex(KINDS.index(kind))
        self.datumCombo.setCurrentIndex(self.datumCombo.findData(datum))
        self.pathEdit.setText(str(path))

    def on_browse(self) -> None:
        pattern = self.tr("MBTiles 文件 (*.mbtiles)") if self.kind == "mbtiles" else self.tr("GeoJSON 文件 (*.geojson *.json)")
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择文件"), "", pattern)
        if path:
            self.pathEdit.setText(path)

    def _reset(self, *_: Any) -> None:
        self.plan = None
        self.mbtiles_ok = False
        self.importButton.setEnabled(False)

    # --- check (off the GUI thread) ------------------------------------------------------

    def start_check(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._reset()
        path, kind, datum = self.pathEdit.text().strip(), self.kind, self.datum
        self.report.setPlainText(self.tr("正在检查…"))
        self.progress.setRange(0, 0)
        self.checkButton.setEnabled(False)

        def work() -> None:
            result: Any
            try:
                if kind == "mbtiles":
                    result = self._check_mbtiles(path)
                else:
                    with self._ws.read() as conn:
                        result = geoimport.check_units(conn, path, kind, datum, self.sig_progress.emit)
            except Exception as exc:  # anything unexpected is still a clear message
                result = [f"{type(exc).__name__}: {exc}"]
            self.sig_checked.emit(result)

        self._thread = threading.Thread(target=work, name="map-import-check", daemon=True)
        self._thread.start()

    @staticmethod
    def _check_mbtiles(path: str) -> list[str]:
        try:
            with MBTiles(path) as mb:
                return mb.check_tiles()
        except MBTilesError as exc:
            return [str(exc)]

    def wait_checked(self, timeout: float = 30.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_checked(self, result: Any) -> None:
        self.checkButton.setEnabled(True)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        if isinstance(result, geoimport.ImportPlan):
            self.plan = result
            if result.errors:
                head = self.tr("发现 {n} 处问题，未导入任何内容：").format(n=len(result.errors))
                self.report.setPlainText("\n".join([head, *result.errors]))
            else:
                self.report.setPlainText(
                    self.tr("检查通过：新增 {a} 个、更新 {b} 个单位。").format(a=result.inserts, b=result.updates)
                )
            self.importButton.setEnabled(result.ok)
        else:
            problems = list(result)
            self.mbtiles_ok = not problems
            if problems:
                head = self.tr("该 MBTiles 文件不可用：")
                self.report.setPlainText("\n".join([head, *problems]))
            else:
                self.report.setPlainText(self.tr("MBTiles 文件检查通过。"))
            self.importButton.setEnabled(self.mbtiles_ok)

    # --- import ---------------------------------------------------------------------------

    def apply(self) -> bool:
        if self.kind == "mbtiles":
            if not self.mbtiles_ok:
                return False
            self.sig_basemap_chosen.emit(self.pathEdit.text().strip(), self.datum)
            self.report.appendPlainText(self.tr("已设为底图。"))
            self.importButton.setEnabled(False)
            return True
        if self.plan is None or not self.plan.ok:
            return False
        try:
            n = geoimport.apply_units(self._ws.engine, self.plan)
        except Exception as exc:  # the transaction rolled back: nothing was written
            self.report.appendPlainText(self.tr("导入失败，未写入任何内容：{e}").format(e=exc))
            return False
        self._ws.reload_reference()
        self.report.appendPlainText(self.tr("已导入 {n} 个单位。").format(n=n))
        self.importButton.setEnabled(False)
        self.sig_units_imported.emit(n)
        return True
