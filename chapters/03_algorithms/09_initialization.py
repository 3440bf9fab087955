# %% [markdown]
# # 3.7 Initialization
#
# Before the first step, every weight needs a value. Zero does not work (all units of a layer would stay
# identical), so we draw random numbers — but of what size? Too small, and the signal shrinks a little in every
# layer; too large, and it grows or saturates the activations. Over 20 or 30 layers "a little" becomes a factor
# of $10^{-10}$ or $10^{10}$, forward (activations) and backward (gradients).
#
# This section asks: **how large should the initial weights be, and why does the answer depend on the layer
# width and the activation?** We derive the variance rule, reproduce the experiments of
# [Glorot & Bengio (2010)](../06_faq/03_references.ipynb#glorot2010understanding) (tanh) and
# [He et al. (2015)](../06_faq/03_references.ipynb#he2015delving) (ReLU), look at orthogonal initialization
# ([Saxe et al., 2014](../06_faq/03_references.ipynb#saxe2014exact)), and find out what PyTorch does by default.
# Every scheme is drawn by `gradcourse.init`, whose scales are single small functions (`xavier_std`,
# `kaiming_std` …) shared by its numpy and torch samplers.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

import gradcourse.optim
from gradcourse import data, diagnostics, init, nets, plots
from gradcourse import train as T
from gradcourse.seeding import seed_everything

plots.use_book_style()
rng = seed_everything(0)

# %% [markdown]
# ## How variance travels through a layer
#
# Take one layer $z = W h$ with $n_{\rm in}$ inputs. Assume the weights $W_{ij}$ are independent, with mean 0 and
# variance $\mathrm{Var}(W)$, and independent of the inputs $h_j$. Then each output is a sum of $n_{\rm in}$
# independent terms, and
#
# $$\mathrm{Var}(z_i) = \sum_{j=1}^{n_{\rm in}} \mathrm{Var}(W_{ij} h_j) = n_{\rm in}\,\mathrm{Var}(W)\,\mathbb{E}[h_j^2].$$
#
# For a linear layer, or tanh near 0 where $\tanh(z) \approx z$, $\mathbb{E}[h^2] = \mathrm{Var}(h)$ and layer $l$
# multiplies the variance by $n_{l-1}\mathrm{Var}(W_l)$:
#
# $$\mathrm{Var}(h_l) = n_{l-1}\,\mathrm{Var}(W_l)\,\mathrm{Var}(h_{l-1}) \quad\Longrightarrow\quad
#   \mathrm{Var}(h_L) = \Big(\prod_{l=1}^{L} n_{l-1}\mathrm{Var}(W_l)\Big)\,\mathrm{Var}(h_0).$$
#
# The back-propagated gradient $\partial L/\partial h_{l-1} = W_l^\top\,\partial L/\partial z_l$ is a sum over the
# $n_l$ *outputs*, so backwards each layer multiplies the variance by $n_l\,\mathrm{Var}(W_l)$. Keeping every factor
# equal to 1 gives the classical rules:
#
# | rule | $\mathrm{Var}(W)$ | keeps | library |
# |---|---|---|---|
# | LeCun ([LeCun et al., 1998](../06_faq/03_references.ipynb#lecun1998efficient)) | $1/n_{\rm in}$ | the forward signal | `lecun_normal` |
# | Glorot / Xavier ("normalized") | $2/(n_{\rm in}+n_{\rm out})$ | a compromise between forward and backward | `xavier_normal`, `xavier_uniform` |
# | He / Kaiming (ReLU) | $2/n_{\rm in}$ | the forward signal through ReLU, which zeroes half its inputs: $\mathbb{E}[\mathrm{relu}(z)^2] = \mathrm{Var}(z)/2$ | `kaiming_normal`, `kaiming_uniform` |
# | Glorot's "standard" (the older heuristic) | $1/(3n_{\rm in})$, from $U(\pm 1/\sqrt{n_{\rm in}})$ | nothing: each layer multiplies the variance by $1/3$ | `glorot_standard` |
#
# A uniform $U(-a, a)$ has variance $a^2/3$, so a uniform scheme uses $a = \sqrt3\,\sigma$. The cell measures
# the factor $\mathrm{Var}(z)/\mathbb{E}[h^2]$ of one 1000 × 1000 layer drawn by each scheme, against
# $n_{\rm in}\mathrm{Var}(W)$ computed from the library's own scale functions.

