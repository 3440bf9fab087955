# %% [markdown]
# # 3.8 Gradient clipping
#
# **How do the two kinds of gradient clipping differ, and what does clipping buy on a problem whose gradients
# really explode?** When gradients explode, one step can be so large that it throws the parameters somewhere
# useless — or to `inf` and `NaN`. Clipping caps the size of the gradient *before* the optimizer uses it. It is a
# separate step between `loss.backward()` and `optimizer.step()`, so it combines with any optimizer.
#
# We compare clipping by value and by norm, walk off the "cliff" of {cite:t}`pascanu2013difficulty` with and
# without clipping, train a recurrent network whose gradients explode, and look inside Adam to see that it does
# not clip.

# %% tags=["hide-input"]
import itertools

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from gradcourse import clip, data, explorables, nets, optim, plots, problems, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

rng = seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## Two ways to clip
#
# Let $g = (g_1, \dots, g_k)$ be all gradients of a model, seen as one long vector, and $c$ the clipping threshold
# (torch's `max_norm`, or `clip_value`).
#
# - **By value** (`clip_grad_value_`): clip every entry on its own, $g_i \leftarrow \min(\max(g_i, -c), c)$.
# - **By norm** (`clip_grad_norm_`): if the whole vector is too long, shrink it,
#   $$g \leftarrow r\,g, \qquad r = \min\Big(1, \frac{c}{\lVert g\rVert + 10^{-6}}\Big).$$
#
# Norm clipping multiplies every entry by the same factor $r$, so it keeps the **direction** of $g$ and caps its
# length at $c$. Value clipping cuts the large entries and leaves the small ones, so it **turns** the direction
# towards the diagonal. In two dimensions:

# %%
g2 = np.array([3.0, 0.5])
by_value_2d = clip.clip_by_value([g2], 1.0)[0]
(by_norm_2d,), _ = clip.clip_by_global_norm([g2], 1.0)

fig, ax = plt.subplots(figsize=(6.5, 3.2))
for vec, label, color in [(g2, "gradient g = (3, 0.5)", "black"), (by_value_2d, "clipped by value, c = 1", "#D55E00"),
                          (by_norm_2d, "clipped by norm, c = 1", "#0072B2")]:
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
c = 1.0
by_value = clip.clip_by_value(grads, c)
by_norm, _ = clip.clip_by_global_norm(grads, max_norm=c)
print(f"‖g‖ = {total:.1f}; {sum(int((np.abs(x) > c).sum()) for x in grads)} of "
      f"{sum(x.size for x in grads)} entries exceed c = {c}")
claim(cosine(by_value, grads) < 0.95, f"value clipping turns the gradient: cosine {cosine(by_value, grads):.2f} with "
      f"the original, and its length is still {clip.global_norm(by_value):.1f}")
claim(abs(cosine(by_norm, grads) - 1) < 1e-12 and abs(clip.global_norm(by_norm) - c) < 1e-5,
      f"norm clipping keeps the direction (cosine {cosine(by_norm, grads):.12f}) and sets the length to c = "
      f"{clip.global_norm(by_norm):.6f}")

# %% [markdown]
# Value clipping also leaves the length far above $c$ (every entry is at most $c$, but there are thousands of
# them). Norm clipping — of the *global* norm over all parameters — is what most training code uses.
# (`gradcourse.clip.clip_grad_norm_` and `clip_grad_value_` have PyTorch's signatures and results;
# `tests/test_clip.py` checks them against `torch.nn.utils`.)
#
# ## Clipping is not normalization
#
# Norm clipping does **nothing** while $\lVert g\rVert \le c$ and rescales $g$ by $c/\lVert g\rVert$ only when it
# is longer. It never subtracts a mean or divides by a standard deviation: *standardizing* the gradient would
# rescale every gradient, small ones included, to the same norm $\sqrt{k}$ for $k$ entries, whatever the
# threshold. The cell shows the three cases.

# %%
small = [0.1 * x / clip.global_norm(grads) for x in grads]  # a gradient of norm 0.1
large = grads  # norm ≈ 136
small_clipped, _ = clip.clip_by_global_norm(small, max_norm=1.0)
large_clipped, _ = clip.clip_by_global_norm(large, max_norm=1.0)
flat = np.concatenate([x.ravel() for x in large])
standardized = (flat - flat.mean()) / flat.std()  # what "standardizing" the gradient would mean

