# %% [markdown]
# # 3.9 Initialization
#
# **How large should the initial weights be, and why does the answer depend on the layer's width and on the
# activation?** Zero does not work (all units of a layer would stay identical), so we draw random numbers — but of
# what size? Too small, and the signal shrinks a little in every layer; too large, and it grows or saturates the
# activations. Over 20 or 30 layers "a little" becomes a factor of $10^{-10}$ or $10^{10}$, forward (activations)
# and backward (gradients).
#
# We derive the variance rule and the *gains* $\sqrt2$ (ReLU) and $5/3$ (tanh), reproduce the experiments of
# {cite:t}`glorot2010understanding` (tanh) and {cite:t}`he2015delving` (ReLU), look at orthogonal initialization
# {cite:p}`saxe2014exact`, find out what PyTorch does by default, and see why a gain rescues sigmoid units only once
# their outputs are centred.
# Every scheme is drawn by `gradcourse.init`, whose scales are single small functions (`xavier_std`,
# `kaiming_std` …) shared by its numpy and torch samplers.

# %% tags=["hide-input"]
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from gradcourse import data, diagnostics, init, nets, optim, plots, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

rng = seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## How variance travels through a layer
#
# Take layer $l$ of a network of depth $D$, $z^{(l)} = W^{(l)} h^{(l-1)}$, with $n_{\rm in}$ inputs and $n_{\rm out}$
# outputs. Assume the weights are independent, with mean 0 and variance $\mathrm{Var}(W)$, and independent of the
# inputs. Then each $z_i$ is a sum of $n_{\rm in}$ independent terms, and
#
# $$\mathrm{Var}(z_i) = \sum_{j=1}^{n_{\rm in}} \mathrm{Var}(W_{ij} h_j) = n_{\rm in}\,\mathrm{Var}(W)\,\mathbb{E}[h_j^2].$$
#
# Going back, $\partial\ell/\partial h^{(l-1)} = W^{(l)\top}\,\partial\ell/\partial z^{(l)}$ is a sum over the
# $n_{\rm out}$ outputs, so the backward variance is multiplied by $n_{\rm out}\mathrm{Var}(W)$ (times the
# activation's slope $\mathbb{E}[\phi'(z)^2]$). Over $D$ layers these factors multiply. Keeping them at 1 gives
# the classical rules:
#
# | rule | $\mathrm{Var}(W)$ | keeps | library |
# |---|---|---|---|
# | LeCun {cite:p}`lecun1998efficient` | $1/n_{\rm in}$ | the forward signal of a linear layer | `lecun_normal` |
# | Glorot / Xavier ("normalized") | $2/(n_{\rm in}+n_{\rm out})$ | a compromise between forward and backward | `xavier_normal`, `xavier_uniform` |
# | He / Kaiming | $2/n_{\rm in}$ | the forward signal through ReLU | `kaiming_normal`, `kaiming_uniform` |
# | Glorot's "standard" (the older heuristic) | $1/(3n_{\rm in})$, from $U(\pm 1/\sqrt{n_{\rm in}})$ | nothing: each layer multiplies the variance by $1/3$ | `glorot_standard` |
#
# A uniform $U(-a, a)$ has variance $a^2/3$, so a uniform scheme uses $a = \sqrt3\,\mathrm{std}$. The cell measures
# the factor $\mathrm{Var}(z)/\mathbb{E}[h^2]$ of one 1000 × 1000 layer drawn by each scheme, against
# $n_{\rm in}\mathrm{Var}(W)$ computed from the library's own scale functions.

# %%
n = 1000
h_in = rng.standard_normal((2000, n))
schemes = {  # name: (library scheme, n_in·Var(W) from the library's scale functions)
    "lecun_normal": ("lecun_normal", n * init.lecun_std(n) ** 2),
    "xavier_uniform": ("xavier_uniform", n * init.xavier_std(n, n) ** 2),  # drawn as U(±√3·xavier_std)
    "kaiming_normal (ReLU gain √2)": ("kaiming_normal", n * init.kaiming_std(n, init.calculate_gain("relu")) ** 2),
    "glorot_standard": ("glorot_standard", n * (init.glorot_standard_bound(n) / init.uniform_bound(1.0)) ** 2),
}
print(f"{'scheme':32s} {'n_in·Var(W)':>11s} {'measured Var(z)/E[h²]':>23s}")
worst = 0.0
for name, (scheme, predicted) in schemes.items():
    W = init.init_array((n, n), scheme, nonlinearity="relu" if "kaiming" in name else "linear", rng=rng)
    measured = (h_in @ W.T).var() / np.mean(h_in**2)
    worst = max(worst, abs(measured / predicted - 1))
    print(f"{name:32s} {predicted:11.3f} {measured:23.3f}")