# %%
n = 1000
h_in = rng.standard_normal((2000, n))
schemes = {  # name: (library scheme, n·Var(W) from the library's scale functions)
    "lecun_normal": ("lecun_normal", n * init.lecun_std(n) ** 2),
    "xavier_uniform": ("xavier_uniform", n * init.xavier_std(n, n) ** 2),  # drawn as U(±√3·xavier_std)
    "kaiming_normal (ReLU gain √2)": ("kaiming_normal", n * init.kaiming_std(n, init.calculate_gain("relu")) ** 2),
    "glorot_standard": ("glorot_standard", n * (init.glorot_standard_bound(n) / init.uniform_bound(1.0)) ** 2),
}
print(f"{'scheme':32s} {'n·Var(W)':>9s} {'measured Var(z)/E[h²]':>23s}")
for name, (scheme, predicted) in schemes.items():
    W = init.init_array((n, n), scheme, nonlinearity="relu" if "kaiming" in name else "linear", rng=rng)
    measured = (h_in @ W.T).var() / np.mean(h_in**2)
    print(f"{name:32s} {predicted:9.3f} {measured:23.3f}")
    assert abs(measured / predicted - 1) < 0.03, f"{name}: one layer multiplies the variance by n·Var(W)"

z = rng.standard_normal(10**6)
relu_second_moment = np.mean(np.maximum(z, 0) ** 2)
print(f"E[relu(z)²] / Var(z) = {relu_second_moment:.3f}")
assert abs(relu_second_moment - 0.5) < 0.005, "ReLU halves the second moment: hence He's factor 2"

# %% [markdown]
# ## Glorot & Bengio (2010): "standard" against "normalized" initialization
#
# Glorot and Bengio trained 5-layer tanh networks with 1000 units per layer and looked at every layer at
# initialization. The then-common "standard" init $W \sim U(\pm 1/\sqrt{n_{\rm in}})$ has
# $n_{\rm in}\mathrm{Var}(W) = 1/3$: each layer shrinks the activations' standard deviation by about $\sqrt3$ going up, and the
# back-propagated gradients by about $\sqrt3$ going down. Their "normalized" init,
# $W \sim U\big(\pm\sqrt{6/(n_{\rm in}+n_{\rm out})}\big)$, keeps both. (The course's networks follow PyTorch's
# recommendation and multiply this by the gain `calculate_gain("tanh")` $= 5/3$; the paper has no gain, so we
# redraw the weights with gain 1.)
#
# We repeat the measurement on the digits: 256 images, 64 pixels → five tanh layers of 1000 units → 10 classes,
# in the course's numpy network (`nets.NumpyMLP`), whose backward pass returns every back-propagated signal
# $\partial L/\partial h_l$.

# %%
split = data.digits()
X, y = split.X_train[:256].astype(np.float64), split.y_train[:256]
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
    ax.set(title=quantity, xlabel="layer (1 = input side)", ylabel=f"{quantity} (log scale)")
    ax.set_xticks(range(1, 6))
    ax.legend()
fig.suptitle("5 tanh layers of 1000 units at initialization (Glorot & Bengio 2010, Figs. 6–8)")
plt.show()

for scheme, q in per_layer.items():
    act, sig, wg = q.values()
    print(f"{scheme:10s}: activation std layer1/layer5 = {act[0] / act[-1]:5.2f};  back-propagated gradient std "
          f"layer5/layer1 = {sig[-1] / sig[0]:5.2f};  weight-gradient std max/min = {wg.max() / wg.min():5.2f}")

std_q, norm_q = per_layer["standard"], per_layer["normalized"]
assert std_q["activation std"][0] / std_q["activation std"][-1] > 5, "standard: activations shrink layer by layer"
assert np.all(np.diff(std_q["activation std"]) < 0)
assert norm_q["activation std"].max() / norm_q["activation std"].min() < 2, "normalized: within a factor of 2"
sig_std, sig_norm = std_q["back-propagated gradient std"], norm_q["back-propagated gradient std"]
assert sig_std[-1] / sig_std[0] > 5, "standard: back-propagated gradients shrink towards the input"
assert sig_norm.max() / sig_norm.min() < 2.5, "normalized: they stay within a factor of about 2"
assert std_q["weight-gradient std"].max() / std_q["weight-gradient std"].min() < 1.2, \
    "standard: yet the weight gradients are about equal in every layer (the two shrinkings cancel)"

