# %% [markdown]
# # 2.2 Vanishing and exploding gradients: one product, two failures
#
# Why does the gradient of a deep network vanish or explode, and which part of the network is to blame?
# [Chapter 2.1](01_backprop_from_scratch.ipynb) showed that backpropagation evaluates a product of layer
# Jacobians. Written for a network with hidden layers $h^{(1)}, \dots, h^{(D)}$ and activation $\phi$,
#
# $$\frac{\partial \ell}{\partial h^{(1)}} = \Big[\prod_{l=2}^{D} W^{(l)\top} \operatorname{diag}\big(\phi'(z^{(l)})\big)\Big]
#   \frac{\partial \ell}{\partial h^{(D)}},
# \qquad
# \Big\|\frac{\partial \ell}{\partial h^{(l-1)}}\Big\| \le \|W^{(l)}\|_2 \cdot \max_z|\phi'(z)| \cdot
#   \Big\|\frac{\partial \ell}{\partial h^{(l)}}\Big\| .$$
#
# **Both** vanishing and exploding gradients live in this one product: it vanishes when its factors are
# mostly smaller than 1 and explodes when they are mostly larger. Each factor has two parts — the
# activation's derivative and the weight matrix — and this chapter measures each part's contribution: first
# the activations, then the weights alone (deep linear networks), then weights large enough to explode
# through bounded activations, and finally the same product over *time* in a recurrent network.

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch

from gradcourse import clip, data, explorables, init, nets, optim, plots, problems, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
rng = np.random.default_rng(0)

# %% [markdown]
# ## Part 1 of each factor: the activation's derivative
#
# | activation $\phi$ | $\phi(z)$ | $\phi'(z)$ | range of $\phi'$ |
# |---|---|---|---|
# | sigmoid $\sigma$ | $1/(1+e^{-z})$ | $\sigma(z)\,(1-\sigma(z))$ | $(0, 1/4]$, largest at $z = 0$ |
# | tanh | $\tanh z$ | $1-\tanh^2 z$ | $(0, 1]$, largest at $z = 0$ |
# | ReLU | $\max(0, z)$ | $1$ if $z > 0$, else $0$ | $\{0, 1\}$ |
#
# A sigmoid layer shrinks the backward signal by at least 4 unless its weights make up for it; tanh can at
# best pass it unchanged; a ReLU passes it exactly (active units) or cuts it (inactive units). None of them
# can *amplify* it. The cell checks the table on a fine grid, with the derivatives of
# `gradcourse.nets.get_activation`.

# %%
z = np.linspace(-10.0, 10.0, 200_001)
slopes = {name: nets.get_activation(name).df(z) for name in ("sigmoid", "tanh", "relu")}

fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.6))
for name, d in slopes.items():
    axes[0].plot(z, nets.get_activation(name).f(z), label=name)
    axes[1].plot(z, d, label=name)
axes[0].set_ylim(-1.5, 3)
axes[0].set_title("Activations φ(z)")
axes[1].set_title("Their derivatives φ'(z): the factor each layer contributes")
for ax, label in zip(axes, ("φ(z)", "φ'(z)"), strict=True):
    ax.set_xlabel("pre-activation z")
    ax.set_ylabel(label)
    ax.legend()
plt.show()

claim(abs(slopes["sigmoid"].max() - 0.25) < 1e-12 and abs(slopes["tanh"].max() - 1.0) < 1e-12
      and set(np.unique(slopes["relu"])) == {0.0, 1.0},
      f"on the grid: max σ' = {slopes['sigmoid'].max():.4f}, max tanh' = {slopes['tanh'].max():.4f}, ReLU' ∈ {{0, 1}}")
claim(slopes["sigmoid"][0] < 1e-4, f"σ' is tiny on its flat tails: σ'(−10) = {slopes['sigmoid'][0]:.1e}")

