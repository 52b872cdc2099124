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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QMainWindow, QSizePolicy, QSpacerItem, QSplitter,
    QStatusBar, QTabBar, QTableView, QTextBrowser,
    QVBoxLayout, QWidget)

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
        self.centralwidget = QWidget(MainWindow)
        self.centralwidget.setObjectName(u"centralwidget")
        self.centralLayout = QVBoxLayout(self.centralwidget)
        self.centralLayout.setSpacing(6)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(8, 6, 8, 4)
        self.setTabs = QTabBar(self.centralwidget)
        self.setTabs.setObjectName(u"setTabs")

        self.centralLayout.addWidget(self.setTabs)

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


        self.centralLayout.addLayout(self.filterLayout)

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
        QWidget.setTabOrder(self.centreCombo, self.queueView)
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
#if QT_CONFIG(tooltip)
        self.setTabs.setToolTip(QCoreApplication.translate("MainWindow", u"\u5de5\u4f5c\u96c6\uff08Ctrl+1 \u2026 Ctrl+9\u3001Ctrl+0 \u5207\u6362\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.searchEdit.setPlaceholderText(QCoreApplication.translate("MainWindow", u"\u641c\u7d22 \u7f16\u53f7/\u6807\u9898/\u5730\u5740/\u53cd\u6620\u4eba (Ctrl+F)", None))
        self.centreLabel.setText(QCoreApplication.translate("MainWindow", u"\u6307\u6325\u4e2d\u5fc3", None))
        self.queueInfoLabel.setText("")
        self.detailBox.setTitle(QCoreApplication.translate("MainWindow", u"\u6848\u4ef6\u8be6\u60c5", None))
    # retranslateUi

