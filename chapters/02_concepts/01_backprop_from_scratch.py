# %% [markdown]
# # 2.1 Gradients and backpropagation from scratch
#
# Gradient descent needs $g = \nabla_\theta \ell(\theta)$: for every weight and bias, how fast the loss changes
# when that one number changes. A network has thousands to billions of them. How can we get them all, exactly,
# and what does it cost? This chapter derives **backpropagation** — the chain rule applied from the loss
# backwards — runs it in plain numpy, checks it two independent ways (finite differences and PyTorch's
# autograd), and measures its cost. Along the way the chain rule turns out to be a **product of layer
# Jacobians**, the product whose size the rest of the course is about.

# %% tags=["hide-input"]
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from gradcourse import data, nets, plots
from gradcourse.claims import claim
from gradcourse.nets import gradcheck
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
rng = np.random.default_rng(0)

# %% [markdown]
# ## The forward pass
#
# The course's numpy network `gradcourse.nets.NumpyMLP` keeps one example per row, as PyTorch does. With
# $h^{(0)} = X$ and $D$ linear layers,
#
# $$z^{(l)} = h^{(l-1)} W^{(l)\top} + b^{(l)} \quad (l = 1,\dots,D), \qquad h^{(l)} = \phi(z^{(l)})
# \quad (\text{hidden layers}), \qquad \hat y = z^{(D)} ,$$
#
# where $W^{(l)}$ has shape (out, in) like `torch.nn.Linear.weight` and $\phi$ is the activation. The forward
# pass keeps every $z^{(l)}$ and $h^{(l)}$ in a cache, because the backward pass needs them.
#
# ## The backward pass
#
# Call $\delta^{(l)} = \partial \ell/\partial z^{(l)}$ the *error signal* of layer $l$. The loss gives the first
# one, $\delta^{(D)} = \partial \ell/\partial \hat y$ (for softmax cross-entropy averaged over $N$ examples it is
# $(\operatorname{softmax}(\hat y) - \text{onehot}(y))/N$). Then, from the last layer to the first,
#
# $$\frac{\partial \ell}{\partial W^{(l)}} = \delta^{(l)\top} h^{(l-1)}, \qquad
#   \frac{\partial \ell}{\partial b^{(l)}} = \sum_{\text{rows}} \delta^{(l)}, \qquad
#   \frac{\partial \ell}{\partial h^{(l-1)}} = \delta^{(l)} W^{(l)}, \qquad
#   \delta^{(l-1)} = \frac{\partial \ell}{\partial h^{(l-1)}} \odot \phi'(z^{(l-1)}).$$
#
# Each line is the chain rule for one simple operation (a matrix product, an addition, an elementwise
# function). Nothing is approximated. `NumpyMLP.loss_and_grads` returns the loss, the gradients
# $(\partial \ell/\partial W^{(l)}, \partial \ell/\partial b^{(l)})$ and the back-propagated *signals*
# $\partial \ell/\partial h^{(l)}$ of the hidden layers. (The cost is measured at the end of the chapter.)

# %%
net = nets.NumpyMLP([4, 6, 6, 6, 6, 3], activation="tanh", init="xavier_uniform", seed=0)
X = rng.normal(size=(8, 4))
y = rng.integers(0, 3, size=8)

loss, grads, signals = net.loss_and_grads(X, y, loss="cross_entropy")
print(net, f"  loss = {loss:.4f}")
for l, ((W, _), (dW, db)) in enumerate(zip(net.params, grads, strict=True), start=1):
    print(f"layer {l}: W {W.shape}, ∂ℓ/∂W {dW.shape}, ∂ℓ/∂b {db.shape}")
print("signals ∂ℓ/∂h for the hidden layers:", [s.shape for s in signals])
claim(all(dW.shape == W.shape and db.shape == b.shape for (W, b), (dW, db) in zip(net.params, grads, strict=True)),
      "every gradient has the shape of its parameter")

