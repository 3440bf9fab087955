# %% [markdown]
# # 5.4 Transformers, briefly and measured
#
# The transformer {cite:p}`vaswani2017attention` is the architecture behind most large models today. Does the
# story of this course — gradients that vanish or explode through depth
# ([2.2](../02_concepts/02_vanishing_exploding.ipynb)), normalization and residual connections that keep them
# in range ([3.11](../03_algorithms/11_normalization_residuals.ipynb)), a warmup that keeps the first steps
# small ([3.7](../03_algorithms/07_schedules.ipynb)) — still hold in a transformer? We measure three places
# where it shows, on a network small enough to train in seconds:
#
# 1. the $1/\sqrt d$ inside attention, a scale chosen to keep a softmax from saturating;
# 2. where the layer normalization sits, after the residual addition (**post-LN**, the original design) or
#    before each sublayer (**pre-LN**), and what that does to the gradients at initialization
#    {cite:p}`xiong2020layer`;
# 3. why post-LN needs a learning-rate warmup and pre-LN, in our runs, does not.

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

from gradcourse import diagnostics, nets, optim, plots, schedules
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)  # tiny models: one thread is fastest
threadpool_limits(1)

# %% [markdown]
# ## 1. Attention, and why it divides by √d
#
# Self-attention lets every position of a sequence look at every other. Each position has a **query** $q$, a
# **key** $k$ and a **value** $v$, vectors of dimension $d$ made from its input by three linear maps. Position
# $i$'s output is an average of the values, weighted by how well its query matches each key:
#
# $$a_{ij} = \operatorname{softmax}_j\!\big(s\, q_i^\top k_j\big), \qquad \text{output}_i = \sum_j a_{ij} v_j,
# \qquad s = \frac{1}{\sqrt d}.$$
#
# Why $s = 1/\sqrt d$? Suppose that at initialization the entries of $q$ and $k$ are independent with mean 0
# and variance 1. Then $q^\top k$ is a sum of $d$ such products and its variance is $d$: the logits spread like
# $\sqrt d$. A softmax of widely spread logits puts nearly all its weight on the largest one. Its Jacobian,
#
# $$\frac{\partial a}{\partial z} = \operatorname{diag}(a) - a a^\top \quad\text{for } a = \operatorname{softmax}(z),$$
#
# is then nearly zero: the gradient that flows back through attention **vanishes**, the failure of
# [2.2](../02_concepts/02_vanishing_exploding.ipynb) in a new place. We measure it: 1,000 random queries against
# 32 random keys, entries $N(0, 1)$, for $d$ from 4 to 1024, with and without the scale. For each query we
# record the largest weight $\max_j a_{ij}$ and the norm (largest eigenvalue) of the softmax's Jacobian. (The
# Jacobian is small at both extremes: for a one-hot $a$ it is 0, and for the uniform $a = 1/32$ its norm is
# $1/32$; it is largest when the weight is shared by a few keys.)

# %%
DIMS = (4, 16, 64, 256, 1024)
gen = torch.Generator().manual_seed(0)
attention = {"unscaled": {}, "scaled by 1/√d": {}}
for d in DIMS:
    q, k = torch.randn(1000, d, generator=gen), torch.randn(32, d, generator=gen)
    for name, s in (("unscaled", 1.0), ("scaled by 1/√d", 1 / np.sqrt(d))):
        logits = s * q @ k.T
        a = logits.softmax(dim=1)
        jacobian = torch.diag_embed(a) - a[:, :, None] * a[:, None, :]  # symmetric, positive semi-definite
        attention[name][d] = {"logit std": logits.std().item(), "largest weight": a.max(dim=1).values.mean().item(),
                              "Jacobian norm": torch.linalg.eigvalsh(jacobian.double())[:, -1].mean().item()}