# %% [markdown]
# Both effects of the paper appear: with standard init the activations shrink about $\sqrt3$-fold per layer
# going up (tanh is nearly linear for such small inputs) and the back-propagated gradients shrink about as much
# going down. Normalized init keeps both within a factor of 2. The third panel is Glorot and Bengio's subtle
# point: the *weight* gradient of layer $l$ is the product of its input (shrunk by the layers below) and its
# back-propagated gradient (shrunk by the layers above), so at initialization it is about the same in every
# layer even with the standard init — the trouble shows in the signals, and later in training.
#
# ## He et al. (2015): ReLU needs $2/n$
#
# ReLU sets half its inputs to zero and so halves $\mathbb{E}[h^2]$. With $\mathrm{Var}(W) = 1/n$ (what He et al.
# compare against as "Xavier": its forward version $n_{\rm in}\mathrm{Var}(W) = 1$, our `lecun_normal`; for square
# layers it is exactly Glorot's $2/(n_{\rm in}+n_{\rm out})$) each ReLU layer multiplies the pre-activations' variance by
# $1/2$, their standard deviation by $1/\sqrt2$; over 30 layers that is $2^{-15} \approx 3\cdot10^{-5}$. He et
# al. double the variance, $\mathrm{Var}(W) = 2/n_{\rm in}$, and the signal keeps its size. We measure the
# pre-activation $z_l$ of a 30-layer ReLU network, 256 units wide.

# %%
relu_std = {}
for label, scheme in [("Xavier, Var(W) = 1/n", "lecun_normal"), ("He, Var(W) = 2/n", "kaiming_normal")]:
    net = nets.NumpyMLP([64] + [256] * 30 + [10], activation="relu", init=scheme, seed=0)
    _, cache = net.forward(X)
    relu_std[label] = np.array([zl.std() for zl in cache.z[:-1]])

fig, ax = plt.subplots(figsize=(6.5, 4))
for label, s in relu_std.items():
    ax.semilogy(np.arange(1, 31), s, marker=".", label=label)
ax.semilogy(np.arange(1, 31), relu_std["Xavier, Var(W) = 1/n"][0] * 2 ** (-np.arange(30) / 2), "k:",
            label="slope 1/√2 per layer")
ax.set(title="30 ReLU layers at initialization (He et al. 2015)", xlabel="layer (1 = input side)",
       ylabel="std of the pre-activation z_l (log scale)")
ax.legend()
plt.show()

per_layer_factor = {k: float(np.exp(np.mean(np.log(s[1:] / s[:-1])))) for k, s in relu_std.items()}
for k, f in per_layer_factor.items():
    print(f"{k:22s}: std falls by {f:.3f} per layer (geometric mean); layer 30 / layer 1 = "
          f"{relu_std[k][-1] / relu_std[k][0]:.1e}")
assert abs(per_layer_factor["Xavier, Var(W) = 1/n"] - 1 / math.sqrt(2)) < 0.05, "Xavier: ×1/√2 per ReLU layer"
assert abs(per_layer_factor["He, Var(W) = 2/n"] - 1) < 0.05, "He: the std stays constant across layers"

# %% [markdown]
# Does it matter for training? He et al. report that a 30-layer ReLU network initialized with "Xavier" stalls
# while theirs converges. We train both 30-layer networks (64 units wide) on the digits with
# `gradcourse.optim.SGD` (momentum 0.9, $\eta = 0.01$) for 5 epochs. The loss of a network that outputs the same
# scores for every class is $\ln 10 \approx 2.303$.

# %%
training = {}
for label, scheme in [("Xavier, Var(W) = 1/n", "lecun_normal"), ("He, Var(W) = 2/n", "kaiming_normal")]:
    model = nets.mlp(64, 10, depth=30, width=64, activation="relu", init=scheme, seed=0)
    optimizer = gradcourse.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    training[label] = T.train(model, data.digits(), optimizer, epochs=5, progress=False, seed=0)

