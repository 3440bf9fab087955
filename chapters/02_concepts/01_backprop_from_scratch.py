# %% [markdown]
# # 2.1 Gradients and backpropagation from scratch
#
# Gradient descent needs $g = \nabla_\theta L(\theta)$: for every weight and bias, how fast the loss changes
# when that one number changes. A network has thousands to billions of them. This chapter derives
# **backpropagation** — the chain rule applied from the loss backwards — runs it in plain numpy, and checks
# it two independent ways: against finite differences and against PyTorch's autograd. Along the way the
# chain rule turns out to be a **product of layer Jacobians**, the product whose size the rest of the course
# is about.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from gradcourse import data, nets, plots
from gradcourse.nets import gradcheck
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
rng = np.random.default_rng(0)

# %% [markdown]
# ## The forward pass
#
# The course's numpy network `gradcourse.nets.NumpyMLP` keeps one example per row, as PyTorch does. With
# $h_0 = X$ and $L$ linear layers,
#
# $$z_l = h_{l-1} W_l^\top + b_l \quad (l = 1,\dots,L), \qquad h_l = \sigma(z_l) \quad (\text{hidden layers}),
# \qquad \hat y = z_L ,$$
#
# where $W_l$ has shape (out, in) like `torch.nn.Linear.weight`. The forward pass keeps every $z_l$ and
# $h_l$ in a cache, because the backward pass needs them.
#
# ## The backward pass
#
# Call $\delta_l = \partial L/\partial z_l$ the *error signal* of layer $l$. The loss gives the first one,
# $\delta_L = \partial L/\partial \hat y$ (for softmax cross-entropy averaged over $N$ examples it is
# $(\operatorname{softmax}(\hat y) - \text{onehot}(y))/N$). Then, from the last layer to the first,
#
# $$\frac{\partial L}{\partial W_l} = \delta_l^\top h_{l-1}, \qquad
#   \frac{\partial L}{\partial b_l} = \sum_{\text{rows}} \delta_l, \qquad
#   \frac{\partial L}{\partial h_{l-1}} = \delta_l W_l, \qquad
#   \delta_{l-1} = \frac{\partial L}{\partial h_{l-1}} \odot \sigma'(z_{l-1}).$$
#
# Each line is the chain rule for one simple operation (a matrix product, an addition, an elementwise
# function). Nothing is approximated, and the cost is about that of the forward pass: the same matrix
# products, transposed. `NumpyMLP.loss_and_grads` returns the loss, the gradients $(\partial L/\partial W_l,
# \partial L/\partial b_l)$ and the back-propagated *signals* $\partial L/\partial h_l$ of the hidden layers.

# %%
net = nets.NumpyMLP([4, 6, 6, 6, 6, 3], activation="tanh", init="xavier_uniform", seed=0)
X = rng.normal(size=(8, 4))
y = rng.integers(0, 3, size=8)

loss, grads, signals = net.loss_and_grads(X, y, loss="cross_entropy")
print(net, f"  loss = {loss:.4f}")
for l, ((W, _), (dW, db)) in enumerate(zip(net.params, grads, strict=True), start=1):
    print(f"layer {l}: W {W.shape}, ∂L/∂W {dW.shape}, ∂L/∂b {db.shape}")
print("signals ∂L/∂h_l for the hidden layers:", [s.shape for s in signals])
assert all(dW.shape == W.shape and db.shape == b.shape for (W, b), (dW, db) in zip(net.params, grads, strict=True))

# %% [markdown]
# ## The chain rule is a product of Jacobians
#
# Follow one example through the network. Layer $l$ maps $h_{l-1}$ to $h_l = \sigma(W_l h_{l-1} + b_l)$
# (column vectors now), and its Jacobian — the matrix of all $\partial h_{l,i}/\partial h_{l-1,j}$ — is
#
# $$J_l = \frac{\partial h_l}{\partial h_{l-1}} = \operatorname{diag}\big(\sigma'(z_l)\big)\, W_l .$$
#
# The chain rule for a composition multiplies Jacobians, so the gradient with respect to the first hidden
# layer is
#
# $$\frac{\partial L}{\partial h_1} = J_2^\top J_3^\top \cdots J_{L-1}^\top\, \frac{\partial L}{\partial h_{L-1}} .$$
#
# Backpropagation evaluates this product from the right, one *vector*-times-matrix at a time, and never
# builds the matrices. To check the claim independently we let PyTorch's autograd build each $J_l$ for one
# example, compare it with $\operatorname{diag}(\sigma'(z_l))W_l$, and multiply the product out.