claim(all(np.array_equal(a, b) for a, b in zip(small, small_clipped, strict=True))
      and abs(clip.global_norm(large_clipped) - 1.0) < 1e-5,
      f"norm 0.1 passes untouched; norm {clip.global_norm(large):.0f} is rescaled to "
      f"{clip.global_norm(large_clipped):.6f} = c")
claim(abs(np.linalg.norm(standardized) - np.sqrt(flat.size)) < 1e-6,
      f"standardizing instead would give norm {np.linalg.norm(standardized):.1f} = √{flat.size}, whatever c is")

# %% [markdown]
# ## The cliff
#
# {cite:t}`pascanu2013difficulty` explain exploding gradients in
# recurrent networks with the smallest possible example: one unit, two parameters,
#
# $$x_t = w\,\sigma(x_{t-1}) + b, \qquad x_0 = 0.5, \qquad \ell(w, b) = (x_{50} - 0.7)^2 .$$
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
lr = 0.02
model = nets.CliffRNN(*P)
loss0 = model.loss()
loss0.backward()
g = np.array([model.w.grad.item(), model.b.grad.item()])
(g_clipped,), _ = clip.clip_by_global_norm([g], max_norm=c)
after = {"plain gradient step": P - lr * g, "clipped step (c = 1)": P - lr * g_clipped}
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
ax2.set(title=f"Gradient norm along the line w = {P[0]}", xlabel="b", ylabel="‖∇ℓ(w, b)‖ (log scale)")
plt.show()

print(f"at the start: loss {loss0.item():.3f}, ‖g‖ = {np.linalg.norm(g):.0f} "
      f"(median over the grid: {np.median(grad_norm):.2f})")
for name, value in loss_after.items():
    print(f"{name:22s} moves by {np.linalg.norm(after[name] - P):6.3f} → loss {value:.3f}")
claim(np.linalg.norm(g) > 20 * np.median(grad_norm),
      f"on the wall ‖g‖ = {np.linalg.norm(g):.0f}, {np.linalg.norm(g) / np.median(grad_norm):.0f}× its median over the grid")
claim(loss_after["clipped step (c = 1)"] < loss0.item() < loss_after["plain gradient step"],
      f"the clipped step goes downhill (loss {loss_after['clipped step (c = 1)']:.3f}); the plain one is thrown to "
      f"{loss_after['plain gradient step'] / loss0.item():.0f}× the starting loss")

# %% [markdown]
# The plain step has length $\eta\lVert g\rVert \approx 6.3$ and lands on the far side of the landscape, with a
# loss many times higher. The clipped step moves only $\eta c = 0.02$ — along the *same* direction, which is
# still a good direction — and lowers the loss. That is Pascanu et al.'s argument: on a cliff the gradient's
# direction is fine, its length is not.
#
# ### Move the threshold yourself
#
# The figure takes the same step from the same point on the wall for every threshold $c$ from 0.5 to 10 and every
# rate $\eta$ from 0.01 to 0.1, clipping with `clip.clip_by_global_norm`. Left: where the plain step (vermilion)
# and the clipped step (blue) land, over level curves of the loss. Right: the loss along the ray
# $(w, b) - s\,g/\lVert g\rVert$ that both steps follow, against the step length $s$, with both landings on it. It
# opens at the setting above, $c = 1$ and $\eta = 0.02$: along the ray the loss first falls steeply (down the
# wall), then rises again; the clipped step, of length $\eta c$, stops in the dip, while the plain step, of length
# $\eta\lVert g\rVert$, is $\lVert g\rVert / c$ times longer and lands far up the other side. Drag $c$: the
# clipped point slides along the ray, the plain one does not move. Then raise $\eta$ as well: clipping caps the
# step at $\eta c$, so a threshold that is loose for the rate lets the clipped step climb too.

# %%
def cliff_f(theta):
    """The one-unit RNN's loss at θ = (w, b), for arrays of any shape (entry-wise), as `nets.CliffRNN` computes it."""
    w, b = torch.as_tensor(theta[0]), torch.as_tensor(theta[1])
    return nets.cliff_loss(w, b, steps=model.steps, x0=model.x0, target=model.target).detach().numpy()


