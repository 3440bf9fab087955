# %% [markdown]
# # 4.1 The documents' code, repaired
#
# Code that runs without an error can still be wrong. How do you find out? Run it, and check each thing it
# claims against a number you can compute another way. Four of the five source articles (A1–A5, see the
# [preface](../00_preface/01_how_to_use.ipynb)) end with a program meant to show their ideas at work. This
# chapter runs each one: what it claims, the bug shown live, the fix, and the lesson.
#
# | program | what it does | what goes wrong |
# |---|---|---|
# | A1 §4 (TensorFlow) | Adam on a linear regression | it prints the 100 predictions under the label "Loss" |
# | A3 §4 (numpy) | gradient descent, momentum and Adam on a linear regression | it crashes; its momentum is gradient descent; its Adam has three bugs |
# | A4 §4 (TensorFlow) | a one-hidden-layer MLP trained with SGD | it runs, but shows nothing about gradient stability, its subject |
# | A5 §4 (numpy) | XOR with "gradient descent" | it climbs *up* its loss, with one layer that cannot represent XOR |
#
# The programs' texts come from `gradcourse.documents`, which holds each one exactly as printed. TensorFlow is
# not a dependency of this course, so A1's and A4's programs are translated to PyTorch line for line (same
# data, model, initialization, optimizer, learning rate and number of steps; the changes are listed).

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import Code
from torch import nn

from gradcourse import data, diagnostics, documents, init, nets, optim, plots, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)  # tiny models: one thread is fastest

# %% [markdown]
# ## A1: Adam on a linear regression
#
# A1 introduces its program as showing 「如何使用Adam优化算法……训练一个深度神经网络」 ("how to train a deep
# neural network with Adam") with 「动态学习率调整策略」 ("a dynamic learning-rate adjustment strategy"):

# %%
Code(documents.source("a1"), language="python")

# %% [markdown]
# The PyTorch translation changes only what the translation forces: `nn.Module` with `forward` instead of
# `tf.keras.Model` with `call`; Keras's default initialization (Glorot-uniform weight, zero bias) done by
# `init.xavier_uniform_`; Keras's Adam ε = 1e-7; float32 tensors made once; `zero_grad`/`backward`/`step`
# instead of `GradientTape`; and a seed for the initial weight, which A1 draws unseeded.

# %%
np.random.seed(1)
X = np.random.randn(100, 1)
y = 3 * X + 2 + np.random.randn(100, 1) * 0.5


class LinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(1, 1)
        init.xavier_uniform_(self.dense.weight)  # Keras's default kernel initializer
        nn.init.zeros_(self.dense.bias)

    def forward(self, x):
        return self.dense(x)


torch.manual_seed(1)  # added: the initial weight is drawn unseeded in A1
model = LinearRegression()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, eps=1e-7)
X_t, y_t = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y, dtype=torch.float32)
for i in range(1000):  # noqa: B007 (A1's loop variable)
    loss = torch.mean((model(X_t) - y_t) ** 2)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

loss_value = model(X_t).detach().numpy()
with np.printoptions(threshold=6, edgeitems=2):  # added: a summary instead of 100 lines
    print("Loss:", loss_value)

# %% [markdown]
# **The bug.** `model(X)` is the model's *output*: "Loss:" is followed by the 100 predictions
# $\hat y_i = w x_i + b$. The loss is $\frac{1}{100}\sum_i(\hat y_i - y_i)^2$. Is the training itself right? The
# least-squares line is the best any straight line can do; compare:

# %%
w, b = model.dense.weight.item(), model.dense.bias.item()
real_loss = float(np.mean((loss_value - y) ** 2))
A = np.hstack([X, np.ones_like(X)])
best_line, *_ = np.linalg.lstsq(A, y[:, 0], rcond=None)
best_loss = float(np.mean((A @ best_line - y[:, 0]) ** 2))
claim(loss_value.shape == (100, 1) and np.allclose(loss_value, w * X + b, atol=1e-5),
      f"A1 prints an array of shape {loss_value.shape}: the predictions ŷ = {w:.3f}·x + {b:.3f}, not a loss")
claim(real_loss < 1.05 * best_loss,
      f"the training works: the real loss {real_loss:.4f} is within 5 % of the least-squares loss {best_loss:.4f}")

