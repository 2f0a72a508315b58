"""Small server-rendered SVG charts: pure Python, no JavaScript, no external fonts or files.

Every function returns one complete inline ``<svg>`` string, to be put in a template with
``|safe`` (all caller text is escaped here). The charts:

- scale with their container: a fixed ``viewBox`` plus ``width="100%"`` (and a ``max-width`` of
  MAX_WIDTH_PX in static/css/app.css, ``svg.chart``, so they do not blow up on a wide desktop
  card; no inline style, which the Content-Security-Policy would block); the viewBox is 360 units wide, about the width a
  card has on a 390 px phone, so 13-unit text stays about 12 px there;
- are accessible: ``role="img"``, a ``<title>``, a ``<desc>`` and an ``aria-label`` that says the
  data in words (Chinese, like the rest of the UI);
- use no ``id`` attributes, so many charts can share one page, and no randomness, so the same
  input always gives the same string (cacheable, testable).

Text widths cannot be measured on the server, so they are estimated (``_text_width``): CJK and
other wide characters count 1 em, everything else 0.62 em, which errs on the wide side.
"""

from .bars import bar_chart, pace_bar_chart, progress_bar
from .columns import stacked_column_chart
from .donut import donut_chart
from .lines import line_chart
from .svg import LIGHT_COLORS, MAX_WIDTH_PX, PALETTE

__all__ = [
    "LIGHT_COLORS",
    "MAX_WIDTH_PX",
    "PALETTE",
    "bar_chart",
    "donut_chart",
    "line_chart",
    "pace_bar_chart",
    "progress_bar",
    "stacked_column_chart",
]
