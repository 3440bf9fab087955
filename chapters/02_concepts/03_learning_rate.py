# %% [markdown]
# # 2.3 What the learning rate does
#
# Every optimizer in this course multiplies its step by a learning rate $\eta$. How large may it be, and
# which value is fastest? On a quadratic loss both questions have exact answers, and they are the best guide
# there is for real networks:
#
# - gradient descent converges **if and only if** $\eta < 2/L$, where $L$ is the largest curvature;
# - the fastest constant rate is $\eta^\star = 2/(L+\mu)$, which shrinks the error by $(\kappa-1)/(\kappa+1)$
#   per step, where $\mu$ is the smallest curvature and $\kappa = L/\mu$ the condition number.
#
# This chapter derives both facts, checks them to the digit, draws what the iterates do, shows what a too-large
# rate does to a network, meets Newton's method, and ends with the practical tool for finding $\eta$ on a real
# network, the learning-rate range test.

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import data, explorables, nets, optim, plots, problems, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
split = data.digits(as_tensors=True)  # for the network experiments at the end

# %% [markdown]
# ## Gradient descent on a quadratic
#
# Take the loss $\ell(\theta) = \tfrac12\,\theta^\top A\,\theta$ with $A$ symmetric, eigenvalues $\mu = \lambda_{\min}$ and
# $L = \lambda_{\max}$ (for a quadratic, $L$ is exactly the smoothness constant: the largest curvature).
# The gradient is $g = A\theta$, so one step of gradient descent is
#
# $$\theta_{t+1} = \theta_t - \eta A\theta_t = (I - \eta A)\,\theta_t .$$
#
# Along each eigenvector of $A$, with eigenvalue $\lambda$, this multiplies the coordinate by $(1 - \eta\lambda)$.
# After $t$ steps the coordinate is $(1-\eta\lambda)^t$ times its start, so
#
# $$\text{GD converges} \iff |1-\eta\lambda| < 1 \text{ for every eigenvalue} \iff 0 < \eta < \frac{2}{L}.$$
#
# The error then shrinks at least by the **contraction factor** — the spectral radius of $I - \eta A$ —
# $\rho(\eta) = \max(|1-\eta\mu|, |1-\eta L|)$ per step. `gradcourse.problems.Quadratic(kappa, L)` is this problem in two dimensions (curvatures $\mu = L/\kappa$
# and $L$); it knows `max_stable_lr` $= 2/L$, `optimal_lr` and `contraction(lr)`, and `problems.run` moves a
# point with the course's gradient-descent rule (`gradcourse.optim.functional.step("sgd", …)`).
#
# ## One dimension: four regimes
#
# With a single curvature $L$ the factor is $1-\eta L$, and its sign and size give four behaviours:
# $\eta < 1/L$ creeps towards the minimum from one side; $\eta = 1/L$ lands on it in **one** step;
# $1/L < \eta < 2/L$ overshoots and oscillates, but converges; $\eta > 2/L$ overshoots further each time.

# %%
flat = problems.Quadratic(kappa=1.0, L=1.0)  # the same curvature L = 1 in both directions
one_d = {f"η = {c}/L": c / flat.L for c in (0.5, 1.0, 1.5, 2.1)}
paths_1d = {label: problems.run(flat, "sgd", x0=np.array([1.0, 0.0]), steps=12, lr=eta)[:, 0]
            for label, eta in one_d.items()}

fig, ax = plt.subplots(figsize=(6.5, 4))
for label, path in paths_1d.items():
    ax.plot(path, marker="o", label=label)
ax.axhline(0, color="0.5", linewidth=0.8)
ax.set_ylim(-4, 4)
ax.set_title("Gradient descent on ℓ(θ) = ½Lθ²: the four regimes")
ax.set_xlabel("step t")
ax.set_ylabel("θ_t (minimum at 0)")
ax.legend()
plt.show()

claim(np.all(np.diff(paths_1d["η = 0.5/L"]) < 0) and paths_1d["η = 0.5/L"][-1] > 0,
      f"η = 0.5/L creeps from one side: θ_12 = {paths_1d['η = 0.5/L'][-1]:.1e}")
claim(paths_1d["η = 1.0/L"][1] == 0.0, "η = 1/L lands on the minimum in one step: θ_1 = 0")
signs = np.sign(paths_1d["η = 1.5/L"][:8])
claim(np.all(signs[1:] == -signs[:-1]) and abs(paths_1d["η = 1.5/L"][-1]) < 1e-3,
      f"η = 1.5/L flips sign every step and converges: θ_12 = {paths_1d['η = 1.5/L'][-1]:.1e}")
