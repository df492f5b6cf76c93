"""The help screen, built from the live bindings so it can never drift from the keys.

A screen may also say what its abbreviations mean: a LEGEND of (as shown, meaning).
"""

from __future__ import annotations

from collections.abc import Callable
from textwrap import wrap

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, OptionList

from ..widgets.tables import fill_table
from ..widgets.text import cell

Row = tuple[str, str, str]  # (section, keys, what it does)


def binding_rows(screen: Screen, key_display: Callable[[Binding], str]) -> list[Row]:
    """Every binding active on `screen` with a description, hidden ones included.

    Sections, in order: the screens' keys, the rest of the app's keys, this
    screen's keys, then the focused widget's. Keys bound to the same action on
    the same node share a row ("f1 / ?"), each label once: the ten digits of one
    binding shown as "0-9" are one "0-9", not ten.
    """
    app = screen.app
    grouped: dict[tuple[str, str], tuple[list[str], str]] = {}
    for active in screen.active_bindings.values():
        binding, node = active.binding, active.node
        if not binding.description:
            continue
        if node is app:
            section = "Screens" if binding.action.startswith("go(") else "Everywhere"
        elif node is screen:
            section = f"{type(screen).__name__.removesuffix('Screen')} screen"
        else:
            section = f"In the focused {_widget_noun(node)}"
        what = (
            f"{binding.description}: {binding.tooltip}" if binding.tooltip else binding.description
        )
        keys, _ = grouped.setdefault((section, binding.action), ([], what))
        if (key := key_display(binding)) not in keys:
            keys.append(key)
    order = ["Screens", "Everywhere"]
    rows = [(section, " / ".join(keys), what) for (section, _), (keys, what) in grouped.items()]
    return sorted(
        rows, key=lambda r: order.index(r[0]) if r[0] in order else 2 + r[0].startswith("In")
    )


class KeysTable(DataTable[Text]):
    """The help's table: home and end go to the first and last key (a DataTable's
    own home and end scroll sideways, and end scrolled the keys out of view)."""

    BINDINGS = [
        Binding("home", "scroll_top", "First key", show=False),
        Binding("end", "scroll_bottom", "Last key", show=False),
    ]


class HelpScreen(ModalScreen[None]):
    """Every key of the screen it was opened on, grouped; the mouse works but is never needed."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close help")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc closes · ctrl+p finds any record by name or id"
            yield KeysTable(id="help-keys", cursor_type="row", show_header=False)

    def on_mount(self) -> None:
        self._fill(None)
        self.query_one(DataTable).focus()
        self.call_after_refresh(self._fit)  # once the table has its width

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        table = self.query_one(DataTable)
        self._fill(table.size.width - table.styles.scrollbar_size_vertical)

    def _fill(self, width: int | None) -> None:
        """The keys, then what the screen's abbreviations mean (its LEGEND), each text
        wrapped into the room `width` leaves beside the keys, so none is cut."""
        legend = getattr(self.under, "LEGEND", ())
        entries = [
            *binding_rows(self.under, self.app.get_key_display),
            *(("What the abbreviations mean", short, long) for short, long in legend),
        ]
        key_width = max(len(keys) for _, keys, _ in entries) + 2
        room = None if width is None else max(20, width - key_width - 4)  # 2 cells' padding
        rows = []
        section = None
        for where, keys, what in entries:
            if where != section:
                section = where
                rows.append((cell(""), cell(where, "bold underline")))
            first, *more = wrap(what, room, subsequent_indent="  ") if room else [what]
            rows.append((cell(f"  {keys}"), cell(first)))
            rows += [(cell(""), cell(line)) for line in more]
        table = self.query_one(DataTable)
        fill_table(table, ("key", "what it does"), rows, [str(i) for i in range(len(rows))])


def _widget_noun(node: object) -> str:
    for base, noun in ((DataTable, "table"), (OptionList, "list"), (Input, "text field")):
        if isinstance(node, base):
            return noun
    return "widget"
