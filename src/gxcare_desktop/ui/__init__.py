"""The PySide6 desktop workstation: the only package that imports Qt."""