claim(abs(paths_1d["η = 2.1/L"][-1]) > 3, f"η = 2.1/L overshoots further each time: |θ_12| = {abs(paths_1d['η = 2.1/L'][-1]):.1f}")

# %% [markdown]
# ## Two dimensions: the stability limit $\eta < 2/L$
#
# With two curvatures the steep direction decides stability and the flat direction decides speed. We sweep
# $\eta$ across the limit on a quadratic with $\kappa = 10$ and record the distance to the minimum after 300
# steps.

# %%
quad = problems.Quadratic(kappa=10.0, L=1.0)
x0 = np.array([3.0, 2.0])
fractions = np.linspace(0.05, 1.2, 47)  # η as a fraction of the limit 2/L
final = np.array([np.linalg.norm(problems.run(quad, "sgd", x0=x0, steps=300, lr=c * quad.max_stable_lr)[-1])
                  for c in fractions])

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.semilogy(fractions, final, marker=".")
ax.axvline(1.0, color="C3", linestyle="--", label="η = 2/L")
ax.axhline(np.linalg.norm(x0), color="0.5", linestyle=":", label="starting distance")
ax.set_title(f"GD on a quadratic (κ = {quad.kappa:g}): distance after 300 steps")
ax.set_xlabel("learning rate η as a fraction of 2/L")
ax.set_ylabel("‖θ₃₀₀ − θ*‖ (log scale)")
ax.legend()
plt.show()

stable, unstable = fractions < 0.98, fractions > 1.02
claim(np.all(final[stable] < np.linalg.norm(x0)) and np.all(final[unstable] > 10 * np.linalg.norm(x0)),
      f"every η < 2/L = {quad.max_stable_lr:g} converges (largest final distance {final[stable].max():.1e}), every "
      f"η > 2/L diverges (smallest {final[unstable].min():.1e}; start {np.linalg.norm(x0):.1f})")

# %% [markdown]
# ## The fastest rate: $\eta^\star = 2/(L+\mu)$
#
# Increasing $\eta$ speeds up the flat direction ($|1-\eta\mu|$ falls) but slows down, and eventually
# destabilizes, the steep one ($|1-\eta L|$ rises once $\eta > 1/L$). The contraction
# $\rho(\eta) = \max(|1-\eta\mu|, |1-\eta L|)$ is smallest where the two are equal,
# $1 - \eta\mu = \eta L - 1$, that is at
#
# $$\eta^\star = \frac{2}{L+\mu}, \qquad \rho(\eta^\star) = \frac{L-\mu}{L+\mu} = \frac{\kappa-1}{\kappa+1}.$$
#
# So the error needs about $\tfrac{\kappa}{2}\ln(1/\text{tolerance})$ steps: ill-conditioning, not the size of
# the gradient, is what makes plain gradient descent slow. The cell measures the per-step contraction of
# every run in the sweep (from the last 100 of 300 steps, when only the slowest direction is left) and
# compares it with $\rho(\eta)$.

# %%
def measured_rate(problem, lr, steps=300, tail=100):
    """Per-step contraction of ‖θ_t‖ over the last `tail` steps of a GD run."""
    d = np.linalg.norm(problems.run(problem, "sgd", x0=x0, steps=steps, lr=lr), axis=1)
    return (d[-1] / d[-1 - tail]) ** (1 / tail)


lrs = fractions[fractions < 0.97] * quad.max_stable_lr
measured = np.array([measured_rate(quad, lr) for lr in lrs])
theory = np.array([quad.contraction(lr) for lr in lrs])

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.plot(lrs, theory, label="theory ρ(η) = max(|1−ημ|, |1−ηL|)")
ax.plot(lrs, measured, "o", markersize=4, label="measured per-step contraction")
ax.axvline(quad.optimal_lr, color="C3", linestyle="--", label="η* = 2/(L+μ)")
ax.set_title(f"Convergence rate of GD, κ = {quad.kappa:g}")
ax.set_xlabel("learning rate η")
ax.set_ylabel("error factor per step (lower is faster)")
ax.legend()
plt.show()

claim(np.allclose(measured, theory, rtol=0.02),
      f"the measured rate is max(|1−ημ|, |1−ηL|) to {np.max(np.abs(measured / theory - 1)):.1e} (relative)")