def cliff_grad(theta):
    """∇ℓ at θ = (w, b) by autograd (a `problems.Objective` carries its gradient; the level curves need only ℓ)."""
    w, b = (torch.tensor(np.asarray(v, dtype=float), requires_grad=True) for v in theta)
    nets.cliff_loss(w, b, steps=model.steps, x0=model.x0, target=model.target).sum().backward()
    return np.stack([w.grad.numpy(), b.grad.numpy()])


cliff = problems.Objective(name="cliff", f=cliff_f, grad=cliff_grad, minimum=None, xlim=(2.0, 10.0), ylim=(-6.0, 4.0))
threshold = explorables.Slider("c", np.round(np.arange(1, 21) * 0.5, 2), label="max norm c", value=1.0)
rate = explorables.Slider("eta", np.round(np.arange(1, 11) * 0.01, 2), label="learning rate η", value=lr)
start_loss, g_norm = loss0.item(), np.linalg.norm(g)
steps, verdicts, landed = [], [], {}
for c_value, eta in itertools.product(threshold.values, rate.values):
    (g_c,), _ = clip.clip_by_global_norm([g], max_norm=c_value)
    ends = {"clipped step": P - eta * g_c, "plain step": P - eta * g}
    losses = {name: float(cliff.f(q)) for name, q in ends.items()}
    landed[c_value, eta] = losses
    for name, q in ends.items():
        steps += explorables.rows(c=c_value, eta=eta, step=name, order=[0, 1], w=[P[0], q[0]], b=[P[1], q[1]],
                                  length=[np.nan, np.linalg.norm(q - P)], loss=[start_loss, losses[name]])
    w_end, b_end = ends["plain step"]
    off = "" if cliff.xlim[0] <= w_end <= cliff.xlim[1] and cliff.ylim[0] <= b_end <= cliff.ylim[1] else ", off the map"
    verdicts += explorables.rows(c=c_value, eta=eta, text=(
        f"c = {c_value}, η = {eta}: clipped step {eta * min(c_value, g_norm):.3f} long → "
        f"loss {losses['clipped step']:.3g}\n"
        f"plain step {eta * g_norm:.2f} long → loss {losses['plain step']:.1f}{off} (start: {start_loss:.2f})"))
s_ray = np.geomspace(1e-3, 40, 241)  # distances along −g/‖g‖
ray = explorables.rows(s=s_ray, loss=cliff.f(P[:, None] - np.outer(g / g_norm, s_ray)))

in_frame = explorables.frame(threshold, rate)
toggle, opacity = explorables.legend_toggle(column="step")
colors = {"field": "step", "type": "nominal", "title": None, "legend": {"orient": "bottom", "symbolType": "square"},
          "scale": {"domain": ["clipped step", "plain step"], "range": ["#0072B2", "#D55E00"]}}
w_axis = explorables.axis("w", "w", domain=list(cliff.xlim))
b_axis = explorables.axis("b", "b", domain=list(cliff.ylim))
length_axis = {**explorables.axis("length", "step length s = ‖Δθ‖ (log scale)", type="log", domain=[1e-3, 40]),
               "axis": {"values": [0.001, 0.01, 0.1, 1, 10]}}
ray_loss = {**explorables.axis("loss", "loss ℓ (log scale)", type="log", domain=[0.01, 3000]),
            "axis": {"values": [0.01, 0.1, 1, 10, 100, 1000]}}