# %% [markdown]
# **The fix** is one line: print `torch.mean((model(X_t) - y_t) ** 2).item()`. Here with the course's `optim.Adam`
# (a drop-in for `torch.optim.Adam`), from the same initial weight, recording the loss:

# %%
torch.manual_seed(1)
ours = LinearRegression()
opt = optim.Adam(ours.parameters(), lr=0.01, eps=1e-7)
losses = []
for _ in range(1000):
    loss = torch.mean((ours(X_t) - y_t) ** 2)
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses.append(loss.item())
print("Loss:", round(torch.mean((ours(X_t) - y_t) ** 2).item(), 4))
plots.loss_curves({"adam": np.array(losses) - best_loss}, title="A1 repaired: Adam, η = 0.01 (constant)",
                  ylabel="loss − least-squares loss (log scale)")
plt.show()

# %% [markdown]
# **The lesson.** Label what you print, and check a "loss" against a number you know (here the least-squares
# optimum). The text's other claims fail on reading: η is the constant 0.01 — Adam scales each parameter's step
# by its gradients' running RMS, which is an adaptive *optimizer*, not a schedule
# ([3.5](../03_algorithms/05_adam_family.ipynb) vs [3.7](../03_algorithms/07_schedules.ipynb)) — and one
# `Dense(1)` layer is linear regression, not a deep network ([claims 15–16](../06_faq/02_claims_checked.ipynb#claim-15)).
#
# ## A3: gradient descent, momentum and Adam
#
# A3 promises to show 「如何使用梯度下降、动量法和Adam算法进行优化」 ("how to optimize with gradient descent,
# momentum and Adam") and concludes 「不同优化算法在线性回归问题上的表现是不同的」 ("the different algorithms
# perform differently"). Its program:

# %%
Code(documents.source("a3"), language="python")

# %% [markdown]
# Run as printed, it stops at the first matrix product:

# %% tags=["raises-exception"]
documents.load("a3")

# %% [markdown]
# **Bug 1: the shapes.** `np.linspace` returns a 1-D array of shape (100,), `theta` is (1, 1); `X @ theta` has
# inner dimensions 100 and 1. Nothing is trained, so the "results" the text describes cannot come from this
# code. Make `X` and `Y` columns — the only change — and the document's own gradient descent works. The problem
# is to fit $y \approx \theta x$ by minimizing $\ell(\theta) = \frac{1}{2N}\lVert X\theta - Y\rVert^2$, whose
# gradient is the documents' `X.T @ (X @ theta - Y) / m` and whose minimum is $\theta^\star = (X^\top X)^{-1}X^\top Y$.

# %%
a3 = documents.load("a3", through="adam")  # A3's data, starting point and three functions; no training
X_col, Y_col, theta0 = a3.X.reshape(-1, 1), a3.Y.reshape(-1, 1), a3.theta
theta_star = np.linalg.lstsq(X_col, Y_col, rcond=None)[0]
theta_gd = a3.gradient_descent(X_col, Y_col, theta0, 0.01, 1000)
claim(abs(theta_gd.item() - theta_star.item()) < 1e-9,
      f"with column vectors, A3's gradient descent reaches θ* = {theta_star.item():.6f} (got {theta_gd.item():.6f})")

# %% [markdown]
# **Bug 2: the momentum is gradient descent.** A3's formula,
# $\theta_{t+1} = \theta_t - \alpha\nabla\ell(\theta_t) + \beta(\theta_t - \theta_{t-1})$, is Polyak's heavy ball
# {cite:p}`polyak1964some`. But the code sets
# `theta_prev = theta.copy()` *after* the update, so at the next step `theta - theta_prev` is 0. The momentum
# term acts once — at step 1, where `theta_prev` is still 0, as a spurious kick $\beta\theta_0$ — and never again.
# Live: after its first step, A3's `momentum` follows A3's `gradient_descent` bit for bit.

# %%
alpha, beta = 0.01, 0.9
path = np.array([a3.momentum(X_col, Y_col, theta0, alpha, beta, k).item() for k in range(1, 41)])
theta_1 = np.array([[path[0]]])
gd_path = np.array([a3.gradient_descent(X_col, Y_col, theta_1, alpha, k).item() for k in range(40)])
kick = path[0] - a3.gradient_descent(X_col, Y_col, theta0, alpha, 1).item()
claim(np.isclose(kick, beta * theta0.item(), rtol=1e-12),
      f"step 1 adds β·θ0 = {kick:+.6f} to a gradient step: the only momentum A3's code ever applies")