claim(worst < 0.03, f"one layer multiplies the variance by n_in·Var(W) for every scheme (largest deviation {worst:.1%})")

# %% [markdown]
# ## <span id="gains"></span>Where the gains $\sqrt2$ and $5/3$ come from
#
# The rules above keep $n\,\mathrm{Var}(W) = 1$, which is right for a *linear* layer. An activation changes the
# second moment, and a **gain** $g$ compensates: $\mathrm{Var}(W) = g^2/n_{\rm in}$ (torch's `calculate_gain`).
# Then $\mathrm{Var}(z^{(l+1)}) = g^2\,\mathbb{E}[\phi(z^{(l)})^2]$, and the natural choice is the $g$ that keeps
# unit-variance pre-activations at unit variance:
#
# $$g^2 = \frac{1}{\mathbb{E}[\phi(\xi)^2]}, \qquad \xi \sim \mathcal N(0, 1).$$
#
# - **ReLU**: $\mathbb{E}[\mathrm{relu}(\xi)^2] = \tfrac12$ (half of a symmetric distribution is cut off), so
#   $g = \sqrt2$ — He's rule. ReLU is positively homogeneous, so the factor is $\tfrac12$ at *every* scale, and
#   backwards $\mathbb{E}[\mathrm{relu}'(\xi)^2] = \tfrac12$ too: $g^2\,\mathbb{E}[\phi'^2] = 1$ exactly, both ways.
# - **tanh**: $\mathbb{E}[\tanh(\xi)^2] \approx 0.395$, so $g \approx 1.59$. PyTorch's $5/3 \approx 1.67$ (documented
#   without a derivation) is within 5 % of it. Unlike ReLU, tanh is not homogeneous: with $g = 1$ the variance map
#   $q \mapsto g^2\,\mathbb{E}[\tanh(\sqrt q\,\xi)^2]$ has its only fixed point at $q = 0$, and the signal dies
#   slowly (about as $1/(2l)$); any $g > 1$ gives a fixed point $q^* > 0$.
#
# The cell computes the expectations by sampling, iterates the variance map, and checks it against real 30-layer
# tanh networks (256 units wide, $\mathrm{Var}(W) = g^2/n_{\rm in}$) on 512 digits.

# %%
xi = rng.standard_normal(10**6)  # ξ ~ N(0, 1)
second_moment = {"relu": np.mean(np.maximum(xi, 0) ** 2), "tanh": np.mean(np.tanh(xi) ** 2)}
derived = {name: 1 / math.sqrt(m) for name, m in second_moment.items()}
print({name: f"E[φ(ξ)²] = {m:.4f} → g = {derived[name]:.4f}" for name, m in second_moment.items()})
claim(abs(derived["relu"] - math.sqrt(2)) < 0.005, f"ReLU: g = 1/√E[relu²] = {derived['relu']:.4f} ≈ √2 = 1.4142")
claim(abs(derived["tanh"] / (5 / 3) - 1) < 0.05,
      f"tanh: g = 1/√E[tanh²] = {derived['tanh']:.3f}, within 5 % of torch's 5/3 = 1.667")

split = data.digits(as_tensors=True)
X_probe = split.X_train[:512].double().numpy()
gains = {"g = 1": 1.0, f"g = {derived['tanh']:.2f} (derived)": derived["tanh"], "g = 5/3 (torch)": 5 / 3}
fig, ax = plt.subplots(figsize=(7, 4))
for (label, g), color in zip(gains.items(), ["#D55E00", "#009E73", "#0072B2"], strict=True):
    h, measured, weights_rng = X_probe, [], np.random.default_rng(0)  # the same weights for every gain, rescaled
    for _ in range(30):  # 30 tanh layers of 256 units, Var(W) = g²/n_in
        z = h @ (g * init.lecun_normal((256, h.shape[1]), rng=weights_rng)).T
        measured.append(z.var())
        h = np.tanh(z)
    q, predicted = measured[0], [measured[0]]
    for _ in range(29):  # the variance map, started from the measured first layer
        q = g**2 * np.mean(np.tanh(math.sqrt(q) * xi) ** 2)
        predicted.append(q)
    ax.semilogy(range(1, 31), measured, "o", color=color, label=f"{label}: measured")
    ax.semilogy(range(1, 31), predicted, "-", color=color, label=f"{label}: variance map")
    chi = g**2 * np.mean((1 - np.tanh(math.sqrt(q) * xi) ** 2) ** 2)  # backward factor g²E[φ'(z)²] at layer 30
    gains[label] = (measured[-1], predicted[-1], chi)
