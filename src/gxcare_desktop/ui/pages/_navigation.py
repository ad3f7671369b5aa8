"""Open a child's file from any page: on the children page when the window has one, else in a window."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget

from ..widgets.forms import current_language


def open_child(source: QWidget, child_id: str) -> QWidget:
    """Show the child's file and return the widget showing it."""
    from ..dialogs.child_file_dialog import ChildFileDialog
    from .children_page import ChildrenPage

    window = source.window()
    pages = window.findChildren(ChildrenPage)
    if pages:
        page = pages[0]
        navigate = getattr(window, "show_page", None)  # the main window's navigation, when it has one
        if callable(navigate):
            navigate(page.key)
        else:
            stack = page.parentWidget()
            if isinstance(stack, QStackedWidget):
                stack.setCurrentWidget(page)
        page.open_child(child_id)
        return page
    ledger = getattr(source, "ledger", None) or source.context.ledger  # type: ignore[attr-defined]
    dialog = ChildFileDialog(ledger, child_id, source, language=current_language())
    dialog.open()
    return dialog


def on_screen(page: QWidget) -> bool:
    """The page is the current one of its stack (or, outside a stack, visible)."""
    stack = page.parentWidget()
    if isinstance(stack, QStackedWidget):
        return stack.currentWidget() is page and (page.isVisible() or not stack.isVisible())
    return page.isVisible()
