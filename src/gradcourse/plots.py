"""The book's figures: one look, one colour per optimizer, every axis labelled.

Each function draws one kind of figure and returns the matplotlib ``Figure`` so a notebook can check what
was drawn (``fig.axes[0].get_title()``) or save it (``fig.savefig("x.png")``). Single-panel functions take
``ax=`` to draw into a panel of your own figure instead of a new one.

- ``contour_with_trajectories(problem, {"sgd": path, "adam": path2})``, paths from ``problems.run``
- ``loss_curves({"sgd": losses, ...})`` and ``schedule_curves({"cosine": lrs, ...})``
- ``grad_norms_by_layer({"epoch 0": norms, ...})`` and ``grad_norms_over_time(norms_steps_by_layers)``
- ``histograms_by_layer([acts_layer1, acts_layer2, ...], activation="tanh")``
- ``heatmap(table, row_labels, col_labels, title=..., xlabel=..., ylabel=...)`` for a grid of results

Call ``use_book_style()`` once at the top of a chapter.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "BUNDLED_CJK_FONT",
    "COLORS",
    "SYSTEM_CJK_FONTS",
    "cjk_font",
    "color_for",
    "contour_with_trajectories",
    "grad_norms_by_layer",
    "grad_norms_over_time",
    "heatmap",
    "histograms_by_layer",
    "loss_curves",
    "schedule_curves",
    "style_for",
    "use_book_style",
]

# --- colours --------------------------------------------------------------------------------------
# Okabe & Ito's colour-blind-safe palette plus Paul Tol's "muted" colours (none too pale to see on white).
# Fourteen colours cannot all be told apart by every reader, so the family is also in the line style:
# solid = plain and momentum SGD and the Adam family, dashed = AdaGrad/RMSprop/Adadelta, dotted = layer-wise
# and sign methods. Within one line style every colour has a different hue.
COLORS: dict[str, str] = {
    "gd": "#777777",  # grey: full-batch gradient descent (the same rule as sgd)
    "sgd": "#000000",  # black
    "momentum": "#0072B2",  # blue
    "nesterov": "#56B4E9",  # sky blue
    "adam": "#D55E00",  # vermilion
    "amsgrad": "#882255",  # wine
    "adamw": "#CC79A7",  # reddish purple
    "nadam": "#E69F00",  # orange
    "radam": "#999933",  # olive
    "adagrad": "#009E73",  # bluish green
    "rmsprop": "#332288",  # indigo
    "adadelta": "#CC6677",  # rose
    "lars": "#117733",  # green
    "lamb": "#AA4499",  # purple
    "lion": "#44AA99",  # teal
}
"""One colour per optimizer name, used by every figure in the book."""

_LINESTYLES = {name: "--" for name in ("adagrad", "rmsprop", "adadelta")} | {
    name: ":" for name in ("lars", "lamb", "lion")
}


def color_for(name: str) -> str:
    """The book's colour for optimizer ``name`` (any case): ``color_for("Adam") == "#D55E00"``."""
    key = name.lower() if isinstance(name, str) else name
    if key not in COLORS:
        raise ValueError(f"no book colour for optimizer {name!r}; known names: {', '.join(COLORS)}")
    return COLORS[key]


def style_for(name: str) -> dict:
    """Colour and dashes for optimizer ``name``, to use as ``ax.plot(x, y, **style_for("adam"))``."""
    return {"color": color_for(name), "linestyle": _LINESTYLES.get(name.lower(), "-")}


def _line_style(label: str, i: int) -> dict:
    """The book style if ``label`` is an optimizer name, else the i-th colour of the default cycle."""
    if isinstance(label, str) and label.lower() in COLORS:
        return style_for(label)
    cycle = plt.rcParams["axes.prop_cycle"].by_key().get("color", ["C0"])
    return {"color": cycle[i % len(cycle)], "linestyle": "-"}


# --- style ----------------------------------------------------------------------------------------
SYSTEM_CJK_FONTS = (
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC",  # Linux
    "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti",  # macOS
    "Microsoft YaHei", "DengXian", "SimHei",  # Windows
)
"""Chinese fonts that operating systems ship, in order of preference; the first one installed is used."""

BUNDLED_CJK_FONT = "Noto Sans SC"
"""The Chinese font the course brings with its Python install (the ``pylopdf-fonts-zh-cn`` wheel, SIL OFL 1.1),
used when the system has none of ``SYSTEM_CJK_FONTS``: a figure never lacks Chinese glyphs for want of a font."""

_LAST_RESORT = "Last Resort High-Efficiency"  # ships with matplotlib >= 3.10: a box for any missing glyph