ax.set(title="Pre-activation variance through 30 tanh layers", xlabel="layer l",
       ylabel="Var(z⁽ˡ⁾) (log scale)")
ax.legend(fontsize="small", ncol=2)
plt.show()
for label, (m, p, chi) in gains.items():
    print(f"{label:22s} Var(z) at layer 30: measured {m:.3f}, map {p:.3f}; backward factor per layer {chi:.3f} "
          f"(×{chi**30:.3g} over 30 layers)")
(m1, p1, _), (m2, p2, chi2), (m3, p3, chi3) = gains.values()
claim(m1 < 0.05 and abs(m2 - 1) < 0.15 and abs(m3 / p3 - 1) < 0.15,
      f"g = 1 lets the signal die (Var {m1:.3f}); the derived gain holds it at {m2:.2f}; 5/3 settles at {m3:.2f} "
      f"(map: {p3:.2f})")

# %% [markdown]
# The price of a healthy forward signal in tanh is a mild backward growth: at the fixed point each layer multiplies
# the gradient's variance by $g^2\mathbb{E}[\tanh'(z)^2]$, printed above as about 1.2 for both gains — over 30
# layers a factor of a hundred or more in variance, against the collapse of the forward signal at $g = 1$. ReLU
# with $\sqrt2$ has neither problem; this is why its gain is exact and tanh's a rule of thumb.
# [3.11](11_normalization_residuals.ipynb) and [4.3](../04_code/03_case_study_digits.ipynb) use these gains.
#
# ## Glorot & Bengio (2010): "standard" against "normalized" initialization
#
# Glorot and Bengio trained 5-layer tanh networks with 1000 units per layer and looked at every layer at
# initialization. The then-common "standard" init $W \sim U(\pm 1/\sqrt{n_{\rm in}})$ has
# $n_{\rm in}\mathrm{Var}(W) = 1/3$: each layer shrinks the activations' standard deviation by about $\sqrt3$ going
# up, and the back-propagated gradients by about $\sqrt3$ going down. Their "normalized" init,
# $W \sim U\big(\pm\sqrt{6/(n_{\rm in}+n_{\rm out})}\big)$, keeps both. (The paper has no gain, so we redraw the
# library's tanh weights with gain 1.) We repeat the measurement on 256 digits in the course's numpy network
# (`nets.NumpyMLP`), whose backward pass returns every back-propagated signal $\partial\ell/\partial h^{(l)}$.

# %%
X, y = split.X_train[:256].double().numpy(), split.y_train[:256].numpy()
sizes = [64] + [1000] * 5 + [10]


def glorot_net(scheme: str) -> nets.NumpyMLP:
    """The 5-layer tanh network; "normalized" = Xavier uniform with gain 1, as in the paper."""
    if scheme == "standard":
        return nets.NumpyMLP(sizes, activation="tanh", init="glorot_standard", seed=0)
    net = nets.NumpyMLP(sizes, activation="tanh", init="xavier_uniform", seed=0)
    redraw = np.random.default_rng(0)
    for W, _ in net.params:  # the library gives tanh layers torch's gain 5/3; the paper has none: redraw, gain 1
        W[...] = init.xavier_uniform(W.shape, gain=1.0, rng=redraw)
    return net


per_layer = {}
for scheme in ["standard", "normalized"]:
    net = glorot_net(scheme)
    _, grads, signals = net.loss_and_grads(X, y, loss="cross_entropy")
    _, cache = net.forward(X)
    per_layer[scheme] = {
        "activation std": np.array([h.std() for h in cache.h[1:]]),
        "back-propagated gradient std": np.array([s.std() for s in signals]),
        "weight-gradient std": np.array([dW.std() for dW, _ in grads[:5]]),
    }

