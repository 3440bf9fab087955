# %% [markdown]
# # 2.2 Vanishing and exploding gradients: one product, two failures
#
# [Chapter 2.1](01_backprop_from_scratch.ipynb) showed that backpropagation evaluates a product of layer
# Jacobians. Written for a network with hidden layers $h_1, \dots, h_L$,
#
# $$\frac{\partial L}{\partial h_1} = \Big[\prod_{l=2}^{L} W_l^\top \operatorname{diag}\big(\sigma'(z_l)\big)\Big]
#   \frac{\partial L}{\partial h_L},
# \qquad
# \Big\|\frac{\partial L}{\partial h_{l-1}}\Big\| \le \|W_l\|_2 \cdot \max_z|\sigma'(z)| \cdot
#   \Big\|\frac{\partial L}{\partial h_l}\Big\| .$$
#
# **Both** vanishing and exploding gradients live in this one product: it vanishes when its factors are
# mostly smaller than 1 and explodes when they are mostly larger. Each factor has two parts — the
# activation's derivative and the weight matrix — and this chapter measures each part's contribution: first
# the activations, then the weights alone (deep linear networks), then weights large enough to explode
# through bounded activations, and finally the same product over *time* in a recurrent network.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

from gradcourse import clip, data, nets, optim, plots, problems, train
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
rng = np.random.default_rng(0)

# %% [markdown]
# ## Part 1 of each factor: the activation's derivative
#
# | activation | $\sigma(z)$ | $\sigma'(z)$ | range of $\sigma'$ |
# |---|---|---|---|
# | sigmoid | $1/(1+e^{-z})$ | $\sigma(z)\,(1-\sigma(z))$ | $(0, 1/4]$, largest at $z = 0$ |
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
axes[0].set_title("Activations σ(z)")
axes[1].set_title("Their derivatives σ'(z): the factor each layer contributes")
for ax, label in zip(axes, ("σ(z)", "σ'(z)"), strict=True):
    ax.set_xlabel("pre-activation z")
    ax.set_ylabel(label)
    ax.legend()
plt.show()

print({name: f"max {d.max():.4f}, min {d.min():.4f}" for name, d in slopes.items()})
assert slopes["sigmoid"].max() <= 0.25 and abs(slopes["sigmoid"].max() - 0.25) < 1e-12, "sigmoid' ≤ 1/4, = 1/4 at 0"
assert slopes["tanh"].max() <= 1.0 and abs(slopes["tanh"].max() - 1.0) < 1e-12, "tanh' ≤ 1, = 1 at 0"
assert set(np.unique(slopes["relu"])) == {0.0, 1.0}, "ReLU' takes only the values 0 and 1"
assert np.all(slopes["sigmoid"] > 0) and slopes["sigmoid"][0] < 1e-4, "sigmoid' is tiny on its flat tails"

# %% [markdown]
# ## Part 2 of each factor: the weights — deep linear networks
#
# Remove the activation altogether ($\sigma(z) = z$, $\sigma' = 1$). Each factor is then just $W_l^\top$, and
# with weights drawn from $\mathcal N(0, a^2/n)$ in layers of width $n$, a vector $v$ keeps its expected
# squared length scaled by $a^2$: $\mathbb E\|W^\top v\|^2 = a^2\|v\|^2$. So after $k$ layers the gradient
# norm should be about $a^k$ times where it started:
#
# $$\log\Big\|\frac{\partial L}{\partial h_{L-k}}\Big\| \approx \log\Big\|\frac{\partial L}{\partial h_L}\Big\|
#   + k\log a .$$
#
# The cell builds 40-layer linear networks of width 128 (`NumpyMLP` with `activation="identity"`,
# `init="normal"`) for five scales $a$, back-propagates a mean-squared-error loss, fits a line to
# $\log\|\partial L/\partial h_l\|$ against the number of layers $k$ it has travelled through, and compares the
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
    norms = np.array([np.linalg.norm(s) for s in signals])  # ∂L/∂h_l for l = 1 … 39
    k = np.arange(len(norms))[::-1]  # layers travelled from the top hidden layer
    slopes_fit[a] = np.polyfit(k, np.log(norms), 1)[0]
    backward_norms[f"a = {a}"] = norms