claim(quad.contraction(1.5 * quad.optimal_lr) > quad.contraction(quad.optimal_lr),
      f"beyond η*, larger is slower: ρ(1.5η*) = {quad.contraction(1.5 * quad.optimal_lr):.3f} > "
      f"ρ(η*) = {quad.contraction(quad.optimal_lr):.3f}")

print(" κ    | η*      | (κ−1)/(κ+1) | measured | steps to 1e-6: predicted | measured")
for kappa in (2.0, 10.0, 100.0):
    q = problems.Quadratic(kappa=kappa, L=1.0)
    rho_star = (kappa - 1) / (kappa + 1)
    path = problems.run(q, "sgd", x0=x0, steps=2000, lr=q.optimal_lr)
    d = np.linalg.norm(path, axis=1) / np.linalg.norm(x0)
    rate = (d[40] / d[20]) ** (1 / 20)
    predicted_steps = int(np.ceil(np.log(1e-6) / np.log(rho_star)))
    measured_steps = int(np.argmax(d < 1e-6))
    print(f" {kappa:<4g} | {q.optimal_lr:.4f}  | {rho_star:.5f}     | {rate:.5f}  | {predicted_steps:>24} | {measured_steps:>8}")
    claim(abs(rate / rho_star - 1) < 0.01 and abs(measured_steps - predicted_steps) <= 1,
          f"κ = {kappa:g}: at η* the error shrinks by (κ−1)/(κ+1) = {rho_star:.4f} per step; "
          f"{measured_steps} steps to 1e-6 (predicted {predicted_steps})")

# %% [markdown]
# ## What the iterates look like in 2-D
#
# The same three situations on the elongated bowl $\ell = 0.1\theta_1^2 + 2\theta_2^2$ (`problems.ELLIPSE`, the example of
# the d2l book; $\mu = 0.2$, $L = 4$, so $2/L = 0.5$): a small rate crawls along the flat valley, $\eta^\star$
# zig-zags across the steep direction while making the fastest progress along the flat one, and a rate just
# above $2/L$ is thrown out of the valley.

# %%
ellipse = problems.ELLIPSE
start = np.array([-5.0, -2.0])
rates_2d = {"η = 0.1 (small)": 0.1, f"η* = 2/(L+μ) = {ellipse.optimal_lr:.3f}": ellipse.optimal_lr,
            "η = 0.55 > 2/L": 0.55}
paths_2d = {label: problems.run(ellipse, "sgd", x0=start, steps=30, lr=lr) for label, lr in rates_2d.items()}
shown = dict(paths_2d)
shown["η = 0.55 > 2/L"] = paths_2d["η = 0.55 > 2/L"][:9]  # draw only its first 8 steps: it soon leaves the window
plots.contour_with_trajectories(ellipse, shown, title="ℓ = 0.1·θ₁² + 2·θ₂²: gradient descent, 30 steps")
plt.show()

distances = {label: np.linalg.norm(p[-1]) for label, p in paths_2d.items()}
small, best, too_big = distances.values()
claim(best < small < np.linalg.norm(start) < too_big and problems.diverged(paths_2d["η = 0.55 > 2/L"], factor=2.0),
      f"after 30 steps: η* at {best:.1e}, η = 0.1 at {small:.1e}, η = 0.55 > 2/L diverged to {too_big:.1e}")

# %% [markdown]
# ### Move the rate yourself
#
# The figure below holds gradient descent on the same bowl for 22 rates, from $\eta = 0.025$ to $0.55$ (a
# tenth of $1/L$ up to $1.1 \times 2/L$), each run by `problems.run` when this page was built. It opens just
# below the limit, at $\eta = 0.475$: the steep coordinate flips sign every step and barely shrinks. Drag the
# slider: below $\eta = 1/L = 0.25$ the path slides down without crossing the valley, between $1/L$ and $2/L$ it
# zig-zags but still converges, and past $2/L = 0.5$ the distance to the minimum grows every step.