fig, axes = plt.subplots(1, 3, figsize=(14, 4))
for ax, quantity in zip(axes, per_layer["standard"], strict=True):
    for scheme, values in per_layer.items():
        ax.semilogy(np.arange(1, 6), values[quantity], marker="o", label=f"{scheme} init")
    ax.set(title=quantity, xlabel="layer l (1 = input side)", ylabel=f"{quantity} (log scale)")
    ax.set_xticks(range(1, 6))
    ax.legend()
fig.suptitle("5 tanh layers of 1000 units at initialization (Glorot & Bengio 2010, Figs. 6–8)")
plt.show()

spread = {s: {k: v.max() / v.min() for k, v in q.items()} for s, q in per_layer.items()}
for scheme, ratios in spread.items():
    print(f"{scheme:10s} max/min over the 5 layers:", {k: f"{v:.2f}" for k, v in ratios.items()})
act_std = per_layer["standard"]["activation std"]
claim(np.all(np.diff(act_std) < 0) and spread["standard"]["activation std"] > 5
      and spread["standard"]["back-propagated gradient std"] > 5,
      f"standard init: activations shrink {spread['standard']['activation std']:.1f}× going up, back-propagated "
      f"gradients {spread['standard']['back-propagated gradient std']:.1f}× going down")
claim(spread["normalized"]["activation std"] < 2 and spread["normalized"]["back-propagated gradient std"] < 2.5,
      f"normalized init keeps both within a factor of {max(spread['normalized'].values()):.2f}")
claim(spread["standard"]["weight-gradient std"] < 1.2,
      f"yet with standard init the weight gradients are within {spread['standard']['weight-gradient std']:.2f}× "
      "in every layer: the two shrinkings cancel")

# %% [markdown]
# The third panel is Glorot and Bengio's subtle point: the *weight* gradient of layer $l$ is the product of its
# input (shrunk by the layers below) and its back-propagated gradient (shrunk by the layers above), so at
# initialization it is about the same in every layer even with the standard init — the trouble shows in the
# signals, and later in training.
#
# ## He et al. (2015): ReLU needs $2/n_{\rm in}$
#
# With $\mathrm{Var}(W) = 1/n_{\rm in}$ (what He et al. compare against as "Xavier"; for square layers it equals
# Glorot's $2/(n_{\rm in}+n_{\rm out})$) each ReLU layer multiplies the pre-activations' variance by $1/2$, their
# standard deviation by $1/\sqrt2$; over $D = 30$ layers that is $2^{-15} \approx 3\cdot10^{-5}$. He et al.'s
# $2/n_{\rm in}$ keeps the signal's size. We measure $z^{(l)}$ of a 30-layer ReLU network, 256 units wide.

# %%
relu_std = {}
for label, scheme in [("Xavier, Var(W) = 1/n_in", "lecun_normal"), ("He, Var(W) = 2/n_in", "kaiming_normal")]:
    net = nets.NumpyMLP([64] + [256] * 30 + [10], activation="relu", init=scheme, seed=0)
    _, cache = net.forward(X)
    relu_std[label] = np.array([zl.std() for zl in cache.z[:-1]])

fig, ax = plt.subplots(figsize=(6.5, 4))
for label, s in relu_std.items():
    ax.semilogy(np.arange(1, 31), s, marker=".", label=label)
ax.semilogy(np.arange(1, 31), relu_std["Xavier, Var(W) = 1/n_in"][0] * 2 ** (-np.arange(30) / 2), "k:",
            label="slope 1/√2 per layer")
ax.set(title="30 ReLU layers at initialization (He et al. 2015)", xlabel="layer l (1 = input side)",
       ylabel="std of the pre-activation z⁽ˡ⁾ (log scale)")
ax.legend()
plt.show()

factor = {k: float(np.exp(np.mean(np.log(s[1:] / s[:-1])))) for k, s in relu_std.items()}
xavier_f, he_f = factor.values()
claim(abs(xavier_f - 1 / math.sqrt(2)) < 0.05 and abs(he_f - 1) < 0.05,
      f"per ReLU layer the std is multiplied by {xavier_f:.3f} with Xavier (1/√2 = 0.707) and by {he_f:.3f} with He")

# %% [markdown]
# Does it matter for training? He et al. report that a 30-layer ReLU network initialized with "Xavier" stalls while
# theirs converges. We train both 30-layer networks (64 units wide) on the digits with SGD (momentum
# $\beta = 0.9$, $\eta = 0.01$, batches of 64), from three seeds each: 5 epochs for He, 3 for Xavier (whose
# stall shows at once). A network that gives every class the same score has the loss $\ln 10 \approx 2.303$
# (checking it before training is the first step of [4.2](../04_code/02_training_recipe.ipynb)'s recipe).