plots.grad_norms_by_layer(backward_norms, title="Deep linear networks: ‖∂L/∂h_l‖ scales like a^(layers travelled)",
                          ylabel="‖∂L/∂h_l‖ (log scale)")
plt.show()

print(" a    | log a   | fitted slope per layer")
for a in scales:
    print(f" {a:<4} | {np.log(a):+.4f} | {slopes_fit[a]:+.4f}")
    assert abs(slopes_fit[a] - np.log(a)) < 0.05, f"gradient norm grows like a^k (a = {a})"

# %% [markdown]
# The slopes match $\log a$: in a network with no nonlinearity at all, $a = 0.5$ makes the gradient reaching
# the first layer $10^{-12}$ times smaller than at the top, and $a = 1.5$ makes it $10^{7}$ times larger.
# Vanishing and exploding gradients are not caused by nonlinearity; they are caused by a long product.
#
# ## "Vanishing in the forward pass, exploding in the backward pass"?
#
# > **The documents say** (A1 §2.1): 「梯度消失问题主要出现在深度网络的前馈过程中……梯度爆炸问题则主要出现在反向传播过程中」
# > — "The vanishing-gradient problem occurs mainly in the network's *forward* pass … the exploding-gradient
# > problem occurs mainly in the *backward* pass."
# >
# > **What is true:** gradients exist only in the backward pass, and both failures are the same backward
# > product being too small or too large — the figure above shows both, in the same pass of the same kind of
# > network. The forward pass is governed by the same factors — in a linear network the activations scale like
# > $a^l$ too, and the Jacobian of the output with respect to the input is the same product transposed, which
# > is why the deep sigmoid network of [1.2](../01_background/02_first_experiment.ipynb) maps every image to
# > the same hidden vector. But the forward *activations* need not be small: in a sigmoid network they stay
# > around $0.5$ while the gradient vanishes. The cell measures both passes in both networks.

# %%
_, cache = linear_net(0.5).forward(X)
forward_linear = np.array([np.linalg.norm(h) for h in cache.h])
forward_slope = np.polyfit(np.arange(len(forward_linear)), np.log(forward_linear), 1)[0]
print(f"linear net, a = 0.5: forward ‖h_l‖ slope per layer {forward_slope:+.3f}, backward {slopes_fit[0.5]:+.3f}, "
      f"log a = {np.log(0.5):+.3f}")
assert abs(forward_slope - np.log(0.5)) < 0.05, "in a linear net the forward signal shrinks by the same factor a"

digits = data.digits()
Xd, yd = digits.X_train[:512].astype(np.float64), digits.y_train[:512]
sig_net = nets.NumpyMLP([64] + [64] * 20 + [10], activation="sigmoid", init="default", seed=0)
_, sig_cache = sig_net.forward(Xd)
_, sig_grads, sig_signals = sig_net.loss_and_grads(Xd, yd, loss="cross_entropy")
act_rms = np.array([np.sqrt(np.mean(h**2)) for h in sig_cache.h[1:]])  # RMS of each hidden layer's output
signal_norms = np.array([np.linalg.norm(s) for s in sig_signals])
print(f"sigmoid net: RMS activation per hidden layer between {act_rms.min():.2f} and {act_rms.max():.2f}; "
      f"‖∂L/∂h_l‖ from {signal_norms[-1]:.1e} (top) to {signal_norms[0]:.1e} (bottom)")
assert act_rms.min() > 0.4 and act_rms.max() < 0.7, "the sigmoid net's activations do not vanish in the forward pass"
assert signal_norms[0] < 1e-12 * signal_norms[-1], "but its gradient vanishes in the backward pass"

# %% [markdown]
# ## Explosion through the weights, with bounded activations
#
# Since $|\sigma'| \le 1$ for tanh, sigmoid and ReLU, growth of the backward signal can only come from the
# weights: $\|\partial L/\partial h_{l-1}\| \le \|W_l\|_2 \max|\sigma'|\,\|\partial L/\partial h_l\|$, and
# the weights can push that factor far above 1. A 30-layer tanh network whose weights are drawn with scale
# $a = 3$ ($\mathcal N(0, 9/n)$, spectral norm about 6) explodes even though every $\tanh'$ is at most 1.
# The cell checks the bound at every layer and measures the growth.