claim(np.array_equal(path, gd_path), "steps 2–40 are gradient descent from θ1, bit for bit")

# %% [markdown]
# **Bug 3: the Adam has three bugs.** Adam {cite:p}`kingma2015adam` keeps $m_t = \beta_1 m_{t-1} + (1-\beta_1)g_t$
# and $v_t = \beta_2 v_{t-1} + (1-\beta_2)g_t^2$ and divides them by $1-\beta_1^t$ and $1-\beta_2^t$. A3's `adam`:
#
# 1. **averages the wrong thing into $v$**: `X.T @ (X @ theta - Y) ** 2` is $\sum_i x_i r_i^2$ (the power binds
#    before `@`), not $g^2 = (X^\top r/N)^2$. With negative $x_i$ it is negative, and `np.sqrt` returns NaN;
# 2. **uses the name `m` for two things**: the sample count (100) and then the first moment, so from step 2 on it
#    divides the gradient by the previous moment;
# 3. **bias-corrects with the total `iterations`** instead of the step $t$: $1 - 0.9^{1000}$ is exactly 1.0 in
#    floating point, and $1 - 0.999^{1000} \approx 0.632$, at every step.

# %%
with np.errstate(invalid="ignore"):
    theta_adam = a3.adam(X_col, Y_col, theta0, 0.01, 0.9, 0.999, 1e-7, 1000)
r0 = X_col @ theta0 - Y_col
v_term, g_squared = (X_col.T @ r0**2).item(), ((X_col.T @ r0).item() / len(X_col)) ** 2
claim(np.isnan(theta_adam).all() and v_term < 0 <= g_squared,
      f"A3's Adam returns {theta_adam.item()}: at θ0 it adds Xᵀ(r²) = {v_term:.2f} to v where Adam adds "
      f"g² = {g_squared:.2f}, and √v is NaN")
claim(1 - 0.9**1000 == 1.0, f"1 − 0.9¹⁰⁰⁰ = {1 - 0.9**1000!r}: A3's m̂ is m at every step; and v̂ is v divided by "
      f"1 − 0.999¹⁰⁰⁰ = {1 - 0.999**1000:.3f} at every step")

# %% [markdown]
# Bugs 2 and 3 hide behind bug 1. On inputs $x \ge 0$ the sum $\sum_i x_i r_i^2$ cannot be negative, so shift
# the data to $x \in [0, 6]$ (same noise, same slope 2) and compare A3's `adam` with the library's rule fed the
# same problem:

# %%
X_pos, Y_pos = X_col + 3, Y_col + 6  # y = 2x + noise, with x shifted by 3
star_pos = np.linalg.lstsq(X_pos, Y_pos, rcond=None)[0].item()
doc_pos = a3.adam(X_pos, Y_pos, theta0, 0.01, 0.9, 0.999, 1e-7, 1000).item()
th, state = theta0.copy(), {}
for _ in range(1000):
    optim.functional.step("adam", th, X_pos.T @ (X_pos @ th - Y_pos) / len(X_pos), state, lr=0.01, eps=1e-7)
claim(abs(doc_pos - star_pos) > 1.0 > 1e3 * abs(th.item() - star_pos),
      f"x ∈ [0, 6]: A3's Adam ends at θ = {doc_pos:.3f}, Adam at {th.item():.4f}, θ* = {star_pos:.4f}")

# %% [markdown]
# **The fix** keeps A3's experiment — its data (columns), its $\theta_0$, η = 0.01, β = β₁ = 0.9, β₂ = 0.999,
# ε = 1e-7, 1000 full-batch steps — and replaces the three hand-written loops by the library's update rules
# (`optim.functional`, the same rules `optim.SGD` and `optim.Adam` run). torch's SGD with momentum is Polyak's
# heavy ball with A3's η and β.