# %%
runs = {"Xavier": ("lecun_normal", 3), "He": ("kaiming_normal", 5)}  # name: (scheme, epochs)
final = {name: [] for name in runs}
fig, ax = plt.subplots(figsize=(6.5, 4))
for (name, (scheme, epochs)), color in zip(runs.items(), ["#D55E00", "#0072B2"], strict=True):
    for seed in range(3):
        model = nets.mlp(64, 10, depth=30, width=64, activation="relu", init=scheme, seed=seed)
        history = train.train(model, split, optim.SGD(model.parameters(), lr=0.01, momentum=0.9), epochs=epochs,
                              eval_every=epochs, progress=False, record_grad_norms=False, seed=seed)
        final[name].append((min(history.train_loss), history.train_loss[-1], history.val_acc[-1]))
        ax.plot(range(1, epochs + 1), history.train_loss, marker="o", color=color, label=f"{name} init" if seed == 0 else None)
ax.axhline(math.log(10), color="0.5", linestyle=":", label="ln 10 (uniform guess)")
ax.set(title="30-layer ReLU network on the digits, 3 seeds each", xlabel="epoch", ylabel="training loss (cross-entropy)")
ax.legend()
plt.show()
for name, rows in final.items():
    print(f"{name:6s} final training loss per seed {[round(r[1], 3) for r in rows]}, "
          f"validation accuracy {[f'{r[2]:.0%}' for r in rows]}")
claim(min(r[0] for r in final["Xavier"]) > 2.29,
      f"Xavier stays at ln 10 in all three seeds (lowest loss {min(r[0] for r in final['Xavier']):.3f})")
claim(max(r[1] for r in final["He"]) < 2.25 and max(r[2] for r in final["He"]) < 0.5,
      f"He learns in all three seeds (final loss {max(r[1] for r in final['He']):.2f} at worst) — but slowly: "
      f"validation accuracy {min(r[2] for r in final['He']):.0%}–{max(r[2] for r in final['He']):.0%} after 5 epochs, "
      f"below half in every seed")

# %% [markdown]
# The Xavier network never leaves $\ln 10$: after 30 layers its signal is $3\cdot10^{-5}$ of its size, its output
# hardly depends on its input, and on the way back the gradient shrinks by $1/\sqrt2$ per layer as well. The He
# network learns — but only that: after 5 epochs it classifies far fewer than half of the validation digits, with
# ups and downs. A good initialization makes 30 plain ReLU layers *trainable*, not easy to train; the same depth
# with batch normalization or residual connections is the subject of [3.11](11_normalization_residuals.ipynb).
#
# ## Orthogonal initialization and dynamical isometry
#
# A variance rule controls the *average* stretch of a layer. A deep product can still stretch some directions and
# crush others. {cite:t}`saxe2014exact` studied deep *linear* networks, $f(x) = W^{(D)}\cdots W^{(1)} x$, whose
# input-output Jacobian is the product itself. With Gaussian weights of the right variance its singular values
# still spread out with depth; with **orthogonal** weights (all singular values 1) the product is orthogonal too —
# *dynamical isometry*. `diagnostics.jacobian_singular_values` computes the singular values of any model's Jacobian.

# %%
probe = split.X_train[:1].double()  # a linear network's Jacobian is the same at every input
spectra = {}
for label, scheme in [("Gaussian, Var(W) = 1/n_in", "lecun_normal"), ("orthogonal", "orthogonal")]:
    linear_net = nets.mlp(64, 64, depth=10, width=64, activation="identity", init=scheme, seed=0,
                          dtype=torch.float64)
    spectra[label] = diagnostics.jacobian_singular_values(linear_net, probe)

fig, ax = plt.subplots(figsize=(6.5, 4))
bins = np.logspace(-15.125, 1.125, 66)  # 1.0 in the middle of a bin
for label, sv in spectra.items():
    ax.hist(sv, bins=bins, alpha=0.7, label=label)
ax.set_xscale("log")
ax.set(title="Singular values of the Jacobian of an 11-layer linear network", xlabel="singular value (log scale)",
       ylabel="count (of 64)")
ax.legend()
plt.show()

