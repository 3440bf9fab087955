# %% [markdown]
# # 练习 6 · 论断核查
#
# 三个来自源文章和学术文献的论断，每个都先预测、再检验。它们与 [常见问题](../../chapters/06_faq/01_faq.ipynb) 和 [论断核查](../../chapters/06_faq/02_claims_checked.ipynb) 两页配套。
#
# 请在运行实验*之前*，在标有 `raise NotImplementedError(...)` 的单元格中写下你的答案，然后运行实验和检查：检查会把你的答案与课程库测得的结果进行比较，并解释结果。

# %%
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import check, data, nets, plots, schedules
from gradcourse.optim import functional as F
from gradcourse.seeding import seed_everything

check.language("zh")  # 检查结果用中文显示（"en"：英文）

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## 练习 6.1 · 这到底是哪种衰减？（先预测、再运行，核心，约 5 分钟）
#
# > **文章原文**（A1 §3.2）：「**指数衰减学习率**：在训练过程中，学习率逐渐减小……数学模型公式为：$\alpha_t = \alpha \times (1 - \frac{t}{T})^{\gamma}$」，即 $\alpha_t = \alpha (1 - t/T)^\gamma$。
#
# 这个公式实际上是哪一种衰减：`"exponential"`、`"polynomial"`、`"step"` 还是 `"cosine"`？

# %%
decay = ...  # one of "exponential", "polynomial", "step", "cosine"
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：把上面的 decay 设为四个词之一，然后删掉这一行')

# %% [markdown]
# 运行它：把 A1 的公式与课程库中的多项式衰减（polynomial decay）和指数衰减（exponential decay）放在一起比较。

# %%
alpha, T, gamma = 0.1, 100, 2.0
t = np.arange(T + 1)
curves = {
    "A1's formula α(1 − t/T)^γ": alpha * (1 - t / T) ** gamma,
    "schedules.polynomial_decay (power γ)": schedules.schedule_values(
        schedules.polynomial_decay, t, base_lr=alpha, total_iters=T, power=gamma),
    "schedules.exponential_decay (γ = 0.97)": schedules.schedule_values(
        schedules.exponential_decay, t, base_lr=alpha, gamma=0.97),
}
fig, ax = plt.subplots()
for i, (label, values) in enumerate(curves.items()):
    ax.plot(t, values, label=label, linestyle=("-", "--", ":")[i])
ax.set_title("A1's \"exponential decay\" against the library's schedules")
ax.set_xlabel("step t")
ax.set_ylabel("learning rate η")
ax.legend()
plt.show()

# %%
check.decay_kind(decay)

# %% [markdown]
# ## 练习 6.2 · Adam 在凸问题上总能收敛吗？（先预测、再运行，核心，约 10 分钟）
#
# Reddi、Kale 和 Kumar（2018）构造了一个定义在 $x \in [-1, 1]$ 上的在线凸问题（`data.reddi_online(C=3)`）：在第 $t = 1, 4, 7, \dots$ 步，损失为 $3x$，其余各步损失为 $-x$。每三步的损失之和为 $x$，因此最优点是 $x^* = -1$，最差点是 $+1$。以 $\eta_t = 0.1/\sqrt t$ 从 $x = 0.5$ 出发运行三次，每次 3000 步，每步之后都投影回 $[-1, 1]$：
#
# | 键 | 规则 | $(\beta_1, \beta_2)$ |
# |---|---|---|
# | `"adam, betas=(0, 0.1)"` | Adam | $(0, 0.1)$，即论文中的 $\beta_2 = 1/(1 + C^2)$ |
# | `"amsgrad, betas=(0, 0.1)"` | AMSGrad | $(0, 0.1)$ |
# | `"adam, betas=(0.9, 0.999)"` | Adam | torch 的默认值 |
#
# **预测**：每次运行最终停在最优点一侧（$x < 0$：`True`）还是最差点一侧（$x > 0$：`False`）？