# %%
tanh_net = nets.NumpyMLP([width] * 31, activation="tanh", init="normal", std=3.0 / np.sqrt(width), seed=0)
_, tanh_grads, tanh_signals = tanh_net.loss_and_grads(X, Y, loss="mse")
tanh_norms = np.array([np.linalg.norm(s) for s in tanh_signals])
spectral = np.array([np.linalg.norm(W, 2) for W, _ in tanh_net.params])

# tanh_signals[i] = ∂L/∂h_{i+1}; the step from h_{i+1} back to h_i goes through W_{i+1} = params[i] (i ≥ 1)
per_layer_growth = tanh_norms[:-1] / tanh_norms[1:]
bounds = spectral[1:-1] * 1.0  # ‖W_l‖₂ · max tanh'
print(f"spectral norms ‖W_l‖₂ ≈ {spectral.mean():.1f}; measured growth per layer: median {np.median(per_layer_growth):.2f}, "
      f"max {per_layer_growth.max():.2f}; total growth over {len(tanh_norms) - 1} layers: {tanh_norms[0] / tanh_norms[-1]:.1e}")
assert np.all(per_layer_growth <= bounds), "every layer's growth respects ‖W_l‖₂ · max|tanh'|"
assert tanh_norms[0] > 1e3 * tanh_norms[-1], "the gradient explodes through 30 tanh layers with large weights"

# %% [markdown]
# > **The documents say** (A4 §2.2.2): 「梯度爆炸主要发生在激活函数的非线性过程中，由于非线性函数的极值特性，梯度会逐渐增大。」
# > — "Gradient explosion happens mainly in the nonlinear process of the activation function: because of the
# > extremal properties of nonlinear functions, the gradient grows gradually."
# >
# > **What is true:** the common activations have $|\sigma'| \le 1$, so they can only shrink the backward
# > signal. Explosion comes from the weights: the linear networks above (no activation at all) exploded for
# > $a > 1$, and the tanh network exploded *although* every $\tanh'$ was at most 1, with every layer's growth
# > below $\|W_l\|_2$. The same article's companion claim, that vanishing "mainly happens in the multiplication
# > of weight matrices" (A4 §2.2.1), is half right: the weights can cause either failure, and so can the
# > activations' derivatives — both are factors of the same product.
#
# ## What an exploding gradient does to training
#
# > **The documents say** (A2 §1): 「梯度爆炸……使得参数更新步长增大，从而引发模型的过拟合现象。」 and (A2 §2)
# > 「训练出的神经网络模型在训练过程中出现这种现象，表现为模型的训练精度不断提高，但是，在测试阶段却无法取得很好的效果。」
# > — "Gradient explosion … makes the parameter update steps larger and so causes overfitting." and "It shows
# > up as training accuracy rising steadily while the model does badly at test time."
# >
# > **What is true:** that is the description of *overfitting* (a low training loss with a high validation
# > loss), and an exploding gradient produces the opposite: huge steps that wreck the *training* loss.
# > Below, a 10-layer ReLU network with weights three times the scale He initialization would use diverges to
# > NaN within a few steps of SGD — `gradcourse.train.train` stops it with `TrainingDiverged` and says where
# > the first non-finite value appeared — and a 10-layer tanh network with exploding gradients never reaches
# > a good training accuracy, with no gap between training and validation.

# %%
split = data.digits(as_tensors=True)
relu_big = nets.mlp(64, 10, depth=10, width=64, activation="relu", init="normal", std=3.0 / 8.0, seed=0)
try:
    train.train(relu_big, split, optim.SGD(relu_big.parameters(), lr=0.05), epochs=5, progress=False)
    diverged = None
except train.TrainingDiverged as err:
    diverged = err
    print(str(err).splitlines()[0])
    print(f"losses before it: {[f'{v:.3g}' for v in err.history.loss]}")