gauss, ortho = spectra.values()
claim(np.all(np.abs(ortho - 1) < 1e-10) and gauss.max() / gauss.min() > 1e6,
      f"orthogonal: every singular value is 1 (within {np.abs(ortho - 1).max():.0e}); Gaussian: they spread from "
      f"{gauss.min():.0e} to {gauss.max():.1f}")

# %% [markdown]
# Saxe et al. show that from such an initialization a deep linear network learns about as fast as a shallow one.
# For nonlinear networks the same idea — choose weights so that the Jacobian's singular values cluster near 1 —
# guides later work on very deep networks.
#
# ## What `torch.nn.Linear` does by default
#
# `nn.Linear` initializes its weight with `kaiming_uniform_(weight, a=√5)`. The slope $a = \sqrt5$ gives the gain
# $\sqrt{2/(1+a^2)} = \sqrt{1/3}$, so the bound is $\sqrt{1/3}\cdot\sqrt{3/n_{\rm in}} = 1/\sqrt{n_{\rm in}}$:
# PyTorch's default **is** $U(\pm 1/\sqrt{n_{\rm in}})$, Glorot's "standard" initialization, the one that shrinks a
# tanh network's signals by $\sqrt3$ per layer above. (The library's scheme `"default"` reproduces it draw for draw;
# `tests/test_init.py` checks that and every other scheme against `torch.nn.init`.)

# %% tags=["hide-input"]
bound = init.kaiming_uniform_bound(100, init.calculate_gain("leaky_relu", math.sqrt(5)))
weight = torch.nn.Linear(100, 500).weight.detach()
claim(math.isclose(bound, 1 / math.sqrt(100), rel_tol=1e-12) and weight.abs().max() <= bound,
      f"kaiming_uniform(a=√5) has the bound {bound:.4f} = 1/√n_in; a fresh nn.Linear(100, 500) stays inside it "
      f"(largest |w| {weight.abs().max():.4f}, std {weight.std():.4f} vs 1/√(3·100) = {1 / math.sqrt(300):.4f})")

# %% [markdown]
# ## What initialization does not fix
#
# One source document lists "a smaller initial learning rate" and "a small batch size" as ways of initializing
# ([claim 32 in 6.2](../06_faq/02_claims_checked.ipynb#claim-32)). They are not: they do not change the weights at
# step 0, and the per-layer factors that make gradients vanish are properties of the weights. The cell measures
# how the back-propagated gradient shrinks from layer 5 to layer 1 in the standard-init network above, with batches
# of 16, 256 and 1024 images, and after one SGD step with $\eta = 10^{-3}$ and $\eta = 10^{-1}$.

# %%
def signal_shrink(net: nets.NumpyMLP, n_examples: int) -> float:
    """std of ∂ℓ/∂h at layer 1 divided by its std at layer 5."""
    Xd, yd = split.X_train[:n_examples].double().numpy(), split.y_train[:n_examples].numpy()
    _, _, signals = net.loss_and_grads(Xd, yd, loss="cross_entropy")
    return signals[0].std() / signals[-1].std()


by_batch = {B: signal_shrink(glorot_net("standard"), B) for B in (16, 256, 1024)}
by_lr = {}
for eta in (1e-3, 1e-1):
    net = glorot_net("standard")
    net.sgd_step(net.loss_and_grads(X, y, loss="cross_entropy")[1], lr=eta)
    by_lr[eta] = signal_shrink(net, 256)
values = list(by_batch.values()) + list(by_lr.values())
print("layer-1 / layer-5 gradient std by batch size:", {B: f"{r:.3f}" for B, r in by_batch.items()},
      "; after one step with η =", {eta: f"{r:.3f}" for eta, r in by_lr.items()})
claim(max(values) / min(values) < 1.3 and max(values) < 0.2,
      f"the shrinking ({min(values):.3f}–{max(values):.3f}) is set by the weights: neither batch size nor η changes it")