fig, ax = plt.subplots(figsize=(6.5, 4))
for name, h in training.items():
    ax.plot(np.arange(1, len(h.train_loss) + 1), h.train_loss, marker="o", label=name)
ax.axhline(math.log(10), color="0.5", linestyle=":", label="ln 10 (uniform guess)")
ax.set(title="30-layer ReLU network on the digits, SGD with momentum", xlabel="epoch",
       ylabel="training loss (cross-entropy)")
ax.set_xticks(range(1, 6))
ax.legend()
plt.show()
for k, h in training.items():
    print(f"{k:22s}: training loss per epoch {np.round(h.train_loss, 3)}, validation accuracy {h.val_acc[-1]:.2f}")
assert min(training["Xavier, Var(W) = 1/n"].train_loss) > 2.29, "Xavier: stalls at ln 10 (it learns nothing)"
assert min(training["He, Var(W) = 2/n"].train_loss) < 2.0, "He: the same network learns"

# %% [markdown]
# The Xavier network does not move from $\ln 10$: after 30 layers its signal is $3\cdot10^{-5}$ of its size, so
# its output hardly depends on its input, and on the way back the gradient shrinks by $1/\sqrt2$ per layer as well.
# The He network learns, though not smoothly. (We checked three seeds while
# writing: the Xavier network stayed at 2.303 every time; the He network's loss fell below 2.0 within 5 epochs
# every time, with ups and downs — 30 plain ReLU layers are hard to train even from a good start, which is what
# normalization and residual connections, [3.8](11_normalization_residuals.ipynb), address.)
#
# ## Orthogonal initialization and dynamical isometry
#
# A variance rule controls the *average* stretch of a layer. A deep product can still stretch some directions
# and crush others. [Saxe et al. (2014)](../06_faq/03_references.ipynb#saxe2014exact) studied deep *linear*
# networks, $f(x) = W_L\cdots W_1 x$, where the input-output Jacobian is the product itself. With Gaussian
# weights of the right variance its singular values still spread out with depth; with **orthogonal** weights
# (all singular values 1) the product is orthogonal too, so every direction passes unchanged — *dynamical
# isometry*. `diagnostics.jacobian_singular_values` computes the singular values of the Jacobian of any model.

# %%
probe = torch.from_numpy(X[:1])  # a linear network's Jacobian is the same at every input
spectra = {}
for label, scheme in [("Gaussian, Var(W) = 1/n", "lecun_normal"), ("orthogonal", "orthogonal")]:
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

gauss, ortho = spectra["Gaussian, Var(W) = 1/n"], spectra["orthogonal"]
print(f"Gaussian: {gauss.min():.1e} … {gauss.max():.2f};  orthogonal: {ortho.min():.15f} … {ortho.max():.15f}")
assert np.all(np.abs(ortho - 1) < 1e-10), "orthogonal init: every singular value of the product is 1"
assert gauss.max() / gauss.min() > 1e6, "Gaussian init: the singular values spread over many orders of magnitude"

# %% [markdown]
# The Gaussian product has the right *average* gain, but its 64 singular values range from about $5\cdot10^{-14}$
# to about 5: a few directions are amplified and most are all but erased. The orthogonal product keeps every one
# at exactly 1. Saxe et al. show that from such an initialization a deep linear network learns about as fast as
# a shallow one. For nonlinear networks the same idea — choose weights so that the Jacobian's singular values
# cluster near 1 — guides later work on very deep networks.
#
# ## What `torch.nn.Linear` does by default
#
# `nn.Linear` initializes its weight with `kaiming_uniform_(weight, a=√5)`. The slope $a = \sqrt5$ gives the
# gain $\sqrt{2/(1+a^2)} = \sqrt{1/3}$, so the bound is $\sqrt{1/3}\cdot\sqrt{3/n_{\rm in}} = 1/\sqrt{n_{\rm in}}$:
# PyTorch's default **is** $U(\pm 1/\sqrt{n_{\rm in}})$, Glorot's "standard" initialization, the one that shrinks a
# tanh network's signals by $\sqrt3$ per layer above. The library's scheme `"default"` reproduces it; the cell
# checks the bound and the values against a freshly built `nn.Linear`, and compares the other schemes with
# `torch.nn.init` draw for draw.