def _bundled_cjk_font_file() -> Path | None:
    try:
        from pylopdf_fonts_zh_cn import sans_path
    except ImportError:  # installed without its dependencies: fall back to boxes, never fail
        return None
    path = Path(sans_path())
    return path if path.is_file() else None


def cjk_font() -> str | None:
    """The font the book's figures use for Chinese: a system font when there is one, else the bundled one.

    Set the environment variable ``GRADCOURSE_CJK_FONT=bundled`` to always use the bundled font (the same
    figures on every machine; the course's CI builds the book this way, proving that no system font is needed).
    """
    installed = {f.name for f in font_manager.fontManager.ttflist}
    system = None
    if os.environ.get("GRADCOURSE_CJK_FONT", "").lower() != "bundled":
        system = next((name for name in SYSTEM_CJK_FONTS if name in installed), None)
    if system is not None:
        return system
    if BUNDLED_CJK_FONT not in installed:
        path = _bundled_cjk_font_file()
        if path is None:
            return None
        font_manager.fontManager.addfont(str(path))
    return BUNDLED_CJK_FONT


def use_book_style() -> None:
    """Set the book's matplotlib style (call once at the top of a chapter; it shows nothing).

    Clean axes with a light grid, 100 dpi PNG figures on an opaque white background (readable on the book's
    dark theme too), and fonts that can show Chinese: DejaVu Sans for Latin text, then ``cjk_font()``. Only
    fonts that ``matplotlib.font_manager`` actually has are named, so matplotlib never warns "font family not
    found".
    """
    cjk = cjk_font()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    families = ["DejaVu Sans"] + [name for name in (cjk, _LAST_RESORT) if name in installed]
    mpl.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "savefig.format": "png",
            "savefig.bbox": "tight",
            "figure.figsize": (6.4, 4.2),
            "figure.constrained_layout.use": True,
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
            "font.family": families,
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
            "lines.linewidth": 1.6,
            "image.cmap": "viridis",
        }
    )
    _inline_png()


