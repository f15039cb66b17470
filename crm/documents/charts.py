"""A chart of :mod:`crm.reports.charts` drawn with reportlab's graphics, for the PDFs:
the same layout the pages draw as SVG (:func:`crm.reports.charts.layout`), so the
PDF and the page show the same bars and the same numbers.

The layout's y axis points down (as in SVG); reportlab's points up, so every y is
turned over here. The drawing is scaled to the width it is given. Pure: a chart in,
a :class:`~reportlab.graphics.shapes.Drawing` (a flowable) out.
"""

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from crm.documents.style import HEAD_FILL, INK, LINE, MUTED, para
from crm.reports.charts import FONT, Chart
from crm.text.money import group_digits

# The colours of the classes of static/css/app.css ("Charts").
FILLS = {
    "ch-s0": colors.HexColor("#166534"), "ch-s1": colors.HexColor("#0e7490"),
    "ch-s2": colors.HexColor("#b45309"), "ch-s3": colors.HexColor("#6d28d9"),
    "ch-s4": colors.HexColor("#475569"),
}
STROKES = {
    "ch-grid": (colors.HexColor("#e5e7eb"), 0.6, None),
    "ch-axis": (colors.HexColor("#6b7280"), 0.6, None),
    "ch-base": (colors.HexColor("#b91c1c"), 1.4, [4, 2]),
}
TEXT_COLOURS = {"ch-tick": MUTED, "ch-note": MUTED, "ch-group": colors.HexColor("#14532d")}
BOLD = ("ch-value", "ch-group", "ch-mark")


def _string(label, height: float) -> String:
    bold = label.cls in BOLD
    return String(label.x, height - label.y, label.text, fontSize=FONT[label.cls],
                  fontName="Helvetica-Bold" if bold else "Helvetica",
                  fillColor=TEXT_COLOURS.get(label.cls, INK), textAnchor=label.anchor)


def _line(rule, height: float) -> Line:
    colour, width, dashes = STROKES[rule.cls]
    return Line(rule.x1, height - rule.y1, rule.x2, height - rule.y2, strokeColor=colour,
                strokeWidth=width, strokeDashArray=dashes)


def _rect(box, height: float) -> Rect:
    return Rect(box.x, height - box.y - box.h, box.w, box.h, fillColor=FILLS[box.cls],
                strokeColor=None)


def chart_drawing(chart: Chart, width: float) -> Drawing:
    """``chart`` as a reportlab Drawing ``width`` points wide."""
    lay = chart.layout()
    scale = width / lay.width
    group = Group()
    h = lay.height
    for rule in lay.rules:
        group.add(_line(rule, h))
    for box in lay.boxes:
        group.add(_rect(box, h))
    for label in lay.labels:
        group.add(_string(label, h))
    for mark in lay.marks:
        for box in mark.boxes:
            group.add(_rect(box, h))
        for rule in mark.rules:
            group.add(_line(rule, h))
        for label in mark.labels:
            group.add(_string(label, h))
    group.scale(scale, scale)
    drawing = Drawing(width, h * scale)
    drawing.add(group)
    return drawing


def _cell_styles(base: ParagraphStyle) -> tuple[ParagraphStyle, ParagraphStyle]:
    cell = ParagraphStyle("ch-cell", parent=base, fontSize=7.5, leading=9, spaceAfter=0,
                          alignment=0)
    return cell, ParagraphStyle("ch-num", parent=cell, alignment=2)


def chart_table(chart: Chart, base: ParagraphStyle, width: float) -> Table:
    """The numbers of ``chart`` as a table ``width`` points wide, the same columns as
    the page's table under the chart (figures in rupiah, the heading says so)."""
    cell, num = _cell_styles(base)
    header = ([chart.label_name] if not chart.grouped else ["Kecamatan", chart.label_name])
    figures = [s.name for s in chart.series] if chart.stacked else []
    figures.append(chart.total_name)
    if chart.has_baseline:
        figures.append(chart.baseline_name)
    rows = [[para(h, cell) for h in header] + [para(f"{h} (Rp)", num) for h in figures]
            + ([para(chart.note_name, cell)] if chart.has_notes else [])]
    for c in chart.categories:
        row = [c.group, c.full_name] if chart.grouped else [c.full_name]
        parts = [chart.missing if v is None else group_digits(v)
                 for v in (c.values if chart.stacked else ())]
        parts.append(group_digits(c.total))
        if chart.has_baseline:
            parts.append("-" if c.baseline is None else group_digits(c.baseline))
        cells = [para(v, cell) for v in row] + [para(v, num) for v in parts]
        if chart.has_notes:
            cells.append(para(c.note, cell))
        rows.append(cells)
    first = 30 * mm * len(header)
    notes = 34 * mm if chart.has_notes else 0
    rest = (width - first - notes) / len(figures)
    widths = [30 * mm] * len(header) + [rest] * len(figures) + ([notes] if notes else [])
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, LINE),
        ("BOX", (0, 0), (-1, -1), 0.6, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table
