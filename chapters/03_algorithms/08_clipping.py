# %% [markdown]
# # 3.6 Gradient clipping
#
# When gradients explode, one step can be so large that it throws the parameters somewhere useless — or to
# `inf` and `NaN`. **Gradient clipping** caps the size of the gradient *before* the optimizer uses it. It is a
# separate step between `loss.backward()` and `optimizer.step()`, so it combines with any optimizer.
#
# This section asks: **how do the two kinds of clipping differ, and what does clipping buy on a problem whose
# gradients really explode?** We compare clipping by value and by norm, walk off the "cliff" of
# [Pascanu, Mikolov & Bengio (2013)](../06_faq/03_references.ipynb#pascanu2013difficulty) with and without
# clipping, and train a recurrent network whose gradients explode. Two claims of the source documents are
# corrected on the way: A2's description of norm clipping and A1's statement that Adam clips.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

import gradcourse.optim
from gradcourse import clip, data, nets, plots
from gradcourse import train as T
from gradcourse.seeding import seed_everything

plots.use_book_style()
rng = seed_everything(0)

# %% [markdown]
# ## Two ways to clip
#
# Let $g = (g_1, \dots, g_k)$ be all gradients of a model, seen as one long vector, and $\tau$ a threshold.
#
# - **By value** (`clip_grad_value_`): clip every entry on its own, $g_i \leftarrow \min(\max(g_i, -\tau), \tau)$.
# - **By norm** (`clip_grad_norm_`): if the whole vector is too long, shrink it,
#   $$g \leftarrow c\,g, \qquad c = \min\Big(1, \frac{\tau}{\lVert g\rVert + 10^{-6}}\Big).$$
#
# Norm clipping multiplies every entry by the same $c$, so it keeps the **direction** of $g$ and caps its length
# at $\tau$. Value clipping cuts the large entries and leaves the small ones, so it **turns** the direction
# towards the diagonal. In two dimensions:

# %%
g2 = np.array([3.0, 0.5])
by_value_2d = clip.clip_by_value([g2], 1.0)[0]
(by_norm_2d,), _ = clip.clip_by_global_norm([g2], 1.0)

fig, ax = plt.subplots(figsize=(6.5, 3.2))
for vec, label, color in [(g2, "gradient g = (3, 0.5)", "black"), (by_value_2d, "clipped by value, τ = 1", "#D55E00"),
                          (by_norm_2d, "clipped by norm, τ = 1", "#0072B2")]:
    ax.annotate("", xy=vec, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color=color, lw=2))
    ax.plot([], [], color=color, label=f"{label}: ({vec[0]:.2f}, {vec[1]:.2f})")
ax.add_patch(plt.Rectangle((-1, -1), 2, 2, fill=False, linestyle=":", color="#D55E00"))
ax.add_patch(plt.Circle((0, 0), 1, fill=False, linestyle=":", color="#0072B2"))
ax.set(xlim=(-1.2, 3.3), ylim=(-1.2, 1.2), aspect="equal", title="Value clipping turns the gradient, norm clipping does not",
       xlabel="g₁", ylabel="g₂")
ax.legend(loc="lower right", fontsize="small")
plt.show()

# %% [markdown]
# The same in many dimensions: a random "gradient" shaped like the four parameter tensors of a small network,
# with the heavy tails real gradients often have (a few entries much larger than the rest; we draw them from a
# Student-t distribution). We measure the cosine between the clipped and the original gradient, as one vector.

# %%
shapes = [(32, 64), (32,), (10, 32), (10,)]
grads = [rng.standard_t(df=2, size=s) for s in shapes]


def cosine(a_list, b_list):
    a, b = np.concatenate([x.ravel() for x in a_list]), np.concatenate([x.ravel() for x in b_list])
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


total = clip.global_norm(grads)
tau_value = 1.0
by_value = clip.clip_by_value(grads, tau_value)
by_norm, _ = clip.clip_by_global_norm(grads, max_norm=1.0)
print(f"‖g‖ = {total:.1f}; {sum(int((np.abs(x) > tau_value).sum()) for x in grads)} of "
      f"{sum(x.size for x in grads)} entries exceed τ = {tau_value}")
print(f"cos(clipped by value, g) = {cosine(by_value, grads):.4f},  ‖clipped‖ = {clip.global_norm(by_value):.1f}")
print(f"cos(clipped by norm,  g) = {cosine(by_norm, grads):.12f},  ‖clipped‖ = {clip.global_norm(by_norm):.6f}")
assert cosine(by_value, grads) < 0.95, "value clipping changes the direction of the gradient"
assert abs(cosine(by_norm, grads) - 1) < 1e-12, "norm clipping keeps the direction exactly"
assert abs(clip.global_norm(by_norm) - 1.0) < 1e-5, "... and sets the length to τ"

