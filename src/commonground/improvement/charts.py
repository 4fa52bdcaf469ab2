"""Charts as inline SVG drawn on the server by pygal, with no script (decision 0007).

Views pass titles and labels already in the reader's language; every chart has the same figures in
a table or a sentence beside it, so the chart itself needs no tooltip.
"""

from __future__ import annotations

import math
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

# pygal appends an old-style import hook (for its map plugins, unused here) that makes Python 3.11
# warn on every import that reaches the end of sys.meta_path; take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'
STYLE = Style(
    background="transparent",
    plot_background="#ffffff",
    foreground="#1d2630",
    foreground_strong="#1d2630",
    foreground_subtle="#5b6673",
    colors=("#0b6e4f", "#3f51b5", "#8a5a00", "#b3261e", "#00838f", "#6a1b9a", "#5b6673"),
    font_family=FONT,
    title_font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    legend_font_family=FONT,
    value_font_family=FONT,
    tooltip_font_family=FONT,
    no_data_font_family=FONT,
    title_font_size=17,
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    no_data_font_size=20,
)
PEERS, MARKED = "#9aa5b1", "#0b6e4f"

Series = Sequence[tuple[str, Sequence[float | None]]]


def _options(title: str, no_data: str, names: Sequence[str] = ()) -> dict[str, Any]:
    """Sized for a phone (drawn 480 wide, shown at the page's width); one legend row per name
    when names are long, two per row otherwise, the height growing with the legend."""
    columns = 1 if any(len(n) > 26 for n in names) else 2
    rows = -(-len(names) // columns) if len(names) > 1 else 0
    return {
        "title": title,
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 480,
        "height": 260 + 24 * rows,
        "show_legend": rows > 0,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": columns,
        "truncate_legend": 52,
        "truncate_label": 14,
        "no_data_text": no_data,
        "margin": 10,
    }


PLOT_WIDTH = 340  # about what is left of the 480 wide drawing for the plot, beside the y labels
CHAR_WIDTH = 8  # an average character at the label size
LINE_HEIGHT = 20  # what two rotated labels need between them not to touch


def _x_axis(labels: Sequence[str]) -> dict[str, Any]:
    """Labels that do not overlap: level while they fit their slot, turned 45° when they do not,
    and only every second (or third…) one shown when even turned they would touch; long ones are
    cut with an ellipsis (the full label stays in the table beside the chart)."""
    n = max(len(labels), 1)
    slot = PLOT_WIDTH / n
    if max((len(label) for label in labels), default=0) * CHAR_WIDTH <= slot:
        return {"x_label_rotation": 0}
    every = max(1, math.ceil(LINE_HEIGHT / (slot * math.sin(math.radians(45)))))
    options: dict[str, Any] = {"x_label_rotation": 45, "truncate_label": 14}
    if every > 1:
        options |= {"x_labels_major_every": every, "show_minor_x_labels": False}
    return options


def _count_axis(counts: Sequence[int | None]) -> dict[str, Any]:
    """A y axis of whole numbers (facilities come whole): 0 to the largest count, at most 6 ticks."""
    top = max((c for c in counts if c is not None), default=0)
    step = max(1, math.ceil(top / 5))
    ticks = list(range(0, max(top, 1) + step, step))
    return {"range": (0, ticks[-1]), "y_labels": ticks, "value_formatter": lambda v: f"{v:.0f}"}


def render(chart: Any, label: str) -> SafeString:
    """The chart's SVG without pygal's configuration script and comments, labelled for readers."""
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str) or child.tag.endswith("script"):
                parent.remove(child)
    tree.set("role", "img")
    tree.set("aria-label", label)
    tree.set("class", "chart")
    tree.set("style", "width: 100%; height: auto; max-width: 44rem; display: block")
    return mark_safe(ET.tostring(tree, encoding="unicode"))  # text escaped by ElementTree


def trend_chart(
    title: str,
    periods: Sequence[str],
    series: Series,
    *,
    no_data: str,
    low: float | None = None,
    high: float | None = None,
) -> SafeString:
    """One line per series across periods; a gap where a period has no value."""
    options = _options(title, no_data, [name for name, _ in series])
    if low is not None and high is not None:
        options["range"] = (low, high)
    options |= _x_axis(periods)
    chart = pygal.Line(allow_interruptions=True, dots_size=4, stroke_style={"width": 3}, **options)
    chart.x_labels = list(periods)
    for name, values in series:
        chart.add(name, list(values))
    return render(chart, title)


def levels_chart(title: str, periods: Sequence[str], series: Series, *, no_data: str) -> SafeString:
    """Levels 0–3 of each section across periods (0: Level 1 not achieved yet)."""
    options = _options(title, no_data, [name for name, _ in series]) | _x_axis(periods)
    chart = pygal.Line(allow_interruptions=True, dots_size=4, range=(0, 3), y_labels=[0, 1, 2, 3], **options)
    chart.x_labels = list(periods)
    for name, values in series:
        chart.add(name, list(values))
    return render(chart, title)


def distribution_chart(
    title: str,
    bins: Sequence[tuple[str, int]],
    marked: int | None,
    *,
    peers: str,
    yours: str,
    no_data: str,
) -> SafeString:
    """Peers per bin as bars; the bin holding the facility's own value in its own colour."""
    style = Style(**{**STYLE.to_dict(), "colors": (PEERS, MARKED)})
    labels = [label for label, _ in bins]
    options = {**_options(title, no_data, [peers, yours]), "style": style}
    options |= _x_axis(labels) | _count_axis([count for _, count in bins])
    chart = pygal.StackedBar(print_values=False, **options)
    chart.x_labels = labels
    chart.add(peers, [None if i == marked else count for i, (_, count) in enumerate(bins)])
    chart.add(yours, [count if i == marked else None for i, (_, count) in enumerate(bins)])
    return render(chart, title)
