"""Figures a reader can move: sliders and choices over frames the library computed beforehand.

A chapter computes every frame with the library's own rules — one run per value on a small grid of slider
positions — and hands the rows to :func:`figure`. Moving a slider only chooses which precomputed rows are drawn;
no formula of the course is evaluated in JavaScript. The figure is a `Vega-Lite <https://vega.github.io/>`_ (v5)
specification, which shows itself

* in JupyterLab, through JupyterLab's built-in Vega-Lite renderer (no extension, no running kernel needed once
  the cell has run: the output is saved in the notebook);
* in the book, through vega-embed, which the book serves from its own ``_static`` folder (no network).

Example (a slider over the learning rate, one line per rate)::

    rate = explorables.Slider("eta", [0.1, 0.2, 0.3], label="learning rate η")
    rows = explorables.rows(eta=..., step=..., loss=...)   # every frame, long format
    explorables.figure(
        title="Loss per step", alt="...", controls=[rate], data=rows,
        layers=[{"mark": "line", "transform": [explorables.frame(rate)],
                 "encoding": {"x": explorables.axis("step", "step t"), "y": explorables.axis("loss", "loss")}}],
    )

The first frame (each control's ``value``) is what most readers see: choose it so that it tells the story.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _validate
from .plots import color_for

__all__ = ["MIMETYPE", "Choice", "Explorable", "Slider", "axis", "contour_layer", "contour_rows", "figure", "frame",
           "legend_toggle", "optimizer_colors", "rows"]

MIMETYPE = "application/vnd.vegalite.v5+json"
"""The output type JupyterLab renders itself (JupyterLab 4 ships Vega-Lite 5) and the book hands to vega-embed."""
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier: nothing fetches it
SIGNIFICANT_DIGITS = 5  # rows are rounded to this many significant digits: a page stays small, a line stays exact


@dataclass(frozen=True)
class Slider:
    """A slider over evenly spaced ``values`` (the grid the chapter precomputed); starts at ``value``."""

    name: str
    values: Sequence[float]
    label: str
    value: float | None = None

    def __post_init__(self) -> None:
        _name(self.name)
        grid = np.asarray(self.values, dtype=float)
        if grid.ndim != 1 or grid.size < 2 or not np.all(np.isfinite(grid)):
            raise ValueError(f"Slider {self.name!r}: values must be at least two finite numbers, got {self.values!r}")
        steps = np.diff(grid)
        if not (np.all(steps > 0) and np.allclose(steps, steps[0], rtol=1e-6, atol=0)):
            raise ValueError(f"Slider {self.name!r}: values must be increasing and evenly spaced (a slider moves in "
                             f"equal steps); got {list(grid)}. Use a Choice for an uneven grid.")
        if self.value is not None and not np.isclose(grid, self.value, rtol=0, atol=steps[0] / 2).any():
            raise ValueError(f"Slider {self.name!r}: value must be one of the values, got {self.value!r}")

    @property
    def step(self) -> float:
        return float(self.values[1]) - float(self.values[0])

    def param(self) -> dict:
        start = float(self.values[0] if self.value is None else self.value)
        return {"name": self.name, "value": _compact(start),
                "bind": {"input": "range", "min": _compact(self.values[0]), "max": _compact(self.values[-1]),
                         "step": _compact(self.step), "name": f"{self.label} "}}

    def selects(self, column: str) -> str:
        """The expression true for rows whose ``column`` is the slider's current value (half a step either way)."""
        return f"abs(datum[{json.dumps(column)}] - {self.name}) < {self.step / 2!r}"


@dataclass(frozen=True)
class Choice:
    """A choice among ``options`` (strings), shown as radio buttons (few options) or a drop-down list."""

    name: str
    options: Sequence[str]
    label: str
    value: str | None = None

    def __post_init__(self) -> None:
        _name(self.name)
        if len(self.options) < 2 or not all(isinstance(o, str) for o in self.options):
            raise ValueError(f"Choice {self.name!r}: options must be at least two strings, got {self.options!r}")
        if self.value is not None:
            _validate.choice(f"Choice {self.name!r}: value", self.value, list(self.options))

    def param(self) -> dict:
        widget = "radio" if len(self.options) <= 4 else "select"
        return {"name": self.name, "value": self.value if self.value is not None else self.options[0],
                "bind": {"input": widget, "options": list(self.options), "name": f"{self.label} "}}

    def selects(self, column: str) -> str:
        return f"datum[{json.dumps(column)}] === {self.name}"


