# %% [markdown]
# # 5.1 Large-batch training: linear scaling, warmup, LARS and LAMB
#
# Training on many processors at once ([data-parallel training](02_data_parallel.ipynb)) means training with a
# large batch: $W$ workers with $B$ examples each take one step with $W\cdot B$ examples. A step then costs about
# the same wall-clock time as before, but an epoch has $W$ times fewer steps. The question of this section:
# **when the batch grows $k$-fold, what should the learning rate do?**
#
# Goyal et al. trained ResNet-50 on ImageNet with batches of 8,192 images in one hour by answering it with two
# rules, the *linear scaling rule* and *gradual warmup*
# {cite:p}`goyal2017accurate`. For larger batches still, You et al.
# gave every layer its own step size: LARS {cite:p}`you2017large`
# and LAMB {cite:p}`you2020large`. We test all four on the digits,
# where a run takes a fraction of a second, and we look for the places where they stop working.

# %% tags=["hide-input"]
import copy
import inspect

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

from gradcourse import data, nets, optim, plots, schedules, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)  # tiny models: one thread is fastest
blas_threads = threadpool_limits(1)  # kept in a variable so the limit stays in force

# %% [markdown]
# ## The linear scaling rule, and why it can only be approximate
#
# Plain SGD with batch $B$ and rate $\eta$ takes $k$ steps on $k$ consecutive batches $\mathcal{B}_1,\dots,\mathcal{B}_k$:
#
# $$\theta_{t+k} = \theta_t - \eta \sum_{j=0}^{k-1} \frac1B \sum_{i\in\mathcal{B}_{j+1}} \nabla\ell_i(\theta_{t+j}).$$
#
# One step of batch $kB$ on the union of the same examples, with rate $\hat\eta$, gives
#
# $$\hat\theta_{t+1} = \theta_t - \hat\eta\,\frac{1}{kB} \sum_{j=0}^{k-1}\sum_{i\in\mathcal{B}_{j+1}} \nabla\ell_i(\theta_t).$$
#
# The two agree when $\hat\eta = k\eta$ **and** $\nabla\ell_i(\theta_{t+j}) \approx \nabla\ell_i(\theta_t)$ for
# $j < k$, that is, when the gradient hardly changes over $k$ small steps. That is the **linear scaling rule**:
# *when the batch is multiplied by $k$, multiply the learning rate by $k$.* It also tells us where to expect it
# to fail:
#
# 1. early in training, when the weights — and so the gradients — change fast;
# 2. when $k\eta$ exceeds the stability limit of the loss surface (for a quadratic, $2/L$; see
#    [the learning rate](../02_concepts/03_learning_rate.ipynb)): no rule makes a step that large stable;
# 3. when a fixed budget of epochs leaves too few steps: with $k$ times fewer steps, "one step of $kB$" must do the
#    work of $k$ steps, which it only does if the gradient really stays put.
#
# (Why not keep $\eta$? A $k$ times larger batch has $k$ times less gradient variance
# ([3.1](../03_algorithms/01_gd_sgd_minibatch.ipynb) measured it), but the same $\eta$ with $k$ times fewer steps
# simply travels $k$ times less far.)
#
# **The network.** A 6-block residual MLP of width 64 with ReLU and He (Kaiming) normal initialization, on the
# digits. Residual blocks add up, so at initialization the activations — and the gradients — are large; this
# makes the network sensitive to large early steps, like the deep residual networks for which warmup was
# introduced. Base setting: batch $B = 16$, SGD with momentum 0.9 (as in Goyal et al.), peak rate
# $\eta = 0.0125$, 10 epochs. Every run ends with a decaying rate, as Goyal et al.'s did (they used step decay):
# cosine annealing to 0 over the whole run (`schedules.cosine_annealing`).

# %%
split = data.digits(seed=0)
X_train = torch.from_numpy(split.X_train)
y_train = torch.from_numpy(split.y_train)
N = len(X_train)
NET = dict(depth=6, width=64, residual=True, init="kaiming_normal", activation="relu")
BASE_BATCH, BASE_LR, EPOCHS, WARMUP_EPOCHS = 16, 0.0125, 10, 3


def make_model(seed: int = 0) -> torch.nn.Module:
    return nets.mlp(64, 10, seed=seed, **NET)