explorables.figure(
    title=f"One step from the cliff's wall at (w, b) = ({P[0]}, {P[1]}), with and without clipping",
    alt="Two panels for one gradient step from a point on the wall of the one-unit RNN's loss surface, with sliders "
        "for the clipping threshold c (0.5 to 10) and the learning rate η (0.01 to 0.1). Left: level curves of the "
        "loss over (w, b), the start, and where the plain and the clipped step land. Right: the loss along the "
        "gradient's direction against the step length on log scales, with both landings marked. At the first "
        "frame, c = 1 and η = 0.02, the clipped step stays next to the start and lowers the loss, while the plain "
        "step is thrown across the map to a loss many times higher.",
    controls=[threshold, rate],
    data={"steps": steps, "verdict": verdicts, "ray": ray,
          "contour": explorables.contour_rows(cliff, [0.03, 0.1, 0.3, 1, 3, 10, 30, 100])},
    panels=[
        {"layer": [
            explorables.contour_layer(),
            {"data": {"name": "steps"}, "transform": [in_frame], "mark": {"type": "line", "clip": True},
             "params": [toggle],
             "encoding": {"x": w_axis, "y": b_axis, "color": colors, "opacity": opacity, "detail": {"field": "step"},
                          "order": {"field": "order", "type": "quantitative"}}},
            {"data": {"values": [{"w": P[0], "b": P[1]}]},
             "mark": {"type": "point", "size": 150, "color": "black", "strokeWidth": 1.5},
             "encoding": {"x": w_axis, "y": b_axis}},
            {"data": {"name": "steps"}, "transform": [in_frame, {"filter": "datum.order == 1"}],
             "mark": {"type": "point", "shape": "square", "filled": True, "size": 60, "clip": True},
             "encoding": {"x": w_axis, "y": b_axis, "color": colors, "opacity": opacity}},
            {"data": {"name": "verdict"}, "transform": [in_frame],
             "mark": {"type": "text", "align": "left", "baseline": "top", "x": 4, "y": -36, "fontSize": 12,
                      "lineBreak": "\n"},
             "encoding": {"text": {"field": "text"}}},
        ]},
        {"layer": [
            {"data": {"name": "ray"}, "mark": {"type": "line", "color": "#444", "clip": True},
             "encoding": {"x": {**length_axis, "field": "s"}, "y": ray_loss}},
            {"data": {"values": [{"loss": start_loss, "s": 40}]}, "mark": {"type": "rule", "strokeDash": [4, 3],
                                                                           "color": "#888"},
             "encoding": {"y": {"field": "loss", "type": "quantitative"}}},
            {"data": {"values": [{"loss": start_loss, "s": 40}]},
             "mark": {"type": "text", "align": "right", "baseline": "bottom", "dy": -2, "color": "#666"},
             "encoding": {"x": {"field": "s", "type": "quantitative"}, "y": {"field": "loss", "type": "quantitative"},
                          "text": {"value": "loss at the start"}}},
            {"data": {"name": "steps"}, "transform": [in_frame, {"filter": "datum.order == 1"}],
             "mark": {"type": "point", "shape": "square", "filled": True, "size": 80, "clip": True},
             "encoding": {"x": length_axis, "y": ray_loss, "color": colors, "opacity": opacity}},
        ]},
    ],
    width=330, height=240,
)

# %% tags=["hide-input"]
at_lr = [landed[c_value, lr]["clipped step"] for c_value in threshold.values]
plain_lowest = min(landed[threshold.value, eta]["plain step"] for eta in rate.values)
climbs = [(c_value, eta) for (c_value, eta), v in landed.items() if v["clipped step"] > start_loss]
claim(max(at_lr) < start_loss < plain_lowest,
      f"at η = {lr} every threshold on the grid lowers the loss from {start_loss:.2f} (to {min(at_lr):.3f} … "
      f"{max(at_lr):.3f}); the plain step raises it at every rate on the grid, to at least {plain_lowest:.1f}")
shortest = min(c_value * eta for c_value, eta in climbs)
claim(all((c_value * eta >= shortest) == ((c_value, eta) in climbs) for c_value, eta in landed),
      f"the clipped step ends above the start exactly when its length η·c is ≥ {shortest:.2f}: in {len(climbs)} of "
      f"the {len(landed)} settings")

# %% [markdown]
# ## A recurrent network whose gradients explode
#
# In a recurrent network $h_t = \tanh(W_{xh}x_t + W_{hh}h_{t-1} + b)$ the gradient reaching step $t$ has been
# multiplied by $\mathrm{diag}(\tanh')\,W_{hh}^\top$ once for every later step. Since $\tanh' \le 1$, it must vanish
# back through time when $W_{hh}$'s largest singular value is below 1; with a spectral radius $\rho(W_{hh})$ well
# above 1 it can grow (the radius alone decides neither, [2.2](../02_concepts/02_vanishing_exploding.ipynb)).
# `nets.TanhRNN(..., spectral_radius=ρ)` rescales $W_{hh}$ to the radius asked for. One forward and backward
# pass on the adding problem {cite:p}`hochreiter1997long` (`data.adding_problem`), 30 steps long, shows both regimes:

# %%
X30, y30 = data.adding_problem(256, 30, seed=0, as_tensors=True)
through_time = {}
for rho in [0.5, 1.0, 1.5, 2.0]:
    rnn = nets.TanhRNN(2, 32, 1, spectral_radius=rho, seed=0)
    out, states = rnn(X30, return_states=True)
    F.mse_loss(out, y30).backward()
    through_time[f"ρ = {rho}"] = np.array([h.grad.norm().item() for h in states])