# %%
rules = {
    "sgd": ("sgd", {"lr": 0.01}),
    "momentum": ("sgd", {"lr": 0.01, "momentum": 0.9}),
    "adam": ("adam", {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-7}),
}
best = ((X_col @ theta_star - Y_col) ** 2).mean() / 2
paths, excess = {}, {}
for label, (rule, hyper) in rules.items():
    th, state, thetas, curve = theta0.copy(), {}, [], []
    for _ in range(1000):
        r = X_col @ th - Y_col
        curve.append((r**2).mean() / 2 - best)
        optim.functional.step(rule, th, X_col.T @ r / len(X_col), state, **hyper)
        thetas.append(th.item())
    paths[label], excess[label] = np.array(thetas), np.where(np.array(curve) > 0, curve, np.nan)

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
left.scatter(a3.X, a3.Y, color="0.6", s=10, label="data")
for label in rules:
    left.plot(a3.X, a3.X * paths[label][-1], label=label, **plots.style_for(label))
left.set(title="A3's figure, repaired: the three fits", xlabel="x", ylabel="y")
left.legend()
plots.loss_curves(excess, ax=right, title="A3 repaired: ℓ(θ_t) − ℓ(θ*)", ylabel="excess loss (log scale)")
plt.show()

# %%
err = {label: np.abs(p - theta_star.item()) for label, p in paths.items()}
settle = {label: 1 + int(np.nonzero(e >= 1e-6)[0].max()) for label, e in err.items() if e[-1] < 1e-6}
claim(all(e[-1] < 1e-3 for e in err.values()),
      "all three reach θ*: " + ", ".join(f"{k} {p[-1]:.6f}" for k, p in paths.items()))
claim(settle["momentum"] < 0.75 * settle["sgd"],
      f"momentum is within 1e-6 of θ* from step {settle['momentum']}, gradient descent from step {settle['sgd']}")
claim(err["adam"][250] > 0.1,
      f"Adam's early steps are ≈ η long whatever the gradient: after 250 steps it is still {err['adam'][250]:.2f} away")

# %% [markdown]
# **The lesson.** Once written correctly the three methods *do* differ, and each difference has a reason:
# the heavy ball is under-damped here and settles sooner; Adam's step is about η at first, whatever the gradient's
# size ([3.5](../03_algorithms/05_adam_family.ipynb)). And a bug that makes one method identical to another hides
# well: check an optimizer against a reference on a problem whose answer you know (claims
# [57–60](../06_faq/02_claims_checked.ipynb#claim-57)).
#
# ## A4: a small MLP trained with SGD
#
# A4's subject is 「梯度的稳定性」 ("the stability of gradients"); its program 「来说明梯度下降算法的使用」
# ("illustrates the use of gradient descent"):

# %%
Code(documents.source("a4"), language="python")

# %% [markdown]
# Translated as for A1, with two seeds added: A4 seeds nothing, so every run prints different numbers.

# %%
np.random.seed(0)  # added
X = np.random.rand(100, 10)
y = np.dot(X, np.random.rand(10, 1))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.d1, self.d2 = nn.Linear(10, 10), nn.Linear(10, 1)
        for layer in (self.d1, self.d2):  # Keras's defaults: Glorot-uniform kernel, zero bias
            init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        return self.d2(torch.relu(self.d1(x)))


torch.manual_seed(0)  # added
model = MLP()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
X_t, y_t = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y, dtype=torch.float32)
for epoch in range(1000):
    loss = loss_fn(model(X_t), y_t)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 200 == 0:  # A4 prints every 100
        print(f"Epoch {epoch}, Loss: {loss.detach().numpy()}")

# %% [markdown]
# **What is wrong** is not a crash: the loop is a correct SGD loop. But the targets are an exact linear function
# of the inputs, so the best loss is 0, and after 1000 steps the loss is still on its way down. And with one
# hidden layer there is no long product of layer Jacobians in which a gradient could vanish or explode: both
# layers' gradients are of the same order.

# %%
model.zero_grad()
final = loss_fn(model(X_t), y_t)
final.backward()
norms, end_loss = diagnostics.grad_norms(model), final.item()
claim(end_loss > 1e-4, f"after 1000 steps the loss is {end_loss:.4f}; a least-squares fit reaches 0")
claim(0.1 < norms["d1"] / norms["d2"] < 10,
      f"one hidden layer: gradient norms d1 {norms['d1']:.3g}, d2 {norms['d2']:.3g} — nothing vanishes")

