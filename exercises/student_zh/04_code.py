# %% [markdown]
# # 练习 4 · 代码：一个有错误的训练循环、五个待诊断的网络、一套待调节的方案
#
# 七道练习，配合[修正文献中的代码](../../chapters/04_code/01_documents_code_repaired.ipynb)、[诊断一个网络](../../chapters/04_code/04_diagnosing_a_network.ipynb)，以及 [4.2](../../chapters/04_code/02_training_recipe.ipynb)、[4.3](../../chapters/04_code/03_case_study_digits.ipynb) 和 [4.5](../../chapters/04_code/05_optimizer_shootout.ipynb)（练习 4.7）。
#
# 填写每个标有 `raise NotImplementedError(...)` 的单元格，然后运行其后的检查。

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch.nn.functional as F
from torch import nn

from gradcourse import check, diagnostics, plots
from gradcourse.seeding import seed_everything

check.language("zh")  # 检查结果用中文显示（"en"：英文）

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## 练习 4.1 · 找出错误：A5 的梯度下降（找错误，核心，约 15 分钟）
#
# 源文献 A5（§4.1）用损失 $\ell(\theta) = \operatorname{mean}\big((y - \hat y)^2\big)$ 在 XOR 上训练单个 Sigmoid 函数（sigmoid）单元 $\hat y = \sigma(X\theta)$。下面是它的代码，整理为每轮（epoch）一个全批量步（A5 对样本逐个循环，但每次都对所有样本重新计算预测值）。它的辅助函数 `sigmoid_derivative(x)` 期望的输入是*输出* $\hat y = \sigma(z)$，对此有 $\sigma'(z) = \hat y(1 - \hat y)$。

# %%
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    return x * (1 - x)


def train_unit_a5(X, y, learning_rate, num_epochs):
    """A5's gradient descent for one sigmoid unit (buggy)."""
    m, n = X.shape
    theta = np.zeros(n)
    for _ in range(num_epochs):
        y_pred = sigmoid(X @ theta)
        gradient = X.T @ (2 * (y - y_pred)) / m
        theta -= learning_rate * gradient
    return theta


# %% [markdown]
# 在一个单个单元*能够*学会的问题上——OR，并加上一列全 1 作为偏置（bias）——损失应当下降。观察它：

# %%
X_or = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
y_or = np.array([0.0, 1.0, 1.0, 1.0])


def loss(theta, X, y):
    return float(np.mean((y - sigmoid(X @ theta)) ** 2))


epochs = range(0, 101, 5)
a5_losses = [loss(train_unit_a5(X_or, y_or, 0.5, k), X_or, y_or) for k in epochs]
print("A5's loss on OR after 0, 50, 100 epochs:", [round(a5_losses[i], 3) for i in (0, 10, 20)])

# %% [markdown]
# 损失*上升*了。写出修正后的 `train_unit`（签名相同，θ 从 0 开始；可以使用上面的 `sigmoid` 和 `sigmoid_derivative`）。A5 的梯度中有两处错误。