def steps_per_epoch(batch: int) -> int:
    return -(-N // batch)  # ceil(N / batch)


def run(batch: int, lr: float, *, opt: str = "SGD", warmup: bool = False, start_factor: float = 1.0,
        seed: int = 0, **opt_kw) -> dict:
    """Train for EPOCHS epochs with peak rate ``lr``, annealed to 0 by a cosine; with ``warmup`` the rate first
    ramps from start_factor·lr to lr over WARMUP_EPOCHS."""
    model = make_model(seed)
    if opt == "SGD":
        opt_kw = {"momentum": 0.9, **opt_kw}
    optimizer = getattr(optim, opt)(model.parameters(), lr=lr, **opt_kw)
    total = EPOCHS * steps_per_epoch(batch)
    if warmup:
        scheduler = schedules.to_torch(optimizer, schedules.warmup_cosine, start_factor=start_factor,
                                       warmup_steps=WARMUP_EPOCHS * steps_per_epoch(batch), total_steps=total)
    else:
        scheduler = schedules.to_torch(optimizer, schedules.cosine_annealing, T_max=total)
    try:
        h = train.train(model, split, optimizer, epochs=EPOCHS, batch_size=batch, scheduler=scheduler,
                        progress=False, record_grad_norms=False, eval_every=EPOCHS, seed=seed)
    except train.TrainingDiverged as err:  # the loss became inf/NaN: record the run as failed
        return {"acc": 0.1, "loss": np.inf, "losses": err.history.loss, "diverged": True}
    return {"acc": h.val_acc[-1], "loss": h.train_loss[-1], "losses": h.loss, "diverged": False}


# %% [markdown]
# ## Experiment 1: does one large step equal $k$ small ones?
#
# We check the approximation behind the rule directly. From the same weights we take $k = 16$ SGD steps of 16
# examples with $\eta$ (no momentum, to keep it pure), and one step with the same 256 examples and $16\eta$, and
# compare where they land: once at initialization, once after two epochs of training.

# %%
def flat(model: torch.nn.Module) -> torch.Tensor:
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def k_small_vs_one_large(model: torch.nn.Module, k: int, batch: int, lr: float, first: int) -> dict:
    idx = torch.arange(first, first + k * batch)
    small, large = copy.deepcopy(model), copy.deepcopy(model)
    opt_small = optim.SGD(small.parameters(), lr=lr)
    for j in range(k):
        part = idx[j * batch:(j + 1) * batch]
        opt_small.zero_grad()
        F.cross_entropy(small(X_train[part]), y_train[part]).backward()
        opt_small.step()
    opt_large = optim.SGD(large.parameters(), lr=k * lr)
    opt_large.zero_grad()
    F.cross_entropy(large(X_train[idx]), y_train[idx]).backward()
    opt_large.step()
    start, a, b = flat(model), flat(small), flat(large)
    return {"k small steps moved": (a - start).norm().item(), "1 large step moved": (b - start).norm().item(),
            "mismatch": ((a - b).norm() / (b - start).norm()).item()}


K = 16
model = make_model(0)
at_init = k_small_vs_one_large(model, K, BASE_BATCH, BASE_LR, first=0)
warm_opt = optim.SGD(model.parameters(), lr=BASE_LR, momentum=0.9)
train.train(model, split, warm_opt, epochs=2, batch_size=BASE_BATCH, progress=False, record_grad_norms=False)
after_two = k_small_vs_one_large(model, K, BASE_BATCH, BASE_LR, first=512)
print(f"{'':18s} {'‖Δθ‖, 16 steps':>15s} {'‖Δθ‖, 1 step':>13s} {'relative mismatch':>18s}")
for label, r in (("at initialization", at_init), ("after 2 epochs", after_two)):
    print(f"{label:18s} {r['k small steps moved']:15.3f} {r['1 large step moved']:13.3f} {r['mismatch']:18.3f}")

# %%
claim(at_init["mismatch"] > 0.5 and at_init["1 large step moved"] > 3 * at_init["k small steps moved"],
      f"at initialization one step of 16η overshoots: it moves {at_init['1 large step moved']:.3f}, 16 steps of η "
      f"{at_init['k small steps moved']:.3f} (mismatch {at_init['mismatch']:.2f})")
claim(after_two["mismatch"] < 0.2,
      f"after two epochs they agree to within 20 % (mismatch {after_two['mismatch']:.3f}): the rule's assumption holds")

# %% [markdown]
# At initialization the gradients are large and change quickly: the 16 small steps *see* the loss fall and the
# gradient shrink, and travel a short way; the single step of $16\eta$ uses the first, large gradient 16 times
# over and lands about ten times farther away. Two epochs later the gradient is nearly constant over 16 small
# steps and the large step lands within a few percent of them. This is the reason for **gradual warmup**: start
# with the small rate and ramp linearly to $k\eta$ over the first epochs (Goyal et al. used 5 epochs of 90),
#
# $$\eta_t = \eta_{\text{target}} \left(s + (1-s)\,\frac{\min(t, W)}{W}\right), \qquad s = 1/k,$$
#
# which is `gradcourse.schedules.linear_warmup` with `start_factor` $s$ and `warmup_steps` $W$. Here the warmup
# takes 3 of the 10 epochs and the cosine decay the rest: `schedules.warmup_cosine`.

# %%
warm_k = 16
total_steps = EPOCHS * steps_per_epoch(warm_k * BASE_BATCH)
warm_steps = WARMUP_EPOCHS * steps_per_epoch(warm_k * BASE_BATCH)
curves = {
    f"batch 16, η (reference, {EPOCHS * steps_per_epoch(BASE_BATCH)} steps)": schedules.schedule_values(
        schedules.cosine_annealing, EPOCHS * steps_per_epoch(BASE_BATCH), base_lr=BASE_LR,
        T_max=EPOCHS * steps_per_epoch(BASE_BATCH)),
    f"batch {warm_k * BASE_BATCH}, {warm_k}η, no warmup": schedules.schedule_values(
        schedules.cosine_annealing, total_steps, base_lr=warm_k * BASE_LR, T_max=total_steps),
    f"batch {warm_k * BASE_BATCH}, {warm_k}η with warmup": schedules.schedule_values(
        schedules.warmup_cosine, total_steps, base_lr=warm_k * BASE_LR, warmup_steps=warm_steps,
        total_steps=total_steps, start_factor=1 / warm_k),
}
fig, ax = plt.subplots(figsize=(7, 3.8))
for label, values in curves.items():
    ax.plot(np.linspace(0, EPOCHS, len(values), endpoint=False), values, label=label)
ax.set(title=f"Learning rate over the run: linear scaling (k = {warm_k}) with and without warmup",
       xlabel="epoch", ylabel="learning rate η")
ax.legend(fontsize="small")
plt.show()
warmed = curves[f"batch {warm_k * BASE_BATCH}, {warm_k}η with warmup"]
claim(np.isclose(warmed[0], BASE_LR) and np.isclose(warmed[warm_steps], warm_k * BASE_LR), "η → kη over W steps")

# %% [markdown]
# ## Experiment 2: linear scaling with and without warmup, $k = 1 \dots 32$
#
# Same 10 epochs for every run, batch $kB$ from 16 to 512. Three settings per $k$: the **unscaled** peak rate
# $\eta$, the **linearly scaled** peak rate $k\eta$ from the first step, and $k\eta$ **with warmup** from $\eta$.

# %%
ks = [1, 4, 8, 16, 32]
results = {1: dict.fromkeys(("unscaled", "scaled", "warmup"), run(BASE_BATCH, BASE_LR))}
for k in ks[1:]:
    batch = k * BASE_BATCH
    results[k] = {
        "unscaled": run(batch, BASE_LR),
        "scaled": run(batch, k * BASE_LR),
        "warmup": run(batch, k * BASE_LR, warmup=True, start_factor=1 / k),
    }
labels = {"unscaled": "η (unscaled)", "scaled": "kη, no warmup", "warmup": "kη + warmup"}
print(f"{'k':>3s} {'batch':>6s} {'steps':>6s}   " + "   ".join(f"{labels[s]:>18s}" for s in labels))
for k in ks:
    cells = [("diverged" if results[k][s]["diverged"] else f"{results[k][s]['acc']:.3f} (loss {results[k][s]['loss']:.2f})")
             for s in labels]
    print(f"{k:3d} {k * BASE_BATCH:6d} {EPOCHS * steps_per_epoch(k * BASE_BATCH):6d}   "
          + "   ".join(f"{c:>18s}" for c in cells))

fig, ax = plt.subplots(figsize=(7, 4))
for setting, marker in zip(labels, ("s", "o", "^"), strict=True):
    accs = [results[k][setting]["acc"] for k in ks]
    ax.plot(ks, accs, marker=marker, label=labels[setting])
    failed = [k for k in ks if results[k][setting]["diverged"]]
    ax.plot(failed, [0.1] * len(failed), "kx", markersize=10)
ax.axhline(results[1]["unscaled"]["acc"], color="gray", ls=":", label="batch 16 (k = 1)")
ax.set_xscale("log", base=2)
ax.set(title="Validation accuracy after 10 epochs, batch 16·k (× = diverged)", xlabel="k (batch = 16·k, log scale)",
       ylabel="validation accuracy", ylim=(0, 1.02))
ax.legend(fontsize="small", loc="lower left")
plt.show()

# %%
base_acc = results[1]["unscaled"]["acc"]
claim(all(results[k]["warmup"]["acc"] > base_acc - 0.04 for k in (4, 8, 16)),
      f"k = 4, 8, 16: kη + warmup within 4 points of batch 16 ({base_acc:.3f}): "
      + ", ".join(f"{results[k]['warmup']['acc']:.3f}" for k in (4, 8, 16)))
for k in (8, 16):
    warm, plain, unscaled = results[k]["warmup"], results[k]["scaled"], results[k]["unscaled"]
    claim((plain["diverged"] or plain["loss"] > 10 * warm["loss"]) and unscaled["acc"] < warm["acc"] - 0.03
          and unscaled["loss"] > 2 * warm["loss"],
          f"k = {k}: kη without warmup " + ("diverges" if plain["diverged"] else f"ends at loss {plain['loss']:.3g}")
          + f"; the unscaled η under-trains (loss {unscaled['loss']:.3f} vs {warm['loss']:.3f} with kη + warmup)")
claim(results[32]["scaled"]["diverged"] and max(results[32][s]["acc"] for s in ("warmup", "unscaled")) < base_acc - 0.1,
      f"k = 32: kη = 0.4 diverges, warmup no longer rescues it ({results[32]['warmup']['acc']:.3f}), and η is far "
      f"too small for 30 steps ({results[32]['unscaled']['acc']:.3f})")

# %% [markdown]
# The picture has three regions.
#
# - **$k = 4$ (batch 64, 220 steps):** everything works, within a few points of batch 16.
# - **$k = 8$ and $16$ (batch 128 and 256, 110 and 60 steps):** the linearly scaled rate without warmup breaks —
#   at $k = 8$ it ends with a training loss a hundred times higher than with warmup, at $k = 16$ it diverges within
#   the first steps — exactly the early-training failure Experiment 1 predicted. The unscaled rate $\eta$ is
#   stable but under-trains: with $k$ times fewer steps it simply does not get far enough. With warmup the same
#   $k\eta$ trains to within 1–3 points of batch 16: warmup is what makes the linear scaling rule usable.
# - **$k = 32$ (batch 512, 30 steps):** $32\eta = 0.4$ is more than this network tolerates even after warmup
#   (the loss blows up late in the run), and $\eta$ is far too small for 30 steps. The linear rule has run out,
#   as it did on ImageNet beyond batches of about 8k images in Goyal et al.'s experiments.
#
# Large batches have a second, subtler cost that this small experiment does not measure: generalization. Keskar et
# al. found that large-batch training tends to end in sharper minima that generalize worse
# {cite:p}`keskar2017large`.

# %% [markdown]
# ## LARS and LAMB: a step size per layer
#
# (A1's reference list cites a 「You, Y., Noh, H., & Bengio, Y. (2017). Large Batch Training of Deep Learning
# Models」 that does not exist; the paper is You, Gitman & Ginsburg's, which introduced LARS:
# [claim 26 in 6.2](../06_faq/02_claims_checked.ipynb#claim-26).)
#
# You et al. observed that the ratio $\lVert\theta\rVert / \lVert g\rVert$ differs by orders of magnitude between
# the layers of a network. One global $\eta$ then moves some layers by a large fraction of their weights and
# others hardly at all, and the large rates of large-batch training blow up the layers with the smallest ratio.
# Their fix is a **trust ratio** per layer (per parameter tensor), which makes each layer's step proportional to
# its own weight norm. Here are the rules as the library states them:

# %%
print(inspect.getdoc(optim.functional.trust_ratio))
print("\n" + "-" * 100 + "\n")
print(inspect.getdoc(optim.functional.lars_step))
print("\n" + "-" * 100 + "\n")
print(inspect.getdoc(optim.functional.lamb_step))

# %% [markdown]
# So with no weight decay ($\lambda = 0$), one LARS step without accumulated momentum moves layer $l$ by
# $\lVert\Delta\theta_l\rVert = \eta\,\eta_{\text{trust}}\lVert\theta_l\rVert$, and LAMB's first step moves it by
# $\eta\lVert\theta_l\rVert$: the *relative* change $\lVert\Delta\theta_l\rVert/\lVert\theta_l\rVert$ is the same for
# every layer, whatever its gradient. SGD's relative change is $\eta\lVert g_l\rVert/\lVert\theta_l\rVert$, different
# for every layer. We measure all three on one step from the initial network, on one batch of 512 examples.

# %%
probe = make_model(0)
xb, yb = X_train[:512], y_train[:512]
weights = [n for n, p in probe.named_parameters() if p.ndim == 2]  # the 7 weight matrices


def one_step(opt_name: str, lr: float, **kw) -> dict[str, float]:
    """‖Δθ‖/‖θ‖ per weight matrix after one step of ``opt_name`` from the initial network."""
    model = copy.deepcopy(probe)
    opt = getattr(optim, opt_name)(model.parameters(), lr=lr, **kw)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    opt.zero_grad()
    F.cross_entropy(model(xb), yb).backward()
    opt.step()
    return {n: ((p.detach() - before[n]).norm() / before[n].norm()).item()
            for n, p in model.named_parameters() if n in weights}


probe.zero_grad()
F.cross_entropy(probe(xb), yb).backward()
norms = {n: (p.detach().norm().item(), p.grad.norm().item()) for n, p in probe.named_parameters() if n in weights}
TRUST, LARS_LR, LAMB_LR, SGD_LR = 1e-3, 5.0, 0.05, 0.2
relative = {"sgd": one_step("SGD", SGD_LR), "lars": one_step("LARS", LARS_LR, trust_coefficient=TRUST),
            "lamb": one_step("LAMB", LAMB_LR)}
local_lr = {n: optim.functional.trust_ratio(pn, gn, TRUST) for n, (pn, gn) in norms.items()}
print(f"{'weight':24s} {'‖θ‖':>7s} {'‖g‖':>9s} {'‖θ‖/‖g‖':>9s} {'LARS ηₗ':>9s}   ‖Δθ‖/‖θ‖:  "
      f"{'SGD η=0.2':>10s} {'LARS η=5':>10s} {'LAMB η=0.05':>11s}")
for n, (pn, gn) in norms.items():
    print(f"{n:24s} {pn:7.2f} {gn:9.3f} {pn / gn:9.3f} {local_lr[n]:9.2e}            "
          f"{relative['sgd'][n]:10.2e} {relative['lars'][n]:10.2e} {relative['lamb'][n]:11.2e}")

# %%
ratios = np.array([pn / gn for pn, gn in norms.values()])
sgd_rel = np.array(list(relative["sgd"].values()))
claim(ratios.max() / ratios.min() > 10 and sgd_rel.max() / sgd_rel.min() > 10,
      f"‖θ‖/‖g‖ ranges from {ratios.min():.3f} to {ratios.max():.3f}, so one SGD step changes the layers by "
      f"{sgd_rel.min():.1e} … {sgd_rel.max():.1e} of their norm")
claim(np.allclose(list(relative["lars"].values()), LARS_LR * TRUST, rtol=1e-4)
      and np.allclose(list(relative["lamb"].values()), LAMB_LR, rtol=1e-4),
      f"LARS moves every layer by exactly {LARS_LR * TRUST:.0e} of its norm, LAMB's first step by exactly {LAMB_LR}")
used = {n: relative["lars"][n] * pn / (LARS_LR * gn) for n, (pn, gn) in norms.items()}  # ‖Δθ‖ / (η‖g‖)
claim(all(abs(used[n] / local_lr[n] - 1) < 1e-4 for n in norms), "LARS used the trust ratio of the formula, layer by layer")

fig, ax = plt.subplots(figsize=(7.5, 3.8))
x = np.arange(len(weights))
for i, name in enumerate(("sgd", "lars", "lamb")):
    ax.bar(x + (i - 1) * 0.27, list(relative[name].values()), width=0.27, label=name.upper(),
           color=plots.color_for(name))
ax.set_yscale("log")
ax.set_xticks(x, [n.replace(".linear.weight", "").replace(".weight", "") for n in weights], rotation=30)
ax.set(title="One step from the same weights: relative change of each layer", xlabel="weight matrix",
       ylabel="‖Δθ‖ / ‖θ‖ (log scale)")
ax.legend()
plt.show()

# %% [markdown]
# In this network the gradient grows towards the output while the weight norms stay put, so one SGD step with
# $\eta = 0.2$ changes the first block by about 12 % of its norm and the output layer by about six times its
# norm — a factor of 50 between layers, and a step that wrecks the output layer. LARS and LAMB change every layer
# by the same fraction. Note
# the library's convention for a tensor whose norm is zero (here: the biases, which He initialization sets to
# 0): the ratio is 1 there, so a zero bias takes a plain gradient step; many implementations instead exclude
# biases from the layer-wise scaling altogether.
#
# ## Experiment 3: batch 512 with SGD, LARS and LAMB
#
# Where the linear rule failed — batch 512, 30 steps in 10 epochs — we give each optimizer the same schedule
# (3-epoch warmup from a sixteenth of the peak rate, then cosine decay) and the best of three peak rates a factor
# 2 apart, chosen by the final training loss.

# %%
big = 32 * BASE_BATCH
grids = {"sgd": ("SGD", [0.05, 0.1, 0.2], {}), "lars": ("LARS", [2.5, 5.0, 10.0], {"trust_coefficient": TRUST}),
         "lamb": ("LAMB", [0.025, 0.05, 0.1], {})}
best = {}
for name, (opt_name, grid, kw) in grids.items():
    trials = {lr: run(big, lr, opt=opt_name, warmup=True, start_factor=1 / 16, **kw) for lr in grid}
    if name == "sgd":
        sgd_trials = trials
    lr_best = min(trials, key=lambda lr: trials[lr]["loss"])
    best[name] = {"lr": lr_best, **trials[lr_best]}
    print(f"{name.upper():5s} " + ", ".join(f"η={lr:g}: loss {r['loss']:.3f} acc {r['acc']:.3f}"
                                            for lr, r in trials.items()) + f"   → best η = {lr_best:g}")

fig = plots.loss_curves({name: r["losses"] for name, r in best.items()},
                        title=f"Batch {big}, each optimizer at its best peak η (warmup, then cosine)",
                        ylabel="mini-batch training loss (log scale)")
plt.show()

# %%
sgd_best_acc = max(r["acc"] for r in sgd_trials.values())
print(", ".join(f"{n.upper()}: η={r['lr']:g}, final loss {r['loss']:.3f}, accuracy {r['acc']:.3f}"
                for n, r in best.items()) + f";  batch 16: {base_acc:.3f}")
claim(max(best["lars"]["loss"], best["lamb"]["loss"]) < 0.5 * best["sgd"]["loss"],
      "LARS and LAMB end below half SGD's best training loss")
claim(min(best["lars"]["acc"], best["lamb"]["acc"]) > sgd_best_acc,
      f"both are more accurate than any SGD run (best SGD: {sgd_best_acc:.3f})")
claim(max(r["acc"] for r in best.values()) < base_acc - 0.02, "none of them recovers the small-batch accuracy")

# %% [markdown]
# At batch 512 the layer-wise optimizers end with a training loss several times lower than the best SGD and are
# more accurate than every SGD run — with 30 steps in total. None of them matches batch 16 after 10 epochs: on
# this small problem, large batches cost accuracy for a fixed number of epochs, whichever optimizer we use. On
# ImageNet and BERT, with millions of examples per epoch, LARS and LAMB pushed the batch to 32k–64k with little
# or no loss (You et al., 2017; 2020). The honest summary: layer-wise trust ratios widen the range of batch sizes
# that train well; they do not abolish the limit.
#
# ## What we learned
#
# - **Linear scaling rule:** batch $\times k$ ⇒ learning rate $\times k$. It rests on the gradient staying nearly
#   constant over $k$ small steps; we measured that this fails at initialization (one large step overshoots
#   ~10×) and holds a few epochs later.
# - **Gradual warmup** (ramp from $\eta$ to $k\eta$ over the first epochs, `schedules.linear_warmup`, here
#   followed by cosine decay) bridges the early phase: at batch 128 and 256 the scaled rate broke or diverged
#   without warmup and came within a few points of batch 16 with it, while the unscaled rate under-trained.
# - The rule runs out: at batch 512 (30 steps) no warmup rescued $32\eta$.
# - **LARS and LAMB** give each layer a step proportional to its own weight norm (the trust ratio
#   $\lVert\theta\rVert/\lVert g\rVert$ or $\lVert\theta\rVert/\lVert r\rVert$); we measured $\lVert\theta\rVert/\lVert g\rVert$
#   varying more than 10× across layers and both optimizers changing every layer by exactly the same fraction. At
#   batch 512 both trained far better than the best of three SGD rates, without matching the small batch.
# - Next: where large batches come from — [data-parallel training](02_data_parallel.ipynb).