# %% [markdown]
# ## Part 2 of each factor: the weights — deep linear networks
#
# Remove the activation altogether ($\phi(z) = z$, $\phi' = 1$). Each factor is then just $W^{(l)\top}$, and
# with weights drawn from $\mathcal N(0, a^2/n)$ in layers of width $n$, a vector $v$ keeps its expected
# squared length scaled by $a^2$: $\mathbb E\|W^\top v\|^2 = a^2\|v\|^2$. So after $k$ layers the gradient
# norm should be about $a^k$ times where it started:
#
# $$\log\Big\|\frac{\partial \ell}{\partial h^{(D-k)}}\Big\| \approx \log\Big\|\frac{\partial \ell}{\partial h^{(D)}}\Big\|
#   + k\log a .$$
#
# The cell builds 40-layer linear networks of width 128 (`NumpyMLP` with `activation="identity"`,
# `init="normal"`) for five scales $a$, back-propagates a mean-squared-error loss, fits a line to
# $\log\|\partial \ell/\partial h^{(l)}\|$ against the number of layers $k$ it has travelled through, and compares the
# slope with $\log a$.

# %%
width, depth = 128, 40
X = rng.normal(size=(32, width))
Y = rng.normal(size=(32, width))
scales = (0.5, 0.8, 1.0, 1.2, 1.5)


def linear_net(a):
    return nets.NumpyMLP([width] * (depth + 1), activation="identity", init="normal", std=a / np.sqrt(width), seed=0)


backward_norms, slopes_fit = {}, {}
for a in scales:
    _, _, signals = linear_net(a).loss_and_grads(X, Y, loss="mse")
    norms = np.array([np.linalg.norm(s) for s in signals])  # ∂ℓ/∂h^(l) for l = 1 … 39
    k = np.arange(len(norms))[::-1]  # layers travelled from the top hidden layer
    slopes_fit[a] = np.polyfit(k, np.log(norms), 1)[0]
    backward_norms[f"a = {a}"] = norms

plots.grad_norms_by_layer(backward_norms, title="Deep linear networks: ‖∂ℓ/∂h‖ scales like a^(layers travelled)",
                          ylabel="‖∂ℓ/∂h^(l)‖ (log scale)")
plt.show()

print(" a    | log a   | fitted slope per layer")
for a in scales:
    print(f" {a:<4} | {np.log(a):+.4f} | {slopes_fit[a]:+.4f}")
worst_slope = max(abs(slopes_fit[a] - np.log(a)) for a in scales)
claim(worst_slope < 0.05, f"the gradient norm changes by a per layer: fitted slopes match log a to {worst_slope:.3f}")

# %% [markdown]
# The slopes match $\log a$: in a network with no nonlinearity at all, $a = 0.5$ makes the gradient reaching
# the first layer $10^{-12}$ times smaller than at the top, and $a = 1.5$ makes it $10^{7}$ times larger.
# Vanishing and exploding gradients are not caused by nonlinearity; they are caused by a long product.
#
# ### Both factors at once: move the gain yourself
#
# Each factor is $W^{(l)\top}\operatorname{diag}(\phi'(z^{(l)}))$, so the right weight scale depends on the
# activation. The figure runs the same 40-layer networks of width 128 forward and backward (`NumpyMLP`), with
# weights from $\mathcal N(0, g^2/n)$, for three activations and gains $g$ from 0.5 to 2. Left: the standard
# deviation of each hidden layer's output $h^{(l)}$; right: that of the gradient $\partial\ell/\partial h^{(l)}$,
# relative to the top layer. It opens on ReLU with $g = 1$, right for a *linear* network: a ReLU zeros about half
# its units, and both curves fall by orders of magnitude. Drag $g$ to $1.4 \approx \sqrt2$ (He's gain
# {cite:p}`he2015delving`: $g^2/2 = 1$ makes up for the lost half) and both go flat; beyond it, they explode.
# Switch to linear: flat at $g = 1$. Switch to tanh: below 1 it vanishes; above 1 the activations level off under 1
# while the gradient grows, the faster the larger $g$ — a healthy-looking forward pass over an exploding backward
# one. No tanh gain keeps both flat; [3.9](../03_algorithms/09_initialization.ipynb#gains) derives the gains.

# %%
def times(r):
    return f"{r:.3g}" if 0.01 <= r < 1e4 else f"{r:.1e}"