# %%
rate = explorables.Slider("eta", np.round(np.arange(1, 23) * 0.025, 3), label="learning rate η", value=0.475)
paths, verdicts = [], []
for lr in rate.values:
    path = problems.run(ellipse, "sgd", x0=start, steps=30, lr=lr)
    rho = ellipse.contraction(lr)
    if np.isclose(rho, 1.0):
        verdict = "neither converges nor diverges: the steep coordinate flips between ±2 for ever"
    elif rho > 1:
        verdict = "diverges"
    else:
        verdict = "converges, zig-zagging" if lr > 1 / ellipse.L else "converges"
    paths += explorables.rows(eta=lr, step=np.arange(31), x1=path[:, 0], x2=path[:, 1],
                              distance=np.linalg.norm(path, axis=1))
    verdicts += explorables.rows(eta=lr, text=f"η = {lr:.3f}: ρ(η) = {rho:.2f} per step, {verdict}")
in_frame = explorables.frame(rate)
explorables.figure(
    title="Gradient descent on ℓ = 0.1·θ₁² + 2·θ₂² (2/L = 0.5)",
    alt="Two panels for gradient descent on the elongated bowl, with a slider for the learning rate η from 0.025 "
        "to 0.55. Left: the path of 30 steps over the level curves. Right: the distance to the minimum per step "
        "on a log scale. At the first frame, η = 0.475, the path zig-zags across the valley and slowly converges; "
        "above 2/L = 0.5 it diverges.",
    controls=[rate],
    data={"path": paths, "verdict": verdicts,
          "contour": explorables.contour_rows(ellipse, [0.5, 2, 5, 10, 20])},
    panels=[
        {"layer": [
            explorables.contour_layer(),
            {"data": {"name": "path"}, "transform": [in_frame], "mark": {"type": "line", "point": True, "clip": True},
             "encoding": {"x": explorables.axis("x1", "θ₁", domain=list(ellipse.xlim)),
                          "y": explorables.axis("x2", "θ₂", domain=list(ellipse.ylim)),
                          "order": {"field": "step", "type": "quantitative"}}},
            {"data": {"name": "verdict"}, "transform": [in_frame],
             "mark": {"type": "text", "align": "left", "x": 4, "y": -8, "fontSize": 12},
             "encoding": {"text": {"field": "text"}}},
        ]},
        {"data": {"name": "path"}, "transform": [in_frame], "mark": {"type": "line", "point": True},
         "encoding": {"x": explorables.axis("step", "step t"),
                      "y": explorables.axis("distance", "distance to the minimum ‖θ_t‖ (log scale)",
                                            type="log", domain=[1e-3, 1e3], clamp=True)}},
    ],
    width=290, height=230,
)

# %% [markdown]
# ## What a too-large rate does to a network
#
# On the quadratic, $\eta > 2/L$ makes the iterates grow geometrically. On a network the training loss does the
# same: the optimizer fails on the very data it is fitting. The cell trains the same small network on the
# digits with a good rate and with a rate thirty times larger.
#
# ```{admonition} Common misconception
# :class: warning
# 「学习率越大，算法更快地收敛，但也可能导致过拟合」 (A4 §3.3: "the larger the learning rate, the faster it
# converges, but it may cause overfitting"). **In fact** larger is faster only up to $\eta^\star$, diverges past
# $2/L$, and a too-large rate wrecks the *training* loss — the opposite of overfitting
# ([claim 69 in 6.2](../06_faq/02_claims_checked.ipynb#claim-69)).
# ```

# %%
def run_sgd(lr, epochs=5):
    model = nets.mlp(64, 10, depth=2, width=64, activation="relu", seed=0)
    return train.train(model, split, optim.SGD(model.parameters(), lr=lr), epochs=epochs, progress=False,
                       record_grad_norms=False)


good, too_large = run_sgd(0.1), run_sgd(3.0)
for name, h in (("η = 0.1", good), ("η = 3.0", too_large)):
    print(f"{name}: training loss per epoch {np.round(h.train_loss, 3).tolist()}, "
          f"training accuracy {h.train_acc[-1]:.2f}, validation accuracy {h.val_acc[-1]:.2f}")
claim(good.train_acc[-1] > 0.85 and good.val_acc[-1] > 0.85, f"η = 0.1 trains: {good.val_acc[-1]:.0%} validation accuracy")
claim(too_large.train_loss[0] > 100 * good.train_loss[0] and too_large.train_acc[-1] < 0.2
      and abs(too_large.train_acc[-1] - too_large.val_acc[-1]) < 0.1,
      f"η = 3 fails on the training set itself: first-epoch loss {too_large.train_loss[0]:.3g}, training accuracy "
      f"{too_large.train_acc[-1]:.0%}, no train/validation gap — not overfitting")