# %% [markdown]
# ## The chain rule is a product of Jacobians
#
# Follow one example through the network. Layer $l$ maps $h^{(l-1)}$ to $h^{(l)} = \phi(W^{(l)} h^{(l-1)} + b^{(l)})$
# (column vectors now), and its Jacobian — the matrix of all $\partial h^{(l)}_i/\partial h^{(l-1)}_j$ — is
#
# $$J^{(l)} = \frac{\partial h^{(l)}}{\partial h^{(l-1)}} = \operatorname{diag}\big(\phi'(z^{(l)})\big)\, W^{(l)} .$$
#
# The chain rule for a composition multiplies Jacobians, so the gradient with respect to the first hidden
# layer is
#
# $$\frac{\partial \ell}{\partial h^{(1)}} = J^{(2)\top} J^{(3)\top} \cdots J^{(D-1)\top}\,
#   \frac{\partial \ell}{\partial h^{(D-1)}} .$$
#
# Backpropagation evaluates this product from the right, one *vector*-times-matrix at a time, and never
# builds the matrices. To check the claim independently we let PyTorch's autograd build each $J^{(l)}$ for one
# example, compare it with $\operatorname{diag}(\phi'(z^{(l)}))W^{(l)}$, and multiply the product out.

# %%
n = 0  # which example
_, cache = net.forward(X)
tanh = nets.get_activation("tanh")
torch_params = [(torch.from_numpy(W), torch.from_numpy(b)) for W, b in net.params]

jacobians = []
for l in range(1, net.n_layers - 1):  # hidden layer l+1 as a function of hidden layer l (l = 1 … D−2)
    W, b = torch_params[l]

    def layer(h, W=W, b=b):
        return torch.tanh(W @ h + b)

    J = torch.autograd.functional.jacobian(layer, torch.from_numpy(cache.h[l][n])).numpy()
    W_np, z = net.params[l][0], cache.z[l][n]
    jacobians.append((J, np.allclose(J, tanh.df(z)[:, None] * W_np, rtol=1e-12, atol=1e-15)))

vector = signals[-1][n]  # ∂ℓ/∂h^(D−1) for this example
for J, _ in reversed(jacobians):
    vector = J.T @ vector  # one vector–Jacobian product per layer
print("product of Jacobians:", np.round(vector, 6))
print("backprop's ∂ℓ/∂h^(1): ", np.round(signals[0][n], 6))
claim(all(ok for _, ok in jacobians) and np.allclose(vector, signals[0][n], rtol=1e-10, atol=1e-15),
      f"{len(jacobians)} Jacobians, each equal to diag(φ'(z)) W; their product reproduces backprop's ∂ℓ/∂h^(1)")

# %% [markdown]
# One of the source articles (A4 §3.2) writes the chain rule as
# $\partial J/\partial \theta_i = \sum_j (\partial J/\partial z_j)(\partial z_j/\partial \theta_i)$ — correct, as
# one step. It needs $\partial J/\partial z_j$, which depends on every layer above; getting those numbers means
# applying the same rule again, layer after layer, from the loss down — and that recursion *is*
# backpropagation. The cell evaluates A4's sum for every weight of the first layer, fed with backprop's
# $\partial \ell/\partial h^{(1)}$. (The same article defines the gradient the wrong way round, as the
# parameters' derivative with respect to the loss: [claim 64 in 6.2](../06_faq/02_claims_checked.ipynb#claim-64).)

# %%
# ∂h^(1)[n, j]/∂W^(1)[a, b] = [j = a] · φ'(z^(1)[n, a]) · x[n, b], so A4's sum over j (and over the batch) is:
chain_rule_sum = np.einsum("na,nb->ab", signals[0] * tanh.df(cache.z[0]), X)
claim(np.allclose(chain_rule_sum, grads[0][0], rtol=1e-12, atol=1e-16),
      "A4's one-step chain rule, fed with backprop's ∂ℓ/∂h^(1), gives ∂ℓ/∂W^(1) exactly")

# %% [markdown]
# ## Check 1: finite differences
#
# The definition of a derivative gives an independent, slow check. Nudge one parameter by $\pm\epsilon$ and
# measure the change of the loss:
#
# $$\frac{\partial \ell}{\partial \theta_i} \approx \frac{\ell(\theta + \epsilon e_i) - \ell(\theta - \epsilon e_i)}{2\epsilon}.$$
#
# `gradcourse.nets.gradient_check` does this for every entry of an array and returns the largest relative
# error $|g_i - \hat g_i| / (|g_i| + |\hat g_i|)$. In float64, values around $10^{-7}$ or below mean the
# hand-written gradient is right; a bug shows up as $10^{-2}$ or worse.

