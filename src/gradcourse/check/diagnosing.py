"""Checks for part 4 (code): the source A5's XOR code repaired, and five networks to diagnose.

:func:`mystery_network` builds five deliberately different networks ("A" … "E") with
:func:`gradcourse.nets.mlp`; the exercise draws their gradient flow and activations with
:mod:`gradcourse.diagnostics` and :mod:`gradcourse.plots`, and the student names the problem from
:data:`~gradcourse.check.answers.DIAGNOSES`. The checks measure the same evidence and explain it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from gradcourse.check import keys
from gradcourse.check._core import WrongAnswer, call, compare, passed
from gradcourse.check._i18n import _
from gradcourse.check.answers import DIAGNOSES, check_choice, require_answer
from gradcourse.nets import activations

__all__ = [
    "MYSTERY_NETWORKS",
    "Evidence",
    "diagnose_a",
    "diagnose_b",
    "diagnose_c",
    "diagnose_d",
    "diagnose_e",
    "evidence",
    "mystery_network",
    "xor_a5_bug",
]


# --- exercise 4.1: the source A5's gradient descent, repaired ----------------------------------------------


def _unit_truth(X: np.ndarray, y: np.ndarray, lr: float, epochs: int) -> np.ndarray:
    """Gradient descent on ℓ(θ) = mean((y − σ(Xθ))²) from θ = 0, the gradient taken by torch's autograd."""
    Xt, yt = torch.as_tensor(X, dtype=torch.float64), torch.as_tensor(y, dtype=torch.float64)
    theta = torch.zeros(X.shape[1], dtype=torch.float64)
    for _unused in range(epochs):
        theta.requires_grad_(True)
        loss = ((yt - torch.sigmoid(Xt @ theta)) ** 2).mean()
        (grad,) = torch.autograd.grad(loss, theta)
        theta = (theta - lr * grad).detach()
    return theta.numpy()


def _unit_mistake(X: np.ndarray, y: np.ndarray, lr: float, epochs: int, *, sign: float, slope: str) -> np.ndarray:
    """A5's loop with ``sign`` = +1 (its uphill step) or −1, and σ' taken as ``slope`` = "none" (A5), "output"
    (σ'(z) = ŷ(1 − ŷ), right) or "z" (A5's sigmoid_derivative applied to z)."""
    m = len(X)
    theta = np.zeros(X.shape[1])
    for _unused in range(epochs):
        z = X @ theta
        y_pred = activations.sigmoid(z)
        factor = {"none": 1.0, "output": y_pred * (1 - y_pred), "z": z * (1 - z)}[slope]
        gradient = sign * X.T @ (2 * (y - y_pred) * factor) / m
        theta = theta - lr * gradient
    return theta


def xor_a5_bug(fn: Callable[..., Any]) -> None:
    """Exercise 4.1: ``fn(X, y, learning_rate, num_epochs)`` is A5's training loop for one sigmoid unit, repaired."""
    ex = "xor_a5_bug"
    rng = np.random.default_rng(6)
    features = rng.normal(size=(30, 2))
    cases = [
        (_("OR with a bias column"), np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float),
         np.array([0.0, 1.0, 1.0, 1.0]), 0.5),
        (_("30 random points, labels from a line"), np.column_stack([features, np.ones(30)]),
         (features[:, 0] - features[:, 1] > 0).astype(float), 0.3),
    ]
    mistakes = [
        (dict(sign=1.0, slope="none"), _("this still steps UPHILL, as A5's code does: the derivative of (y − ŷ)² "
                                         "with respect to ŷ is −2(y − ŷ), so the gradient carries a minus sign — and "
                                         "σ'(z) is missing too.")),
        (dict(sign=-1.0, slope="none"), _("the sign is fixed, but σ'(z) is missing: ŷ = σ(Xθ), so the chain rule "
                                          "multiplies by σ'(z) = ŷ(1 − ŷ) — that is what A5's "
                                          "sigmoid_derivative(y_pred) computes.")),
        (dict(sign=1.0, slope="output"), _("σ' is there now, but the step still goes uphill: the gradient of "
                                           "(y − ŷ)² is −2(y − ŷ)·σ'(z)·x; subtracting η times it must lower the "
                                           "loss.")),
        (dict(sign=-1.0, slope="z"), _("A5's sigmoid_derivative(x) = x(1 − x) expects the OUTPUT ŷ = σ(z); you "
                                       "passed z (at θ = 0 that gives 0, so nothing ever moves).")),
        (dict(sign=1.0, slope="z"), _("two things: the step goes uphill, and sigmoid_derivative must be given the "
                                      "output ŷ, not z.")),
    ]
    for case, X, y, lr in cases:
        for epochs in (0, 1, 10, 200):
            with np.errstate(all="ignore"):
                got = call(ex, fn, X.copy(), y.copy(), lr, epochs)
            diagnoses = [(_unit_mistake(X, y, lr, epochs, **kw), hint) for kw, hint in mistakes]
            compare(ex, got, _unit_truth(X, y, lr, epochs), name="θ",
                    case=_("{case}, η = {lr}, {epochs} epoch(s)").format(case=case, lr=lr, epochs=epochs),
                    diagnoses=diagnoses)
    return passed(ex, _("each step now goes downhill on ℓ(θ) = mean((y − σ(Xθ))²), as torch's autograd says."))