# %% [markdown]
# **The fix** is the experiment A4's subject needs: keep its data, loss, SGD with η = 0.01 and full-batch steps,
# and make the networks **deep** — 20 hidden sigmoid layers of width 32 with PyTorch's default initialization,
# the setting in which gradients vanish {cite:p}`hochreiter1991untersuchungen,glorot2010understanding`, against 20
# ReLU layers with He initialization {cite:p}`he2015delving`. Gradient norm per layer at initialization, then
# 300 training steps.

# %%
deep = {"20 sigmoid layers, default init": "sigmoid", "20 ReLU layers, He init": "relu"}
layer_norms, histories = {}, {}
for label, activation in deep.items():
    net = nets.mlp(10, 1, depth=20, width=32, activation=activation, seed=0,
                   init="default" if activation == "sigmoid" else "kaiming_uniform")
    net.zero_grad()
    loss_fn(net(X_t), y_t).backward()
    per_param = diagnostics.grad_norms(net, by="parameter")
    layer_norms[label] = [per_param[f"blocks.{k}.linear.weight"] for k in range(20)] + [per_param["head.weight"]]
    histories[label] = train.train(net, (X, y), optim.SGD(net.parameters(), lr=0.01), epochs=300, batch_size=100,
                                   loss="mse", progress=False, record_grad_norms=False)

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
plots.grad_norms_by_layer(layer_norms, ax=left, title="Gradient norm per layer at initialization (last = head)")
plots.loss_curves({k: h.loss for k, h in histories.items()}, ax=right, title="Training loss, SGD η = 0.01",
                  ylabel="mean squared error (log scale)")
plt.show()

# %%
ratio = {k: n[0] / n[-1] for k, n in layer_norms.items()}
sig, relu = histories["20 sigmoid layers, default init"], histories["20 ReLU layers, He init"]
claim(ratio["20 sigmoid layers, default init"] < 1e-6 < 1e-2 < ratio["20 ReLU layers, He init"],
      f"first-layer / head gradient: sigmoid {ratio['20 sigmoid layers, default init']:.1e}, "
      f"He ReLU {ratio['20 ReLU layers, He init']:.1e}")
claim(sig.loss[-1] > 0.8 * np.var(y) > 1.6 * relu.loss[-1],
      f"the sigmoid net stays at the variance of y ({sig.loss[-1]:.4f} vs {np.var(y):.4f}); "
      f"the He ReLU net fits ({relu.loss[-1]:.4f})")

# %% [markdown]
# **The lesson.** To show a phenomenon, build the setting in which it happens, and measure the quantity it is
# about — here the gradient per layer. Chapters [2.2](../02_concepts/02_vanishing_exploding.ipynb) and
# [3.9](../03_algorithms/09_initialization.ipynb) explain what you see ([claim 73](../06_faq/02_claims_checked.ipynb#claim-73)).
#
# ## A5: XOR with "gradient descent"
#
# A5 ends its history of the vanishing-gradient problem with 「一个具体的代码实例来详细解释如何解决梯度消失问题」
# ("a concrete example that explains in detail how to solve the vanishing-gradient problem"):

# %%
Code(documents.source("a5"), language="python")

# %% [markdown]
# It runs, and prints "trained parameters" (训练好的模型参数):

# %%
a5 = documents.load("a5")

# %% [markdown]
# **The bugs.** The model is $\hat y = \sigma(x^\top\theta)$ — one layer, so there is no depth and no vanishing
# gradient to solve — and the loop is not gradient descent:
#
# 1. **It steps uphill.** The gradient of $(y_i - \hat y)^2$ is $-2(y_i - \hat y)\,\sigma'\,x$; the code computes
#    $+X^\top 2(y_i - \hat y)$ and subtracts it, so `theta -= learning_rate * gradient` moves **up** the loss.
# 2. **σ′ is missing.** `sigmoid_derivative` is defined, never called. (Its $x(1-x)$ is σ′ only when given the
#    output σ(z).)
# 3. **No bias, no hidden layer.** The input (0, 0) always gives σ(0) = 0.5, and no single layer can represent
#    XOR: the pre-activations satisfy $z_{00} + z_{11} = z_{01} + z_{10}$, so if both "1" inputs are positive,
#    one "0" input is too.
#
# Live: the document's own `gradient_descent`, run for 0, 50, …, 1000 epochs.