assert diverged is not None and diverged.step <= 10, "exploding gradients wreck training within a few steps"

tanh_big = nets.mlp(64, 10, depth=10, width=64, activation="tanh", init="normal", std=5.0 / 8.0, seed=0)
h = train.train(tanh_big, split, optim.SGD(tanh_big.parameters(), lr=0.05), epochs=5, progress=False)
print(f"tanh, exploding gradients (first-step ‖g‖ = {h.grad_norm[0]:.0f}): "
      f"training accuracy {h.train_acc[-1]:.2f}, validation accuracy {h.val_acc[-1]:.2f}")
assert h.train_acc[-1] < 0.5 and abs(h.train_acc[-1] - h.val_acc[-1]) < 0.1, "poor training accuracy, no overfitting gap"

# %% [markdown]
# A2 also offers a test for explosion (「如果f'(x)>c，则称f(x)具有振荡性」, "if f'(x) > c, f is called
# oscillatory"), which is not a diagnostic of anything. The practical test is to *watch the gradient norm*
# per layer and over time, as `train.train` does on every step (the `grad_norm` it recorded above), and as
# [4.3 diagnosing a network](../04_code/04_diagnosing_a_network.ipynb) does in depth.
#
# ## The same product over time: recurrent networks
#
# A recurrent network applies the same layer at every time step, $h_t = \tanh(W_{xh}x_t + W_{hh}h_{t-1} + b)$.
# Back-propagation through time therefore multiplies by $W_{hh}^\top\operatorname{diag}(\tanh'(\cdot))$ once
# per step, with the **same** matrix each time, so over $k$ steps the gradient behaves like
# $(W_{hh}^\top)^k$ damped by the $\tanh'$ factors. The size of $(W_{hh}^\top)^k$ is set by the
# **spectral radius** $\rho(W_{hh})$, the largest $|\lambda|$ among its eigenvalues: it shrinks like $\rho^k$
# when $\rho < 1$ and grows when $\rho > 1$. This is the setting in which the problem was first analysed
# ([Hochreiter, 1991](../06_faq/03_references.ipynb#hochreiter1991untersuchungen);
# [Bengio, Simard & Frasconi, 1994](../06_faq/03_references.ipynb#bengio1994learning)).
#
# The cell runs `gradcourse.nets.TanhRNN` (32 hidden units, float64) over 60 random inputs with its recurrent
# matrix rescaled to $\rho \in \{0.5, 0.9, 1.5, 3\}$ and reads $\|\partial L/\partial h_t\|$ for a loss on the
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
ax.set_ylabel("‖∂L/∂h_t‖ / ‖∂L/∂h_T‖ (log scale)")
ax.legend()
plt.show()

lag = 50
for label, norms in through_time.items():
    print(f"{label}: gradient after {lag} steps back = {norms[lag] / norms[0]:.1e} × the last step's")
ratio = {label[-3:]: norms[lag] / norms[0] for label, norms in through_time.items()}
assert ratio["0.5"] < 1e-10 and ratio["0.9"] < 1e-6, "ρ < 1: the gradient vanishes over long time lags"
assert ratio["3.0"] > 1e2, "ρ = 3: the gradient explodes over long time lags"
assert ratio["1.5"] < 10, "ρ > 1 is not enough: saturated tanh units (tanh' ≈ 0) can still make it decay"