for name, by_d in attention.items():
    for d, m in by_d.items():
        print(f"{name:15s} d = {d:>3}: " + "   ".join(f"{key} {v:.3f}" for key, v in m.items()))

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for ax, key in zip(axes, ("largest weight", "Jacobian norm"), strict=True):
    for i, (name, by_d) in enumerate(attention.items()):
        ax.semilogx(DIMS, [by_d[d][key] for d in DIMS], marker="o", color=f"C{i}", label=name, base=2)
    ax.set_xlabel("query/key dimension d (log scale)")
    ax.set_ylim(0, 1)
    ax.legend()
axes[0].set_title("Softmax over 32 keys: the largest weight")
axes[0].set_ylabel("mean of max_j a_ij")
axes[1].set_title("... and the norm of its Jacobian diag(a) − aaᵀ")
axes[1].set_ylabel("mean largest eigenvalue")
plt.show()

# %%
raw, scaled = attention["unscaled"], attention["scaled by 1/√d"]
claim(all(0.8 < raw[d]["logit std"] / np.sqrt(d) < 1.1 for d in DIMS),
      f"unscaled, the logits' std is about √d: {raw[4]['logit std']:.1f} at d = 4, {raw[1024]['logit std']:.1f} "
      "at d = 1024")
claim(all(0.85 < scaled[d]["logit std"] < 1.1 for d in DIMS), "scaled, their std stays about 1 at every d")
weights = [raw[d]["largest weight"] for d in DIMS]
claim(np.all(np.diff(weights) > 0) and weights[-1] > 0.9, f"unscaled, the softmax saturates as d grows: the "
      f"largest weight rises from {weights[0]:.2f} to {weights[-1]:.2f}")
jac_raw = [raw[d]["Jacobian norm"] for d in DIMS]
claim(jac_raw[-1] < 0.3 * max(jac_raw) and np.all(np.diff(jac_raw[np.argmax(jac_raw):]) < 0),
      f"and its Jacobian, after a peak of {max(jac_raw):.2f}, falls toward 0: {jac_raw[-2]:.2f} at d = 256, "
      f"{jac_raw[-1]:.2f} at d = 1024")
jac_scaled = [scaled[d]["Jacobian norm"] for d in DIMS]
top_scaled = [scaled[d]["largest weight"] for d in DIMS]
claim(max(jac_scaled) < 1.3 * min(jac_scaled) and max(top_scaled) < 0.2,
      f"scaled, both stay put for every d from 4 to 1024: largest weight {min(top_scaled):.2f} to "
      f"{max(top_scaled):.2f}, Jacobian norm {min(jac_scaled):.2f} to {max(jac_scaled):.2f}")


# %% [markdown]
# So the scale is an **initialization** argument, the same one that gives He and Xavier their $1/\sqrt{n_{\text{in}}}$
# ([3.9](../03_algorithms/09_initialization.ipynb)): keep a sum of $d$ random terms at variance 1, so that
# the nonlinearity after it (here the softmax, there a tanh) works in its responsive range. Exercise 5.6 asks
# you to derive it.
#
# ## 2. Where the layer normalization sits
#
# A transformer block has two sublayers, self-attention and a small feed-forward network
# $\mathrm{FFN}(x) = W_2\,\mathrm{ReLU}(W_1 x + b_1) + b_2$. Each is wrapped in a residual connection and a
# layer normalization (LN, [3.11](../03_algorithms/11_normalization_residuals.ipynb)), in one of two ways:
#
# | | one block | what the gradient meets on its way back |
# |---|---|---|
# | **post-LN** (original) | $x \leftarrow \mathrm{LN}(x + \mathrm{Attn}(x))$, $\;x \leftarrow \mathrm{LN}(x + \mathrm{FFN}(x))$ | an LN in every block, on the residual path too |
# | **pre-LN** | $x \leftarrow x + \mathrm{Attn}(\mathrm{LN}(x))$, $\;x \leftarrow x + \mathrm{FFN}(\mathrm{LN}(x))$, one final LN | the identity path, from the head to the input |
#
# `nets.tiny_transformer` builds either from `torch.nn` pieces (attention written out in `nets.SelfAttention`),
# with learned token and position embeddings and a head that predicts a token at every position. Its width is
# 32, with 2 heads, so $d = 16$ per head.
#
# **The task.** Reverse a sequence of 8 tokens drawn from a vocabulary of 10 (the cell below prints one
# example). Each position must find the token at the mirrored position, which takes attention. A model that
# ignores its input can do no better than a uniform guess, whose cross-entropy is $\ln 10 \approx 2.30$.