# %% [markdown]
# Value clipping also leaves the length far above $\tau$ (every entry is at most $\tau$, but there are thousands
# of them). Norm clipping — of the *global* norm over all parameters — is what most training code uses.
#
# ## Ours against `torch.nn.utils`
#
# `gradcourse.clip.clip_grad_norm_` and `clip_grad_value_` have the signatures and semantics of PyTorch's. The
# cell gives two copies of a network the same gradients and clips one with each library.

# %%
def twin_models():
    a = nets.mlp(64, 10, depth=2, width=32, seed=0, dtype=torch.float64)
    b = nets.mlp(64, 10, depth=2, width=32, seed=0, dtype=torch.float64)
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        pa.grad = torch.from_numpy(rng.standard_t(df=2, size=tuple(pa.shape)))
        pb.grad = pa.grad.clone()
    return a, b


print(f"{'operation':28s} {'max |Δ gradient|':>17s} {'|Δ returned norm|':>18s}")
table = {}
for norm_type in [2.0, 1.0, float("inf")]:
    ours, theirs = twin_models()
    n_ours = clip.clip_grad_norm_(ours.parameters(), max_norm=1.0, norm_type=norm_type)
    n_theirs = torch.nn.utils.clip_grad_norm_(theirs.parameters(), max_norm=1.0, norm_type=norm_type)
    diff = max((p.grad - q.grad).abs().max().item() for p, q in zip(ours.parameters(), theirs.parameters(), strict=True))
    table[f"clip_grad_norm_, p = {norm_type}"] = (diff, abs(n_ours - n_theirs).item())
ours, theirs = twin_models()
clip.clip_grad_value_(ours.parameters(), 0.5)
torch.nn.utils.clip_grad_value_(theirs.parameters(), 0.5)
table["clip_grad_value_, τ = 0.5"] = (max((p.grad - q.grad).abs().max().item()
                                       for p, q in zip(ours.parameters(), theirs.parameters(), strict=True)), 0.0)
for name, (dg, dn) in table.items():
    print(f"{name:28s} {dg:17.1e} {dn:18.1e}")
assert all(dg < 1e-15 and dn < 1e-12 for dg, dn in table.values()), "gradcourse.clip equals torch.nn.utils"

# %% [markdown]
# ## What norm clipping is not
#
# > **The documents say** (A2 §2): 「梯度裁剪的方式有两种：1. 绝对值裁剪：直接将梯度值限制在某个最大值和最小值之间。
# > 2. 范数裁剪：对梯度进行标准化处理，使得梯度范数始终保持在某个阈值之内。」
# > — "There are two ways to clip gradients: 1. absolute-value clipping: limit the gradient values directly between a
# > maximum and a minimum. 2. norm clipping: *standardize* the gradient so that its norm always stays within a
# > threshold."
# >
# > **What is true:** the first is right. The second is not standardization. Norm clipping does **nothing**
# > while $\lVert g\rVert \le \tau$ and rescales $g$ by $\tau/\lVert g\rVert$ only when it is longer; it never
# > subtracts a mean or divides by a standard deviation. (Standardizing would rescale every gradient, small ones
# > included, to the same norm $\sqrt{n}$ for $n$ entries, whatever the threshold.) The cell shows the three cases.

# %%
small = [0.1 * x / clip.global_norm(grads) for x in grads]  # a gradient of norm 0.1
large = grads  # norm ≈ 136
small_clipped, _ = clip.clip_by_global_norm(small, max_norm=1.0)
large_clipped, _ = clip.clip_by_global_norm(large, max_norm=1.0)
flat = np.concatenate([x.ravel() for x in large])
standardized = (flat - flat.mean()) / flat.std()  # what "standardizing" the gradient would mean

print(f"norm 0.1 → {clip.global_norm(small_clipped):.4f} (unchanged);  norm {clip.global_norm(large):.0f} → "
      f"{clip.global_norm(large_clipped):.6f}")
print(f"standardized instead: norm {np.linalg.norm(standardized):.1f} (= √{flat.size}), "
      f"cos with g = {cosine([standardized], [flat]):.6f}")