# %%
def make_check(l, which):
    """f(x) -> (loss, gradient of parameter `which` of layer l), for gradient_check (x is that array itself)."""
    def f(_):
        value, g, _ = net.loss_and_grads(X, y, loss="cross_entropy")
        return value, g[l][which]
    return f


worst = {}
for l, (W, b) in enumerate(net.params):
    worst[f"W{l + 1}"] = gradcheck.gradient_check(make_check(l, 0), W)
    worst[f"b{l + 1}"] = gradcheck.gradient_check(make_check(l, 1), b)
claim(max(worst.values()) < 1e-6, f"backprop agrees with central finite differences in every parameter array "
      f"(largest relative error {max(worst.values()):.1e})")

# %% [markdown]
# ## Check 2: PyTorch's autograd
#
# PyTorch computes the same gradients by reverse-mode automatic differentiation: it records the operations
# of the forward pass and applies each one's chain rule backwards — backpropagation, done by the library.
# We copy our weights into a PyTorch network of the same shape (`gradcourse.nets.mlp`, float64) and compare,
# for both losses the numpy network supports.

# %%
def torch_copy(numpy_net):
    """A gradcourse.nets.mlp with the same architecture and weights as `numpy_net` (float64)."""
    sizes = numpy_net.sizes
    model = nets.mlp(sizes[0], sizes[-1], depth=len(sizes) - 2, width=sizes[1], activation="tanh",
                     dtype=torch.float64)
    linears = [block.linear for block in model.blocks] + [model.head]
    with torch.no_grad():
        for linear, (W, b) in zip(linears, numpy_net.params, strict=True):
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
    return model, linears


model, linears = torch_copy(net)
Xt = torch.from_numpy(X)
targets = {"cross_entropy": torch.from_numpy(y), "mse": torch.from_numpy(rng.normal(size=(8, 3)))}
torch_losses = {"cross_entropy": F.cross_entropy, "mse": F.mse_loss}

print(f"{'loss':>14} | {'ours':>9} | {'torch':>9} | max |∂ℓ/∂θ ours − torch|")
for name, target in targets.items():
    ours_loss, ours, _ = net.loss_and_grads(X, target.numpy(), loss=name)
    model.zero_grad()
    torch_loss = torch_losses[name](model(Xt), target)
    torch_loss.backward()
    diff = max(max(np.abs(dW - lin.weight.grad.numpy()).max(), np.abs(db - lin.bias.grad.numpy()).max())
               for (dW, db), lin in zip(ours, linears, strict=True))
    print(f"{name:>14} | {ours_loss:9.6f} | {torch_loss.item():9.6f} | {diff:.1e}")
    claim(abs(ours_loss - torch_loss.item()) < 1e-12 and diff < 1e-12,
          f"{name}: our numpy backprop equals torch's autograd to {diff:.0e}")

# %% [markdown]
# The two agree to the last few bits of float64. Finite differences agreed only to about $10^{-7}$ —
# not because backprop is approximate, but because finite differences are. (Where a gradient check can mislead —
# near a ReLU's kink, in float32 — is part of [4.2](../04_code/02_training_recipe.ipynb).)
#
# Finite differences are only estimates: their error is about $\epsilon^2$ (truncation) plus about
# $10^{-16}\,|\ell|/\epsilon$ (rounding), so no choice of $\epsilon$ makes them exact. They are also slow: two loss
# evaluations per parameter. The next two cells measure both.
#
# ```{admonition} Common misconception
# :class: warning
# 「反向差分法……通过计算网络输出与目标值之间的差分来估计梯度」 (A5 §1.1.3: backpropagation "estimates the gradient
# from the *difference* between output and target"). **In fact** backpropagation (反向传播) is the exact chain rule —
# it matched autograd to $10^{-15}$ above; differences are what the slow, approximate check uses
# ([claim 79 in 6.2](../06_faq/02_claims_checked.ipynb#claim-79)).
# ```

# %%
W2 = net.params[1][0]  # a 6×6 weight matrix
exact = grads[1][0]
epsilons = np.logspace(-1, -13, 25)
errors = []
for eps in epsilons:
    estimate = gradcheck.numerical_gradient(lambda _: net.loss_and_grads(X, y, loss="cross_entropy")[0], W2, eps)
    errors.append(np.abs(estimate - exact).max() / np.abs(exact).max())