# %% [markdown]
# ## Which way to adjust $\eta$
#
# Fast, steady convergence is what we want; below $\eta^\star$ every reduction of $\eta$ makes gradient descent
# strictly slower. The signal to *lower* $\eta$ is a loss that oscillates or rises (the $1/L<\eta<2/L$ and
# $\eta>2/L$ regimes above); the signal to raise it is a loss that falls steadily but slowly. The cell counts the
# steps to reach $10^{-6}$ on the $\kappa = 10$ quadratic for $\eta^\star$, $\eta^\star/2$ and $\eta^\star/4$,
# and shows the oscillation that should make you lower the rate. (A1 §6 Q4 advises the opposite — lower the
# rate when the model converges fast: [claim 20 in 6.2](../06_faq/02_claims_checked.ipynb#claim-20).)

# %%
def steps_to(problem, lr, tol=1e-6, max_steps=5000):
    d = np.linalg.norm(problems.run(problem, "sgd", x0=x0, steps=max_steps, lr=lr), axis=1)
    return int(np.argmax(d < tol * d[0]))


steps_needed = {c: steps_to(quad, quad.optimal_lr * c) for c in (1.0, 0.5, 0.25)}
claim(steps_needed[1.0] < steps_needed[0.5] < steps_needed[0.25],
      f"below η*, a smaller rate is slower: steps to 1e-6 for η = η*, η*/2, η*/4: {list(steps_needed.values())}")

near_limit = problems.run(quad, "sgd", x0=x0, steps=10, lr=0.95 * quad.max_stable_lr)[:, 1]  # steep coordinate
at_optimum = problems.run(quad, "sgd", x0=x0, steps=10, lr=quad.optimal_lr)[:, 1]
print("η = 0.95·(2/L), steep coordinate:", np.round(near_limit, 3).tolist())
print(f"after 10 steps the steep coordinate is {abs(near_limit[-1] / near_limit[0]):.2f} of its start at "
      f"η = 0.95·(2/L), {abs(at_optimum[-1] / at_optimum[0]):.2f} at the smaller η*")
claim(np.all(np.sign(near_limit[1:]) == -np.sign(near_limit[:-1])) and abs(near_limit[-1]) > 2 * abs(at_optimum[-1]),
      "near 2/L the steep coordinate flips sign every step, and there a smaller η (η*) makes faster progress")

# %% [markdown]
# ## Newton's method: the step that knows the curvature
#
# Newton's iteration is usually first met as a *root-finder*: to solve $f(x) = 0$, follow the tangent,
# $x \leftarrow x - f(x)/f'(x)$ (the form A2 §2 writes for its 牛顿迭代法). Minimising a loss means finding a root
# of its *derivative*, so applying the same iteration to $\ell'$ gives the **minimisation** step
#
# $$\theta \leftarrow \theta - \frac{\ell'(\theta)}{\ell''(\theta)} \qquad\text{and in several dimensions}\qquad
#   \theta \leftarrow \theta - H^{-1}\nabla\ell(\theta).$$
#
# On a quadratic, $\ell'' = L$ is constant, so in one dimension one Newton step is gradient descent with
# $\eta = 1/L$ and lands on the minimum. In several dimensions that holds only when all curvatures are equal
# ($\kappa = 1$): Newton divides each eigendirection by *its own* curvature, which no single $\eta$ can do —
# with $\kappa = 10$, GD at $\eta = 1/L$ still has the flat direction to crawl along after one step. This
# "divide by the curvature" is the idea of preconditioning, which [3.6](../03_algorithms/06_preconditioning.ipynb)
# develops.

# %%
ell_x2 = problems.Quadratic(kappa=10.0, L=1.0)
H = ell_x2.hessian(x0)
newton_step = x0 - np.linalg.solve(H, ell_x2.grad(x0))
gd_step = problems.run(ell_x2, "sgd", x0=x0, steps=1, lr=1 / ell_x2.L)[1]
print(f"from θ₀ = {x0}: one Newton step → {newton_step}; one GD step with η = 1/L → {gd_step}")
claim(np.allclose(newton_step, 0.0) and np.linalg.norm(gd_step) > 0.5,
      f"on the κ = 10 quadratic one Newton step reaches the minimum; GD with η = 1/L is still "
      f"{np.linalg.norm(gd_step):.2f} away (the flat direction shrank only by 1 − 1/κ)")
flat_1d = problems.Quadratic(kappa=1.0, L=2.0)
claim(np.allclose(problems.run(flat_1d, "sgd", x0=x0, steps=1, lr=1 / flat_1d.L)[1], 0.0),
      "with equal curvatures (κ = 1), GD with η = 1/L is the Newton step: the minimum in one step")

