# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'main_window.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QAction, QBrush, QColor, QConicalGradient,
    QCursor, QFont, QFontDatabase, QGradient,
    QIcon, QImage, QKeySequence, QLinearGradient,
    QPainter, QPalette, QPixmap, QRadialGradient,
    QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QDateTimeEdit,
    QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMainWindow, QPushButton, QSizePolicy,
    QSpacerItem, QSplitter, QStatusBar, QTabBar,
    QTableView, QTextBrowser, QToolButton, QVBoxLayout,
    QWidget)

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1600, 900)
        MainWindow.setMinimumSize(QSize(1024, 640))
        self.actionFocusSearch = QAction(MainWindow)
        self.actionFocusSearch.setObjectName(u"actionFocusSearch")
        self.actionRefresh = QAction(MainWindow)
        self.actionRefresh.setObjectName(u"actionRefresh")
        self.actionFocusFilters = QAction(MainWindow)
        self.actionFocusFilters.setObjectName(u"actionFocusFilters")
#if QT_CONFIG(shortcut)
        self.actionFocusFilters.setShortcut(u"Ctrl+Shift+F")
#endif // QT_CONFIG(shortcut)
        self.actionClearFilters = QAction(MainWindow)
        self.actionClearFilters.setObjectName(u"actionClearFilters")
#if QT_CONFIG(shortcut)
        self.actionClearFilters.setShortcut(u"Ctrl+Shift+X")