errors = np.array(errors)

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.loglog(epsilons, errors, marker="o", label="central differences vs backprop")
ax.axhline(1e-16, color="0.4", linestyle=":", label="float64 precision (backprop is exact to this level)")
ax.invert_xaxis()
ax.set_title("Finite differences are estimates: error vs step ε")
ax.set_xlabel("step ε (smaller to the right)")
ax.set_ylabel("max |ĝ − g| / max |g|")
ax.legend(loc="upper center")
plt.show()

best = epsilons[np.argmin(errors)]
claim(errors.min() > 1e-13 and errors[0] > 1e3 * errors.min() and errors[-1] > 1e3 * errors.min()
      and 1e-8 <= best <= 1e-3,
      f"no ε makes finite differences exact: best ε ≈ {best:.0e} with error {errors.min():.1e}; "
      f"ε = 1e-1 (truncation) {errors[0]:.1e}, ε = 1e-13 (rounding) {errors[-1]:.1e}")

# %%
big = nets.NumpyMLP([64, 64, 64, 10], activation="tanh", init="xavier_uniform", seed=0)
digits = data.digits()
Xb, yb = digits.X_train[:64].astype(np.float64), digits.y_train[:64]
n_params = sum(W.size + b.size for W, b in big.params)

start = time.perf_counter()
for _ in range(10):
    big.loss_and_grads(Xb, yb, loss="cross_entropy")
backprop_seconds = (time.perf_counter() - start) / 10

W_rows = big.params[0][0][:8]  # a view of 8 rows (512 weights) of W_1: enough to time finite differences
start = time.perf_counter()
gradcheck.numerical_gradient(lambda _: big.loss_and_grads(Xb, yb, loss="cross_entropy")[0], W_rows)
per_parameter = (time.perf_counter() - start) / W_rows.size
fd_seconds = per_parameter * n_params  # finite differences for *all* parameters, extrapolated

claim(fd_seconds > 100 * backprop_seconds,
      f"{n_params} parameters: backprop takes {1e3 * backprop_seconds:.2f} ms for all of them, finite differences "
      f"≈ {fd_seconds:.1f} s ({fd_seconds / backprop_seconds:,.0f} times slower)")

# %% [markdown]
# ## What backpropagation costs
#
# How much more than a forward pass? Count the work of one dense layer with batch $B$, $n_{\mathrm{in}}$ inputs
# and $n_{\mathrm{out}}$ outputs. The forward pass is one matrix product, $z = hW^\top$:
# $2Bn_{\mathrm{in}}n_{\mathrm{out}}$ floating-point operations. The backward pass needs **two** products of the
# same size: $\partial\ell/\partial W = \delta^\top h$ for the layer's own weights, and
# $\partial\ell/\partial h = \delta W$ to pass the signal on. Only the first layer skips the second product: its
# input is the data, which needs no gradient. So with $D$ layers of equal size the backward pass costs
# $(2D-1)/D$ forward passes — nearly **twice** — and one training step (forward + backward) about **three**; the
# elementwise work (activations, their derivatives) is small next to the matrix products. The cell counts the
# operations with PyTorch's own counter (`torch.utils.flop_counter`) for a 4-layer, 256-wide ReLU network on a
# batch of 256, and times the two passes on your machine.

# %%
wide = nets.mlp(256, 256, depth=3, width=256, activation="relu", seed=0)
Xw = torch.randn(256, 256, generator=torch.Generator().manual_seed(0))
yw = torch.randint(0, 256, (256,), generator=torch.Generator().manual_seed(1))
n_layers = sum(isinstance(m, torch.nn.Linear) for m in wide.modules())

with FlopCounterMode(display=False) as counted_forward:
    wide_loss = F.cross_entropy(wide(Xw), yw)
with FlopCounterMode(display=False) as counted_backward:
    wide_loss.backward()
flops_forward, flops_backward = counted_forward.get_total_flops(), counted_backward.get_total_flops()
print(f"counted: forward {flops_forward / 1e6:.0f} MFLOP, backward {flops_backward / 1e6:.0f} MFLOP "
      f"({flops_backward / flops_forward:.2f}×)")
