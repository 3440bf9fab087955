# %% [markdown]
# # 5.2 Data-parallel training
#
# The previous section ([large-batch training](01_large_batch.ipynb)) asked how to train with a batch $k$ times
# larger. This section shows where such batches come from in practice: **data parallelism**. $W$ processes
# ("workers"), usually one per GPU, each hold a full copy of the model. At every step each worker takes its own
# $B$ examples, computes its gradient, and the workers **average** their gradients before every one of them takes
# the same optimizer step. Nothing about the optimizer changes; what changes is the batch, now $W \cdot B$.
#
# We run this on the engine PyTorch itself uses, `torch.distributed`, with the **gloo** backend (it works on
# CPUs; on GPUs one uses NCCL) and `DistributedDataParallel` (DDP) {cite:p}`li2020pytorch`: two worker processes on
# this one machine. The claim we check is exact: **two workers with batch $B$ end with
# the same parameters as one process with batch $2B$**, up to the rounding of floating-point additions.

# %% tags=["hide-input"]
import inspect

import matplotlib.pyplot as plt
import numpy as np
import torch

from gradcourse import data, distributed, plots
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)  # one thread per worker process

# %% [markdown]
# ## Why averaging makes $W$ workers equal one big batch
#
# The training loss is a mean over examples, $\ell(\theta) = \frac1N\sum_i \ell_i(\theta)$, and so is a
# mini-batch gradient. Worker $r$ (its **rank**, $r = 0, \dots, W-1$) computes, on its own batch $\mathcal{B}_r$
# of $B$ examples,
#
# $$g_r = \frac1B \sum_{i\in\mathcal{B}_r} \nabla \ell_i(\theta).$$
#
# An **all-reduce** is a collective operation after which every worker holds the sum of everyone's values; DDP
# runs it on the gradients and divides by $W$:
#
# $$g = \frac1W \sum_{r=0}^{W-1} g_r = \frac{1}{W B}\sum_{r}\sum_{i\in\mathcal{B}_r} \nabla\ell_i(\theta),$$
#
# which is exactly the gradient of one batch $\mathcal{B}_0\cup\dots\cup\mathcal{B}_{W-1}$ of $W\cdot B$
# examples. Three conditions make the whole *training run* identical, not just one gradient:
#
# 1. **the same starting point**: DDP copies rank 0's parameters to every worker when it wraps the model;
# 2. **the same data order**: `DistributedSampler` draws one permutation per epoch from the shared seed, and
#    worker $r$ takes positions $r, r+W, r+2W, \dots$ of it; at step $k$ the $W$ workers together hold exactly
#    the block of $W\cdot B$ positions that one process with batch $W\cdot B$ uses at step $k$;
# 3. **the same update**: every worker applies the same optimizer (here SGD with momentum) to the same averaged
#    gradient, so the momentum buffers stay identical too.
#
# The worker's code is `gradcourse.distributed.train_data_parallel`, and `gradcourse.distributed.launch` starts
# $W$ workers and collects their results. The worker's docstring states the three conditions in code terms:

# %%
print(inspect.getdoc(distributed.train_data_parallel))

# %% [markdown]
# ## Experiment: 2 workers × 32 examples against 1 process × 64 examples
#
# A one-hidden-layer MLP (32 units) on 1,024 training digits, SGD with $\eta = 0.1$ and momentum $0.9$, two
# epochs: 32 steps. The launcher sends each worker the data, so the workers do not load it themselves.

# %%
split = data.digits(seed=0)
digits_train = (split.X_train, split.y_train)
B = 32
config = distributed.DataParallelConfig(batch_size=B, epochs=2, lr=0.1, momentum=0.9, n_examples=1024)
workers = distributed.launch(distributed.train_data_parallel, 2, args=(config, digits_train), timeout=120)
single = distributed.train_data_parallel(
    distributed.DataParallelConfig(batch_size=2 * B, epochs=2, lr=0.1, momentum=0.9, n_examples=1024), digits_train
)
print(f"{len(workers)} workers, {len(workers[0].losses)} steps each; one process: {len(single.losses)} steps")
print(f"{'parameter':24s} {'max |worker 0 − worker 1|':>26s} {'max |workers − one process|':>28s}")
for name, value in single.params.items():
    between = np.abs(workers[0].params[name] - workers[1].params[name]).max()
    vs_single = np.abs(workers[0].params[name] - value).max()
    print(f"{name:24s} {between:26.1e} {vs_single:28.1e}")

# %%
same_examples = all(sorted(np.concatenate([w.batches[k] for w in workers]).tolist()) == sorted(batch.tolist())
                    for k, batch in enumerate(single.batches))
max_diff32 = max(np.abs(workers[0].params[n] - v).max() for n, v in single.params.items())
claim(same_examples, f"at all {len(single.batches)} steps the two workers together used the one process's examples")
claim(all(np.array_equal(workers[0].params[n], workers[1].params[n]) for n in single.params),
      "the two workers end bit-for-bit equal")
claim(max_diff32 < 1e-5, f"and within {max_diff32:.1e} of the one process with batch 64 (float32)")