#endif // QT_CONFIG(shortcut)
        self.centralwidget = QWidget(MainWindow)
        self.centralwidget.setObjectName(u"centralwidget")
        self.centralLayout = QVBoxLayout(self.centralwidget)
        self.centralLayout.setSpacing(6)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(8, 6, 8, 4)
        self.setTabs = QTabBar(self.centralwidget)
        self.setTabs.setObjectName(u"setTabs")

        self.centralLayout.addWidget(self.setTabs)

        self.filterArea = QVBoxLayout()
        self.filterArea.setSpacing(6)
        self.filterArea.setObjectName(u"filterArea")
        self.filterLayout = QHBoxLayout()
        self.filterLayout.setSpacing(8)
        self.filterLayout.setObjectName(u"filterLayout")
        self.searchEdit = QLineEdit(self.centralwidget)
        self.searchEdit.setObjectName(u"searchEdit")
        self.searchEdit.setMinimumSize(QSize(360, 0))
        self.searchEdit.setClearButtonEnabled(True)

        self.filterLayout.addWidget(self.searchEdit)

        self.centreLabel = QLabel(self.centralwidget)
        self.centreLabel.setObjectName(u"centreLabel")

        self.filterLayout.addWidget(self.centreLabel)

        self.centreCombo = QComboBox(self.centralwidget)
        self.centreCombo.setObjectName(u"centreCombo")
        self.centreCombo.setMinimumSize(QSize(260, 0))
        self.centreCombo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.filterLayout.addWidget(self.centreCombo)

        self.filterSpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.filterLayout.addItem(self.filterSpacer)

        self.queueInfoLabel = QLabel(self.centralwidget)
        self.queueInfoLabel.setObjectName(u"queueInfoLabel")

        self.filterLayout.addWidget(self.queueInfoLabel)


        self.filterArea.addLayout(self.filterLayout)

        self.filterBar = QWidget(self.centralwidget)
        self.filterBar.setObjectName(u"filterBar")
        self.filterBarLayout = QHBoxLayout(self.filterBar)
        self.filterBarLayout.setSpacing(6)
        self.filterBarLayout.setObjectName(u"filterBarLayout")
        self.filterBarLayout.setContentsMargins(0, 0, 0, 0)
        self.departmentButton = QToolButton(self.filterBar)
        self.departmentButton.setObjectName(u"departmentButton")
        self.departmentButton.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        self.filterBarLayout.addWidget(self.departmentButton)

        self.categoryButton = QToolButton(self.filterBar)
        self.categoryButton.setObjectName(u"categoryButton")
        self.categoryButton.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        self.filterBarLayout.addWidget(self.categoryButton)

        self.locationButton = QToolButton(self.filterBar)
        self.locationButton.setObjectName(u"locationButton")
        self.locationButton.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        self.filterBarLayout.addWidget(self.locationButton)

        self.priorityButton = QToolButton(self.filterBar)
        self.priorityButton.setObjectName(u"priorityButton")
        self.priorityButton.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        self.filterBarLayout.addWidget(self.priorityButton)

        self.severityButton = QToolButton(self.filterBar)
        self.severityButton.setObjectName(u"severityButton")
        self.severityButton.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        self.filterBarLayout.addWidget(self.severityButton)

        self.sourceButton = QToolButton(self.filterBar)
        self.sourceButton.setObjectName(u"sourceButton")
        self.sourceButton.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        self.filterBarLayout.addWidget(self.sourceButton)

        self.timeCombo = QComboBox(self.filterBar)
        self.timeCombo.setObjectName(u"timeCombo")
        self.timeCombo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.filterBarLayout.addWidget(self.timeCombo)

        self.fromEdit = QDateTimeEdit(self.filterBar)
        self.fromEdit.setObjectName(u"fromEdit")
        self.fromEdit.setDisplayFormat(u"yyyy-MM-dd HH:mm")
        self.fromEdit.setCalendarPopup(True)

        self.filterBarLayout.addWidget(self.fromEdit)

        self.timeToLabel = QLabel(self.filterBar)
        self.timeToLabel.setObjectName(u"timeToLabel")

        self.filterBarLayout.addWidget(self.timeToLabel)

        self.toEdit = QDateTimeEdit(self.filterBar)
        self.toEdit.setObjectName(u"toEdit")
        self.toEdit.setDisplayFormat(u"yyyy-MM-dd HH:mm")
        self.toEdit.setCalendarPopup(True)

        self.filterBarLayout.addWidget(self.toEdit)

        self.timeApplyButton = QToolButton(self.filterBar)
        self.timeApplyButton.setObjectName(u"timeApplyButton")
        self.timeApplyButton.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        self.filterBarLayout.addWidget(self.timeApplyButton)

        self.filterBarSpacer = QSpacerItem(20, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.filterBarLayout.addItem(self.filterBarSpacer)

        self.filterSummaryLabel = QLabel(self.filterBar)
        self.filterSummaryLabel.setObjectName(u"filterSummaryLabel")

        self.filterBarLayout.addWidget(self.filterSummaryLabel)

        self.clearFiltersButton = QPushButton(self.filterBar)
        self.clearFiltersButton.setObjectName(u"clearFiltersButton")

        self.filterBarLayout.addWidget(self.clearFiltersButton)


        self.filterArea.addWidget(self.filterBar)


        self.centralLayout.addLayout(self.filterArea)

        self.mainSplitter = QSplitter(self.centralwidget)
        self.mainSplitter.setObjectName(u"mainSplitter")
        self.mainSplitter.setOrientation(Qt.Orientation.Horizontal)
        self.mainSplitter.setChildrenCollapsible(False)
        self.queueView = QTableView(self.mainSplitter)
        self.queueView.setObjectName(u"queueView")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        sizePolicy.setHorizontalStretch(3)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.queueView.sizePolicy().hasHeightForWidth())
        self.queueView.setSizePolicy(sizePolicy)
        self.queueView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queueView.setAlternatingRowColors(True)
        self.queueView.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queueView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queueView.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.queueView.setShowGrid(False)
        self.queueView.setWordWrap(False)
        self.queueView.setCornerButtonEnabled(False)
        self.mainSplitter.addWidget(self.queueView)
        self.queueView.horizontalHeader().setHighlightSections(False)
        self.queueView.horizontalHeader().setStretchLastSection(False)
        self.queueView.verticalHeader().setVisible(False)
        self.detailBox = QGroupBox(self.mainSplitter)
        self.detailBox.setObjectName(u"detailBox")
        sizePolicy1 = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        sizePolicy1.setHorizontalStretch(1)
        sizePolicy1.setVerticalStretch(0)
        sizePolicy1.setHeightForWidth(self.detailBox.sizePolicy().hasHeightForWidth())
        self.detailBox.setSizePolicy(sizePolicy1)
        self.detailBox.setMinimumSize(QSize(380, 0))
        self.detailLayout = QVBoxLayout(self.detailBox)
        self.detailLayout.setObjectName(u"detailLayout")
        self.detailLayout.setContentsMargins(6, 6, 6, 6)
        self.caseDetail = QTextBrowser(self.detailBox)
        self.caseDetail.setObjectName(u"caseDetail")
        self.caseDetail.setOpenLinks(False)

        self.detailLayout.addWidget(self.caseDetail)

        self.mainSplitter.addWidget(self.detailBox)

        self.centralLayout.addWidget(self.mainSplitter)

        self.centralLayout.setStretch(2, 1)
        MainWindow.setCentralWidget(self.centralwidget)
        self.statusbar = QStatusBar(MainWindow)
        self.statusbar.setObjectName(u"statusbar")
        MainWindow.setStatusBar(self.statusbar)