# %%
a = math.sqrt(5)
print(f"kaiming_uniform bound with a = √5: {init.kaiming_uniform_bound(100, init.calculate_gain('leaky_relu', a)):.15f}"
      f";  1/√fan_in = {init.glorot_standard_bound(100):.15f}")
assert math.isclose(init.kaiming_uniform_bound(100, init.calculate_gain("leaky_relu", a)),
                    init.glorot_standard_bound(100), rel_tol=1e-12), "kaiming_uniform(a=√5) = U(±1/√fan_in)"

torch.manual_seed(123)
layer = nn.Linear(100, 50)
torch.manual_seed(123)
ours = init.init_tensor_(torch.empty(50, 100), "default")
assert torch.equal(layer.weight.data, ours), "init 'default' draws exactly nn.Linear's weight"

pairs = {  # name: (ours, torch's), each called as f(tensor, generator)
    "xavier_uniform_": (lambda t, g: init.xavier_uniform_(t, generator=g),
                        lambda t, g: nn.init.xavier_uniform_(t, generator=g)),
    "xavier_normal_": (lambda t, g: init.xavier_normal_(t, generator=g),
                       lambda t, g: nn.init.xavier_normal_(t, generator=g)),
    "kaiming_uniform_ (relu)": (lambda t, g: init.kaiming_uniform_(t, nonlinearity="relu", generator=g),
                                lambda t, g: nn.init.kaiming_uniform_(t, nonlinearity="relu", generator=g)),
    "kaiming_normal_ (relu)": (lambda t, g: init.kaiming_normal_(t, nonlinearity="relu", generator=g),
                               lambda t, g: nn.init.kaiming_normal_(t, nonlinearity="relu", generator=g)),
    "orthogonal_": (lambda t, g: init.orthogonal_(t, generator=g),
                    lambda t, g: nn.init.orthogonal_(t, generator=g)),
}
print(f"\n{'scheme':26s} max |ours − torch.nn.init| (64 × 128, same generator seed)")
for name, (mine, theirs) in pairs.items():
    t_ours, t_torch = torch.empty(64, 128), torch.empty(64, 128)
    mine(t_ours, torch.Generator().manual_seed(1))
    theirs(t_torch, torch.Generator().manual_seed(1))
    difference = (t_ours - t_torch).abs().max().item()
    print(f"{name:26s} {difference:.1e}")
    assert difference == 0.0, f"{name} draws the same numbers as torch.nn.init"

# %% [markdown]
# ## What initialization is not, and what it does not fix
#
# > **The documents say** (A2 §1): 「初始化：初始化模型的参数可以改善梯度的稳定性。如用较小的初始学习率、小的batch size，或者采用Xavier初始化方法等。」
# > — "Initialization: initializing the model's parameters can improve the stability of the gradients, e.g. by
# > using a smaller initial learning rate, a small batch size, or Xavier initialization."
# >
# > **What is true:** Xavier initialization, yes. But the learning rate and the batch size are not
# > initialization: they do not change the weights at step 0, and the per-layer factors that make gradients
# > vanish or explode are properties of the weights. The learning rate does not even appear in the forward or
# > backward pass; the batch size only changes how many examples the statistics average over. The cell measures
# > the shrinking of the back-propagated gradient (layer 1 against layer 5) of the standard-init network above
# > with batches of 16, 256 and 1024 images, and after one SGD step with $\eta = 10^{-3}$ and $\eta = 10^{-1}$.

# %%
def signal_shrink(net, n_examples):
    """std of ∂L/∂h at layer 1 divided by its std at layer 5."""
    Xd, yd = split.X_train[:n_examples].astype(np.float64), split.y_train[:n_examples]
    _, _, signals = net.loss_and_grads(Xd, yd, loss="cross_entropy")
    return signals[0].std() / signals[-1].std()


