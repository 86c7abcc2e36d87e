"""Briefings → pillars → sub-sections, with hit counts while a search is active.

Labels are `rich.text.Text` built from the titles (never markup), so a title such as
`[bold]` shows literally. Pillars without hits are dimmed and the dim is also marked
by text style, so it survives monochrome terminals.

Counts and marks are state, and a label is built only when its line is drawn: a search
over ten thousand sections must not relabel ten thousand nodes while the reader types.
"""

from __future__ import annotations

from partner_tui.search.model import Briefing, Section
from partner_tui.tui.messages import SectionChosen
from partner_tui.tui.widgets.list_keys import (
    BOTTOM,
    LINE_DOWN,
    LINE_UP,
    PAGE_DOWN,
    PAGE_UP,
    TOP,
)
from partner_tui.tui.widgets.marks import bookmark_prefix
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

ELLIPSIS = "…"
# What Tree puts on its expand icon, so a click on the icon toggles the node.
_TOGGLE = Style.from_meta({"toggle": True})


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
        Binding("j", "cursor_down", "Down", show=False, tooltip=LINE_DOWN),
        Binding("k", "cursor_up", "Up", show=False, tooltip=LINE_UP),
        Binding("g,home", "cursor_first", "Top", show=False, tooltip=TOP),
        Binding("G,end", "cursor_last", "Bottom", show=False, tooltip=BOTTOM),
        # A page, as everywhere else (Tree's own space folds a node; enter opens it).
        Binding("space,pagedown", "page_down", "Page down", show=False, tooltip=PAGE_DOWN),
        Binding("pageup", "page_up", "Page up", show=False, tooltip=PAGE_UP),
    ]

    def __init__(self, briefings: list[Briefing], *, id: str | None = None) -> None:
        super().__init__(Text("Briefings"), id=id)
        self.show_root = False
        # Narrow guides leave the pane's few columns to the titles.
        self.guide_depth = 2
        self.auto_expand = False
        self._sections: dict[str, Section] = {}
        self._node_for: dict[str, TreeNode[str]] = {}
        self._titles = {f"#{briefing.id}": briefing.title for briefing in briefings}
        self._counts: dict[str, int] | None = None
        self._briefing_totals: dict[str, int] = {}
        self._count_width = 1
        self._hit_ids: frozenset[str] | None = None
        self._bookmarked: frozenset[str] = frozenset()
        self._fill(briefings)

    def _fill(self, briefings: list[Briefing]) -> None:
        self._titles = {f"#{briefing.id}": briefing.title for briefing in briefings}
        for briefing in briefings:
            top = self.root.add(Text(briefing.title), data=f"#{briefing.id}", expand=True)
            self._node_for[f"#{briefing.id}"] = top
            for section in briefing.sections:
                if section.depth != 1:
                    continue
                self._add_section(top, briefing, section)

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
        self._briefing_totals = {}
        for pillar_id, count in (counts or {}).items():
            briefing_id = pillar_id.split("/", 1)[0]
            self._briefing_totals[briefing_id] = self._briefing_totals.get(briefing_id, 0) + count
        self._count_width = len(str(max((counts or {}).values(), default=0)))
        self._labels_changed()

    def show_briefings(self, briefings: list[Briefing]) -> None:
        """The corpus changed: show its briefings now, keeping the cursor's section."""
        here = self.cursor_node.data if self.cursor_node is not None else None
        self.root.remove_children()
        self._sections, self._node_for = {}, {}
        self._fill(briefings)
        if here in self._node_for:
            self.move_cursor(self._node_for[here])
        self._labels_changed()

    def update_sections(self, sections: list[Section]) -> None:
        """Sections whose text changed but whose titles and places did not."""
        for section in sections:
            if section.id in self._sections:
                self._sections[section.id] = section

    def set_bookmarked(self, section_ids: frozenset[str]) -> None:
        self._bookmarked = section_ids
        self._labels_changed()

    def reveal(self, section_id: str) -> None:
        """Put the cursor on a section's node without selecting it."""
        node = self._node_for.get(section_id)
        if node is not None:
            self.move_cursor(node)

    def label_of(self, section_id: str) -> Text:
        """The label as drawn, without the expand icon (for tests and for the palette)."""
        return self._drawn_label(self._node_for[section_id])

    def natural_width(self) -> int:
        """Cells the widest section line needs with no title cut, hit counts included.
        (A briefing's long title may still be cut: it also heads the reading view.)"""
        widest = 0
        count_room = 4  # up to three digits of hits and a space, so a search cuts nothing
        for key, node in self._node_for.items():
            if key.startswith("#"):
                continue
            section = self._sections[key]
            prefix = len(bookmark_prefix(False)) + (count_room if section.depth == 1 else 0)
            width = _indent(node, self.guide_depth) + prefix + cell_len(section.title)
            widest = max(widest, width)
        return widest + 1

    # The cursor never leaves the view (Tree's page and home/end keys can move it off).
    def action_cursor_first(self) -> None:
        self._cursor_to(0)

    def action_cursor_last(self) -> None:
        self._cursor_to(self.last_line)

    def action_page_down(self) -> None:
        self._cursor_to(min(self.last_line, self.cursor_line + self._page()))

    def action_page_up(self) -> None:
        self._cursor_to(max(0, self.cursor_line - self._page()))

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _cursor_to(self, line: int) -> None:
        if line < 0:
            return
        self.cursor_line = line
        self.scroll_to_line(line, animate=False)

    # -- drawing -----------------------------------------------------------------------
    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        """Tree calls this for the lines it draws (and caches them until `_labels_changed`)."""
        if node.data is None:
            return super().render_label(node, base_style, style)
        label = self._drawn_label(node)
        label.stylize(style)
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((icon, base_style + _TOGGLE), label)
        return Text.assemble(("", base_style), label)

    def get_label_width(self, node: TreeNode[str]) -> int:
        """Tree asks this of every line whenever it lays its lines out (on resize, on
        expand): worked out from lengths rather than by building every label."""
        key = node.data
        if key is None:
            return super().get_label_width(node)
        icon = cell_len(self.ICON_NODE) if node.allow_expand else 0
        if key.startswith("#"):
            total = self._briefing_totals.get(key[1:], 0)
            prefix = len(f"{total} ") if self._counts is not None else 0
            title = self._titles[key]
        else:
            section = self._sections[key]
            prefix = len(bookmark_prefix(False))
            if self._counts is not None and section.depth == 1:
                prefix += self._count_width + 1
            title = section.title
        width = prefix + cell_len(title)
        room = self._label_room(node)
        return icon + (min(width, room) if room >= 2 else width)

    def _labels_changed(self) -> None:
        # No line is added or removed, so clearing the drawn lines is enough (Tree's own
        # invalidation would also lay out every node again). Labels are rebuilt as drawn.
        self._line_cache.clear()
        self.refresh()

    def _drawn_label(self, node: TreeNode[str]) -> Text:
        key = node.data
        if key is None:  # the hidden root
            return Text(str(node.label))
        if key.startswith("#"):
            label = self._briefing_label(key[1:])
        else:
            label = self._section_label(self._sections[key])
        return shorten(label, self._label_room(node))

    def _label_room(self, node: TreeNode[str]) -> int:
        """Cells left for the label beside the guides and icon (0: width not known yet)."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return 0
        return width - _indent(node, self.guide_depth) - 1

    def _briefing_label(self, briefing_id: str) -> Text:
        label = Text(style="bold")
        if self._counts is not None:
            label.append(f"{self._briefing_totals.get(briefing_id, 0)} ")
        return label.append(self._titles[f"#{briefing_id}"])

    def _section_label(self, section: Section) -> Text:
        """Mark, then the hit count (before the title, so a cut-off title never hides it)."""
        label = bookmark_prefix(section.id in self._bookmarked)
        if self._counts is None:
            return label.append(section.title)
        count = self._counts.get(section.pillar_id, 0)
        if section.depth == 1:
            label.append(f"{count or '-':>{self._count_width}} ", style="bold")
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
