"""The baseline of B1, B4 and B5: a bare Textual app (Header, Label, Footer)."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("bare app ready")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