# --- exercises 4.2–4.6: five networks to diagnose ----------------------------------------------------------

#: The five networks: letter -> (activation, init, std for init "normal", bias to fill). The letters do not
#: follow the order of the options, and what is wrong with each is not written here: :data:`KEYS` holds only
#: salted hashes (the plain key is in ``exercises/teacher/keys.json``).
MYSTERY_NETWORKS: dict[str, tuple[str, str, float | None, float | None]] = {
    "A": ("relu", "kaiming_normal", None, -0.5),
    "B": ("tanh", "normal", 0.8, None),
    "C": ("relu", "kaiming_normal", None, None),
    "D": ("relu", "normal", 0.45, None),
    "E": ("sigmoid", "xavier_uniform", None, None),
}
#: keys.digest(f"diagnose_{letter}", diagnosis) of each network's diagnosis.
KEYS: dict[str, str] = {
    "A": "0365f1121038e83d", "B": "8f62aa2e33077eab", "C": "fe1cf492aa1d6b3e", "D": "fc8bebecf1104507",
    "E": "36f7539f9962e730",
}
_DEPTH, _WIDTH, _BATCH = 12, 32, 128


def mystery_network(name: str) -> tuple[torch.nn.Module, torch.Tensor, torch.Tensor]:
    """``(model, X, y)``: mystery network ``name`` ("A" … "E", 12 hidden layers of 32 units, seeded) and a
    batch of 128 digits to run it on. Each call builds a fresh copy."""
    from gradcourse import data, nets

    key = name.strip().upper() if isinstance(name, str) else name
    if key not in MYSTERY_NETWORKS:
        raise ValueError(_("name must be one of {names}, got {name}").format(names=list(MYSTERY_NETWORKS),
                                                                              name=repr(name)))
    activation, init, std, bias = MYSTERY_NETWORKS[key]
    model = nets.mlp(64, 10, depth=_DEPTH, width=_WIDTH, activation=activation, init=init, std=std, seed=0)
    if bias is not None:
        with torch.no_grad():
            for block in model.blocks:
                block.linear.bias.fill_(bias)
    split = data.digits(as_tensors=True)
    return model, split.X_train[:_BATCH], split.y_train[:_BATCH]


@dataclass(frozen=True)
class Evidence:
    """What the figures of one mystery network show, as numbers."""

    activation: str
    signal_ratio: float  # ‖∂ℓ/∂h⁽¹⁾‖ / ‖∂ℓ/∂h⁽¹²⁾‖ (backward signal at the first vs the last hidden layer)
    saturated: float  # share of tanh/sigmoid outputs on the flat tails (0 for ReLU)
    dead: float  # share of ReLU units that are 0 for every example (0 for tanh/sigmoid)
    loss: float

    def sentence(self) -> str:
        """The evidence in words, in the student's language."""
        if self.activation == "relu":
            return _("the backward signal at layer 1 is {ratio:.2g}× its size at layer {depth}; {dead:.0%} of the "
                     "ReLU units are 0 for every example; the loss is {loss:.3g} (chance level is ln 10 ≈ 2.3)").format(
                         ratio=self.signal_ratio, depth=_DEPTH, dead=self.dead, loss=self.loss)
        return _("the backward signal at layer 1 is {ratio:.2g}× its size at layer {depth}; {saturated:.0%} of the "
                 "{activation} outputs sit on the flat tails; the loss is {loss:.3g} (chance level is ln 10 ≈ "
                 "2.3)").format(ratio=self.signal_ratio, depth=_DEPTH, saturated=self.saturated,
                                activation=self.activation, loss=self.loss)


@functools.cache
def evidence(name: str) -> Evidence:
    """Measure the gradient flow and activation statistics of mystery network ``name`` (cached)."""
    import torch.nn.functional as F

    from gradcourse import diagnostics

    model, X, y = mystery_network(name)
    activation = MYSTERY_NETWORKS[name.strip().upper()][0]
    with diagnostics.LayerRecorder(model, (torch.nn.Sigmoid, torch.nn.Tanh, torch.nn.ReLU)) as rec:
        loss = F.cross_entropy(model(X), y)
        loss.backward()
    signals = list(rec.signal_norms().values())
    stats = list(rec.activation_stats().values())
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = float(np.divide(signals[0], signals[-1]))
    return Evidence(
        activation=activation,
        signal_ratio=ratio,
        saturated=float(np.mean([s.saturated or 0.0 for s in stats])),
        dead=float(np.mean([s.dead or 0.0 for s in stats])),
        loss=loss.item(),
    )