fig, ax = plt.subplots(figsize=(6.5, 4))
for label, norms in through_time.items():
    ax.semilogy(np.arange(1, 31), norms, marker=".", label=label)
ax.set(title="Gradient reaching each time step, at initialization", xlabel="time step t (loss at t = 30)",
       ylabel="‖∂ℓ/∂h_t‖ (log scale)")
ax.legend()
plt.show()
first_over_last = {k: v[0] / v[-1] for k, v in through_time.items()}
print("‖∂ℓ/∂h_1‖ / ‖∂ℓ/∂h_30‖:", {k: f"{v:.1e}" for k, v in first_over_last.items()})
claim(first_over_last["ρ = 0.5"] < 1e-6 and first_over_last["ρ = 2.0"] > 10,
      f"back through 30 steps the gradient shrinks to {first_over_last['ρ = 0.5']:.0e} of its size at ρ = 0.5 and "
      f"grows {first_over_last['ρ = 2.0']:.0f}-fold at ρ = 2")

# %% [markdown]
# At initialization the growth for $\rho = 2$ is modest (tanh saturates, which damps it). During training it
# gets worse: a step that increases $W_{hh}$ increases the next gradient, which increases the next step. We
# train a `TanhRNN` with $\rho(W_{hh}) = 1.5$ on the adding problem with plain SGD ($\eta = 0.3$, batches of 50,
# 2,000 training sequences of 8 steps — short, because the point here is the explosion, not the memory span),
# once as it is and once with `clip_norm=0.5` in `train.train`. `train` records the gradient norm
# of every step *before* clipping, and stops with `TrainingDiverged` as soon as the loss or the gradient is
# no longer finite. A model that always predicts the mean target has a mean squared error of $1/6 \approx 0.167$.

# %%
X, y = data.adding_problem(2000, 8, seed=0)
X_val, y_val = data.adding_problem(500, 8, seed=1)
adding = data.Split(X, y, X_val, y_val)
baseline = 1 / 6


def train_rnn(clip_norm: float | None, seed: int) -> tuple[train.History, bool]:
    """SGD (η = 0.3) on the adding problem for a tanh RNN with ρ(W_hh) = 1.5: (history, diverged?)."""
    rnn = nets.TanhRNN(2, 32, 1, spectral_radius=1.5, seed=seed)
    try:
        return train.train(rnn, adding, optim.SGD(rnn.parameters(), lr=0.3), epochs=20, batch_size=50, loss="mse",
                           clip_norm=clip_norm, progress=False, seed=seed), False
    except train.TrainingDiverged as error:
        return error.history, True


rnn_runs = {"no clipping": train_rnn(None, seed=0), "clip_norm = 0.5": train_rnn(0.5, seed=0)}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4))
for (label, (history, diverged)), color in zip(rnn_runs.items(), ["#D55E00", "#0072B2"], strict=True):
    suffix = " (diverged)" if diverged else ""
    ax1.semilogy(np.arange(1, len(history.grad_norm) + 1), history.grad_norm, color=color, label=label + suffix)
    ax2.semilogy(np.arange(1, len(history.loss) + 1), history.loss, color=color, label=label + suffix)
ax1.axhline(0.5, color="0.5", linestyle=":", label="c = 0.5")
ax2.axhline(baseline, color="0.5", linestyle=":", label="predict the mean (MSE 1/6)")
ax1.set(title="Gradient norm before clipping", xlabel="SGD step", ylabel="‖g‖ (log scale)")
ax2.set(title="Training loss (mini-batch MSE); the unclipped run leaves the plot", xlabel="SGD step",
        ylabel="MSE (log scale)", ylim=(1e-2, 1e3))
ax1.legend()
ax2.legend()
plt.show()

(plain, plain_diverged), (clipped, clipped_diverged) = rnn_runs.values()
print(f"no clipping: stopped after {plain.steps} steps, largest finite gradient norm {max(plain.grad_norm):.1e}")
print(f"clipped: {clipped.steps} steps, largest gradient norm before clipping {max(clipped.grad_norm):.1f}, "
      f"clipped at {np.mean(np.array(clipped.grad_norm) > 0.5):.0%} of the steps")