# %%
VOCAB, LENGTH = 10, 8


def reversal_batch(batch, gen):
    """Random token sequences and their reversals, shape (batch, LENGTH) each."""
    x = torch.randint(0, VOCAB, (batch, LENGTH), generator=gen)
    return x, x.flip(1)


def sequence_loss(model, x, y):
    """Mean cross-entropy over every position of every sequence (in nats)."""
    return F.cross_entropy(model(x).flatten(0, 1), y.flatten())


x_init, y_init = reversal_batch(128, torch.Generator().manual_seed(0))
print("input ", x_init[0].tolist(), "\ntarget", y_init[0].tolist())

# %% [markdown]
# **Gradients at initialization.** One backward pass on 128 sequences; for each block we record the norm of the
# gradient of all its parameters, averaged over two seeds, for depths $D$ = 2, 4, 8 and 16. The two variants
# share every weight (same seed); only the place of the LNs differs.

# %%
DEPTHS, SEEDS = (2, 4, 8, 16), (0, 1)


def block_grad_norms(model):
    """‖∂ℓ/∂θ‖ of each block's parameters after one backward pass on the initialization batch."""
    model.zero_grad()
    sequence_loss(model, x_init, y_init).backward()
    return np.array([diagnostics.global_grad_norm(block) for block in model.blocks])


init_grads = {(norm, depth): np.mean([block_grad_norms(nets.tiny_transformer(
    VOCAB, max_len=LENGTH, depth=depth, norm_position=norm, seed=seed)) for seed in SEEDS], axis=0)
    for norm in ("post", "pre") for depth in DEPTHS}
ratio = np.array([init_grads["post", depth][-1] / init_grads["pre", depth][-1] for depth in DEPTHS])
for norm in ("post", "pre"):
    g = init_grads[norm, 16]
    print(f"{norm}-LN, D = 16: gradient norm per block {np.round(g, 3)}  last/first {g[-1] / g[0]:.2f}")
for norm in ("post", "pre"):
    print(f"{norm}-LN, last block's gradient norm by depth:",
          {depth: round(float(init_grads[norm, depth][-1]), 3) for depth in DEPTHS})
print("last block, post-LN / pre-LN, by depth:", {d: round(float(r), 2) for d, r in zip(DEPTHS, ratio, strict=True)})

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
for i, norm in enumerate(("post", "pre")):
    left.plot(np.arange(1, 17), init_grads[norm, 16], marker="o", color=f"C{i + 2}", label=f"{norm}-LN")
left.set_title("Gradient norm per block at initialization, D = 16")
left.set_xlabel("block l (1 = input side)")
left.set_ylabel("‖∂ℓ/∂θ‖ of the block")
left.set_ylim(0, None)
left.legend()
right.plot(DEPTHS, ratio, marker="o", color="0.3")
right.axhline(1.0, color="0.6", linestyle=":")
right.set_xscale("log", base=2)
right.set_xticks(DEPTHS, [str(d) for d in DEPTHS])
right.set_title("Last block's gradient: post-LN over pre-LN")
right.set_xlabel("depth D (blocks)")
right.set_ylabel("ratio of gradient norms")
plt.show()

# %%
post16, pre16 = init_grads["post", 16], init_grads["pre", 16]
claim(np.all(ratio > 1) and ratio[-1] > ratio[0] + 0.3,
      f"post-LN's last block gets the larger gradient at every depth, and the gap widens with depth: "
      f"{ratio[0]:.2f}× at D = 2, {ratio[-1]:.2f}× at D = 16")