kinds = {"ReLU": "relu", "tanh": "tanh", "linear": "identity"}
activation = explorables.Choice("act", list(kinds), label="activation", value="ReLU")
gain = explorables.Slider("gain", np.round(np.arange(5, 21) * 0.1, 1), label="gain g", value=1.0)
layer_rows, verdict_rows, spread, ratio = [], [], {}, {}
for label, kind in kinds.items():
    for g in gain.values:
        net = nets.NumpyMLP([width] * (depth + 1), activation=kind, init="normal",
                            std=init.kaiming_std(width, g), seed=0)  # std = g/√width
        out, cache = net.forward(X)
        _, signals = net.backward(cache, nets.mse_loss(out, Y)[1])
        act_std = np.array([h.std() for h in cache.h[1:]])  # hidden layers l = 1 … 39
        grad_std = np.array([s.std() for s in signals])  # ∂ℓ/∂h^(l), same layers
        key = (label, round(float(g), 1))
        spread[key], ratio[key] = act_std[-1] / act_std[0], grad_std[0] / grad_std[-1]
        verdict = "vanishing" if ratio[key] < 0.1 else "exploding" if ratio[key] > 10 else "roughly flat"
        layer_rows += explorables.rows(act=label, gain=g, layer=np.arange(1, depth), act_std=act_std,
                                       grad_rel=grad_std / grad_std[-1])
        verdict_rows += explorables.rows(
            act=label, gain=g,
            left=f"{label}, g = {g:.1f}: activation std ×{times(spread[key])} from layer 1 to {depth - 1}",
            right=f"gradient std ×{times(ratio[key])} from layer {depth - 1} to 1: {verdict}")
in_frame = explorables.frame(activation, gain)


def std_panel(column, title, text):
    y = explorables.axis(column, title, type="log", domain=[1e-10, 1e10])
    return {"layer": [
        {"mark": {"type": "rule", "strokeDash": [4, 3], "color": "#999"}, "encoding": {"y": {"datum": 1}}},
        {"data": {"name": "layers"}, "transform": [in_frame], "mark": {"type": "line", "point": True, "clip": True},
         "encoding": {"x": explorables.axis("layer", "hidden layer l"), "y": {**y, "axis": {"format": ".0e"}}}},
        {"data": {"name": "verdict"}, "transform": [in_frame],
         "mark": {"type": "text", "align": "left", "x": 4, "y": -8, "fontSize": 12},
         "encoding": {"text": {"field": text}}},
    ]}


explorables.figure(
    title=f"{depth}-layer networks of width {width}, weights N(0, g²/{width}): activation × gain",
    alt=f"Two panels for {depth}-layer networks of width {width} with weights drawn from N(0, g²/{width}), with a "
        "choice of activation (ReLU, tanh, linear) and a slider for the gain g from 0.5 to 2. Left: the standard "
        "deviation of each hidden layer's activations; right: the standard deviation of the gradient with respect to "
        "each hidden layer, relative to the top one; both on log scales. The first frame, ReLU with g = 1, shows "
        "both falling by orders of magnitude with depth (vanishing); for ReLU both stay flat near g = 1.4 (√2), "
        "and larger gains explode.",
    controls=[activation, gain],
    data={"layers": layer_rows, "verdict": verdict_rows},
    panels=[std_panel("act_std", "activation std of h^(l) (log scale)", "left"),
            std_panel("grad_rel", "std of ∂ℓ/∂h^(l) ÷ top layer's (log scale)", "right")],
    width=330, height=240,
)

# %%
claim(all(ratio[a, 0.5] < 1e-3 and ratio[a, 2.0] > 1e2 for a in kinds)
      and 0.1 < ratio["linear", 1.0] < 10 and 0.1 < ratio["ReLU", 1.4] < 10,
      f"layer 1's gradient std ÷ the top's: ReLU {ratio['ReLU', 1.0]:.0e} at g = 1, {ratio['ReLU', 1.4]:.1f} at "
      f"g = 1.4 (√2 = {init.calculate_gain('relu'):.3f}), {ratio['ReLU', 2.0]:.0e} at g = 2; "
      f"linear {ratio['linear', 1.0]:.1f} at g = 1")
claim(spread["tanh", 2.0] > 0.5 and ratio["tanh", 2.0] > 1e2,
      f"tanh, g = 2: the activations keep {spread['tanh', 2.0]:.0%} of their spread over {depth - 1} layers while "
      f"the gradient grows {ratio['tanh', 2.0]:.0f}×")