# %% [markdown]
# Without clipping the gradient norm climbs by many orders of magnitude within a few dozen steps and the loss
# overflows. With clipping the *raw* gradient (left, blue) stays a few times above $c$ — clipping is active at
# nearly every step — each step is cut to length $\eta c$, the feedback loop never starts, and the network learns to
# add. The cell repeats both runs from two more seeds (new weights, new batch order).

# %%
seeds = {0: (plain, plain_diverged, clipped, clipped_diverged)}
for seed in (1, 2):
    seeds[seed] = (*train_rnn(None, seed), *train_rnn(0.5, seed))
for seed, (p, p_div, q, q_div) in seeds.items():
    print(f"seed {seed}: unclipped {'diverged at step ' + str(p.steps) if p_div else 'finished'}; clipped "
          f"{'diverged' if q_div else f'validation MSE {q.val_loss[-1]:.3f}'} (mean predictor {baseline:.3f})")
claim(all(p_div and p.steps < 100 for p, p_div, _, _ in seeds.values()),
      f"without clipping every seed diverges to inf/NaN, by step {max(v[0].steps for v in seeds.values())}")
claim(all(not q_div and q.val_loss[-1] < 0.6 * baseline for _, _, q, q_div in seeds.values()),
      f"with clipping every seed stays finite and learns: validation MSE at most "
      f"{max(v[2].val_loss[-1] for v in seeds.values()):.3f}, against {baseline:.3f} for the mean predictor")

# %% [markdown]
# Clipping treats the symptom, the size of the step; it does not stop the gradient through time from vanishing when
# $\rho < 1$. For that, recurrent networks use gates (LSTM, {cite:p}`hochreiter1997long`).
#
# ## Clipping composes with any optimizer; Adam does not clip
#
# Adam is sometimes described as containing clipping ([claim 12 in 6.2](../06_faq/02_claims_checked.ipynb#claim-12)).
# It contains no clipping step: every gradient, however large, enters its moving averages $m_t$ and $v_t$ unchanged.
# Adam's *step* per coordinate is bounded, but that is not clipping: the spike stays in $v_t$ for about
# $1/(1-\beta_2) = 1000$ steps and shrinks the following steps. [3.5](05_adam_family.ipynb) measures the
# consequences on a training run; here we look inside the optimizer's state after one spike.

# %%
states = {}
for label, clip_first in [("Adam", False), ("clip_grad_norm_(c = 1), then Adam", True)]:
    theta = torch.nn.Parameter(torch.zeros(3))
    adam = optim.Adam([theta], lr=1e-3)
    for step_t in range(20):
        theta.grad = torch.tensor([1.0, -1.0, 0.5]) * (1e4 if step_t == 19 else 1.0)  # a spike at the last step
        if clip_first:
            clip.clip_grad_norm_([theta], max_norm=1.0)
        adam.step()
    states[label] = adam.state[theta]["exp_avg_sq"].max().item()
claim(states["Adam"] > 1e4, f"Adam's largest v_t after the spike is {states['Adam']:.3g} ≈ (1e4)²·(1 − β₂): nothing "
      "was clipped")
claim(states["clip_grad_norm_(c = 1), then Adam"] < 1.0,
      f"clipping first keeps the spike out of Adam's state (largest v_t {states['clip_grad_norm_(c = 1), then Adam']:.3g})")

# %% [markdown]
# ## What we learned
#
# - Clipping by **value** clips each entry and turns the gradient; clipping by the global **norm** rescales all
#   entries by one factor, keeps the direction exactly, and caps the length at $c$.
# - Norm clipping is not normalization: below the threshold the gradient passes untouched.
# - On the cliff of a one-unit RNN the gradient is far above its typical size; one plain step jumps far uphill, the
#   clipped step goes downhill in the same direction.
# - A tanh RNN with $\rho(W_{hh}) = 1.5$ trained by SGD diverged to NaN within a few dozen steps in every seed;
#   with `clip_norm=0.5` the same runs stayed finite and learned the adding task.
# - Adam does not clip: a spike enters its state in full. Clip first, then let any optimizer step.
# - Clipping helps against *exploding* gradients only; vanishing gradients need initialization
#   ([3.9](09_initialization.ipynb)), normalization and residual connections ([3.11](11_normalization_residuals.ipynb)).