# %%
n = 0  # which example
_, cache = net.forward(X)
tanh = nets.get_activation("tanh")
torch_params = [(torch.from_numpy(W), torch.from_numpy(b)) for W, b in net.params]

jacobians = []
for l in range(1, net.n_layers - 1):  # hidden layer l+1 as a function of hidden layer l (l = 1 … L−2)
    W, b = torch_params[l]

    def layer(h, W=W, b=b):
        return torch.tanh(W @ h + b)

    J = torch.autograd.functional.jacobian(layer, torch.from_numpy(cache.h[l][n])).numpy()
    W_np, z = net.params[l][0], cache.z[l][n]
    np.testing.assert_allclose(J, tanh.df(z)[:, None] * W_np, rtol=1e-12, atol=1e-15)
    jacobians.append(J)

vector = signals[-1][n]  # ∂L/∂h_{L−1} for this example
for J in reversed(jacobians):
    vector = J.T @ vector  # one vector–Jacobian product per layer
print("product of Jacobians:", np.round(vector, 6))
print("backprop's ∂L/∂h_1:  ", np.round(signals[0][n], 6))
np.testing.assert_allclose(vector, signals[0][n], rtol=1e-10, atol=1e-15)
print(f"{len(jacobians)} Jacobians, each equal to diag(σ'(z_l)) W_l; their product reproduces ∂L/∂h_1: checked.")

# %% [markdown]
# One of the source articles writes the chain rule like this:
#
# > **The documents say** (A4 §3.2): 「链规则的公式如下：」 $\frac{\partial J}{\partial \theta_i} = \sum_{j} \frac{\partial J}{\partial z_j} \frac{\partial z_j}{\partial \theta_i}$ 「其中，$z_j$ 是第 $j$ 个激活函数的输出，$\theta_i$ 是模型参数。」
# > — "The chain rule is: ∂J/∂θ_i = Σ_j ∂J/∂z_j · ∂z_j/∂θ_i, where z_j is the output of the j-th activation
# > function and θ_i a model parameter."
# >
# > **What is true:** the formula is the correct multivariable chain rule, *provided* the $z_j$ are all the
# > quantities through which $\theta_i$ acts on $J$ directly — for a weight $W_1[a,b]$ of the first layer,
# > the outputs $h_{1,j}$ of that layer (only $j = a$ depends on it). But it is one step, not an algorithm:
# > it needs $\partial J/\partial z_j$, which depends on every layer above. Getting those numbers means
# > applying the same rule again, layer after layer, from the loss down — and that recursion *is*
# > backpropagation. The same article (A4 §1) also calls the gradient 「模型参数相对于损失函数的偏导数」
# > ("the partial derivative of the parameters with respect to the loss"); it is the other way round, the
# > partial derivative of the loss with respect to the parameters. The cell evaluates A4's sum for every
# > weight of the first layer, using backprop's $\partial L/\partial h_1$ for $\partial J/\partial z_j$.

# %%
# ∂h_1[n, j]/∂W_1[a, b] = [j = a] · σ'(z_1[n, a]) · x[n, b], so A4's sum over j (and over the batch) is:
chain_rule_sum = np.einsum("na,nb->ab", signals[0] * tanh.df(cache.z[0]), X)
np.testing.assert_allclose(chain_rule_sum, grads[0][0], rtol=1e-12, atol=1e-16)
print("A4's one-step chain rule, fed with backprop's ∂L/∂h_1, gives ∂L/∂W_1 exactly: checked.")

# %% [markdown]
# ## Check 1: finite differences
#
# The definition of a derivative gives an independent, slow check. Nudge one parameter by $\pm\epsilon$ and
# measure the change of the loss:
#
# $$\frac{\partial L}{\partial \theta_i} \approx \frac{L(\theta + \epsilon e_i) - L(\theta - \epsilon e_i)}{2\epsilon}.$$
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
print("largest relative error per parameter array:", {k: f"{v:.1e}" for k, v in worst.items()})
assert max(worst.values()) < 1e-6, "backprop agrees with central finite differences in every parameter"

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