#if QT_CONFIG(shortcut)
        self.centreLabel.setBuddy(self.centreCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.searchEdit, self.centreCombo)
        QWidget.setTabOrder(self.centreCombo, self.departmentButton)
        QWidget.setTabOrder(self.departmentButton, self.categoryButton)
        QWidget.setTabOrder(self.categoryButton, self.locationButton)
        QWidget.setTabOrder(self.locationButton, self.priorityButton)
        QWidget.setTabOrder(self.priorityButton, self.severityButton)
        QWidget.setTabOrder(self.severityButton, self.sourceButton)
        QWidget.setTabOrder(self.sourceButton, self.timeCombo)
        QWidget.setTabOrder(self.timeCombo, self.fromEdit)
        QWidget.setTabOrder(self.fromEdit, self.toEdit)
        QWidget.setTabOrder(self.toEdit, self.timeApplyButton)
        QWidget.setTabOrder(self.timeApplyButton, self.clearFiltersButton)
        QWidget.setTabOrder(self.clearFiltersButton, self.queueView)
        QWidget.setTabOrder(self.queueView, self.caseDetail)

        self.retranslateUi(MainWindow)

        QMetaObject.connectSlotsByName(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"\u6850\u5e90\u53bf\u793e\u4f1a\u6cbb\u7406\u7efc\u5408\u6307\u6325\u4e2d\u5fc3 \u2014 \u503c\u73ed\u5de5\u4f5c\u53f0", None))
        self.actionFocusSearch.setText(QCoreApplication.translate("MainWindow", u"\u641c\u7d22", None))
#if QT_CONFIG(shortcut)
        self.actionFocusSearch.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+F", None))
#endif // QT_CONFIG(shortcut)
        self.actionRefresh.setText(QCoreApplication.translate("MainWindow", u"\u5237\u65b0", None))
#if QT_CONFIG(shortcut)
        self.actionRefresh.setShortcut(QCoreApplication.translate("MainWindow", u"F5", None))
#endif // QT_CONFIG(shortcut)
        self.actionFocusFilters.setText(QCoreApplication.translate("MainWindow", u"\u7b5b\u9009\u680f", None))
#if QT_CONFIG(tooltip)
        self.actionFocusFilters.setToolTip(QCoreApplication.translate("MainWindow", u"\u628a\u952e\u76d8\u7126\u70b9\u79fb\u5230\u7b5b\u9009\u680f", None))
#endif // QT_CONFIG(tooltip)
        self.actionClearFilters.setText(QCoreApplication.translate("MainWindow", u"\u6e05\u9664\u7b5b\u9009", None))