# %% [markdown]
# ## Which pass?
#
# Gradients exist only in the backward pass, and both failures are the same backward product being too small
# or too large — the figure above shows both, in the same pass of the same kind of network. The forward pass
# is governed by the same factors — in a linear network the activations scale like $a^l$ too, and the Jacobian
# of the output with respect to the input is the same product transposed, which is why the deep sigmoid
# network of [1.2](../01_background/02_first_experiment.ipynb) maps every image to the same hidden vector. But
# the forward *activations* need not be small: in a sigmoid network they stay around $0.5$ while the gradient
# vanishes. The cell measures both passes in both networks.
#
# ```{admonition} Common misconception
# :class: warning
# 「梯度消失问题主要出现在深度网络的前馈过程中」 (A1 §2.1: vanishing is "mainly in the forward pass"). **In fact**
# vanishing and exploding are both the backward product ([claim 3 in 6.2](../06_faq/02_claims_checked.ipynb#claim-3)).
# ```

# %%
_, cache = linear_net(0.5).forward(X)
forward_linear = np.array([np.linalg.norm(h) for h in cache.h])
forward_slope = np.polyfit(np.arange(len(forward_linear)), np.log(forward_linear), 1)[0]
claim(abs(forward_slope - np.log(0.5)) < 0.05,
      f"linear net, a = 0.5: forward ‖h‖ slope per layer {forward_slope:+.3f}, backward {slopes_fit[0.5]:+.3f}, "
      f"log a = {np.log(0.5):+.3f}")

digits = data.digits()
Xd, yd = digits.X_train[:512].astype(np.float64), digits.y_train[:512]
sig_net = nets.NumpyMLP([64] + [64] * 20 + [10], activation="sigmoid", init="default", seed=0)
_, sig_cache = sig_net.forward(Xd)
_, sig_grads, sig_signals = sig_net.loss_and_grads(Xd, yd, loss="cross_entropy")
act_rms = np.array([np.sqrt(np.mean(h**2)) for h in sig_cache.h[1:]])  # RMS of each hidden layer's output
signal_norms = np.array([np.linalg.norm(s) for s in sig_signals])
claim(act_rms.min() > 0.4 and act_rms.max() < 0.7 and signal_norms[0] < 1e-12 * signal_norms[-1],
      f"20-layer sigmoid net: RMS activations stay between {act_rms.min():.2f} and {act_rms.max():.2f}, while "
      f"‖∂ℓ/∂h‖ falls from {signal_norms[-1]:.1e} (top) to {signal_norms[0]:.1e} (bottom)")

# %% [markdown]
# ## Explosion through the weights, with bounded activations
#
# Since $|\phi'| \le 1$ for tanh, sigmoid and ReLU, growth of the backward signal can only come from the
# weights: $\|\partial \ell/\partial h^{(l-1)}\| \le \|W^{(l)}\|_2 \max|\phi'|\,\|\partial \ell/\partial h^{(l)}\|$, and
# the weights can push that factor far above 1. A 30-layer tanh network whose weights are drawn with scale
# $a = 3$ ($\mathcal N(0, 9/n)$, spectral norm about 6) explodes even though every $\tanh'$ is at most 1.
# The cell checks the bound at every layer and measures the growth.

# %%
tanh_net = nets.NumpyMLP([width] * 31, activation="tanh", init="normal", std=3.0 / np.sqrt(width), seed=0)
_, tanh_grads, tanh_signals = tanh_net.loss_and_grads(X, Y, loss="mse")
tanh_norms = np.array([np.linalg.norm(s) for s in tanh_signals])
spectral = np.array([np.linalg.norm(W, 2) for W, _ in tanh_net.params])

# tanh_signals[i] = ∂ℓ/∂h^(i+1); the step from h^(i+1) back to h^(i) goes through W^(i+1) = params[i] (i ≥ 1)
per_layer_growth = tanh_norms[:-1] / tanh_norms[1:]
bounds = spectral[1:-1] * 1.0  # ‖W^(l)‖₂ · max tanh'
print(f"spectral norms ‖W‖₂ ≈ {spectral.mean():.1f}; measured growth per layer: median {np.median(per_layer_growth):.2f}, "
      f"max {per_layer_growth.max():.2f}")
claim(np.all(per_layer_growth <= bounds) and tanh_norms[0] > 1e3 * tanh_norms[-1],
      f"every layer's growth stays below ‖W‖₂ · max|tanh'|, and the gradient still grows "
      f"{tanh_norms[0] / tanh_norms[-1]:.1e}× through {len(tanh_norms) - 1} tanh layers")