assert all(np.array_equal(a, b) for a, b in zip(small, small_clipped, strict=True)), "below τ: untouched"
assert abs(clip.global_norm(large_clipped) - 1.0) < 1e-5, "above τ: rescaled to norm τ"
assert abs(np.linalg.norm(standardized) - np.sqrt(flat.size)) < 1e-6, "standardizing gives norm √n, not τ"

# %% [markdown]
# ## The cliff
#
# [Pascanu et al. (2013)](../06_faq/03_references.ipynb#pascanu2013difficulty) explain exploding gradients in
# recurrent networks with the smallest possible example: one unit, two parameters,
#
# $$x_t = w\,\sigma(x_{t-1}) + b, \qquad x_0 = 0.5, \qquad L(w, b) = (x_{50} - 0.7)^2 .$$
#
# For $w$ above about 4 the map $x \mapsto w\sigma(x) + b$ has two stable fixed points, and a tiny change of
# $b$ decides which one $x_{50}$ ends up near. Where it switches, the loss jumps: the surface has a near-vertical
# **wall**, and on the wall the gradient is enormous. `nets.cliff_landscape` evaluates the loss and its gradient
# on a grid (float64); `nets.CliffRNN` is the same model as a `torch.nn.Module`.

# %%
w_grid, b_grid = np.linspace(2, 10, 161), np.linspace(-6, 4, 201)
land = nets.cliff_landscape(w_grid, b_grid)
grad_norm = np.hypot(land.grad_w, land.grad_b)

P = np.array([4.45, -2.275])  # a point on the wall
lr, tau = 0.02, 1.0
model = nets.CliffRNN(*P)
loss0 = model.loss()
loss0.backward()
g = np.array([model.w.grad.item(), model.b.grad.item()])
(g_clipped,), _ = clip.clip_by_global_norm([g], max_norm=tau)
after = {"plain gradient step": P - lr * g, "clipped step (τ = 1)": P - lr * g_clipped}
loss_after = {name: nets.CliffRNN(*q).loss().item() for name, q in after.items()}

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.6))
cs = ax1.contourf(land.w, land.b, np.log10(land.loss + 1e-3), levels=30, cmap="viridis")
fig.colorbar(cs, ax=ax1, label="log₁₀ loss")
ax1.plot(*P, "o", color="white", markeredgecolor="black", label=f"start: loss {loss0.item():.2f}")
for (name, q), color in zip(after.items(), ["#D55E00", "#56B4E9"], strict=True):
    ax1.annotate("", xy=q, xytext=P, arrowprops=dict(arrowstyle="->", color=color, lw=2))
    ax1.plot(*q, "s", color=color, label=f"{name}: loss {loss_after[name]:.3g}")
ax1.set(title="One-unit RNN: loss surface with a cliff", xlabel="w", ylabel="b")
ax1.legend(loc="upper left", fontsize="small")
ax1.grid(False)
line = nets.cliff_landscape([P[0]], np.linspace(-6, 4, 4001))  # a fine scan across the wall
ax2.semilogy(line.b[:, 0], np.hypot(line.grad_w, line.grad_b)[:, 0], color="black")
ax2.axvline(P[1], color="0.5", linestyle=":")
ax2.set(title=f"Gradient norm along the line w = {P[0]}", xlabel="b", ylabel="‖∇L(w, b)‖ (log scale)")
plt.show()

print(f"at the start: loss {loss0.item():.3f}, ‖g‖ = {np.linalg.norm(g):.0f} "
      f"(median over the grid: {np.median(grad_norm):.2f})")
for name, value in loss_after.items():
    print(f"{name:22s} moves by {np.linalg.norm(after[name] - P):6.3f} → loss {value:.3f}")
assert np.linalg.norm(g) > 20 * np.median(grad_norm), "on the wall the gradient is > 20× its median over the grid"
assert loss_after["clipped step (τ = 1)"] < loss0.item() < loss_after["plain gradient step"], \
    "the clipped step goes downhill; the plain step is thrown far away, to a much higher loss"

# %% [markdown]
# The plain step has length $\eta\lVert g\rVert \approx 6.3$ and lands on the far side of the landscape, with a
# loss 25 times higher. The clipped step moves only $\eta\tau = 0.02$ — along the *same* direction, which is
# still a good direction — and lowers the loss. That is Pascanu et al.'s argument: on a cliff the gradient's
# direction is fine, its length is not.
#
# ## A recurrent network whose gradients explode
#
# In a recurrent network $h_t = \tanh(W_{xh}x_t + W_{hh}h_{t-1} + b)$ the gradient reaching step $t$ has been
# multiplied by $\mathrm{diag}(\tanh')\,W_{hh}^\top$ once for every later step, so it behaves like a power of
# $W_{hh}$. With spectral radius $\rho(W_{hh}) < 1$ it vanishes back through time; with $\rho > 1$ it can grow.
# `nets.TanhRNN(..., spectral_radius=ρ)` rescales $W_{hh}$ to the radius asked for. One forward and backward
# pass on the adding problem ([Hochreiter & Schmidhuber, 1997](../06_faq/03_references.ipynb#hochreiter1997long);
# `data.adding_problem`), 30 steps long, shows both regimes:

# %%
X30, y30 = data.adding_problem(256, 30, seed=0, as_tensors=True)
through_time = {}
for rho in [0.5, 1.0, 1.5, 2.0]:
    rnn = nets.TanhRNN(2, 32, 1, spectral_radius=rho, seed=0)
    out, states = rnn(X30, return_states=True)
    torch.nn.functional.mse_loss(out, y30).backward()
    through_time[f"ρ = {rho}"] = np.array([h.grad.norm().item() for h in states])

fig, ax = plt.subplots(figsize=(6.5, 4))
for label, norms in through_time.items():
    ax.semilogy(np.arange(1, 31), norms, marker=".", label=label)
ax.set(title="Gradient reaching each time step, at initialization", xlabel="time step t (loss at t = 30)",
       ylabel="‖∂L/∂h_t‖ (log scale)")
ax.legend()
plt.show()
first_over_last = {k: v[0] / v[-1] for k, v in through_time.items()}
print("‖∂L/∂h_1‖ / ‖∂L/∂h_30‖:", {k: f"{v:.1e}" for k, v in first_over_last.items()})
assert first_over_last["ρ = 0.5"] < 1e-6, "ρ < 1: the gradient vanishes back through time"
assert first_over_last["ρ = 2.0"] > 10, "ρ > 1: it grows back through time"

# %% [markdown]
# At initialization the growth for $\rho = 2$ is modest (tanh saturates, which damps it). During training it
# gets worse: a step that increases $W_{hh}$ increases the next gradient, which increases the next step. We
# train a `TanhRNN` with $\rho(W_{hh}) = 1.5$ on the adding problem with plain SGD ($\eta = 0.3$, batches of 50,
# 2,000 training sequences of 8 steps — short, because the point here is the explosion, not the memory span),
# once as it is and once with `clip_norm=0.5` in `gradcourse.train.train`. `train` records the gradient norm
# of every step *before* clipping, and stops with `TrainingDiverged` as soon as the loss or the gradient is
# no longer finite. A model that always predicts the mean target has a mean squared error of $1/6 \approx 0.167$.

# %%
X, y = data.adding_problem(2000, 8, seed=0)
X_val, y_val = data.adding_problem(500, 8, seed=1)
adding = data.Split(X, y, X_val, y_val)
baseline = 1 / 6

rnn_runs = {}
for label, clip_norm in [("no clipping", None), ("clip_norm = 0.5", 0.5)]:
    rnn = nets.TanhRNN(2, 32, 1, spectral_radius=1.5, seed=0)
    optimizer = gradcourse.optim.SGD(rnn.parameters(), lr=0.3)
    try:
        history = T.train(rnn, adding, optimizer, epochs=20, batch_size=50, loss="mse", clip_norm=clip_norm,
                          progress=False, seed=0)
        diverged = False
    except T.TrainingDiverged as error:
        history, diverged = error.history, True
        print(f"{label}: {str(error).splitlines()[0]}")
    rnn_runs[label] = (history, diverged)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4))
for (label, (history, diverged)), color in zip(rnn_runs.items(), ["#D55E00", "#0072B2"], strict=True):
    suffix = " (diverged)" if diverged else ""
    ax1.semilogy(np.arange(1, len(history.grad_norm) + 1), history.grad_norm, color=color, label=label + suffix)
    ax2.semilogy(np.arange(1, len(history.loss) + 1), history.loss, color=color, label=label + suffix)
ax1.axhline(0.5, color="0.5", linestyle=":", label="τ = 0.5")
ax2.axhline(baseline, color="0.5", linestyle=":", label="predict the mean (MSE 1/6)")
ax1.set(title="Gradient norm before clipping", xlabel="SGD step", ylabel="‖g‖ (log scale)")
ax2.set(title="Training loss (mini-batch MSE); the unclipped run leaves the plot", xlabel="SGD step",
        ylabel="MSE (log scale)", ylim=(1e-2, 1e3))
ax1.legend()
ax2.legend()
plt.show()