# %% [markdown]
# ## From quadratics to networks: the learning-rate range test
#
# A network's loss is not a quadratic, but near any point it is close to one, whose largest curvature — the
# *sharpness* $\lambda_{\max}$ of the loss's Hessian — can be computed; [2.4](04_sharpness.ipynb) measures it and
# watches it change during training. The lesson carries over: there is an edge of stability, and the best
# rates sit somewhat below it. The **learning-rate range test** finds that edge empirically. Smith
# {cite:p}`smith2017cyclical` introduced it: one short run in which $\eta$ grows *linearly* from a small to a
# large value, reading off where accuracy starts to rise and where it falls apart. The version used here, and
# in most libraries, follows fastai's `lr_find`: $\eta$ grows *exponentially* (so a hundred mini-batches cover
# several decades), the loss is smoothed, and the suggested rate is **a tenth of the rate at the loss minimum**
# — both are fastai's conventions, not Smith's. `gradcourse.train.lr_range_test` runs it.

# %%
model = nets.mlp(64, 10, depth=2, width=64, activation="relu", seed=0)
found = train.lr_range_test(model, split, optim.SGD(model.parameters(), lr=1e-3), start_lr=1e-4, end_lr=10.0,
                            num_steps=100)

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.semilogx(found.lrs, found.raw_losses, color="0.75", label="mini-batch loss")
ax.semilogx(found.lrs, found.losses, color="C0", label="smoothed loss")
ax.axvline(found.suggested_lr, color="C2", linestyle="--", label=f"suggested η = {found.suggested_lr:.2g}")
ax.axvline(3.0, color="C3", linestyle=":", label="η = 3 (failed in training above)")
ax.set_title("Learning-rate range test, 2-layer ReLU MLP on the digits (SGD)")
ax.set_xlabel("learning rate η (log scale)")
ax.set_ylabel("training loss")
ax.legend(fontsize="small")
plt.show()

lr_at_min = found.lrs[np.argmin(found.losses)]
claim(found.diverged and found.losses.min() < found.losses[0] and found.suggested_lr < lr_at_min < found.lrs[-1],
      f"the loss falls to its minimum at η ≈ {lr_at_min:.2g} and blows up by η ≈ {found.lrs[-1]:.2g}; "
      f"suggested η = {found.suggested_lr:.2g}")
claim(0.01 < found.suggested_lr < 1.0 and found.lrs[-1] < 3 * 3.0,
      "the suggestion lies within a decade of the η = 0.1 that trained well; η = 3 is past the edge")

# %% [markdown]
# The test recommends a rate close to the $\eta = 0.1$ that trained well above, and its loss explodes near
# the $\eta = 3$ that failed. How to use the test in practice, and with which schedule, is in
# [4.3 case study: digits](../04_code/03_case_study_digits.ipynb) and
# [3.7 schedules](../03_algorithms/07_schedules.ipynb); the "dynamic learning-rate adjustment" (动态学习率调整)
# that A1 and A3 mention is exactly those schedules.
#
# ## What we learned
#
# - On a quadratic, gradient descent multiplies the error along each eigenvector by $1-\eta\lambda$: it
#   converges if and only if $\eta < 2/L$, measured here to the edge of the sweep.
# - The fastest constant rate is $\eta^\star = 2/(L+\mu)$, with error factor $(\kappa-1)/(\kappa+1)$ per step —
#   matched by experiment to better than 1 %. Ill-conditioning makes plain gradient descent slow.
# - Larger is faster only up to $\eta^\star$; a too-large rate *diverges* and fails on the training set — it is
#   not overfitting. Lower $\eta$ when the loss oscillates or rises, not when it converges fast.
# - Newton's minimisation step $\theta - H^{-1}\nabla\ell$ equals gradient descent with $\eta = 1/L$ only in one
#   dimension or with equal curvatures.
# - On a network, the learning-rate range test locates the edge of stability empirically;
#   [2.4](04_sharpness.ipynb) computes it, and [4.2](../04_code/02_training_recipe.ipynb) searches η with the
#   rest of a training recipe.
#
# **Exercises:** [exercises/student/02_concepts](../../exercises/student/02_concepts.ipynb), exercises 2.2 *the largest stable learning rate* and
# 2.3 *which learning rates diverge?*