# %%
def train_unit(X, y, learning_rate, num_epochs):
    """Gradient descent on ℓ(θ) = mean((y − σ(Xθ))²) from θ = 0; returns θ."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：用链式法则对 mean((y − σ(Xθ))²) 求导：得到的符号是什么？σ 贡献了哪个因子？')


# %%
check.xor_a5_bug(train_unit)

# %% [markdown]
# 修正错误后，OR 上的损失会下降。在 XOR 上则不行：在 θ = 0 处梯度（gradient）恰好为零（四个样本相互抵消），而且无论如何，任何单个 Sigmoid 函数单元都无法分开 XOR——它需要一个隐藏层（layer）。

# %%
fixed_losses = [loss(train_unit(X_or, y_or, 0.5, k), X_or, y_or) for k in epochs]
X_xor, y_xor = X_or, np.array([0.0, 1.0, 1.0, 0.0])
xor_losses = [loss(train_unit(X_xor, y_xor, 0.5, k), X_xor, y_xor) for k in epochs]
plots.loss_curves({"A5's code on OR": a5_losses, "repaired, on OR": fixed_losses, "repaired, on XOR": xor_losses},
                  title="One sigmoid unit: A5's loop climbs, the repaired one descends", xlabel="epoch (×5)",
                  ylabel="mean squared error")
plt.show()

# %% [markdown]
# ## 练习 4.2–4.6 · 诊断五个网络（诊断，核心，每题约 5 分钟）
#
# `check.mystery_network(name)` 构建五个网络“A”…“E”之一（12 个隐藏层，每层 32 个单元，刚初始化，尚未训练），并将它与一个包含 128 个数字图像的批一起返回。每个网络都可能有问题。查看它的**两张**图，并用下列词语之一说出问题所在：
#
# | 词语 | 你会看到的现象 |
# |---|---|
# | `"dead_relu"` | 对*每个*样本都输出 0 的修正线性单元（ReLU）（因而得不到梯度） |
# | `"exploding"` | 反向信号朝输入方向增大几个数量级 |
# | `"healthy"` | 以上都不是 |
# | `"lr_too_high"` | 损失上下跳动，或一步比一步大 |
# | `"saturated"` | 双曲正切函数（tanh）/Sigmoid 函数的输出堆积在其取值范围的两端，那里的斜率约为 0 |
# | `"vanishing"` | 反向信号 $\|\partial \ell/\partial h^{(l)}\|$ 朝输入方向缩小几个数量级 |
#
# 一个词所描述的症状可能是由另一个问题引起的：请说出**原因**。辅助函数绘制的正是[诊断一个网络](../../chapters/04_code/04_diagnosing_a_network.ipynb)所讲授的内容：每一层的反向信号，以及几个层的激活值及其统计量。

# %%
ACTIVATIONS = (nn.Sigmoid, nn.Tanh, nn.ReLU)


def show(name, layers=(1, 4, 8, 12)):
    """Network `name`: its backward signal per hidden layer, and the activations of a few layers."""
    model, X, y = check.mystery_network(name)
    with diagnostics.LayerRecorder(model, ACTIVATIONS) as rec:
        F.cross_entropy(model(X), y).backward()
    plots.grad_norms_by_layer({f"network {name}": list(rec.signal_norms().values())},
                              title=f"Network {name}: backward signal per hidden layer", ylabel="‖∂ℓ/∂h⁽ˡ⁾‖₂")
    plt.show()
    outputs, stats = list(rec.activations.values()), list(rec.activation_stats().values())
    kind = stats[0].kind
    plots.histograms_by_layer([outputs[l - 1] for l in layers], labels=[f"layer {l}" for l in layers],
                              activation=kind, title=f"Network {name}: {kind} outputs")
    plt.show()
    for l in layers:
        s = stats[l - 1]
        share = f"saturated {s.saturated:.0%}" if kind != "relu" else f"zero {s.zero:.0%}, dead units {s.dead:.0%}"
        print(f"layer {l:>2}: mean {s.mean:+.3f}, std {s.std:.3f}, {share}")


# %% [markdown]
# ### 练习 4.2 · 网络 A（诊断，核心，约 5 分钟）

# %%
show("A")

# %%
diagnosis_a = ...  # one of "dead_relu", "exploding", "healthy", "lr_too_high", "saturated", "vanishing"
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：把上面的 diagnosis_a 设为六个词之一，然后删掉这一行')

# %%
check.diagnose_a(diagnosis_a)

# %% [markdown]
# ### 练习 4.3 · 网络 B（诊断，核心，约 5 分钟）

# %%
show("B")

# %%
diagnosis_b = ...  # one of "dead_relu", "exploding", "healthy", "lr_too_high", "saturated", "vanishing"
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：把上面的 diagnosis_b 设为六个词之一，然后删掉这一行')

# %%
check.diagnose_b(diagnosis_b)

# %% [markdown]
# ### 练习 4.4 · 网络 C（诊断，核心，约 5 分钟）

# %%
show("C")

# %%
diagnosis_c = ...  # one of "dead_relu", "exploding", "healthy", "lr_too_high", "saturated", "vanishing"
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：把上面的 diagnosis_c 设为六个词之一，然后删掉这一行')

# %%
check.diagnose_c(diagnosis_c)

# %% [markdown]
# ### 练习 4.5 · 网络 D（诊断，核心，约 5 分钟）

# %%
show("D")

# %%
diagnosis_d = ...  # one of "dead_relu", "exploding", "healthy", "lr_too_high", "saturated", "vanishing"
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：把上面的 diagnosis_d 设为六个词之一，然后删掉这一行')

# %%
check.diagnose_d(diagnosis_d)

# %% [markdown]
# ### 练习 4.6 · 网络 E（诊断，核心，约 5 分钟）

# %%
show("E")

# %%
diagnosis_e = ...  # one of "dead_relu", "exploding", "healthy", "lr_too_high", "saturated", "vanishing"
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：把上面的 diagnosis_e 设为六个词之一，然后删掉这一行')

# %%
check.diagnose_e(diagnosis_e)

# %% [markdown]
# ## 练习 4.7 · 在有限预算下让深层网络学会（调参，开放性，挑战，约 45 分钟）
#
# 配合 [4.2 一套训练流程](../../chapters/04_code/02_training_recipe.ipynb)、[4.3 案例研究：手写数字](../../chapters/04_code/03_case_study_digits.ipynb) 和 [4.5 优化器大比拼](../../chapters/04_code/05_optimizer_shootout.ipynb)。网络是固定的：在手写数字上的 8 个隐藏层、每层 32 个单元。预算也是固定的：3 轮，每批 64 个样本（66 步）。使用 Sigmoid 函数单元、torch 的默认初始化（initialization）和固定 η 的 Adam 时，它停留在随机猜测的水平（验证集（validation）损失 ≈ 2.30）。
#
# 选择一套方案，使**验证集损失在预算内降到 0.40 以下**。你可以改变优化器（optimizer）及其 η（`momentum` 只用于 SGD；`weight_decay` 用于所有优化器）、调度（`"constant"`、在结束时降到 0 的 `"cosine"`、带 `warmup_steps` 的 `"warmup_cosine"`）、激活、初始化、归一化（`"none"`、`"batch"`、`"layer"`）以及残差连接（residual connection）。答案不唯一。用 `check.tuning.run_recipe(recipe)` 试验各种方案（它在几秒内返回验证集损失、验证集准确率和第一个小批量（mini-batch）的损失），并写下你的方案为什么有效。

# %%
recipe = {
    "optimizer": "adam", "lr": ..., "momentum": 0.0, "weight_decay": 0.0,
    "schedule": "constant", "warmup_steps": 0,
    "activation": "sigmoid", "init": "default", "norm": "none", "residual": False,
}
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：选定 η（1e-3 会重现那次失败），修改配方的其余部分（用 check.tuning.run_recipe(recipe) 试一试），然后删掉这一行')

# %%
check.tune_digits(recipe)

# %% [markdown]
# **要点。** 两张图能说明大部分情况：每层的反向信号（消失、爆炸）和激活值（饱和、死亡）。对任意一个样本，ReLU 层中约有一半的元素为 0——这是正常的；*死亡*单元则对每个样本都为 0。每项检查都指出了原因，而不仅仅是症状：饱和或死亡的网络也只向后传回极小的梯度，但修复之处在于权重（weight）和偏置。而第 3 部分的各种修复——初始化、归一化、残差连接、带预热的调度——正是把一个停留在随机猜测水平的深层网络变成能在 66 步内学会的网络的关键。