# %% [markdown]
# With $\rho < 1$ the influence of an input 50 steps back is gone — the reason plain RNNs cannot learn
# long-term dependencies, and the reason for the LSTM's gates
# ([Hochreiter & Schmidhuber, 1997](../06_faq/03_references.ipynb#hochreiter1997long)). With $\rho = 3$ it
# grows by orders of magnitude. With $\rho = 1.5$ it still decays here: the $\tanh'$ factors of saturated
# units are near zero, so a spectral radius above 1 is *necessary* for explosion but not sufficient
# ([Pascanu, Mikolov & Bengio, 2013](../06_faq/03_references.ipynb#pascanu2013difficulty)).
#
# > **The documents say** (A5 §3.2): 「梯度消失问题的数学模型如下：」 $\nabla J(\theta_t) = \prod_{i=1}^n \sigma'(z_i) \nabla J(\theta_{t-1})$ 「其中，$z_i$ 表示第i个神经元的输入」
# > — "The mathematical model of the vanishing-gradient problem: ∇J(θ_t) = Π σ'(z_i) ∇J(θ_{t−1}), where z_i is
# > the input of the i-th neuron."
# >
# > **What is true:** this mixes up two different indices. $t$ in $\theta_t$ counts *training iterations*;
# > the product that vanishes runs over *layers* (or, in a recurrent network, over time steps of one
# > sequence), inside **one** backward pass at **fixed** parameters. It relates the gradients with respect to
# > the *activations* of different layers, not the gradient at one training step to the gradient at the
# > previous one. And each factor contains the weights, $W_l^\top\operatorname{diag}(\sigma'(z_l))$; the
# > derivatives $\sigma'$ alone give the wrong answer. The cell checks both points on the 20-layer sigmoid
# > network.

# %%
# (1) Without the weights, the product of σ' factors does not reproduce the back-propagated signal.
sig = nets.get_activation("sigmoid")
with_weights = sig_signals[-1].copy()
without_weights = sig_signals[-1].copy()
for l in range(sig_net.n_layers - 2, 0, -1):  # from ∂L/∂h_20 down to ∂L/∂h_1
    W = sig_net.params[l][0]
    with_weights = (with_weights * sig.df(sig_cache.z[l])) @ W  # ∂L/∂h_l = (∂L/∂h_{l+1} ⊙ σ'(z_{l+1})) W_{l+1}
    without_weights = without_weights * sig.df(sig_cache.z[l])
error_with = np.linalg.norm(with_weights - sig_signals[0]) / np.linalg.norm(sig_signals[0])
error_without = np.linalg.norm(without_weights - sig_signals[0]) / np.linalg.norm(sig_signals[0])
print(f"relative error of the product with W_l: {error_with:.1e}; with σ' alone (A5): {error_without:.1e}")
assert error_with < 1e-10 and error_without > 1e3, "the factors are W_lᵀ diag(σ'), not σ' alone"

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
print(f"g_t / g_(t−1), entry by entry, 10th–90th percentile: {spread[0]:.2f} … {spread[1]:.2f}")
assert spread[1] - spread[0] > 0.05, "no single factor maps one iteration's gradient to the next"

# %% [markdown]
# ## Two more of A2's definitions
#
# > **The documents say** (A2 §2): 「如果f'(a)=0，那么无论如何x\to a，都会使得f(x)的值无限增大，从而出现梯度消失问题。举个例子，如果函数f(x)=e^(-x^2)在x=0处取最小值……」
# > — "If f′(a) = 0, then as x → a the value of f(x) grows without bound, and the vanishing-gradient problem
# > appears. For example, the function f(x) = e^(−x²) takes its minimum at x = 0 …"
# >
# > **What is true:** $f'(a) = 0$ makes $a$ a *stationary point*; near it $f$ changes only quadratically
# > ($f(x) \approx f(a) + \tfrac12 f''(a)(x-a)^2$), it does not blow up. $e^{-x^2}$ has its **maximum** at 0.
# > And vanishing gradients are not about stationary points at all: the 20-layer sigmoid network above sits
# > at a high loss, with a large gradient for its last layers and a vanishing one for its first.
# >
# > **The documents say** (A2 §2): 「如果函数在某一点处的导数达到了一个很小的值，就称这个点是“鞍点”」
# > — "If the derivative at a point is very small, the point is called a *saddle point*."
# >
# > **What is true:** a saddle point (鞍点) is a stationary point — gradient exactly zero — where the loss
# > curves *up* in some directions and *down* in others (the Hessian has eigenvalues of both signs), like
# > $f = x_1^2 - x_2^2$ (`gradcourse.problems.SADDLE`). A small gradient alone says nothing about which kind of
# > point is near.