# %% [markdown]
# ```{admonition} Common misconception
# :class: warning
# 「梯度爆炸主要发生在激活函数的非线性过程中」 (A4 §2.2.2: explosion comes from the activations). **In fact**
# $|\phi'| \le 1$; the weights explode it, even with no activation ([claim 66](../06_faq/02_claims_checked.ipynb#claim-66)).
# ```
#
# ## What an exploding gradient does to training
#
# An exploding gradient produces huge steps that wreck the *training* loss — not overfitting, which is a low
# training loss with a higher validation loss (A2 §1 says explosion causes overfitting:
# [claim 29 in 6.2](../06_faq/02_claims_checked.ipynb#claim-29)). Below, a 10-layer ReLU network with weights of
# standard deviation $3/8$ — 2.1 times He initialization's $\sqrt{2/n_{\mathrm{in}}} = \sqrt{2/64}$ (and 3 times
# LeCun's $1/\sqrt{64}$), as the cell prints — diverges to NaN within a few steps of SGD: `gradcourse.train.train`
# stops it with `TrainingDiverged` and says where the first non-finite value appeared. A 10-layer tanh network
# with exploding gradients never reaches a good training accuracy, with no gap between training and validation.

# %%
split = data.digits(as_tensors=True)
print(f"std 3/8 = {3 / 8:.3f}: {3 / 8 / np.sqrt(2 / 64):.2f} × He's √(2/64) = {np.sqrt(2 / 64):.3f}, "
      f"{3 / 8 / np.sqrt(1 / 64):.2f} × LeCun's 1/√64")
relu_big = nets.mlp(64, 10, depth=10, width=64, activation="relu", init="normal", std=3.0 / 8.0, seed=0)
try:
    train.train(relu_big, split, optim.SGD(relu_big.parameters(), lr=0.05), epochs=5, progress=False)
    diverged = None
except train.TrainingDiverged as err:
    diverged = err
    print(str(err).splitlines()[0])
    print(f"losses before it: {[f'{v:.3g}' for v in err.history.loss]}")
claim(diverged is not None and diverged.step <= 10,
      f"exploding gradients wreck training: NaN at step {diverged.step if diverged else '—'}")

tanh_big = nets.mlp(64, 10, depth=10, width=64, activation="tanh", init="normal", std=5.0 / 8.0, seed=0)
h = train.train(tanh_big, split, optim.SGD(tanh_big.parameters(), lr=0.05), epochs=5, progress=False)
claim(h.train_acc[-1] < 0.5 and abs(h.train_acc[-1] - h.val_acc[-1]) < 0.1,
      f"tanh with exploding gradients (first-step ‖g‖ = {h.grad_norm[0]:.0f}): training accuracy "
      f"{h.train_acc[-1]:.2f}, validation {h.val_acc[-1]:.2f} — poor fit, no overfitting gap")

# %% [markdown]
# The practical test for explosion is to *watch the gradient norm* per layer and over time, as `train.train`
# does on every step (the `grad_norm` it recorded above), and as
# [4.4 diagnosing a network](../04_code/04_diagnosing_a_network.ipynb) does in depth. (A2 §2's test, "f′(x) > c
# means oscillation", is not a diagnostic: [claim 44 in 6.2](../06_faq/02_claims_checked.ipynb#claim-44).)
#
# ## The same product over time: recurrent networks
#
# A recurrent network applies the same layer at every time step, $h_t = \tanh(W_{xh}x_t + W_{hh}h_{t-1} + b)$.
# Back-propagation through time therefore multiplies by $W_{hh}^\top\operatorname{diag}(\tanh'(a_t))$ once per
# step ($a_t$ the pre-activation), with the **same** matrix each time but a diagonal that depends on the state.
# Without the diagonal, the size of $(W_{hh}^\top)^k$ is set by the **spectral radius** $\rho(W_{hh})$, the largest
# $|\lambda|$ among its eigenvalues: it shrinks like $\rho^k$ when $\rho < 1$ and grows when $\rho > 1$. This is
# the setting in which the problem was first analysed {cite:p}`hochreiter1991untersuchungen,bengio1994learning`.
#
# The cell runs `gradcourse.nets.TanhRNN` (32 hidden units, float64) over 60 random inputs with its recurrent
# matrix rescaled to $\rho \in \{0.5, 0.9, 1.5, 3\}$ and reads $\|\partial \ell/\partial h_t\|$ for a loss on the
# last output.