Control = Slider | Choice


def frame(*controls: Control, columns: Mapping[str, str] | None = None) -> dict:
    """A filter keeping the rows of the frame the controls select; column ``c.name`` unless ``columns`` says."""
    if not controls:
        raise ValueError("frame() needs at least one Slider or Choice")
    columns = dict(columns or {})
    return {"filter": " && ".join(f"({c.selects(columns.get(c.name, c.name))})" for c in controls)}


def axis(column: str, title: str, *, kind: str = "quantitative", **scale: Any) -> dict:
    """An encoding channel: ``column`` plotted with axis ``title`` (units belong in it); ``scale`` options pass on
    (``domain=[0, 1]``, ``type="log"``, ``zero=False``, ``clamp=True``)."""
    channel = {"field": column, "type": kind, "title": title}
    if scale:
        channel["scale"] = scale
    return channel


def optimizer_colors(names: Sequence[str], column: str = "optimizer", title: str = "optimizer") -> dict:
    """A colour channel giving each optimizer its book colour (the same as in every static figure)."""
    return {"field": column, "type": "nominal", "title": title,
            "scale": {"domain": list(names), "range": [color_for(n) for n in names]}}


def legend_toggle(name: str = "shown", column: str = "optimizer") -> tuple[dict, dict]:
    """A click-the-legend selection and the opacity that follows it: (param, opacity channel).

    Clicking a legend entry keeps that series bright and dims the others; shift-click adds more; a double click
    on the plot shows all again. Put the param in the figure's ``selections`` and the opacity in each layer."""
    _name(name)
    param = {"name": name, "select": {"type": "point", "fields": [column]}, "bind": "legend"}
    opacity = {"condition": {"param": name, "value": 1.0}, "value": 0.12}
    return param, opacity


def rows(**columns: Iterable[Any] | Any) -> list[dict]:
    """Long-format rows from equal-length columns; a scalar repeats. Floats keep SIGNIFICANT_DIGITS digits and
    a NaN or infinity becomes a gap (null): JSON has no NaN, and a diverged run should not draw a line to it.

    >>> rows(eta=0.5, step=[0, 1], loss=[1.0, float("inf")])
    [{'eta': 0.5, 'step': 0, 'loss': 1.0}, {'eta': 0.5, 'step': 1, 'loss': None}]
    """
    if not columns:
        raise ValueError("rows() needs at least one column, e.g. rows(step=..., loss=...)")
    arrays = {k: v for k, v in columns.items() if not np.isscalar(v) and v is not None}
    lengths = {k: len(list(v) if not hasattr(v, "__len__") else v) for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"rows(): columns must have equal lengths, got {lengths}")
    n = next(iter(lengths.values())) if lengths else 1
    listed = {k: (list(v) if k in arrays else [v] * n) for k, v in columns.items()}
    return [{k: _compact(listed[k][i]) for k in columns} for i in range(n)]


def contour_rows(problem, levels: Sequence[float], *, n: int = 121) -> list[dict]:
    """Level curves of a 2-D ``problem`` (a :class:`gradcourse.problems.Objective`) as rows ``x1, x2, level,
    piece, order``, to draw under trajectories: a line layer with ``detail`` = piece and ``order`` = order."""
    import contourpy

    X1, X2, F = problem.grid(n)
    generator = contourpy.contour_generator(X1, X2, F)
    out: list[dict] = []
    piece = 0
    for level in levels:
        for line in generator.lines(float(level)):
            out += rows(x1=line[:, 0], x2=line[:, 1], level=float(level), piece=piece, order=np.arange(len(line)))
            piece += 1
    return out