# %%
finds_the_optimum = {"adam, betas=(0, 0.1)": ..., "amsgrad, betas=(0, 0.1)": ..., "adam, betas=(0.9, 0.999)": ...}
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：把上面的每个 ... 换成 True 或 False，然后删掉这一行')

# %% [markdown]
# 用课程库中的 Adam 运行它：

# %%
problem = data.reddi_online(3.0)
runs = {"adam, betas=(0, 0.1)": (False, (0.0, 0.1)), "amsgrad, betas=(0, 0.1)": (True, (0.0, 0.1)),
        "adam, betas=(0.9, 0.999)": (False, (0.9, 0.999))}
fig, ax = plt.subplots()
for label, (amsgrad, betas) in runs.items():
    x, state, xs = np.array([0.5]), {}, []
    for step in range(1, 3001):
        F.step("adam", x, problem.grad(x, step), state, lr=0.1 / np.sqrt(step), betas=betas, amsgrad=amsgrad)
        x[:] = problem.project(x)
        xs.append(x[0])
    print(f"{label:>25}: x after 3000 steps = {x[0]:+.3f}")
    ax.plot(xs, label=label, color=plots.color_for("amsgrad" if amsgrad else "adam"),
            linestyle="-" if betas[0] == 0 else "--")
ax.axhline(-1, color="gold", linestyle=":", label="best point x* = −1")
ax.set_title("Reddi et al.'s online problem (C = 3)")
ax.set_xlabel("step t")
ax.set_ylabel("x_t")
ax.legend()
plt.show()

# %%
check.reddi_prediction(finds_the_optimum)

# %% [markdown]
# ## 练习 6.3 · 更宽的网络能解决梯度消失（vanishing gradient）问题吗？（先预测、再运行，核心，约 5 分钟）
#
# > **文章原文**（A5 §1.4.2）：「使用更广的网络是一种更有效的方法……这种方法可以有效地解决梯度消失问题」
#
# 一个以 Sigmoid 函数为激活、有 10 个隐藏层并采用 Xavier 初始化（Xavier initialization）的网络，在每层 16 个单元时出现梯度消失：第 1 层的梯度只有第 10 层的极小一部分。**预测**：当每层有 128 个单元时，第 1 层梯度与第 10 层梯度之比能否达到 $1/100$ 以上（`True`），还是不能（`False`）？

# %%
wider_fixes_vanishing = ...
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：把上面的 ... 换成 True 或 False，然后删掉这一行')

# %% [markdown]
# 用课程中的 numpy 网络运行它：

# %%
split = data.digits()
X, y = split.X_train[:200].astype(np.float64), split.y_train[:200]
norms = {}
for width in (16, 128):
    net = nets.NumpyMLP([64] + [width] * 10 + [10], activation="sigmoid", init="xavier_uniform", seed=0)
    _, grads, _ = net.loss_and_grads(X, y, loss="cross_entropy")
    norms[f"{width} units"] = [np.linalg.norm(dW) for dW, _ in grads[:10]]
    print(f"{width:>4} units: layer 1 / layer 10 = {norms[f'{width} units'][0] / norms[f'{width} units'][-1]:.2g}")
plots.grad_norms_by_layer(norms, title="10 sigmoid layers: narrow and wide", ylabel="‖∂ℓ/∂W⁽ˡ⁾‖₂")
plt.show()

# %%
check.wider_prediction(wider_fixes_vanishing)

# %% [markdown]
# **要点。** 在相信一个公式的名称之前，先读懂公式本身；当 Adam 的二阶矩遗忘得太快时，它可能在凸问题上失败（AMSGrad 的历史最大值，或较长的记忆 $\beta_2 \to 1$，都能解决这一问题）；而宽度并不改变导致梯度消失的逐层因子——初始化（initialization）、归一化和残差连接（residual connection）才能做到。