def _inline_png() -> None:
    """Inside Jupyter, show figures as PNG (not SVG): small notebooks that look the same everywhere."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("png")


# --- helpers --------------------------------------------------------------------------------------
def _new_axes(ax: Axes | None) -> tuple[Figure, Axes]:
    if ax is None:
        return plt.subplots()
    if not isinstance(ax, Axes):
        raise ValueError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax.figure, ax


def _labels(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    for argname, text in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{argname} must be a non-empty string (every book figure is labelled), got {text!r}")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def _as_1d(name: str, key, values) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name}[{key!r}] must be a non-empty 1-D sequence of numbers, got shape {arr.shape}")
    return arr


def _line_panel(
    series: Mapping,
    *,
    argname: str,
    ax: Axes | None,
    title: str,
    xlabel: str,
    ylabel: str,
    log: bool,
    x0: int = 0,
    marker: str | None = None,
) -> Axes:
    """Plot each series of ``series`` against x0, x0 + 1, … in its book style, with legend and labels."""
    if not isinstance(series, Mapping) or not series:
        raise ValueError(f"{argname} must be a non-empty dict label -> values, got {type(series).__name__}")
    fig, ax = _new_axes(ax)
    for i, (label, values) in enumerate(series.items()):
        y = _as_1d(argname, label, values)
        ax.plot(np.arange(x0, x0 + len(y)), y, label=str(label), marker=marker, **_line_style(label, i))
    if log:
        ax.set_yscale("log")
    ax.legend()
    _labels(ax, title, xlabel, ylabel)
    return ax


# --- figures --------------------------------------------------------------------------------------
def contour_with_trajectories(
    problem,
    trajectories: Mapping[str, np.ndarray],
    *,
    ax: Axes | None = None,
    levels: int = 25,
    title: str | None = None,
) -> Figure:
    """Contours of a 2-D ``problem`` (gradcourse.problems) with optimizer paths drawn on top.

    Contour levels are log-spaced above the smallest value on the grid, so both the steep walls and the
    floor of the valley show. Each path is a line with a circle at its start and a square at its end; the
    minimum (if the problem has one) is a star. Paths that leave the window are cut at its edge, and
    :func:`gradcourse.problems.diverged` paths get "(diverged)" in the legend.
    """
    from gradcourse.problems import Objective, diverged

    if not isinstance(problem, Objective):
        raise ValueError(f"problem must be a gradcourse.problems.Objective, got {type(problem).__name__}")
    if not isinstance(trajectories, Mapping):
        raise ValueError(f"trajectories must be a dict name -> path array, got {type(trajectories).__name__}")
    if not isinstance(levels, (int, np.integer)) or levels < 2:
        raise ValueError(f"levels must be an integer >= 2 (number of contour lines), got {levels!r}")
    fig, ax = _new_axes(ax)
    X1, X2, F = problem.grid()
    span = F.max() - F.min()
    if span > 0:
        log_levels = F.min() + np.geomspace(span * 1e-4, span, levels)
        ax.contour(X1, X2, F, levels=log_levels, colors="0.65", linewidths=0.8)
    for i, (name, path) in enumerate(trajectories.items()):
        path = np.asarray(path, dtype=float)
        if path.ndim != 2 or path.shape[1] != 2 or len(path) == 0:
            raise ValueError(f"trajectories[{name!r}] must have shape (steps + 1, 2), got shape {path.shape}")
        style = _line_style(name, i)
        label = f"{name} (diverged)" if diverged(path) else str(name)
        ax.plot(path[:, 0], path[:, 1], marker=".", markersize=3, label=label, **style)
        finite = path[np.all(np.isfinite(path), axis=1)]
        if len(finite):
            ax.plot(*finite[0], marker="o", markersize=7, color=style["color"], markerfacecolor="white")
            ax.plot(*finite[-1], marker="s", markersize=6, color=style["color"])
    if problem.minimum is not None:
        ax.plot(
            *problem.minimum,
            marker="*",
            markersize=14,
            color="gold",
            markeredgecolor="black",
            linestyle="none",
            label="minimum",
        )
    ax.set_xlim(problem.xlim)
    ax.set_ylim(problem.ylim)
    _labels(ax, title or f"{problem.name}: optimizer paths (○ start, ■ end)", "x₁", "x₂")
    ax.grid(False)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize="small")
    return fig


def loss_curves(
    histories: Mapping[str, Sequence[float]],
    *,
    log: bool = True,
    ax: Axes | None = None,
    title: str = "Training loss",
    xlabel: str = "step",
    ylabel: str = "loss",
) -> Figure:
    """One loss curve per run, ``{"sgd": losses, "adam": losses2}``; log-scale y by default.

    Use ``xlabel="epoch"`` for per-epoch losses. On a log scale values <= 0 are not drawn (log 0 = −∞).
    """
    ax = _line_panel(histories, argname="histories", ax=ax, title=title, xlabel=xlabel, ylabel=ylabel, log=log)
    return ax.figure


def schedule_curves(
    schedules: Mapping[str, Sequence[float]],
    *,
    log: bool = False,
    ax: Axes | None = None,
    title: str = "Learning-rate schedules",
    xlabel: str = "step",
) -> Figure:
    """Learning rate η against step for each schedule, ``{"cosine": values, "step decay": values2}``."""
    ylabel = "learning rate η"
    ax = _line_panel(schedules, argname="schedules", ax=ax, title=title, xlabel=xlabel, ylabel=ylabel, log=log)
    return ax.figure


def grad_norms_by_layer(
    norms: Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
    title: str = "Gradient norm per layer",
    ylabel: str = "‖g‖₂",
) -> Figure:
    """Gradient norm ‖g‖₂ of each layer against depth (layer 1 = next to the input), log y.

    ``norms`` maps a label (a setting, or "epoch 3") to one number per layer. Vanishing gradients show as a
    line falling towards the input, exploding ones as a line rising towards it.
    """
    xlabel = "layer (1 = input side)"
    ax = _line_panel(
        norms, argname="norms", ax=ax, title=title, xlabel=xlabel, ylabel=ylabel, log=True, x0=1, marker="o"
    )
    ax.xaxis.get_major_locator().set_params(integer=True)
    return ax.figure


def grad_norms_over_time(
    norms,
    *,
    layer_labels: Sequence[str] | None = None,
    log: bool = True,
    ax: Axes | None = None,
    title: str = "Gradient norm per layer during training",
    xlabel: str = "step",
    ylabel: str = "‖g‖₂",
) -> Figure:
    """Each layer's gradient norm over training: ``norms`` has shape (steps, layers); deeper = lighter."""
    arr = np.asarray(norms, dtype=float)
    if arr.ndim != 2 or arr.size == 0:
        raise ValueError(f"norms must be a 2-D array of shape (steps, layers), got shape {arr.shape}")
    n_layers = arr.shape[1]
    labels = [f"layer {k}" for k in range(1, n_layers + 1)] if layer_labels is None else list(layer_labels)
    if len(labels) != n_layers:
        raise ValueError(f"layer_labels has {len(labels)} names but norms has {n_layers} layers (columns)")
    fig, ax = _new_axes(ax)
    shades = plt.get_cmap("viridis")(np.linspace(0.0, 0.9, n_layers))
    for k in range(n_layers):
        ax.plot(np.arange(len(arr)), arr[:, k], color=shades[k], label=labels[k])
    if log:
        ax.set_yscale("log")
    _labels(ax, title, xlabel, ylabel)
    ax.legend(fontsize="small", ncol=max(1, n_layers // 8))
    return fig


def histograms_by_layer(
    values: Sequence | Mapping,
    *,
    labels: Sequence[str] | None = None,
    bins: int = 50,
    activation: str | None = None,
    title: str = "Activations by layer",
    xlabel: str = "activation value",
) -> Figure:
    """One histogram panel per layer (same x range for all, so layers compare at a glance).

    ``values`` is a list with one array (or tensor) of activations or gradients per layer, or a dict
    layer name -> array. With ``activation="tanh"`` or ``"sigmoid"`` each panel title also gives the share
    of saturated units, with ``"relu"`` the share of exact zeros — measured by
    :func:`gradcourse.diagnostics.activation_stats` (tanh: |a| > 0.97, where tanh' = 1 − a² < 0.06).
    """
    if isinstance(values, Mapping):
        labels = list(values) if labels is None else labels
        values = list(values.values())
    if not isinstance(values, Sequence) or len(values) == 0:
        raise ValueError("values must be a non-empty list with one array per layer (or a dict name -> array)")
    arrays = [_finite_flat(v) for v in values]
    if any(a.size == 0 for a in arrays):
        raise ValueError("every layer in values needs at least one finite number")
    labels = [f"layer {k}" for k in range(1, len(arrays) + 1)] if labels is None else list(labels)
    if len(labels) != len(arrays):
        raise ValueError(f"labels has {len(labels)} names but values has {len(arrays)} layers")
    if activation not in (None, "tanh", "sigmoid", "relu"):
        raise ValueError(f"activation must be None, 'tanh', 'sigmoid' or 'relu', got {activation!r}")
    lo = min(a.min() for a in arrays)
    hi = max(a.max() for a in arrays)
    ncols = min(len(arrays), 5)
    nrows = -(-len(arrays) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.6 * ncols, 2.4 * nrows), squeeze=False)
    for ax, a, label in zip(axes.flat, arrays, labels, strict=False):
        ax.hist(a, bins=bins, range=(lo, hi) if hi > lo else None, color="#0072B2")
        if activation is not None:
            label = f"{label}\n{_share_note(a, activation)}"
        _labels(ax, str(label), xlabel, "count")
    for ax in axes.flat[len(arrays) :]:
        fig.delaxes(ax)
    fig.suptitle(title)
    return fig


def _finite_flat(values) -> np.ndarray:
    """The finite entries of an array or torch tensor, as a flat float numpy array."""
    if hasattr(values, "detach"):
        values = values.detach().cpu().numpy()
    a = np.asarray(values, dtype=float).ravel()
    return a[np.isfinite(a)]


def _share_note(a: np.ndarray, activation: str) -> str:
    import torch

    from gradcourse.diagnostics import activation_stats

    stats = activation_stats(torch.as_tensor(a), activation)
    return f"{stats.zero:.1%} zero" if activation == "relu" else f"{stats.saturated:.1%} saturated"


def heatmap(
    table,
    row_labels: Sequence,
    col_labels: Sequence,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    fmt: str = "{:.3g}",
    cmap: str = "viridis",
    ax: Axes | None = None,
) -> Figure:
    """A grid of results (e.g. final loss for each learning rate × initialization), each cell written out.

    ``table[i][j]`` belongs to ``row_labels[i]`` and ``col_labels[j]``. Non-finite cells (a diverged run)
    are left white and marked "nan"/"inf". Title and axis labels are required: a results grid is
    unreadable without them.
    """
    arr = np.asarray(table, dtype=float)
    if arr.ndim != 2 or arr.shape != (len(row_labels), len(col_labels)):
        raise ValueError(
            f"table must have shape (len(row_labels), len(col_labels)) = ({len(row_labels)}, "
            f"{len(col_labels)}), got shape {arr.shape}"
        )
    fig, ax = _new_axes(ax)
    finite = arr[np.isfinite(arr)]
    norm = mpl.colors.Normalize(*(finite.min(), finite.max()) if finite.size else (0.0, 1.0))
    image = ax.imshow(np.ma.masked_invalid(arr), cmap=cmap, norm=norm, aspect="auto")
    for (i, j), value in np.ndenumerate(arr):
        if np.isfinite(value):
            dark = np.dot(image.cmap(norm(value))[:3], [0.299, 0.587, 0.114]) < 0.5
            ax.text(j, i, fmt.format(value), ha="center", va="center", color="white" if dark else "black")
        else:
            ax.text(j, i, str(value), ha="center", va="center", color="black")
    ax.set_xticks(range(len(col_labels)), [str(c) for c in col_labels])
    ax.set_yticks(range(len(row_labels)), [str(r) for r in row_labels])
    ax.grid(False)
    _labels(ax, title, xlabel, ylabel)
    return fig