plain, plain_diverged = rnn_runs["no clipping"]
clipped, clipped_diverged = rnn_runs["clip_norm = 0.5"]
print(f"no clipping: stopped after {plain.steps} steps, largest finite gradient norm {max(plain.grad_norm):.1e}")
print(f"clipped: {clipped.steps} steps, largest gradient norm before clipping {max(clipped.grad_norm):.1f}, "
      f"clipped at {np.mean(np.array(clipped.grad_norm) > 0.5):.0%} of the steps; "
      f"validation MSE {clipped.val_loss[-1]:.3f} (the mean predictor: {baseline:.3f})")
assert plain_diverged and plain.steps < 100, "without clipping the gradient explodes to inf/NaN within 100 steps"
assert not clipped_diverged and clipped.val_loss[-1] < 0.6 * baseline, \
    "with clipping the same run stays finite and learns (validation MSE well below the mean predictor's)"

# %% [markdown]
# Without clipping the gradient norm climbs by eighteen orders of magnitude within twenty steps and the loss
# overflows to `inf`. With clipping the *raw* gradient (left, blue) stays a few times above $\tau$ — clipping is
# active at nearly every step — each step is cut to length $\eta\tau$, the feedback loop never starts, and the
# network learns to add. (We ran three seeds while writing: the
# unclipped run diverged within 20 steps every time, the clipped one always ended below half the baseline MSE.)
# Clipping treats the symptom, the size of the step; it does not stop the gradient through time from vanishing
# when $\rho < 1$. For that, recurrent networks use gates (LSTM, [Hochreiter & Schmidhuber, 1997](../06_faq/03_references.ipynb#hochreiter1997long)).
#
# ## Adam does not clip
#
# > **The documents say** (A1 §3.2): 「Adam是一种结合了动态学习率调整和梯度裁剪的优化算法」
# > — "Adam is an optimization algorithm that combines dynamic learning-rate adjustment and gradient clipping."
# >
# > **What is true:** Adam contains no clipping step. Every gradient, however large, enters its moving averages
# > $m$ and $v$ unchanged. Adam's *step* per coordinate is bounded (about $\eta(1-\beta_1)/\sqrt{1-\beta_2}$ at
# > most after a sudden spike), but that is not clipping: the spike stays in $v$ for about $1/(1-\beta_2) = 1000$
# > steps and shrinks the following steps. Section [3.4](05_adam_family.ipynb#Adam-does-not-clip) measures the
# > consequences; here we only look inside the optimizer's state after one spike.

# %%
states = {}
for label, clip_first in [("Adam", False), ("clip_grad_norm_(τ = 1), then Adam", True)]:
    theta = torch.nn.Parameter(torch.zeros(3))
    adam = gradcourse.optim.Adam([theta], lr=1e-3)
    for step_t in range(20):
        theta.grad = torch.tensor([1.0, -1.0, 0.5]) * (1e4 if step_t == 19 else 1.0)  # a spike at the last step
        if clip_first:
            clip.clip_grad_norm_([theta], max_norm=1.0)
        adam.step()
    states[label] = adam.state[theta]["exp_avg_sq"].max().item()
    print(f"{label:36s} largest v after the spike: {states[label]:.3g}")
assert states["Adam"] > 1e4, "Adam's second moment took the raw spike (1e4)² · (1 − β₂) = 1e5: nothing was clipped"
assert states["clip_grad_norm_(τ = 1), then Adam"] < 1.0, "clipping before Adam keeps the spike out of its state"

# %% [markdown]
# ## What we learned
#
# - Clipping by **value** clips each entry and turns the gradient (cosine 0.61 with the original here); clipping
#   by the global **norm** rescales all entries by one factor, keeps the direction exactly, and caps the length.
#   `gradcourse.clip` equals `torch.nn.utils` to the last bit.
# - Norm clipping is not "standardization" (A2): below the threshold the gradient passes untouched.
# - On the cliff of a one-unit RNN the gradient is more than 20 times its median size; one plain step jumps far
#   uphill, the clipped step goes downhill in the same direction.
# - A tanh RNN with $\rho(W_{hh}) = 1.5$ trained by SGD diverged to NaN within a few dozen steps; with
#   `clip_norm=0.5` the same run stayed finite and learned the adding task.
# - Adam does not clip (A1): a spike enters its state in full. Clip first, then let any optimizer step.
# - Clipping helps against *exploding* gradients only; vanishing gradients need initialization
#   ([3.7](09_initialization.ipynb)), normalization and residual connections ([3.8](11_normalization_residuals.ipynb)).
