"""Charts of the reports as plain data, and their geometry.

A :class:`Chart` holds what a chart says: its title and text summary, its series
(stacked in each bar), its categories (a month, a reseller, a village) with their
values, and the baseline where a comparison with it is valid. :func:`layout` works
out where everything goes, once, in a box 320 units wide with the y axis pointing
down (as SVG has it). Two thin painters draw the same layout: the Jinja macros of
``templates/reports/_charts.html`` as inline SVG, and :mod:`crm.documents.charts`
with reportlab's graphics for the PDFs; so a page and its PDF show the same bars and
the same numbers.

Two kinds:

* ``columns``: vertical bars, one per category (months along the bottom), stacked by
  series, with rupiah ticks on the left and a dashed baseline mark over each column
  whose comparison is valid;
* ``bars``: horizontal bars, one row per category with its name and amount above the
  bar (a phone is narrow), optionally under group headings (the villages of each
  Kecamatan), with a baseline tick on each row whose comparison is valid.

Pure: no Flask, no database; the texts arrive translated (see
:mod:`crm.reports.report_charts`).
"""

from dataclasses import dataclass

from crm.text.money import format_rupiah, format_rupiah_short

COLUMNS, BARS = "columns", "bars"
WIDTH = 320
# Font sizes (user units) of each text class; static/css/app.css says the same.
# A phone shows the 320 units about 300 px wide: 13 units are about 12 px there.
FONT = {"ch-tick": 11, "ch-label": 13, "ch-value": 13, "ch-legend": 12, "ch-note": 11,
        "ch-group": 13, "ch-mark": 13}
# A rough width of one character in units of the font size (no font is embedded,
# so widths are estimated; labels are kept well inside their room).
CHAR = 0.56
SERIES_CLASSES = 5  # ch-s0 … ch-s4; more series reuse the colours
TICKS = 4  # about this many steps up the value axis


@dataclass(frozen=True)
class Series:
    """One stacked part of every bar: ``key`` names it in code, ``name`` in the
    legend and the table."""

    key: str
    name: str
    # Its colour (ch-s0 …); None: by its place among the series.
    tone: int | None = None

    def css(self, place: int) -> str:
        return f"ch-s{(place if self.tone is None else self.tone) % SERIES_CLASSES}"


@dataclass(frozen=True)
class Category:
    """One bar. ``values`` has one whole-rupiah amount per series. ``baseline`` is set
    only where comparing with it is valid (otherwise None: no mark is drawn).
    ``name`` is the full name (hover and table; ``label`` the short axis text); a
    value None is not known (the table says the chart's ``missing``, the bar has no
    part for it),
    ``mark`` a short sign next to the bar explained by the chart's footnote,
    ``note`` what the table and the hover add, ``group`` the heading the category
    stands under (``bars`` only)."""

    label: str
    values: tuple[int | None, ...]
    name: str = ""
    baseline: int | None = None
    mark: str = ""
    note: str = ""
    group: str = ""

    @property
    def total(self) -> int:
        return sum(v for v in self.values if v)

    @property
    def full_name(self) -> str:
        return self.name or self.label


@dataclass(frozen=True)
class Chart:
    """What a chart says. ``summary`` is the text summary (the SVG's ``<desc>`` and
    the sentence under it); ``label_name``, ``total_name`` and ``baseline_name`` head
    the columns of its table (``baseline_name`` also names the baseline mark in the
    legend); ``footnote`` explains the ``mark`` of categories."""

    kind: str
    title: str
    summary: str
    series: tuple[Series, ...]
    categories: tuple[Category, ...]
    label_name: str = ""
    total_name: str = ""
    baseline_name: str = ""
    footnote: str = ""
    note_name: str = ""
    missing: str = ""

    @property
    def has_baseline(self) -> bool:
        return any(c.baseline is not None for c in self.categories)

    @property
    def has_notes(self) -> bool:
        return any(c.note for c in self.categories)

    @property
    def grouped(self) -> bool:
        return any(c.group for c in self.categories)

    @property
    def stacked(self) -> bool:
        return len(self.series) > 1

    @property
    def empty(self) -> bool:
        return not any(c.total for c in self.categories)

    def hover(self, category: Category) -> str:
        """The text shown on hover (the bar's ``<title>``): the name and the amount
        first, then the parts, the baseline and the note."""
        text = f"{category.full_name}: {format_rupiah(category.total)}"
        if self.stacked:
            parts = [f"{s.name} {format_rupiah(v)}"
                     for s, v in zip(self.series, category.values, strict=True) if v]
            if parts:
                text += " (" + ", ".join(parts) + ")"
        if category.baseline is not None:
            text += f"; {self.baseline_name} {format_rupiah(category.baseline)}"
        if category.note:
            text += f"; {category.note}"
        return text

    def layout(self) -> "Layout":
        return layout(self)