last_post = np.array([init_grads["post", depth][-1] for depth in DEPTHS])
last_pre = np.array([init_grads["pre", depth][-1] for depth in DEPTHS])
claim(last_pre.max() < 1.2 * last_pre.min() and last_post[-1] > 1.4 * last_post[0],
      f"the widening comes from post-LN: its last block's gradient grows from {last_post[0]:.2f} (D = 2) to "
      f"{last_post[-1]:.2f} (D = 16), pre-LN's stays between {last_pre.min():.2f} and {last_pre.max():.2f}")
claim(post16[-1] / post16[0] > 1 > pre16[-1] / pre16[0],
      f"at D = 16, post-LN's gradients grow toward the output (last/first {post16[-1] / post16[0]:.2f}), "
      f"pre-LN's shrink (last/first {pre16[-1] / pre16[0]:.2f})")

# %% [markdown]
# Xiong et al.'s analysis {cite:p}`xiong2020layer` predicts the direction of this gap, but for a different
# reason than we see. In their theory post-LN's last-layer gradient does not depend on the depth, and pre-LN's
# shrinks like $1/\sqrt D$: nothing in a pre-LN network normalizes the residual stream $x$, every block adds to
# it, its size grows like $\sqrt D$, and the final LN divides by that size. In our small network pre-LN's
# last-block gradient hardly moves with depth, and it is post-LN's that grows. Pre-LN's gradients are not
# uniform along the network either: they shrink a little toward the output. So we look at the residual stream
# that the theory relies on, through the 16 blocks:

# %%
model = nets.tiny_transformer(VOCAB, max_len=LENGTH, depth=16, norm_position="pre", seed=0)
with torch.no_grad():
    x = model.tokens(x_init) + model.positions(torch.arange(LENGTH))
    stream = [x.std().item()] + [(x := block(x)).std().item() for block in model.blocks]
print("pre-LN residual stream std, embedding then each block:", np.round(stream, 2))
claim(stream[-1] > 1.2 * stream[0], f"pre-LN's residual stream grows with depth: std {stream[0]:.2f} after the "
      f"embedding, {stream[-1]:.2f} after block 16")

# %% [markdown]
# It grows, but slowly: with torch's default initialization each block's branch adds only a little to a stream
# that starts at the embeddings' size (about 1.5 after 2 blocks, 2.1 after 16), and the final LN's division
# changes far less than the theory's $\sqrt D$ would. What holds in both the theory and our measurement is the
# part that matters for training: **post-LN gives the blocks near the output the largest gradients, larger
# than pre-LN's, and more so the deeper the network.**
#
# ## 3. Warmup
#
# Large gradients at the top of a network and a large learning rate from step 1 are the ingredients of the
# failures of [2.3](../02_concepts/03_learning_rate.ipynb). Xiong et al. argue that this is why the original
# transformer needs a **warmup**: η rises from about 0 over the first steps. We train 3-block networks on the
# reversal task with Adam (`optim.Adam`), 50 steps of 32 fresh sequences each, every run on a cosine decay
# (`schedules.cosine_annealing`, [3.7](../03_algorithms/07_schedules.ipynb)):
#
# - post-LN at η = 0.01 and at η = 0.03 without warmup;
# - post-LN at η = 0.03 with a linear warmup from 0 over the first 15 steps (`schedules.warmup_cosine`);
# - pre-LN at η = 0.03 without warmup.
#
# Each run twice, with two seeds (weights and data).

# %%
DEPTH, STEPS, WARMUP, BATCH = 3, 50, 15, 32
RUNS = {"post-LN, η = 0.01": ("post", 1e-2, 0), "post-LN, η = 0.03": ("post", 3e-2, 0),
        "post-LN, η = 0.03, warmup": ("post", 3e-2, WARMUP), "pre-LN, η = 0.03": ("pre", 3e-2, 0)}


def lr_schedule(optimizer, warmup):
    if warmup:
        return schedules.to_torch(optimizer, schedules.warmup_cosine, warmup_steps=warmup, total_steps=STEPS,
                                  start_factor=0.0)
    return schedules.to_torch(optimizer, schedules.cosine_annealing, T_max=STEPS)