# %% [markdown]
# ```{admonition} Common misconception
# :class: warning
# 「我们可以使用不同的权重初始化方法，例如Xavier初始化或He初始化，以避免梯度消失和梯度爆炸」 (A4 §3.4: "use Xavier or He initialization to avoid vanishing and exploding gradients"). **In fact** each rule fits one activation and acts at step 0 only; in a deep *sigmoid* network a variance rule can make up for the slope $1/4$ but not for the outputs' offset of $\tfrac12$ — they are not centred ([claim 70 in 6.2](../06_faq/02_claims_checked.ipynb#claim-70)).
# ```
#
# Xavier in a ReLU network loses $\sqrt2$ per layer (the stalled run above). The sigmoid case needs a closer look.
# Near $z = 0$, $\sigma(z) \approx \tfrac12 + z/4$: the slope is $1/4$, so a gain of **4** would make the linearized
# layer factor 1. But the constant $\tfrac12$ passes on too: the next pre-activation gets
# $\tfrac12\sum_j W_{ij}$, an offset that is the same for every example, of standard deviation $g/2 = 2$ at gain 4.
# It pushes every unit away from $z = 0$, onto the flat part of the sigmoid, where the slope is far below $1/4$.
# The cell compares 20 sigmoid layers (64 wide, Xavier) at gain 1 and gain 4, and with the *centred* sigmoid
# $\sigma(z) - \tfrac12$ (which is $\tfrac12\tanh(z/2)$) at gain 4.

# %%
class CentredSigmoid(torch.nn.Module):
    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(z) - 0.5


def first_over_last(gain: float, centred: bool) -> float:
    """‖∂ℓ/∂W⁽¹⁾‖ / ‖∂ℓ/∂W⁽²⁰⁾‖ of a 20-layer sigmoid network (Xavier × gain) on 512 digits."""
    model = nets.mlp(64, 10, depth=20, width=64, activation="sigmoid", init="xavier_uniform", seed=0)
    with torch.no_grad():
        for block in model.blocks:
            block.linear.weight.mul_(gain)
            if centred:
                block.act = CentredSigmoid()
    F.cross_entropy(model(split.X_train[:512]), split.y_train[:512]).backward()
    norms = diagnostics.grad_norms(model)
    return norms["blocks.0.linear"] / norms["blocks.19.linear"]


sigmoid_ratios = {(g, c): first_over_last(g, c) for g, c in [(1.0, False), (4.0, False), (4.0, True)]}
for (g, c), r in sigmoid_ratios.items():
    print(f"{'centred' if c else 'plain':7s} sigmoid, gain {g:.0f}: first/last gradient ratio {r:.1e}")
plain1, plain4, centred4 = sigmoid_ratios.values()
claim(plain1 < 1e-9 and plain4 < 1e-3, f"gain 4 helps the sigmoid ({plain1:.0e} → {plain4:.0e}) but it still vanishes")
claim(0.1 < centred4 < 10, f"the centred sigmoid at gain 4 keeps the flow (ratio {centred4:.2f}): the obstacle is "
      "the non-centred output, not the slope 1/4")

# %% [markdown]
# So the honest statement is not "no variance rule rescues sigmoid units" but: a gain can make up for the slope
# $1/4$, not for the offset $\tfrac12$. Centre the unit — which turns it into a rescaled tanh — and gain 4 works.
# Initialization also fixes only the starting point: during training the weights move, and nothing keeps the
# per-layer factors near 1. That is the job of normalization ([3.11](11_normalization_residuals.ipynb)); in
# recurrent networks explosion through time is handled by clipping ([3.8](08_clipping.ipynb)) and gating.
#
# ## What we learned
#
# - A layer multiplies the forward variance by $n_{\rm in}\mathrm{Var}(W)$ and the backward one by
#   $n_{\rm out}\mathrm{Var}(W)$ (times the activation's effect). Keeping them at 1 gives LeCun's $1/n_{\rm in}$,
#   Glorot's $2/(n_{\rm in}+n_{\rm out})$ and He's $2/n_{\rm in}$.
# - The gain is $g = 1/\sqrt{\mathbb{E}[\phi(\xi)^2]}$: exactly $\sqrt2$ for ReLU (forward and backward), about
#   1.59 for tanh, where torch's 5/3 is a rounded rule of thumb; with $g = 1$ a deep tanh signal slowly dies.
# - Glorot & Bengio reproduced: the "standard" $U(\pm1/\sqrt{n_{\rm in}})$ (PyTorch's `nn.Linear` default) shrinks
#   a tanh network's signals layer by layer; normalized init keeps them within a factor of 2.
# - He et al. reproduced: with $1/n_{\rm in}$ a ReLU signal shrinks by $1/\sqrt2$ per layer and the 30-layer network
#   does not train in any seed; with $2/n_{\rm in}$ it trains, slowly.
# - Orthogonal weights make a deep linear network's Jacobian exactly orthogonal.
# - Sigmoid units fail because their outputs are not centred; a gain of 4 cannot fix an offset.