# %%
x_grid = np.linspace(-3, 3, 601)
bump = np.exp(-x_grid**2)
assert bump.max() == bump[300] == 1.0 and np.all(bump <= 1.0), "e^(−x²) has its maximum, not its minimum, at 0"
near = np.linspace(-0.1, 0.1, 21)
assert np.all(np.abs(np.exp(-near**2) - (1 - near**2)) < 1e-4), "near a stationary point f changes quadratically"

sig_loss = sig_net.loss_and_grads(Xd, yd, loss="cross_entropy")[0]
g_first, g_last = np.linalg.norm(sig_grads[0][0]), np.linalg.norm(sig_grads[19][0])
print(f"20-layer sigmoid net: loss {sig_loss:.3f} (ln 10 = {np.log(10):.3f}), ‖g‖ last hidden layer {g_last:.1e}, "
      f"first {g_first:.1e}")
assert sig_loss > 2.0 and g_last > 1e-3 and g_first < 1e-12, "far from any minimum, yet the first layer's gradient vanishes"

saddle_eigs = np.linalg.eigvalsh(problems.SADDLE.hessian(np.zeros(2)))
print(f"SADDLE at 0: gradient {problems.SADDLE.grad(np.zeros(2))}, Hessian eigenvalues {saddle_eigs}")
assert np.all(problems.SADDLE.grad(np.zeros(2)) == 0) and saddle_eigs.min() < 0 < saddle_eigs.max(), "a saddle"

# %% [markdown]
# ## What clipping does — and does not do
#
# A2 §2 goes on to gradient clipping, momentum and Adam (their formulas are checked in
# [3.6](../03_algorithms/08_clipping.ipynb), [3.2](../03_algorithms/03_momentum_nesterov.ipynb),
# [3.4](../03_algorithms/05_adam_family.ipynb) and in the [conventions table](../03_algorithms/12_conventions.ipynb)).
# One point belongs here: clipping by global norm rescales *all* gradients by the same factor
# $c = \min(1, \text{max\_norm}/\|g\|)$. It caps the length of an exploding step but keeps the direction —
# and so it keeps the ratio between layers: it does not touch the product itself.

# %%
tanh_weight_grads = [dW for dW, _ in tanh_grads]
clipped, total = clip.clip_by_global_norm(tanh_weight_grads, max_norm=1.0)
clipped_total = np.sqrt(sum(np.sum(g**2) for g in clipped))
ratio_before = np.linalg.norm(tanh_weight_grads[0]) / np.linalg.norm(tanh_weight_grads[-1])
ratio_after = np.linalg.norm(clipped[0]) / np.linalg.norm(clipped[-1])
print(f"global norm {float(total):.1e} → {clipped_total:.3f}; first/last layer ratio {ratio_before:.3e} → {ratio_after:.3e}")
assert abs(clipped_total - 1.0) < 1e-5, "the clipped gradient has norm max_norm"
assert abs(ratio_after / ratio_before - 1) < 1e-12, "clipping leaves the ratio between layers unchanged"

# %% [markdown]
# ## What we learned
#
# - Vanishing and exploding gradients are one phenomenon: the backward product
#   $\prod_l W_l^\top\operatorname{diag}(\sigma'(z_l))$ is too small or too large. Both happen in the backward
#   pass; neither is a "forward-pass" problem, although the forward signal obeys the same factors.
# - Activations contribute factors $\sigma' \le 1/4$ (sigmoid), $\le 1$ (tanh), $\in\{0,1\}$ (ReLU): they can
#   shrink the signal, never amplify it.
# - Weights contribute the rest: in deep linear networks with weight scale $a$ the gradient norm changes by
#   $a$ per layer (fitted slopes match $\log a$ to within 0.05), and large weights make even a tanh network
#   explode. Explosion comes from the weights, not from "the nonlinearity" (A4).
# - An exploding gradient wrecks *training* (a NaN within three steps here); it is not overfitting (A2).
# - In a recurrent network the same matrix repeats at every time step, so the spectral radius of $W_{hh}$
#   decides: $\rho < 1$ vanishes over long lags, large $\rho$ explodes; $\rho > 1$ alone is not enough.
# - Clipping caps the step, it does not change the product.
#
# Next, [2.3](03_learning_rate.ipynb) turns to the other number every step multiplies: the learning rate.