# %%
checkpoints = [0, 50, 100, 200, 400, 1000]
errors = np.array([nets.mse_loss(a5.sigmoid(a5.X @ a5.gradient_descent(a5.X, a5.y, 0.01, e)), a5.y)[0]
                   for e in checkpoints])
print("epochs:", checkpoints, "\nMSE:   ", errors.round(4))
claim(np.all(np.diff(errors) >= -1e-12) and errors[-1] > errors[0] + 0.05,
      f"A5's loop never lowers the loss: {errors[0]:.4f} → {errors[-1]:.4f}")
claim(a5.sigmoid(a5.X[0] @ a5.theta) == 0.5, "without a bias, the input (0, 0) is stuck at σ(0) = 0.5")
claim("sigmoid_derivative" not in documents.source("a5_gradient_descent"), "σ′ never enters the update")

# %% [markdown]
# **The fix**: a real gradient (autograd), a bias, and a hidden layer — `nets.mlp(2, 2, depth=1, width=8,
# activation="tanh")`, cross-entropy, `optim.Adam`, trained by `train.train` on the four points. For contrast,
# the same recipe with **no** hidden layer (`depth=0`, logistic regression).

# %%
X_xor, y_xor = data.xor()
runs = {}
for label, depth in (("no hidden layer", 0), ("one hidden layer of 8 tanh units", 1)):
    net = nets.mlp(2, 2, depth=depth, width=8, activation="tanh", init="xavier_uniform", seed=0)
    runs[label] = train.train(net, (X_xor, y_xor), optim.Adam(net.parameters(), lr=0.05), epochs=300, batch_size=4,
                              progress=False)

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
left.plot(checkpoints, errors, marker="o", color="0.3")
left.set(title="A5 as printed: the loss goes up", xlabel="epoch", ylabel="mean squared error")
plots.loss_curves({k: h.loss for k, h in runs.items()}, ax=right, xlabel="epoch",
                  title="A5 repaired: cross-entropy, Adam η = 0.05", ylabel="cross-entropy loss (log scale)")
plt.show()

# %%
one_layer, hidden = runs["no hidden layer"], runs["one hidden layer of 8 tanh units"]
claim(one_layer.train_acc[-1] <= 0.75 and one_layer.loss[-1] > 0.5,
      f"one layer, trained correctly: accuracy {one_layer.train_acc[-1]:.2f}, loss {one_layer.loss[-1]:.3f} (log 2 = 0.693)")
claim(hidden.train_acc[-1] == 1.0 and hidden.loss[-1] < 0.05,
      f"one hidden layer solves XOR: accuracy {hidden.train_acc[-1]:.2f}, loss {hidden.loss[-1]:.3f}")

# %% [markdown]
# **The lesson.** A loss that goes *up* is the first thing to check; a gradient check
# ([2.1](../02_concepts/01_backprop_from_scratch.ipynb)) catches a sign error at once. And the model must be able
# to represent the task before any optimizer can fit it ([claims 88–89](../06_faq/02_claims_checked.ipynb#claim-88)).
#
# ## What we learned
#
# - **A1** trains correctly but prints the predictions as the "Loss"; its η is constant and its model linear.
# - **A3** crashes (`X` is 1-D); with the shapes fixed its momentum is gradient descent after one kick, and its
#   Adam squares residuals, reuses `m`, and bias-corrects with the total number of steps. The library's rules reach
#   the least-squares fit, each in its own way.
# - **A4** trains, slowly, but one hidden layer cannot show vanishing gradients; 20 sigmoid layers can, and He
#   initialization on ReLU layers cures them.
# - **A5** climbs its loss, never uses σ′, and fits a model that cannot represent XOR; a hidden layer solves it.
#
# [6.2](../06_faq/02_claims_checked.ipynb) gives every statement of the documents its verdict.
#
# **Exercises.** The part 4 exercises take these programs further: record A3's moments step by step and find the step at which
# its first moment changes sign; compute the first step A3's constant bias correction takes, against
# Adam's η; predict gradient descent's error on A3's problem from its curvature, $(1-\eta\lambda)^t$; and prove
# that no single layer fits XOR.