by_batch = {B: signal_shrink(glorot_net("standard"), B) for B in (16, 256, 1024)}
by_lr = {}
for eta in (1e-3, 1e-1):
    net = glorot_net("standard")
    net.sgd_step(net.loss_and_grads(X, y, loss="cross_entropy")[1], lr=eta)
    by_lr[eta] = signal_shrink(net, 256)
print("layer-1 / layer-5 gradient std by batch size:", {B: f"{r:.3f}" for B, r in by_batch.items()})
print("the same after one SGD step with η =", {eta: f"{r:.3f}" for eta, r in by_lr.items()})
values = list(by_batch.values()) + list(by_lr.values())
assert max(values) / min(values) < 1.3 and max(values) < 0.2, \
    "the shrinking is set by the weights: neither batch size nor learning rate changes it"

# %% [markdown]
# > **The documents say** (A4 §3.4): 「**权重初始化**：我们可以使用不同的权重初始化方法，例如Xavier初始化或He初始化，以避免梯度消失和梯度爆炸。」
# > — "**Weight initialization**: we can use different weight initialization methods, such as Xavier or He
# > initialization, to avoid vanishing and exploding gradients."
# >
# > **What is true:** partly. Each rule is derived for an activation, and it helps *at initialization* only:
# > - Xavier keeps tanh (and linear) networks balanced, but in a ReLU network it loses a factor $\sqrt2$ per
# >   layer — the stalled 30-layer network above. He's rule is the one for ReLU.
# > - No variance rule rescues **sigmoid** units: $\sigma'(z) \le 1/4$ and the outputs are not centred, so a deep
# >   sigmoid network vanishes under Xavier init too (the cell: 20 layers).
# > - Initialization fixes the starting point. During training the weights move, and nothing keeps the
# >   per-layer factors near 1 — that is the job of normalization ([3.8](11_normalization_residuals.ipynb)). In
# >   recurrent networks the same matrix is applied at every time step, and explosion through time is handled
# >   by clipping ([3.6](08_clipping.ipynb)) and gating.

# %%
sigmoid_net = nets.NumpyMLP([64] + [64] * 20 + [10], activation="sigmoid", init="xavier_uniform", seed=0)
_, sigmoid_grads, _ = sigmoid_net.loss_and_grads(X, y, loss="cross_entropy")
sigmoid_ratio = np.linalg.norm(sigmoid_grads[0][0]) / np.linalg.norm(sigmoid_grads[19][0])
print(f"20 sigmoid layers, Xavier init: ‖∂L/∂W_1‖ / ‖∂L/∂W_20‖ = {sigmoid_ratio:.1e}")
assert sigmoid_ratio < 1e-9, "Xavier init does not prevent vanishing gradients in a deep sigmoid network"

# %% [markdown]
# ## What we learned
#
# - One layer multiplies the forward variance by $n_{\rm in}\mathrm{Var}(W)\cdot\mathbb{E}[h^2]/\mathrm{Var}(z)$ and
#   the backward variance by $n_{\rm out}\mathrm{Var}(W)$ (times the activation's derivative). Keeping those factors
#   at 1 gives LeCun's $1/n_{\rm in}$, Glorot's $2/(n_{\rm in}+n_{\rm out})$ and, for ReLU, He's $2/n_{\rm in}$.
# - Glorot & Bengio reproduced: with the "standard" $U(\pm1/\sqrt{n})$ init, activations and back-propagated
#   gradients of a 5-layer tanh network shrink about tenfold across the network; normalized init keeps both within
#   a factor of 2.
# - He et al. reproduced: with $\mathrm{Var}(W)=1/n$ a ReLU network's signal shrinks by $1/\sqrt2$ per layer
#   ($3\cdot10^{-5}$ after 30 layers) and the network does not train; with $2/n$ it keeps its size and trains.
# - Orthogonal weights make a deep linear network's Jacobian exactly orthogonal (all singular values 1);
#   Gaussian weights of the same variance spread them over 14 orders of magnitude.
# - PyTorch's `nn.Linear` default is $U(\pm1/\sqrt{n_{\rm in}})$ = `kaiming_uniform_(a=√5)` = Glorot's "standard"
#   init. Our `init` schemes draw the same numbers as `torch.nn.init`.
# - Learning rate and batch size are not initialization (A2); Xavier/He help only with the activation they were
#   derived for, and only at the start (A4).
