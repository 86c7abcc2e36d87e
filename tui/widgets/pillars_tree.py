"""Briefings → pillars → sub-sections, with hit counts while a search is active.

Labels are `rich.text.Text` built from the titles (never markup), so a title such as
`[bold]` shows literally. Pillars without hits are dimmed and the dim is also marked
by text style, so it survives monochrome terminals.
"""

from __future__ import annotations

from partner_tui.search.model import Briefing, Section
from partner_tui.tui.messages import SectionChosen
from partner_tui.tui.widgets.marks import bookmark_prefix
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

ELLIPSIS = "…"


def shorten(label: Text, width: int) -> Text:
    """The label cut to `width` cells at a word boundary, with an ellipsis, never mid-word
    when a space allows (a narrow pane would otherwise crop titles anywhere)."""
    if label.cell_len <= width or width < 2:
        return label
    plain = label.plain
    cut = plain.rfind(" ", 0, width - 1)
    if cut <= len(plain) - len(plain.lstrip()) + 1:  # no space to break at: cut the word
        cut = width - 1
    shortened = label.divide([cut])[0]
    shortened.rstrip()
    return shortened.append(ELLIPSIS)


def _indent(node: TreeNode[str], guide_depth: int) -> int:
    """Cells the tree draws before a label: guides per level, and an expand icon."""
    depth = 0
    parent = node.parent
    while parent is not None and parent.parent is not None:  # the hidden root adds none
        depth += 1
        parent = parent.parent
    return guide_depth * depth + (2 if node.allow_expand else 0)


class PillarsTree(Tree[str]):
    """Node data is the section id; briefing nodes hold the briefing id prefixed by '#'."""

    DEFAULT_CSS = """
    PillarsTree {
        height: 1fr;
        background: $surface;
    }
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g,home", "cursor_first", "Top", show=False),
        Binding("G,end", "cursor_last", "Bottom", show=False),
    ]

    def __init__(self, briefings: list[Briefing], *, id: str | None = None) -> None:
        super().__init__(Text("Briefings"), id=id)
        self.show_root = False
        # Narrow guides leave the pane's few columns to the titles.
        self.guide_depth = 2
        self.auto_expand = False
        self._sections: dict[str, Section] = {}
        self._node_for: dict[str, TreeNode[str]] = {}
        self._briefings = briefings
        self._counts: dict[str, int] | None = None
        self._hit_ids: frozenset[str] | None = None
        self._bookmarked: frozenset[str] = frozenset()
        for briefing in briefings:
            top = self.root.add(Text(briefing.title), data=f"#{briefing.id}", expand=True)
            self._node_for[f"#{briefing.id}"] = top
            for section in briefing.sections:
                if section.depth != 1:
                    continue
                self._add_section(top, briefing, section)
        self._relabel()

    def _add_section(self, parent: TreeNode[str], briefing: Briefing, section: Section) -> None:
        children = briefing.children(section)
        self._sections[section.id] = section
        if children:
            node = parent.add(Text(section.title), data=section.id, expand=True)
            for child in children:
                self._add_section(node, briefing, child)
        else:
            node = parent.add_leaf(Text(section.title), data=section.id)
        self._node_for[section.id] = node

    # -- what the screen calls ---------------------------------------------------------
    def show_counts(
        self, counts: dict[str, int] | None, hit_ids: frozenset[str] | None = None
    ) -> None:
        """Hit counts per pillar id for the active search (None: nothing is searched), and
        the ids of every matching section when all are known, to dim sub-sections too."""
        self._counts = counts
        self._hit_ids = hit_ids
        self._relabel()

    def set_bookmarked(self, section_ids: frozenset[str]) -> None:
        self._bookmarked = section_ids
        self._relabel()

    def reveal(self, section_id: str) -> None:
        """Put the cursor on a section's node without selecting it."""
        node = self._node_for.get(section_id)
        if node is not None:
            self.move_cursor(node)

    def label_of(self, section_id: str) -> Text:
        """The label as drawn (for tests and for the palette)."""
        return self._node_for[section_id].label

    def action_cursor_first(self) -> None:
        self.cursor_line = 0

    def action_cursor_last(self) -> None:
        self.cursor_line = self.last_line

    # -- internals ---------------------------------------------------------------------
    def on_resize(self) -> None:
        self._relabel()

    def _relabel(self) -> None:
        width = self.scrollable_content_region.width
        for key, node in self._node_for.items():
            if key.startswith("#"):
                label = self._briefing_label(key[1:])
            else:
                label = self._section_label(self._sections[key])
            if width > 0:
                label = shorten(label, width - _indent(node, self.guide_depth) - 1)
            node.set_label(label)

    def _briefing_label(self, briefing_id: str) -> Text:
        briefing = next(b for b in self._briefings if b.id == briefing_id)
        label = Text(style="bold")
        if self._counts is not None:
            prefix = f"{briefing_id}/"
            total = sum(n for pillar, n in self._counts.items() if pillar.startswith(prefix))
            label.append(f"{total} ")
        return label.append(briefing.title)

    def _section_label(self, section: Section) -> Text:
        """Mark, then the hit count (before the title, so a cut-off title never hides it)."""
        label = bookmark_prefix(section.id in self._bookmarked)
        if self._counts is None:
            return label.append(section.title)
        count = self._counts.get(section.pillar_id, 0)
        if section.depth == 1:
            width = len(str(max(self._counts.values(), default=0)))
            label.append(f"{count or '-':>{width}} ", style="bold")
        elif self._hit_ids is not None and section.id not in self._hit_ids:
            count = 0
        if count == 0:
            label.append(section.title, style="dim italic")
        else:
            label.append(section.title)
        return label

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        data = event.node.data
        if data and data.startswith("#"):  # a briefing: read it from its first section
            children = event.node.children
            data = children[0].data if children else None
        if data:
            self.post_message(SectionChosen(data))
