"""The map: a pyqtgraph widget in Web Mercator with basemap, boundaries, grids and
incidents (``widget.MapWidget``), and its wiring into the main window (``link``)."""