# --- scale ------------------------------------------------------------------------------


def nice_ticks(top: int, count: int = TICKS) -> tuple[int, ...]:
    """Ticks from 0 to at least ``top`` in about ``count`` round steps (1, 2, 2.5 or 5
    times a power of ten, whole rupiah): ``nice_ticks(1_234_000)`` →
    ``(0, 500000, 1000000, 1500000)``."""
    if top <= 0:
        return (0,)
    raw = -(-top // count)  # the smallest whole step that reaches top in count steps
    power = 10 ** (len(str(raw)) - 1)
    steps = [power, 2 * power, 5 * power, 10 * power]
    if power >= 10:
        steps.insert(2, power * 5 // 2)
    step = next(s for s in steps if s >= raw)
    last = -(-top // step) * step
    return tuple(range(0, last + 1, step))


def _scale(chart: Chart) -> tuple[int, ...]:
    top = max([c.total for c in chart.categories]
              + [c.baseline or 0 for c in chart.categories] + [0])
    return nice_ticks(top)


# --- geometry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A rectangle; ``cls`` gives its colour (``ch-s0`` … and the legend's)."""

    x: float
    y: float
    w: float
    h: float
    cls: str


@dataclass(frozen=True)
class Rule:
    """A straight line (grid, axis, baseline mark)."""

    x1: float
    y1: float
    x2: float
    y2: float
    cls: str


@dataclass(frozen=True)
class Label:
    """A text with its baseline at ``y``; ``anchor`` start, middle or end."""

    x: float
    y: float
    text: str
    cls: str
    anchor: str = "start"


@dataclass(frozen=True)
class Mark:
    """One category as drawn, with its hover text."""

    title: str
    boxes: tuple[Box, ...]
    rules: tuple[Rule, ...] = ()
    labels: tuple[Label, ...] = ()


@dataclass(frozen=True)
class Layout:
    """Everything to draw, in user units (y pointing down)."""

    width: float
    height: float
    rules: tuple[Rule, ...]
    labels: tuple[Label, ...]
    boxes: tuple[Box, ...]
    marks: tuple[Mark, ...]


def _r(value: float) -> float:
    """One decimal, and whole numbers without one: enough on any screen, and a
    small SVG."""
    value = round(value, 1)
    return int(value) if value == int(value) else value


def text_width(text: str, cls: str) -> float:
    """The estimated width of ``text`` in class ``cls``."""
    return len(text) * FONT[cls] * CHAR


def fit(text: str, room: float, cls: str) -> str:
    """``text`` cut with "…" to fit ``room`` (the hover and the table keep it whole)."""
    most = max(1, int(room / (FONT[cls] * CHAR)))
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"


def wrap(text: str, room: float, cls: str) -> list[str]:
    """``text`` broken into lines at spaces to fit ``room``."""
    most = max(8, int(room / (FONT[cls] * CHAR)))
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > most:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])


def _legend(chart: Chart, y: float) -> tuple[list[Box], list[Rule], list[Label], float]:
    """The legend from ``y`` down, wrapped to the width: a swatch per series (when
    stacked) and the dashed baseline mark. Returns its shapes and the y below it."""
    entries = [(s.css(n), s.name) for n, s in enumerate(chart.series) if chart.stacked]
    if chart.has_baseline:
        entries.append(("ch-base", chart.baseline_name))
    boxes, rules, labels = [], [], []
    if not entries:
        return boxes, rules, labels, y
    x, line = 0.0, 0
    for cls, name in entries:
        room = 15 + text_width(name, "ch-legend") + 10
        if x and x + room > WIDTH:
            x, line = 0.0, line + 1
        top = y + line * 17
        if cls == "ch-base":
            rules.append(Rule(x, _r(top + 6), x + 11, _r(top + 6), "ch-base"))
        else:
            boxes.append(Box(x, _r(top + 1), 11, 11, cls))
        labels.append(Label(_r(x + 15), _r(top + 11), name, "ch-legend"))
        x += room
    return boxes, rules, labels, y + (line + 1) * 17 + 4


def _footnote(chart: Chart, y: float) -> tuple[list[Label], float]:
    labels = []
    for line in wrap(chart.footnote, WIDTH, "ch-note") if chart.footnote else []:
        y += 14
        labels.append(Label(0, _r(y), line, "ch-note"))
    return labels, y


def _stack(values, classes, ticks_top: int, start: float, length: float, across: float,
           thickness: float, vertical: bool) -> tuple[Box, ...]:
    """The boxes of one stacked bar: from ``start`` along the value axis (upwards when
    ``vertical``), ``length`` units for ``ticks_top``."""
    boxes, done = [], 0
    for n, value in enumerate(values):
        if not value or value <= 0:
            continue
        a = start - length * (done + value) / ticks_top if vertical else \
            start + length * done / ticks_top
        size = length * value / ticks_top
        cls = classes[n]
        if vertical:
            boxes.append(Box(_r(across), _r(a), _r(thickness), _r(max(size, 0.5)), cls))
        else:
            boxes.append(Box(_r(a), _r(across), _r(max(size, 0.5)), _r(thickness), cls))
        done += value
    return tuple(boxes)


def _columns(chart: Chart) -> Layout:
    ticks = _scale(chart)
    top_value = ticks[-1] or 1
    classes = [s.css(n) for n, s in enumerate(chart.series)]
    boxes, rules, labels, y = _legend(chart, 0)
    tick_texts = [format_rupiah_short(t) for t in ticks]
    left = max(text_width(t, "ch-tick") for t in tick_texts) + 6
    plot_top, plot_height = y + 12, 120.0
    base = plot_top + plot_height
    for tick, text in zip(ticks, tick_texts, strict=True):
        ty = _r(base - plot_height * tick / top_value)
        rules.append(Rule(_r(left), ty, WIDTH, ty, "ch-axis" if tick == 0 else "ch-grid"))
        labels.append(Label(_r(left - 4), _r(ty + 3), text, "ch-tick", "end"))
    count = max(1, len(chart.categories))
    slot = (WIDTH - left) / count
    thickness = min(slot * 0.62, 40)
    marks = []
    for n, category in enumerate(chart.categories):
        x = left + slot * n
        bar_x = x + (slot - thickness) / 2
        bar = _stack(category.values, classes, top_value, base, plot_height, bar_x,
                     thickness, True)
        mark_rules, mark_labels = [], []
        if category.baseline is not None:
            by = _r(base - plot_height * category.baseline / top_value)
            mark_rules.append(Rule(_r(x + 2), by, _r(x + slot - 2), by, "ch-base"))
        if category.mark:
            height = plot_height * category.total / top_value
            mark_labels.append(Label(_r(x + slot / 2), _r(base - height - 3), category.mark,
                                     "ch-mark", "middle"))
        mark_labels.append(Label(_r(x + slot / 2), _r(base + 14),
                                 fit(category.label, slot, "ch-tick"), "ch-tick", "middle"))
        marks.append(Mark(chart.hover(category), bar, tuple(mark_rules), tuple(mark_labels)))
    notes, bottom = _footnote(chart, base + 18)
    return Layout(WIDTH, _r(bottom + 4), tuple(rules), tuple(labels + notes), tuple(boxes),
                  tuple(marks))


ROW = 36  # a row of the horizontal bars: its name and amount, then the bar
GROUP_ROW = 20


def _bars(chart: Chart) -> Layout:
    ticks = _scale(chart)
    top_value = ticks[-1] or 1
    classes = [s.css(n) for n, s in enumerate(chart.series)]
    boxes, rules, labels, y = _legend(chart, 0)
    length = WIDTH - 4.0
    rows_top = y
    marks, group = [], None
    for category in chart.categories:
        if category.group and category.group != group:
            group = category.group
            labels.append(Label(0, _r(y + 15), fit(group, WIDTH, "ch-group"), "ch-group"))
            y += GROUP_ROW
        amount = format_rupiah(category.total)
        room = WIDTH - text_width(amount, "ch-value") - 8
        name = fit(category.label + (f" {category.mark}" if category.mark else ""), room,
                   "ch-label")
        bar = _stack(category.values, classes, top_value, 0, length, y + 18, 11, False)
        mark_rules = []
        if category.baseline is not None:
            bx = _r(length * category.baseline / top_value)
            mark_rules.append(Rule(bx, _r(y + 15), bx, _r(y + 32), "ch-base"))
        marks.append(Mark(chart.hover(category), bar, tuple(mark_rules), (
            Label(0, _r(y + 13), name, "ch-label"),
            Label(WIDTH, _r(y + 13), amount, "ch-value", "end"))))
        y += ROW
    # Light grid lines behind the bars, with the ticks below.
    for tick in ticks:
        x = _r(length * tick / top_value)
        rules.insert(0, Rule(x, _r(rows_top), x, _r(y), "ch-axis" if tick == 0 else "ch-grid"))
        anchor = "start" if tick == 0 else ("end" if tick == ticks[-1] else "middle")
        labels.append(Label(x, _r(y + 12), format_rupiah_short(tick), "ch-tick", anchor))
    notes, bottom = _footnote(chart, y + 14)
    return Layout(WIDTH, _r(bottom + 4), tuple(rules), tuple(labels + notes), tuple(boxes),
                  tuple(marks))


def layout(chart: Chart) -> Layout:
    """Where everything of ``chart`` goes (see the module's docstring)."""
    return _columns(chart) if chart.kind == COLUMNS else _bars(chart)