def train_reversal(norm_position, lr, warmup, seed):
    """Adam on fresh reversal batches; returns the model, and the loss and the blocks' gradient norm at every
    step."""
    model = nets.tiny_transformer(VOCAB, max_len=LENGTH, depth=DEPTH, norm_position=norm_position, seed=seed)
    optimizer = optim.Adam(model.parameters(), lr=lr)
    scheduler = lr_schedule(optimizer, warmup)
    gen = torch.Generator().manual_seed(100 + seed)
    losses, grad_norms = [], []
    for _ in range(STEPS):
        loss = sequence_loss(model, *reversal_batch(BATCH, gen))
        optimizer.zero_grad()
        loss.backward()
        grad_norms.append(diagnostics.global_grad_norm(model.blocks))
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
    return model, np.array(losses), np.array(grad_norms)


runs = {(name, seed): train_reversal(*config, seed) for name, config in RUNS.items() for seed in SEEDS}
final = {name: np.array([runs[name, seed][1][-10:].mean() for seed in SEEDS]) for name in RUNS}
for name in RUNS:
    print(f"{name:26s} loss over the last 10 steps, seeds 0 and 1: {np.round(final[name], 4)}")

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [2, 1]})
for i, name in enumerate(RUNS):
    for seed, style in zip(SEEDS, ("-", "--"), strict=True):
        left.semilogy(runs[name, seed][1], color=f"C{i}", linestyle=style, label=name if seed == 0 else None)
left.axhline(np.log(VOCAB), color="0.5", linestyle=":", label="ln 10: a uniform guess")
left.set_title("Reversing 8 tokens: 3-block transformers, Adam (dashed: second seed)")
left.set_xlabel("step t")
left.set_ylabel("cross-entropy loss (nats, log scale)")
left.legend(fontsize="small")
t = np.arange(STEPS)
for warmup, label, color in ((0, "cosine", "0.4"), (WARMUP, "warmup + cosine", "C2")):
    fn, kw = ((schedules.warmup_cosine, {"warmup_steps": WARMUP, "total_steps": STEPS, "start_factor": 0.0})
              if warmup else (schedules.cosine_annealing, {"T_max": STEPS}))
    right.plot(t, schedules.schedule_values(fn, STEPS, base_lr=3e-2, **kw), color=color, label=label)
right.set_title("The two schedules at η = 0.03")
right.set_xlabel("step t")
right.set_ylabel("learning rate η_t")
right.legend()
plt.show()

# %%
uniform = np.log(VOCAB)
claim(final["post-LN, η = 0.01"].max() < 0.5, f"post-LN learns at η = 0.01 without warmup: final losses "
      f"{np.round(final['post-LN, η = 0.01'], 3)}")
claim(np.all(np.abs(final["post-LN, η = 0.03"] - uniform) < 0.05), f"post-LN at η = 0.03 without warmup fails in "
      f"both seeds: it ends at the uniform guess, {np.round(final['post-LN, η = 0.03'], 3)} against ln 10 = "
      f"{uniform:.3f}")
claim(final["post-LN, η = 0.03, warmup"].max() < 0.1, f"the same network and η with a 15-step warmup learns: "
      f"{np.round(final['post-LN, η = 0.03, warmup'], 4)}")
claim(final["pre-LN, η = 0.03"].max() < 0.1, f"pre-LN at η = 0.03 learns without warmup: "
      f"{np.round(final['pre-LN, η = 0.03'], 4)}")

# %% [markdown]
# What happened to the post-LN runs without warmup? The loss sits exactly at the uniform guess, so the network
# predicts (nearly) the uniform distribution for every token. We look inside, as in
# [4.4](../04_code/04_diagnosing_a_network.ipynb): the spread of the last block's output across the
# 128 × 8 tokens of the initialization batch (its std over the tokens, averaged over the 32 features), and the
# gradient norm of the blocks' parameters.