# %% [markdown]
# The two workers are **bit-for-bit identical** to each other: they start equal, receive the same averaged
# gradient and run the same arithmetic. Against the one process with batch 64 they differ only around
# $10^{-8}$–$10^{-7}$ — the size of float32 rounding (machine epsilon $2^{-23} \approx 1.2\cdot10^{-7}$).
#
# ## Where the $10^{-7}$ comes from: addition is not associative in floating point
#
# The one process adds 64 per-example gradients in one sum; the workers add 32 each, divide, and the all-reduce
# adds the two halves. In exact arithmetic both give the same number; in floating point every addition rounds,
# so a different **order** of additions gives a slightly different result. The cell below shows it on 64 random
# float32 numbers, then repeats the whole training in float64, where the rounding is $2^{29}$ times finer.

# %%
values = torch.randn(64, generator=torch.Generator().manual_seed(0))
one_sum = values.sum() / 64
halves = (values[:32].sum() / 32 + values[32:].sum() / 32) / 2
exact = values.double().sum().item() / 64
print(f"mean of 64 float32 values, one sum:      {one_sum.item():.10f}")
print(f"mean of two means of 32 (the workers):   {halves.item():.10f}")
print(f"the same in float64:                     {exact:.10f}")
claim(abs(one_sum - halves).item() <= 4 * torch.finfo(torch.float32).eps * values.abs().max().item(),
      f"the two float32 orders differ by {abs(one_sum - halves).item():.1e}: a few units of float32 rounding")

config64 = distributed.DataParallelConfig(batch_size=B, epochs=2, lr=0.1, momentum=0.9, n_examples=1024,
                                          dtype="float64")
workers64 = distributed.launch(distributed.train_data_parallel, 2, args=(config64, digits_train), timeout=120)
single64 = distributed.train_data_parallel(
    distributed.DataParallelConfig(batch_size=2 * B, epochs=2, lr=0.1, momentum=0.9, n_examples=1024,
                                   dtype="float64"), digits_train
)
max_diff64 = max(np.abs(workers64[0].params[n] - v).max() for n, v in single64.params.items())
claim(max_diff64 < 1e-12 and max_diff64 < max_diff32 / 1e5,
      f"2 workers vs 1 process: {max_diff32:.1e} in float32, {max_diff64:.1e} in float64 — rounding, nothing else")

# %% [markdown]
# In float64 the difference drops by about nine orders of magnitude, to $\sim 10^{-16}$: it was never an
# algorithmic difference, only the order of additions. (For the same reason a run on 8 GPUs and the same run on
# 4 GPUs are not bit-for-bit equal; "reproducible" in distributed training means "equal up to rounding".)
#
# ## What the averaging buys: workers that do *not* communicate
#
# Turn the all-reduce off (`synchronize=False`: no DDP). Each worker now trains alone on its half of each step's
# examples, with batch 32 — two independent models.

# %%
alone = distributed.launch(distributed.train_data_parallel, 2,
                           args=(distributed.DataParallelConfig(batch_size=B, epochs=2, lr=0.1, momentum=0.9,
                                                                n_examples=1024, synchronize=False),
                                 digits_train), timeout=120)
apart = max(np.abs(alone[0].params[n] - alone[1].params[n]).max() for n in single.params)
claim(apart > 1e-2, f"without the all-reduce the workers drift apart: their parameters differ by up to {apart:.2f}")

steps = np.arange(1, len(single.losses) + 1)
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(steps, single.losses, color="black", lw=2.5, label="1 process, batch 64")
for r, w in enumerate(workers):
    ax.plot(steps, w.losses, ls="--", label=f"DDP worker {r}, its own batch of 32")
for r, w in enumerate(alone):
    ax.plot(steps, w.losses, ls=":", label=f"worker {r} without averaging")
ax.set(title="Each worker's mini-batch loss (the parameters are what agree)", xlabel="step",
       ylabel="cross-entropy on the worker's batch")
ax.legend(fontsize="small")
plt.show()

# %% [markdown]
# The DDP workers' *losses* differ from each other — each is measured on its own 32 examples — but their
# *parameters* are identical, and equal to the one-process run. The unsynchronized workers are simply two
# different models.
#
# ## On many machines
#
# Nothing in the worker's code knows that its workers share one machine. On a cluster, PyTorch's launcher
# `torchrun` starts the same script on every machine, GPUs use the NCCL backend instead of gloo, and the
# mathematics above is unchanged: $W$ workers with batch $B$ train like one process with batch $W \cdot B$, so the
# learning-rate rules of [large-batch training](01_large_batch.ipynb) apply.
#
# ## What we learned
#
# - Data parallelism splits each batch over $W$ workers and **averages** their gradients with an all-reduce;
#   because a batch gradient is a mean, $W$ workers with batch $B$ compute exactly the gradient of one batch of
#   $W\cdot B$.
# - With the same initial parameters, the same data order (`DistributedSampler`) and the same optimizer, two
#   gloo/DDP workers with batch 32 ended bit-for-bit equal to each other and within ~$10^{-7}$ of one process
#   with batch 64 (float32); in float64 the gap fell to ~$10^{-16}$: it is the order of floating-point
#   additions, nothing else.
# - Without the averaging the workers train two different models.