#if QT_CONFIG(tooltip)
        self.setTabs.setToolTip(QCoreApplication.translate("MainWindow", u"\u5de5\u4f5c\u96c6\uff08Ctrl+1 \u2026 Ctrl+9\u3001Ctrl+0 \u5207\u6362\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.searchEdit.setPlaceholderText(QCoreApplication.translate("MainWindow", u"\u641c\u7d22 \u7f16\u53f7/\u6807\u9898/\u5730\u5740/\u53cd\u6620\u4eba (Ctrl+F)", None))
        self.centreLabel.setText(QCoreApplication.translate("MainWindow", u"\u6307\u6325\u4e2d\u5fc3", None))
        self.queueInfoLabel.setText("")
#if QT_CONFIG(tooltip)
        self.departmentButton.setToolTip(QCoreApplication.translate("MainWindow", u"\u6309\u627f\u529e\u90e8\u95e8\u7b5b\u9009\uff08\u53ef\u591a\u9009\uff0c\u53ef\u641c\u7d22\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.departmentButton.setText(QCoreApplication.translate("MainWindow", u"\u90e8\u95e8", None))
#if QT_CONFIG(tooltip)
        self.categoryButton.setToolTip(QCoreApplication.translate("MainWindow", u"\u6309\u4e8b\u4ef6\u5206\u7c7b\uff08\u5927\u7c7b/\u5c0f\u7c7b\uff09\u7b5b\u9009", None))
#endif // QT_CONFIG(tooltip)
        self.categoryButton.setText(QCoreApplication.translate("MainWindow", u"\u5206\u7c7b", None))
#if QT_CONFIG(tooltip)
        self.locationButton.setToolTip(QCoreApplication.translate("MainWindow", u"\u6309\u4e61\u9547\uff08\u8857\u9053\uff09\u6216\u7f51\u683c\u7b5b\u9009", None))
#endif // QT_CONFIG(tooltip)
        self.locationButton.setText(QCoreApplication.translate("MainWindow", u"\u4e61\u9547/\u7f51\u683c", None))
#if QT_CONFIG(tooltip)
        self.priorityButton.setToolTip(QCoreApplication.translate("MainWindow", u"\u6309\u7d27\u6025\u7a0b\u5ea6\u7b5b\u9009\uff08\u53ef\u591a\u9009\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.priorityButton.setText(QCoreApplication.translate("MainWindow", u"\u7d27\u6025\u7a0b\u5ea6", None))
#if QT_CONFIG(tooltip)
        self.severityButton.setToolTip(QCoreApplication.translate("MainWindow", u"\u6309\u4e25\u91cd\u7a0b\u5ea6\u7b5b\u9009\uff08\u53ef\u591a\u9009\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.severityButton.setText(QCoreApplication.translate("MainWindow", u"\u4e25\u91cd\u7a0b\u5ea6", None))
#if QT_CONFIG(tooltip)
        self.sourceButton.setToolTip(QCoreApplication.translate("MainWindow", u"\u6309\u4e8b\u4ef6\u6765\u6e90\u7b5b\u9009\uff08\u53ef\u591a\u9009\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.sourceButton.setText(QCoreApplication.translate("MainWindow", u"\u6765\u6e90", None))
#if QT_CONFIG(tooltip)
        self.timeCombo.setToolTip(QCoreApplication.translate("MainWindow", u"\u6309\u4e0a\u62a5\u65f6\u95f4\u7b5b\u9009", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(tooltip)
        self.fromEdit.setToolTip(QCoreApplication.translate("MainWindow", u"\u81ea\u5b9a\u4e49\u65f6\u95f4\u6bb5\u7684\u5f00\u59cb\uff08\u542b\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.timeToLabel.setText(QCoreApplication.translate("MainWindow", u"\u81f3", None))
#if QT_CONFIG(tooltip)
        self.toEdit.setToolTip(QCoreApplication.translate("MainWindow", u"\u81ea\u5b9a\u4e49\u65f6\u95f4\u6bb5\u7684\u7ed3\u675f\uff08\u4e0d\u542b\uff09", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(tooltip)
        self.timeApplyButton.setToolTip(QCoreApplication.translate("MainWindow", u"\u6309\u81ea\u5b9a\u4e49\u65f6\u95f4\u6bb5\u7b5b\u9009\uff08\u56de\u8f66\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.timeApplyButton.setText(QCoreApplication.translate("MainWindow", u"\u5e94\u7528", None))
        self.filterSummaryLabel.setText("")
#if QT_CONFIG(tooltip)
        self.clearFiltersButton.setToolTip(QCoreApplication.translate("MainWindow", u"\u6e05\u9664\u5168\u90e8\u7b5b\u9009\u6761\u4ef6\uff08Ctrl+Shift+X\uff1b\u5728\u7b5b\u9009\u680f\u4e2d\u6309 Esc\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.clearFiltersButton.setText(QCoreApplication.translate("MainWindow", u"\u6e05\u9664\u7b5b\u9009", None))
        self.detailBox.setTitle(QCoreApplication.translate("MainWindow", u"\u6848\u4ef6\u8be6\u60c5", None))
    # retranslateUi