def contour_layer(data_name: str = "contour") -> dict:
    """The layer drawing :func:`contour_rows` (pale grey level curves), from the named table ``data_name``."""
    return {"data": {"name": data_name}, "mark": {"type": "line", "strokeWidth": 0.8, "color": "#b8b8b8"},
            "encoding": {"x": {"field": "x1", "type": "quantitative"}, "y": {"field": "x2", "type": "quantitative"},
                         "detail": {"field": "piece", "type": "nominal"},
                         "order": {"field": "order", "type": "quantitative"}}}


@dataclass(frozen=True)
class Explorable:
    """A figure with controls: its Vega-Lite ``spec`` and a plain-text description ``alt`` (for screen readers and
    for a viewer that cannot draw it). Shows itself in JupyterLab and in the book."""

    spec: dict
    alt: str
    controls: tuple[Control, ...] = field(default=())

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {MIMETYPE: self.spec, "text/plain": self.alt}

    def nbytes(self) -> int:
        """The size of the figure in the page (bytes of its JSON)."""
        return len(json.dumps(self.spec, separators=(",", ":")).encode())


def figure(
    *,
    title: str,
    alt: str,
    controls: Sequence[Control],
    data: Sequence[Mapping[str, Any]] | Mapping[str, Sequence[Mapping[str, Any]]],
    layers: Sequence[dict] | None = None,
    panels: Sequence[dict] | None = None,
    selections: Sequence[dict] = (),
    width: int = 360,
    height: int = 260,
) -> Explorable:
    """Assemble an explorable figure.

    ``data`` is the rows of every frame (one table), or several named tables (``{"path": rows, "contour": rows}``;
    a layer then says ``"data": {"name": "path"}``). Give ``layers`` (drawn on one set of axes) or ``panels``
    (side by side, each a full Vega-Lite unit or layer spec). ``controls`` become the widgets under the plot, in
    order; ``selections`` are extra params such as :func:`legend_toggle`'s.
    """
    _validate.instance("title", title, str, "a string")
    if not alt.strip():
        raise ValueError("alt must describe the figure in words (what the first frame shows and what to move)")
    if (layers is None) == (panels is None):
        raise ValueError("give exactly one of layers= (one plot) or panels= (plots side by side)")
    for control in controls:
        _validate.instance("each of controls", control, (Slider, Choice), "a Slider or a Choice")
    names = [c.name for c in controls] + [s.get("name") for s in selections]
    if len(set(names)) != len(names):
        raise ValueError(f"controls and selections need distinct names, got {names}")
    spec: dict[str, Any] = {"$schema": SCHEMA, "title": {"text": title, "anchor": "start"},
                            "params": [c.param() for c in controls]}
    if isinstance(data, Mapping):
        spec["datasets"] = {k: list(v) for k, v in data.items()}
        default = next(iter(data))
        spec["data"] = {"name": default}
    else:
        spec["data"] = {"values": list(data)}
    if layers is not None:
        spec.update(width=width, height=height, layer=[dict(layer) for layer in layers])
        if selections:
            spec["layer"][0] = {**spec["layer"][0],
                                "params": [*spec["layer"][0].get("params", []), *selections]}
    else:
        spec["hconcat"] = [{"width": width, "height": height, **panel} for panel in panels]
        if selections:
            spec["hconcat"][0] = {**spec["hconcat"][0],
                                  "params": [*spec["hconcat"][0].get("params", []), *selections]}
        spec["resolve"] = {"scale": {"color": "shared"}}
    spec["config"] = {"background": "white", "font": "sans-serif", "view": {"stroke": "#bbb"},
                      "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True, "gridColor": "#e6e6e6"},
                      "legend": {"labelFontSize": 11, "titleFontSize": 12},
                      "title": {"fontSize": 14}}
    return Explorable(spec, alt.strip(), tuple(controls))


def _name(name: str) -> None:
    if not (isinstance(name, str) and name.isidentifier()):
        raise ValueError(f"a control's name must be a Python-style identifier (it names a Vega-Lite param), "
                         f"got {name!r}")


def _compact(value: Any) -> Any:
    """A JSON-ready value: numpy scalars become Python ones; floats keep SIGNIFICANT_DIGITS digits; NaN/inf → None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or isinstance(value, int | str) or value is None:
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    raise ValueError(f"rows(): a cell must be a number, string, bool or None, got {type(value).__name__} {value!r}")