# %%
def token_spread(model):
    """std over all tokens of the last block's output, averaged over its features: 0 when all tokens agree."""
    with torch.no_grad():
        h = model.tokens(x_init) + model.positions(torch.arange(LENGTH))
        for block in model.blocks:
            h = block(h)
    return h.std(dim=(0, 1)).mean().item()


fresh = nets.tiny_transformer(VOCAB, max_len=LENGTH, depth=DEPTH, norm_position="post", seed=0)
print(f"post-LN at initialization: token spread {token_spread(fresh):.3f}")
spread, block_grads = {}, {}
for name in ("post-LN, η = 0.03", "post-LN, η = 0.03, warmup"):
    for seed in SEEDS:
        model, _, norms = runs[name, seed]
        spread[name, seed] = token_spread(model)
        block_grads[name, seed] = norms[-20:].max() / norms[0]
        print(f"{name:26s} seed {seed}: token spread after training {spread[name, seed]:.4f}; blocks' gradient "
              f"norm at step 1 {norms[0]:.3f}, largest over the last 20 steps {norms[-20:].max():.4f}")

# %%
dead = [("post-LN, η = 0.03", seed) for seed in SEEDS]
claim(all(spread[key] < 0.01 for key in dead) and token_spread(fresh) > 0.5,
      "without warmup every token leaves the last block with (nearly) the same vector: token spread "
      f"{max(spread[key] for key in dead):.4f} or less, against {token_spread(fresh):.2f} at initialization")
claim(all(block_grads[key] < 0.2 for key in dead), "and the blocks' gradient has shrunk to at most "
      f"{max(block_grads[key] for key in dead):.0%} of its first value over the last 20 steps, while the loss is "
      "still that of a guess: a plateau, not a minimum")
claim(all(spread["post-LN, η = 0.03, warmup", seed] > 0.3 for seed in SEEDS),
      "with warmup the tokens stay distinct")

# %% [markdown]
# This failure is quiet: no NaN, no overflow, a finite loss and training that goes on — but the blocks have
# mapped every input to the same output, and the head can only learn to guess. A loss curve that sits at
# $\ln(\text{number of classes})$ is the sign to look for.
#
# One caveat. Xiong et al.'s explanation is not the only one: {cite:t}`liu2020variance` point out that Adam's
# second moment $v_t$ is estimated from only a few gradients in the first steps, so its steps are erratic just
# then, and a warmup damps them. Our experiment shows *that* warmup rescues post-LN, and that pre-LN does without
# it; it does not separate the two explanations.
#
# ## What we learned
#
# - **The $1/\sqrt d$ in attention is an initialization rule.** Unscaled, the logits' spread grows like
#   $\sqrt d$, the softmax saturates (largest weight about 0.9 at $d = 256$) and its Jacobian — the gradient's
#   way through attention — falls toward 0 after a peak; scaled, both stay where they are at every $d$.
# - **Where the LN sits shapes the gradients.** At initialization post-LN gives the blocks near the output the
#   largest gradients, more than pre-LN and increasingly so with depth. Pre-LN's gradients are not uniform
#   either, and its residual stream grows with depth; in our small network it grows too slowly to shrink the
#   gradients the way the theory says.
# - **Warmup.** Post-LN trained at η = 0.01 but failed completely at η = 0.03: within a few steps every token
#   left the last block with the same vector, and training sat on a plateau at the loss of a guess. A 15-step
#   warmup made η = 0.03 work. Without it, a factor of 3 in η separated learning from failing: an edge, like
#   the stability edge of [2.3](../02_concepts/03_learning_rate.ipynb). Pre-LN trained at η = 0.03 without
#   warmup — one reason many later transformers put the LN first, and a short warmup
#   (`schedules.warmup_cosine`) is still common.
#
# The course's tools carried over unchanged: initialization scales, normalization, residual paths, a schedule,
# and the habit of looking at per-layer gradient norms.
#
# **Exercises:** [exercises/student/05_trends](../../exercises/student/05_trends.ipynb), exercise 5.6 *why attention divides by √d*: derive
# $\operatorname{Var}(q^\top k)$ and the scale that keeps the logits at variance 1.