# %%
T = 60
x_seq = 0.5 * torch.randn(8, T, 1, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
through_time = {}
for rho in (0.5, 0.9, 1.5, 3.0):
    rnn = nets.TanhRNN(1, 32, 1, spectral_radius=rho, seed=0, dtype=torch.float64)
    out, states = rnn(x_seq, return_states=True)
    out.pow(2).mean().backward()
    norms = np.array([s.grad.norm().item() for s in states])[::-1]  # index = time lag T − t
    through_time[f"ρ(W_hh) = {rnn.spectral_radius():.1f}"] = norms

fig, ax = plt.subplots(figsize=(6.5, 4))
for label, norms in through_time.items():
    ax.semilogy(np.arange(T), norms / norms[0], label=label)
ax.set_title("Tanh RNN: gradient reaching h_t, relative to the last step")
ax.set_xlabel("time lag T − t (steps back from the loss)")
ax.set_ylabel("‖∂ℓ/∂h_t‖ / ‖∂ℓ/∂h_T‖ (log scale)")
ax.legend()
plt.show()

lag = 50
ratio = {label[-3:]: norms[lag] / norms[0] for label, norms in through_time.items()}
claim(ratio["0.5"] < 1e-10 and ratio["0.9"] < 1e-6 and ratio["3.0"] > 1e2,
      f"after {lag} steps back: ρ = 0.5 → {ratio['0.5']:.1e}, ρ = 0.9 → {ratio['0.9']:.1e} (vanish), "
      f"ρ = 3 → {ratio['3.0']:.1e} (explodes)")
claim(ratio["1.5"] < 10, f"ρ = 1.5 is not enough to explode: {ratio['1.5']:.1e} (saturated units have tanh' ≈ 0)")

# %% [markdown]
# With $\rho < 1$ the influence of an input 50 steps back is gone — the reason plain RNNs cannot learn
# long-term dependencies, and the reason for the LSTM's gates {cite:p}`hochreiter1997long`. With $\rho = 3$ it
# grows by orders of magnitude. With $\rho = 1.5$ it still decays: the $\tanh'$ factors of saturated units are
# near zero, so $\rho > 1$ is **not sufficient** for explosion.
#
# Nor is it **necessary**. What bounds each backward factor is the largest *singular* value:
# $\|W_{hh}^\top\operatorname{diag}(\tanh'(a_t))\| \le \sigma_{\max}(W_{hh})$ because $\tanh' \le 1$. So
# $\sigma_{\max} < 1$ forces the gradient to vanish, and $\sigma_{\max} > 1$ is the necessary condition for
# explosion that {cite:t}`pascanu2013difficulty` state for the nonlinear case. The spectral radius governs only
# the *linear* product $(W_{hh}^\top)^k$; once the diagonal changes from step to step, a matrix with $\rho < 1$
# but $\sigma_{\max} > 1$ can make the product grow. The cell builds one: $W_{hh} =
# \begin{pmatrix}0.8 & 1.6\\ -0.8 & -0.8\end{pmatrix}$ has $\rho = 0.8$ and $\sigma_{\max} \approx 2.1$. Inputs that
# saturate the two units in turn (pre-activation 4, so $\tanh' \approx 10^{-3}$, while the other unit sits at 0,
# $\tanh' = 1$) make every two backward steps multiply the gradient by close to $|w_{12}w_{21}| = 1.28$.

# %%
W_hh = torch.tensor([[0.8, 1.6], [-0.8, -0.8]], dtype=torch.float64)
rho = torch.linalg.eigvals(W_hh).abs().max().item()
sigma_max = torch.linalg.matrix_norm(W_hh, ord=2).item()


def rnn_states(alternate, steps=60):
    # h_t = tanh(W_hh h_{t−1} + u_t); with `alternate`, u_t sets the pre-activation to (4, 0) or (0, 4) in turn
    h, states = torch.zeros(2, dtype=torch.float64, requires_grad=True), []
    for t in range(steps):
        target = torch.tensor([4.0, 0.0] if t % 2 else [0.0, 4.0], dtype=torch.float64)
        u = (target - W_hh @ h).detach() if alternate else 0.1 * torch.ones(2, dtype=torch.float64)
        h = torch.tanh(W_hh @ h + u)
        h.retain_grad()
        states.append(h)
    states[-1].sum().backward()
    return np.array([s.grad.norm().item() for s in states])[::-1]  # index = time lag


saturating, quiet = rnn_states(alternate=True), rnn_states(alternate=False)
print(f"ρ(W_hh) = {rho:.2f}, σ_max(W_hh) = {sigma_max:.2f}; after 50 steps back: alternating saturation "
      f"{saturating[50] / saturating[0]:.1e}×, small inputs {quiet[50] / quiet[0]:.1e}×")
claim(rho < 1 < sigma_max and saturating[50] > 100 * saturating[0] and quiet[50] < 1e-3 * quiet[0],
      f"ρ = {rho:.1f} < 1, yet the gradient grows {saturating[50] / saturating[0]:.0f}× over 50 steps when the "
      f"saturation pattern alternates: ρ > 1 is neither necessary nor sufficient; σ_max = {sigma_max:.1f} > 1 is necessary")

# %% [markdown]
# A5 §3.2 writes the vanishing product over *training iterations*, $\nabla J(\theta_t) = \prod_i \sigma'(z_i)
# \nabla J(\theta_{t-1})$ ([claim 86 in 6.2](../06_faq/02_claims_checked.ipynb#claim-86)). Two things are wrong: the
# product runs over *layers* (or time steps of one sequence) inside **one** backward pass at **fixed**
# parameters, and each factor contains the weights, $W^{(l)\top}\operatorname{diag}(\sigma'(z^{(l)}))$ — the
# derivatives alone give the wrong answer. The cell checks both points on the 20-layer sigmoid network.

# %%
# (1) Without the weights, the product of σ' factors does not reproduce the back-propagated signal.
sig = nets.get_activation("sigmoid")
with_weights = sig_signals[-1].copy()
without_weights = sig_signals[-1].copy()
for l in range(sig_net.n_layers - 2, 0, -1):  # from ∂ℓ/∂h^(20) down to ∂ℓ/∂h^(1)
    W = sig_net.params[l][0]
    with_weights = (with_weights * sig.df(sig_cache.z[l])) @ W  # ∂ℓ/∂h^(l) = (∂ℓ/∂h^(l+1) ⊙ σ'(z^(l+1))) W^(l+1)
    without_weights = without_weights * sig.df(sig_cache.z[l])
error_with = np.linalg.norm(with_weights - sig_signals[0]) / np.linalg.norm(sig_signals[0])
error_without = np.linalg.norm(without_weights - sig_signals[0]) / np.linalg.norm(sig_signals[0])
claim(error_with < 1e-10 and error_without > 1e3,
      f"the factors are Wᵀ diag(σ'): relative error {error_with:.1e} with the weights, {error_without:.1e} "
      f"with σ' alone (A5)")

# (2) Gradients at consecutive training iterations are not related by one common factor.
shallow = nets.NumpyMLP([64, 32, 10], activation="sigmoid", init="default", seed=0)
g_prev = None
for _ in range(3):
    _, g, _ = shallow.loss_and_grads(Xd, yd, loss="cross_entropy")
    if g_prev is not None:
        with np.errstate(divide="ignore", invalid="ignore"):  # constant pixels have zero gradient: 0/0
            entry_ratios = g[0][0].ravel() / g_prev[0][0].ravel()
    g_prev = g
    shallow.sgd_step(g, lr=0.5)
spread = np.percentile(entry_ratios[np.isfinite(entry_ratios)], [10, 90])
claim(spread[1] - spread[0] > 0.05,
      f"no single factor maps one iteration's gradient to the next: g_t / g_(t−1) entry by entry spans "
      f"{spread[0]:.2f} … {spread[1]:.2f} (10th–90th percentile)")

# %% [markdown]
# ## Small gradients, stationary points and saddles
#
# A vanishing gradient is not a stationary point. $f'(a) = 0$ makes $a$ a *stationary point*; near it $f$ changes
# only quadratically ($f(x) \approx f(a) + \tfrac12 f''(a)(x-a)^2$) — it does not blow up there, as A2 §2 claims
# ([claim 40](../06_faq/02_claims_checked.ipynb#claim-40); its example $e^{-x^2}$ has its *maximum* at 0,
# [claim 41](../06_faq/02_claims_checked.ipynb#claim-41)). The 20-layer sigmoid network above sits at a high loss,
# with a large gradient for its last layers and a vanishing one for its first. And a *saddle point* (鞍点) is a
# stationary point where the loss curves up in some directions and down in others (the Hessian has eigenvalues
# of both signs), like $f = \theta_1^2 - \theta_2^2$ (`gradcourse.problems.SADDLE`) — not any point with a small
# derivative ([claim 42](../06_faq/02_claims_checked.ipynb#claim-42)).

# %%
x_grid = np.linspace(-3, 3, 601)
bump = np.exp(-x_grid**2)
near = np.linspace(-0.1, 0.1, 21)
claim(bump.max() == bump[300] == 1.0 and np.all(np.abs(np.exp(-near**2) - (1 - near**2)) < 1e-4),
      "e^(−x²) has its maximum at 0, and near that stationary point it changes quadratically, 1 − x²")

sig_loss = sig_net.loss_and_grads(Xd, yd, loss="cross_entropy")[0]
g_first, g_last = np.linalg.norm(sig_grads[0][0]), np.linalg.norm(sig_grads[19][0])
claim(sig_loss > 2.0 and g_last > 1e-3 and g_first < 1e-12,
      f"20-layer sigmoid net: loss {sig_loss:.3f} (ln 10 = {np.log(10):.3f}), far from a minimum; ‖g‖ last hidden "
      f"layer {g_last:.1e}, first {g_first:.1e}")

saddle_eigs = np.linalg.eigvalsh(problems.SADDLE.hessian(np.zeros(2)))
claim(np.all(problems.SADDLE.grad(np.zeros(2)) == 0) and saddle_eigs.min() < 0 < saddle_eigs.max(),
      f"SADDLE at 0: gradient zero, Hessian eigenvalues {saddle_eigs.tolist()} of both signs")

# %% [markdown]
# ## What clipping does — and does not do
#
# A2 §2 goes on to gradient clipping, momentum and Adam (their formulas are checked in
# [3.8](../03_algorithms/08_clipping.ipynb), [3.3](../03_algorithms/03_momentum_nesterov.ipynb),
# [3.5](../03_algorithms/05_adam_family.ipynb) and in the [conventions table](../03_algorithms/12_conventions.ipynb)).
# One point belongs here: clipping by global norm with threshold $c$ (torch's `max_norm`) rescales *all*
# gradients by the same factor $\min(1, c/\|g\|)$. It caps the length of an exploding step but keeps the
# direction — and so it keeps the ratio between layers: it does not touch the product itself.

# %%
tanh_weight_grads = [dW for dW, _ in tanh_grads]
clipped, total = clip.clip_by_global_norm(tanh_weight_grads, max_norm=1.0)
clipped_total = np.sqrt(sum(np.sum(g**2) for g in clipped))
ratio_before = np.linalg.norm(tanh_weight_grads[0]) / np.linalg.norm(tanh_weight_grads[-1])
ratio_after = np.linalg.norm(clipped[0]) / np.linalg.norm(clipped[-1])
claim(abs(clipped_total - 1.0) < 1e-5 and abs(ratio_after / ratio_before - 1) < 1e-12,
      f"clipping to c = 1: global norm {float(total):.1e} → {clipped_total:.3f}; first/last layer ratio "
      f"{ratio_before:.3e} → {ratio_after:.3e}, unchanged")

# %% [markdown]
# ## What we learned
#
# - Vanishing and exploding gradients are one phenomenon: the backward product
#   $\prod_l W^{(l)\top}\operatorname{diag}(\phi'(z^{(l)}))$ is too small or too large. Both happen in the backward
#   pass, although the forward signal obeys the same factors.
# - Activations contribute factors $\sigma' \le 1/4$ (sigmoid), $\le 1$ (tanh), $\in\{0,1\}$ (ReLU): they can
#   shrink the signal, never amplify it. Weights contribute the rest: in deep linear networks with weight scale
#   $a$ the gradient norm changes by $a$ per layer, and large weights make even a tanh network explode.
# - An exploding gradient wrecks *training*; it is not overfitting.
# - In a recurrent network the same matrix repeats at every step, but the $\tanh'$ diagonal changes with the
#   state: the spectral radius $\rho(W_{hh})$ alone decides nothing ($\rho = 1.5$ decayed, $\rho = 0.8$ grew);
#   $\sigma_{\max} > 1$ is necessary for explosion.
# - Clipping caps the step, it does not change the product.
#
# Next, [2.3](03_learning_rate.ipynb) turns to the other number every step multiplies: the learning rate.