print(f"{'loss':>14} | {'ours':>9} | {'torch':>9} | max |∂L/∂θ ours − torch|")
for name, target in targets.items():
    ours_loss, ours, _ = net.loss_and_grads(X, target.numpy(), loss=name)
    model.zero_grad()
    torch_loss = torch_losses[name](model(Xt), target)
    torch_loss.backward()
    diff = max(max(np.abs(dW - lin.weight.grad.numpy()).max(), np.abs(db - lin.bias.grad.numpy()).max())
               for (dW, db), lin in zip(ours, linears, strict=True))
    print(f"{name:>14} | {ours_loss:9.6f} | {torch_loss.item():9.6f} | {diff:.1e}")
    assert abs(ours_loss - torch_loss.item()) < 1e-12 and diff < 1e-12, f"numpy backprop = torch autograd ({name})"

# %% [markdown]
# The two agree to the last few bits of float64. Finite differences agreed only to about $10^{-8}$ —
# not because backprop is approximate, but because finite differences are.
#
# > **The documents say** (A5 §1.1.3): 「反向差分法是一种计算神经网络梯度的方法，它通过计算网络输出与目标值之间的差分来估计梯度。」
# > — "The backward difference method (backpropagation) is a way of computing the gradient of a neural
# > network: it *estimates* the gradient by computing the *difference* between the network output and the
# > target."
# >
# > **What is true:** backpropagation (反向传播) is exact — it is the chain rule, and it matched autograd to
# > $10^{-15}$ above. Differences are what *finite-difference* checks use, and they are only estimates:
# > their error is about $\epsilon^2$ (truncation) plus about $10^{-16}\,|L|/\epsilon$ (rounding), so no
# > choice of $\epsilon$ makes them exact. They are also slow: two loss evaluations per parameter. The
# > next two cells measure both.

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
print(f"best ε ≈ {best:.0e} with error {errors.min():.1e}; ε = 1e-1: {errors[0]:.1e}; ε = 1e-13: {errors[-1]:.1e}")
assert errors.min() > 1e-13, "no step size makes finite differences exact"
assert errors[0] > 1e3 * errors.min() and errors[-1] > 1e3 * errors.min(), "too large ε: truncation; too small: rounding"
assert 1e-8 <= best <= 1e-3, "the sweet spot lies between the two regimes"

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

print(f"{n_params} parameters: backprop {1e3 * backprop_seconds:.2f} ms for all of them; "
      f"finite differences ≈ {fd_seconds:.1f} s ({fd_seconds / backprop_seconds:,.0f} times slower)")
assert fd_seconds > 100 * backprop_seconds, "finite differences cost ~2 loss evaluations per parameter"

# %% [markdown]
# ## Backpropagation at work: XOR
#
# With exact gradients, gradient descent can train. The four XOR points cannot be separated by a line, so a
# network needs a hidden layer; a 2-8-1 tanh network trained by plain gradient descent
# ($\theta \leftarrow \theta - \eta g$, `NumpyMLP.sgd_step`) on the mean squared error fits them. (Source
# article A5 trains XOR too; its code has a bug in the sigmoid derivative and cannot learn XOR at all — see
# [4.1](../04_code/01_documents_code_repaired.ipynb).)

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
assert xor_losses[-1] < 1e-3 and np.all(np.round(predictions) == y_xor), "backprop + gradient descent fit XOR"

# %% [markdown]
# ## What we learned
#
# - Backpropagation is the chain rule applied from the loss backwards: $\delta_{l-1} = (\delta_l W_l) \odot
#   \sigma'(z_{l-1})$, and $\partial L/\partial W_l = \delta_l^\top h_{l-1}$. It is exact and costs about one
#   extra forward pass.
# - Written with Jacobians, the gradient of an early layer is a product
#   $J_2^\top J_3^\top\cdots$ with $J_l = \operatorname{diag}(\sigma'(z_l))W_l$; backprop evaluates it as a
#   chain of vector–Jacobian products.
# - Our numpy gradients agree with PyTorch's autograd to $10^{-15}$ and with finite differences to about
#   $10^{-8}$ — the limit of finite differences, whose error never goes below truncation plus rounding, and
#   which cost two loss evaluations per parameter.
# - The source articles call backpropagation a "difference method" (A5) and reverse the gradient's
#   definition (A4); neither is right.
#
# Next, [2.2](02_vanishing_exploding.ipynb) asks what happens to that product of Jacobians when the network
# is deep.
#
# **Exercises:** `exercises/student/02_concepts.ipynb`, exercise 2.1 *the backward pass of one layer*.