def _refuted(answer: str, e: Evidence) -> str | None:
    """Why the evidence ``e`` rules out ``answer`` as a symptom, or None if the symptom is present."""
    r = e.signal_ratio
    if answer == "lr_too_high":
        return _("these figures show the network at initialisation, before a single step: no learning rate has "
                 "acted yet, so none can be too high")
    if answer == "vanishing" and r >= 0.1:
        return _("the backward signal does not fade towards the input (layer 1 / layer {depth} = "
                 "{ratio:.2g})").format(depth=_DEPTH, ratio=r)
    if answer == "exploding" and r <= 10:
        return _("the backward signal does not grow towards the input (layer 1 / layer {depth} = "
                 "{ratio:.2g})").format(depth=_DEPTH, ratio=r)
    if answer == "saturated":
        if e.activation == "relu":
            return _("ReLU has no flat upper tail, so it cannot saturate (its failure mode is dying)")
        if e.saturated < 0.2:
            return _("only {saturated:.0%} of the {activation} outputs sit on the flat tails").format(
                saturated=e.saturated, activation=e.activation)
    if answer == "dead_relu":
        if e.activation != "relu":
            return _("this network has {activation} units, not ReLUs").format(activation=e.activation)
        if e.dead < 0.3:
            return _("only {dead:.0%} of the units are 0 for every example; about half the entries of a ReLU "
                     "layer are 0 for any one example, and that is normal").format(dead=e.dead)
    if answer == "healthy":
        return _("a healthy network keeps the backward signal within about 10× between the last and the first "
                 "layer, with few saturated or dead units and a loss near ln 10 ≈ 2.3 at the start")
    return None


def _causes() -> dict[str, str]:
    """What each diagnosis means, shown once the student has named it right (built when the check runs, so in the
    student's language)."""
    return {
        "vanishing":  # i18n: keep
            _("the signal fades layer after layer although no unit is saturated: every sigmoid layer multiplies it "
              "by σ'(z) ≤ 1/4"),
        "exploding":  # i18n: keep
            _("the weights are too large for ReLU (He's std would be √(2/{width}) = {std:.2f}): with std s every "
              "layer multiplies the signal's size by about s·√(n_in/2), forwards and backwards").format(
                  width=_WIDTH, std=(2 / _WIDTH) ** 0.5),
        "saturated":  # i18n: keep
            _("most tanh outputs sit at ±1, where tanh' ≈ 0: the weights push the pre-activations far out"),
        "dead_relu":  # i18n: keep
            _("most ReLUs output 0 for every example (their biases push them below zero), and no gradient flows "
              "back through a dead unit"),
        "healthy": "",  # i18n: keep
    }


def _diagnose(name: str, answer: Any) -> None:
    ex = f"diagnose_{name.lower()}"
    answer = require_answer(ex, answer)
    word = check_choice(ex, answer, DIAGNOSES, f"diagnosis_{name.lower()}")
    e = evidence(name)
    if keys.digest(ex, word) != KEYS[name]:
        refutation = _refuted(word, e) or _(
            "the figures do show {answer}, but here it is a symptom, not the cause — ask what produces it: the "
            "size of the weights, the biases, or the activation function").format(answer=repr(word))
        raise WrongAnswer(ex, _("network {name} is not {answer}: {refutation}.").format(
                              name=name, answer=repr(word), refutation=refutation),
                          _("look again at the evidence — {evidence}.").format(evidence=e.sentence()))
    cause = _causes().get(word)
    if cause:
        passed(ex, _("network {name} is {answer} ({cause}) — {evidence}.").format(
            name=name, answer=repr(word), cause=cause, evidence=e.sentence()))
    else:
        passed(ex, _("network {name} is {answer} — {evidence}.").format(name=name, answer=repr(word),
                                                                         evidence=e.sentence()))


def diagnose_a(answer: Any) -> None:
    """Exercise 4.2: name the problem of mystery network A."""
    return _diagnose("A", answer)


def diagnose_b(answer: Any) -> None:
    """Exercise 4.3: name the problem of mystery network B."""
    return _diagnose("B", answer)


def diagnose_c(answer: Any) -> None:
    """Exercise 4.4: name the problem of mystery network C."""
    return _diagnose("C", answer)


def diagnose_d(answer: Any) -> None:
    """Exercise 4.5: name the problem of mystery network D."""
    return _diagnose("D", answer)


def diagnose_e(answer: Any) -> None:
    """Exercise 4.6: name the problem of mystery network E."""
    return _diagnose("E", answer)