claim(flops_backward / flops_forward == (2 * n_layers - 1) / n_layers,
      f"the backward pass does {flops_backward / flops_forward:.2f}× the forward pass's work = (2D − 1)/D "
      f"with D = {n_layers} layers: nearly twice")


def timed(fn, repeats=10):
    # median wall time of fn() over `repeats` runs, after one warm-up run
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def forward():
    with torch.no_grad():
        return F.cross_entropy(wide(Xw), yw)


def forward_and_backward():
    wide.zero_grad(set_to_none=True)
    F.cross_entropy(wide(Xw), yw).backward()


t_forward, t_step = timed(forward), timed(forward_and_backward)
print(f"timed on this machine: forward {1e3 * t_forward:.1f} ms, forward + backward {1e3 * t_step:.1f} ms "
      f"(backward ≈ {(t_step - t_forward) / t_forward:.1f}× forward)")

# %% [markdown]
# The timing is yours to read, not a law: with matrices this small, fixed costs per operation (launching it,
# allocating memory) and whatever else the machine is doing move the measured ratio from run to run. The count
# of operations does not move, and on large layers the timing approaches it.

# %% [markdown]
# ## Backpropagation at work: XOR
#
# With exact gradients, gradient descent can train. The four XOR points cannot be separated by a line, so a
# network needs a hidden layer; a 2-8-1 tanh network trained by plain gradient descent
# ($\theta \leftarrow \theta - \eta g$, `NumpyMLP.sgd_step`) on the mean squared error fits them. (Source
# article A5 trains XOR too, with a model that cannot: its `sigmoid_derivative(x) = x(1−x)` is the correct σ′
# when given σ(z), but the update never calls it — its bugs are the sign of the step (it climbs the loss), the
# missing σ′ factor, and no bias or hidden layer; see [4.1](../04_code/01_documents_code_repaired.ipynb).)

# %%
X_xor, y_xor = data.xor()
xor_net = nets.NumpyMLP([2, 8, 1], activation="tanh", init="xavier_uniform", seed=0)
xor_losses = []
for _ in range(500):
    value, g, _ = xor_net.loss_and_grads(X_xor, y_xor.astype(float), loss="mse")
    xor_losses.append(value)
    xor_net.sgd_step(g, lr=0.1)

plots.loss_curves({"gradient descent, η = 0.1": xor_losses}, title="A 2-8-1 tanh network learns XOR",
                  xlabel="step", ylabel="mean squared error")
plt.show()

predictions = xor_net(X_xor).ravel()
print("inputs:", X_xor.tolist(), " targets:", y_xor.tolist(), " outputs:", np.round(predictions, 3).tolist())
claim(xor_losses[-1] < 1e-3 and np.all(np.round(predictions) == y_xor),
      f"backprop + gradient descent fit XOR: final loss {xor_losses[-1]:.1e}")

# %% [markdown]
# ## What we learned
#
# - Backpropagation is the chain rule applied from the loss backwards: $\delta^{(l-1)} = (\delta^{(l)} W^{(l)})
#   \odot \phi'(z^{(l-1)})$, and $\partial \ell/\partial W^{(l)} = \delta^{(l)\top} h^{(l-1)}$. It is exact.
# - Its cost: a dense layer's backward pass is two matrix products to the forward pass's one, so backward ≈ 2×
#   forward and one training step ≈ 3× forward (measured above).
# - Written with Jacobians, the gradient of an early layer is a product
#   $J^{(2)\top} J^{(3)\top}\cdots$ with $J^{(l)} = \operatorname{diag}(\phi'(z^{(l)}))W^{(l)}$; backprop evaluates it
#   as a chain of vector–Jacobian products.
# - Our numpy gradients agree with PyTorch's autograd to $10^{-15}$ and with finite differences to about
#   $10^{-7}$ — the limit of finite differences, whose error never goes below truncation plus rounding, and
#   which cost two loss evaluations per parameter.
#
# Next, [2.2](02_vanishing_exploding.ipynb) asks what happens to that product of Jacobians when the network
# is deep.
#
# **Exercises:** [exercises/student/02_concepts](../../exercises/student/02_concepts.ipynb), exercise 2.1 *the backward pass of one layer*.
