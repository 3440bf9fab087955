# %% [markdown]
# # 6.2 Claims checked
#
# This course started from five Chinese blog articles on vanishing gradients and learning rates (the preface
# calls them **A1–A5**). They contain good intuitions, and they contain mistakes: formulas that are misnamed or
# wrong, code that crashes or climbs uphill, and reference lists with invented papers. This page goes through
# all five, section by section, and gives every substantive technical claim a verdict:
#
# - **true** — correct as written (perhaps loosely worded);
# - **partly** — something true is mixed with something wrong, or the claim holds only under conditions it
#   does not state;
# - **FALSE** — wrong, and the "What is true" column says what to believe instead;
# - *n/a* — no checkable technical claim (a wish-list, an opinion).
#
# Each claim is quoted in the original Chinese with an English translation. The last column says where the
# proof lives: an evidence cell on this page (**E1 … E24**, below the table, each ending in an `assert`), a
# question on the [FAQ page](01_faq.ipynb), or the chapter that treats the subject in full. The documents' own
# code is run, repaired and explained in [4.1 The documents' code, repaired](../04_code/01_documents_code_repaired.ipynb);
# here each code example gets its verdict and a small check.
#
# The five articles (kept beside the project as `seeds/000_…` to `004_…`, not shipped with the course) are A1
# (gradient vanishing and learning-rate adjustment),
# A2 (the "mathematical principles" article), A3 (optimization strategies), A4 (gradient stability) and A5
# (history of the vanishing-gradient problem); every quotation below is copied from them verbatim.

# %% [markdown]
# ## The table
#
# | # | Doc § | The document says (中文 → English) | Verdict | What is true | Evidence |
# |---|---|---|---|---|---|
# | 1 | A1 §1 | 「梯度消失问题导致了优化深度神经网络的难以预测的行为，这使得在实际应用中找到最佳的学习率变得非常困难」 — vanishing gradients make optimization unpredictable and the best learning rate hard to find. | partly | When gradients vanish, layers see gradients of very different sizes, so no single global learning rate suits them all. But the learning rate cannot *cure* vanishing; initialization, normalization and residual connections do. | [E1](#e1), [2.2](../02_concepts/02_vanishing_exploding.ipynb) |
# | 2 | A1 §2.1 | 「由于每一层的输出与下一层的输入之间的非线性关系，参数梯度可能会逐渐衰减（梯度消失）或者逐渐放大（梯度爆炸）」 — gradients decay or grow *because of* the nonlinear relation between layers. | partly | Decay and growth come from the back-propagated gradient being a **product of per-layer Jacobians** $W_l^\top \mathrm{diag}(\sigma'(z_l))$. Nonlinearity is not needed: a deep *linear* network vanishes or explodes just the same, depending on the scale of its weights ([Saxe et al., 2014](../06_faq/03_references.ipynb#saxe2014exact)). | [E1](#e1) |
# | 3 | A1 §2.1 | 「梯度消失问题主要出现在深度网络的前馈过程中……梯度爆炸问题则主要出现在反向传播过程中」 — vanishing happens mainly in the forward pass, exploding mainly in back-propagation. | **FALSE** | Both are properties of the **backward** pass (gradients are only computed there), and the same mechanism produces both: per-layer factors below 1 shrink the product, factors above 1 blow it up. | [E1](#e1) |
# | 4 | A1 §2.2 | 「学习率是指模型参数更新的步长」 — the learning rate is the step size of the parameter update. | true | Yes: $\eta$ multiplies the gradient; the actual step length is $\eta\,\lVert g\rVert$. | [2.3](../02_concepts/03_learning_rate.ipynb) |
# | 5 | A1 §3.1 | 「梯度下降法是一种最先进的优化算法」 — gradient descent is a state-of-the-art (most advanced) optimization algorithm. | **FALSE** | Gradient descent is the most *basic* first-order method; momentum, adaptive methods and second-order methods build on it. | [3.1](../03_algorithms/01_gd_sgd_minibatch.ipynb) |
# | 6 | A1 §3.1 | 「$\theta_{t+1} = \theta_t - \alpha \nabla_{\theta}L(\theta_t)$」 — the gradient-descent update. | true | Correct. On a quadratic it converges if and only if $0<\alpha<2/L$. | [E13](#e13), [preface](../00_preface/01_how_to_use.ipynb) |
# | 7 | A1 §3.2 | 「固定学习率……不能适应训练过程中的变化，可能导致收敛速度过慢或不稳定」 — a fixed learning rate cannot adapt, may be too slow or unstable. | true | Broadly right: with a constant $\eta$, SGD stalls in a noise ball around the minimum, which is why schedules decay $\eta$. | [3.5](../03_algorithms/07_schedules.ipynb) |
# | 8 | A1 §3.2 | 「指数衰减学习率……$\alpha_t = \alpha \times (1 - \frac{t}{T})^{\gamma}$」 — "exponentially decaying learning rate" with this formula. | **FALSE** | That formula is **polynomial** decay (it reaches 0 at $t=T$). Exponential decay is $\alpha_t=\alpha\,\gamma^t$: a constant ratio $\alpha_{t+1}/\alpha_t=\gamma$. | [E3](#e3) |
# | 9 | A1 §3.2 | 「重启学习率：在训练过程中，当损失函数达到一个阈值时，重置学习率并继续训练」 — restarts reset the learning rate when the loss reaches a threshold. | partly | Warm restarts (SGDR, [Loshchilov & Hutter, 2017](../06_faq/03_references.ipynb#loshchilov2017sgdr)) restart on a **fixed calendar** of steps $T_0, T_0T_{\mathrm{mult}},\dots$; the schedule never looks at the loss. | [E4](#e4) |
# | 10 | A1 §3.2 | AdaGrad: 「$\theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{G_{t} + \epsilon}} \nabla_{\theta}L(\theta_t)$，其中，$G_{t}$是参数梯度累积值」 — $G_t$ is "the accumulated gradient". | partly | $G_t$ must be the per-coordinate sum of **squared** gradients, $G_t=\sum_{s\le t} g_s^2$ ([Duchi et al., 2011](../06_faq/03_references.ipynb#duchi2011adaptive)); torch puts $\varepsilon$ outside the root: $\alpha\, g/(\sqrt{G_t}+\varepsilon)$. | [E5](#e5) |
# | 11 | A1 §3.2 | RMSprop: 「$\theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{\text{decayrate} \times G_{t} + \epsilon}} \nabla_{\theta}L(\theta_t)$」 — the AdaGrad sum multiplied by a decay rate. | **FALSE** | RMSprop keeps an exponential moving **average** of squared gradients, $E[g^2]_t=\rho\,E[g^2]_{t-1}+(1-\rho)\,g_t^2$, and divides by $\sqrt{E[g^2]_t}+\varepsilon$ ([Tieleman & Hinton, 2012](../06_faq/03_references.ipynb#tieleman2012lecture)). A sum scaled by a constant still grows without bound, so the documented rule still shrinks every step like $1/\sqrt{t}$ — exactly the AdaGrad problem RMSprop was made to fix. | [E6](#e6) |
# | 12 | A1 §3.2 | 「Adam是一种结合了动态学习率调整和梯度裁剪的优化算法」 — Adam combines dynamic learning-rate adjustment with gradient clipping. | **FALSE** | Adam does **not** clip. It combines momentum (first moment $m$) with RMSprop-style scaling (second moment $v$) and bias correction ([Kingma & Ba, 2015](../06_faq/03_references.ipynb#kingma2015adam)). A huge gradient enters $m$ and $v$ unclipped; clipping is a separate step you add. | [E7](#e7), [3.6](../03_algorithms/08_clipping.ipynb) |
# | 13 | A1 §3.2 | 「通过使用指数衰减方法来计算参数梯度移动平均值，从而减少梯度消失问题」 — the moving averages reduce the vanishing-gradient problem. | partly | Adam's per-parameter normalization makes the step size (almost) independent of the gradient's scale, so layers with tiny gradients still move. That masks the symptom; the signal that back-propagation carries still vanishes. | [E7](#e7) |
# | 14 | A1 §3.2 | Adam: 「$\theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{v_t} + \epsilon} m_t$」 | partly | The moments are right, but the **bias correction** $\hat m_t=m_t/(1-\beta_1^t)$, $\hat v_t=v_t/(1-\beta_2^t)$ is missing. Without it the first hundreds of steps are up to 6.6× too large (3.16× at $t=1$). | [E8](#e8), [3.4](../03_algorithms/05_adam_family.ipynb) |
# | 15 | A1 §4 (code) | TensorFlow Adam linear regression; after training: `loss_value = model(X).numpy()` and `print("Loss:", loss_value)`. | partly | The training loop is fine and fits slope ≈ 3, intercept ≈ 2. But what it prints under "Loss:" is the **100 predictions** $\hat y$, not the loss (≈ 0.22, close to the variance 0.25 of the noise the data were made with). | [E9](#e9), [4.1](../04_code/01_documents_code_repaired.ipynb) |
# | 16 | A1 §4 | 「在训练过程中，我们使用了梯度下降法来更新模型参数，并使用动态学习率调整策略来调整学习率」 and 「训练一个深度神经网络」 — the example uses a dynamic learning-rate schedule and trains a deep network. | **FALSE** | The code uses a **constant** `learning_rate=0.01` with no scheduler, and its model is one `Dense(1)` layer: linear regression, not a deep network. | [E9](#e9) |
# | 17 | A1 §5 | Future directions (new optimizers, structure optimization, adaptive learning rates, hardware). | *n/a* | A research wish-list; no checkable technical claim. The standard fixes that do exist (initialization, normalization, residual connections, gating) are not mentioned. | [1.1](../01_background/01_why_depth_is_hard.ipynb) |
# | 18 | A1 §6 Q1 | 「在深度网络的前馈过程中，参数梯度可能会逐渐衰减，导致模型无法收敛」 — gradients decay in the forward pass, so the model cannot converge. | partly | The decay is in the backward pass (row 3). And the model does not "fail to converge": the *early layers learn very slowly* while the last layers fit. | [FAQ A1-Q1](01_faq.ipynb#a1-q1) |
# | 19 | A1 §6 Q2 | 「梯度爆炸问题主要是由于梯度传播的过程中的累积而导致的」 — explosion comes from accumulation during propagation. | partly | A *product* of per-layer factors larger than 1, not an accumulation (sum). The symptom is a loss that jumps to inf/NaN. | [E1](#e1), [FAQ A1-Q2](01_faq.ipynb#a1-q2) |
# | 20 | A1 §6 Q4 | 「如果模型收敛速度较快，可以尝试使用较小的学习率；如果模型收敛速度较慢，可以尝试使用较大的学习率」 — if it converges fast, try a smaller rate; if slow, a larger one. | **FALSE** | Backwards as a rule: fast convergence is no reason to slow down. Use the stability bound $\eta<2/L$ and a learning-rate range test ([Smith, 2017](../06_faq/03_references.ipynb#smith2017cyclical)); too large a rate *diverges*. | [FAQ A1-Q4](01_faq.ipynb#a1-q4), [E13](#e13) |
# | 21 | A1 §6 Q5 | 「处理梯度消失与梯度爆炸问题的方法包括使用不同的优化算法、动态学习率调整策略、结构优化、自适应学习率等」 | partly | Missing the fixes that work: careful initialization, normalization, residual connections, gated recurrent units (LSTM) and, for explosion, gradient clipping. | [FAQ A1-Q5](01_faq.ipynb#a1-q5) |
# | 22 | A1 ref. [1] | Kingma & Ba (2014), Adam, arXiv:1412.6980. | true | Correct (published at ICLR 2015). | [kingma2015adam](../06_faq/03_references.ipynb#kingma2015adam) |
# | 23 | A1 ref. [2] | 「Reddi, S., Roberts, J., & Abdol-maleki, A. (2018). On the Convergence of Adam and Beyond. arXiv:1811.01432」 | **FALSE** | Wrong authors and wrong id: the paper is by **Reddi, Kale & Kumar**, ICLR 2018, arXiv:**1904.09237**. | [reddi2018convergence](../06_faq/03_references.ipynb#reddi2018convergence) |
# | 24 | A1 ref. [3] | 「Du, M., Li, H., & Liu, Z. (2018). Gradient Explosion and Vanishing in Neural Networks: The Difficulty of Learning Deep Representations. arXiv:1811.03384」 | **FALSE** | No such paper could be found; the title echoes real works ([Bengio et al., 1994](../06_faq/03_references.ipynb#bengio1994learning); [Pascanu et al., 2013](../06_faq/03_references.ipynb#pascanu2013difficulty)). Treat as invented. | — |
# | 25 | A1 ref. [4] | 「Unkel, O., & Schraudolph, N. (2016). On the Effect of Learning Rate and Weight Initialization in Deep Learning. arXiv:1608.05781」 | **FALSE** | No such paper could be found. Treat as invented. | — |
# | 26 | A1 ref. [5] | 「You, Y., Noh, H., & Bengio, Y. (2017). Large Batch Training of Deep Learning Models. arXiv:1706.02063」 | **FALSE** | Garbled: the real paper is **You, Gitman & Ginsburg (2017), "Large Batch Training of Convolutional Networks", arXiv:1708.03888** (LARS). | [you2017large](../06_faq/03_references.ipynb#you2017large) |
# | 27 | A2 §1 | 「本文将从数学层面分析……并提出一种新型的学习率衰减策略……基于新型学习率衰减策略设计了一种新的优化器算法——Adam」 — the article proposes a new decay strategy and designs Adam from it. | **FALSE** | The article proposes no decay strategy, and Adam was introduced by [Kingma & Ba (2015)](../06_faq/03_references.ipynb#kingma2015adam). It also promises experiments on clipping, momentum and Adam (「通过实验验证」) and contains none. | — |
# | 28 | A2 §1 | 「梯度消失指的是当输入的大小变化较大时，梯度值的大小也会相应缩小……对于一个线性函数，其参数θ……随着参数θ越来越小，其导数δθ也会逐渐接近于0」 — vanishing means the gradient shrinks when inputs vary; for a linear function the derivative goes to 0 as θ shrinks. | **FALSE** | Vanishing means the gradient reaching the **early layers** is exponentially smaller than at the last layer, because of depth. For a linear function $f=\theta x$ the derivative $\partial f/\partial\theta = x$ does not depend on $\theta$ at all. | [E1](#e1), [E2](#e2) |
# | 29 | A2 §1 | 「梯度爆炸……发生在代价函数（损失函数）较大的情况下，使得参数更新步长增大，从而引发模型的过拟合现象」 — explosion happens when the loss is large, and causes overfitting. | **FALSE** | Explosion is set by the per-layer Jacobians, not by the size of the loss (the amplification is the same for a tiny and a huge loss). Its consequence is divergence (inf/NaN), not overfitting. | [E2](#e2), [E13](#e13) |
# | 30 | A2 §1 | 「由于深度神经网络的复杂结构和非凸函数，导致……存在复杂的局部极值点，使得深度学习模型在训练过程中难以避免遇到梯度消失或爆炸的问题」 — local extrema of a non-convex loss cause vanishing/exploding. | **FALSE** | Local minima and vanishing/exploding gradients are different things. The cause is depth: a long product of per-layer factors. | [E1](#e1) |
# | 31 | A2 §1 fix 1 | 「正则化：对神经网络模型进行正则化的方法可以一定程度上缓解梯度消失和爆炸问题。如……采用Dropout等方式」 | partly | Regularization (weight decay, dropout) targets **overfitting** ([Srivastava et al., 2014](../06_faq/03_references.ipynb#srivastava2014dropout)). Weight decay keeps weights small, which can restrain explosion a little; dropout does nothing for vanishing. | [3.8](../03_algorithms/11_normalization_residuals.ipynb) |
# | 32 | A2 §1 fix 2 | 「初始化模型的参数可以改善梯度的稳定性。如用较小的初始学习率、小的batch size，或者采用Xavier初始化方法等」 | partly | Xavier/He initialization: yes ([Glorot & Bengio, 2010](../06_faq/03_references.ipynb#glorot2010understanding); [He et al., 2015](../06_faq/03_references.ipynb#he2015delving)). A small learning rate or a small batch is not initialization and does not change the per-layer gain. | [E22](#e22), [3.7](../03_algorithms/09_initialization.ipynb) |
# | 33 | A2 §1 fix 3 | 「梯度裁剪用于限制网络的梯度值大小」 — clipping limits the gradient's size. | true | Yes, and it is the standard remedy for *exploding* gradients ([Pascanu et al., 2013](../06_faq/03_references.ipynb#pascanu2013difficulty)). It does nothing for vanishing ones. | [E14](#e14), [3.6](../03_algorithms/08_clipping.ipynb) |
# | 34 | A2 §1 fix 4 | 「动量可以使得网络能够更好地跳跃到局部最小值」 — momentum helps the network "jump to" local minima. | partly | Momentum averages gradients: it accelerates along consistent low-curvature directions and damps oscillation across steep ones. "Jumping" is not the mechanism. | [3.2](../03_algorithms/03_momentum_nesterov.ipynb) |
# | 35 | A2 §1 fix 5 | 「Adam是一款自适应学习率的优化器。它结合了动量法和RMSprop算法」 | true | Correct (plus bias correction). | [3.4](../03_algorithms/05_adam_family.ipynb) |
# | 36 | A2 §2 | Quadratic roots: 「$x_1 = (-b + \sqrt{b^2-4ac}) / 2a$ 和 $x_2 = (-b - \sqrt{b^2-4ac}) / 2a$」 | true | The formula is right (for $a\ne0$; real roots need $b^2-4ac\ge0$). It has nothing to do with gradients. | [E10](#e10) |
# | 37 | A2 §2 | The "proof": 「假设f(x) = O(x^0)……那么就存在一个常数ε>0，使得 $\lvert f(x)\rvert \le \varepsilon\lvert x\rvert$」 and 「若 $\lvert f(x_n)\rvert > \varepsilon\lvert x_n\rvert$，则有 $\lvert f(x_{n+1})\rvert > \lvert f(x_n)\rvert$，所以 $x_{n+1}$ 不会收敛到 $x^*$」 | **FALSE** | Not a proof. $\lvert f(x)\rvert\le\varepsilon\lvert x\rvert$ forces $f(0)=0$, false whenever $c\ne0$; and Newton's method does converge from points where $\lvert f(x_n)\rvert>\varepsilon\lvert x_n\rvert$, with $\lvert f\rvert$ *decreasing*. The later steps (「令x = (b^2-4ac) / 2a^2」 …) do not follow from anything. | [E10](#e10) |
# | 38 | A2 §2 | 「f'(x1)和f'(x2)相同。由此可知，最优解也就确定了」 and 「其极小值就是两点之间的斜率」 — the derivatives at the two roots are equal; the minimum is the slope between the roots. | **FALSE** | $f'(x)=2ax+b$ gives $f'(x_1)=+\sqrt{b^2-4ac}=-f'(x_2)$: opposite, equal only for a double root. The minimum of $ax^2+bx+c$ ($a>0$) is at $x=-b/2a$ with value $c-b^2/4a$; the slope between the roots is 0. | [E10](#e10) |
# | 39 | A2 §2 | Taylor series: 「$f(x) = f(a) + \frac{f'(a)(x-a)}{1!}+\frac{(f''(a)+\cdots)(x-a)^2}{2!}+\cdots+\frac{(f^{(k)}(a)+\cdots+f^{(m)}(a))(x-a)^k}{k!}$」 | **FALSE** | The $k$-th term is $f^{(k)}(a)(x-a)^k/k!$ — one derivative, not a sum of derivatives. With the printed coefficients the series of $e^x$ misses $e^{0.5}$ by a factor of 10. | [E11](#e11) |
# | 40 | A2 §2 | 「如果f'(a)=0，那么无论如何x→a，都会使得f(x)的值无限增大，从而出现梯度消失问题」 — if $f'(a)=0$, $f(x)$ grows without bound as $x\to a$: that is gradient vanishing. | **FALSE** | $f'(a)=0$ means $a$ is a stationary point; a differentiable $f$ is continuous, so $f(x)\to f(a)$. Nothing grows, and a zero derivative of a scalar function is not the vanishing-gradient problem. | [E11](#e11) |
# | 41 | A2 §2 | 「如果函数f(x)=e^(-x^2)在x=0处取最小值……f'(x)=-2xe^{-x^2}≠0」 | **FALSE** | $e^{-x^2}$ has its **maximum** (1) at $x=0$, and $f'(0)=0$. | [E11](#e11) |
# | 42 | A2 §2 | 「如果函数在某一点处的导数达到了一个很小的值，就称这个点是"鞍点"」 — a point where the derivative is very small is a "saddle point". | **FALSE** | A saddle point is a stationary point ($\nabla f=0$) whose Hessian has eigenvalues of **both signs**: a minimum along some directions, a maximum along others. A small gradient near a minimum is not a saddle. | [E12](#e12) |
# | 43 | A2 §2 | 「如果函数f(x)的输入数据很大，而输出的梯度值又非常大，那么，就会出现梯度爆炸的问题……表现为模型的训练精度不断提高，但是，在测试阶段却无法取得很好的效果」 — exploding gradients show as rising training accuracy and poor test results. | **FALSE** | That describes **overfitting**. Exploding gradients show as loss spikes, enormous updates and inf/NaN. | [E2](#e2), [FAQ A1-Q2](01_faq.ipynb#a1-q2) |
# | 44 | A2 §2 | 「如果f'(x)>c，则称f(x)具有振荡性」 — if $f'(x)>c$, $f$ "oscillates". | **FALSE** | A large derivative is not oscillation. Gradient descent oscillates (the sign flips every step) when $1<\eta L<2$ and diverges when $\eta L>2$: it is the product of step size and curvature that matters. | [E13](#e13) |
# | 45 | A2 §2 | 「一般情况是梯度爆炸问题的发生概率比较低，但是随着网络结构的增加，梯度爆炸的概率就会增大」 | partly | The risk grows with depth (and with sequence length in RNNs), true. "Low probability" is not a property of networks: it depends on initialization and architecture. | [E1](#e1) |
# | 46 | A2 §2 | Clipping: 「绝对值裁剪……范数裁剪：对梯度进行标准化处理，使得梯度范数始终保持在某个阈值之内」 | true | Right. Value clipping clamps each coordinate (and can change the direction); norm clipping rescales the whole gradient (and keeps the direction). | [E14](#e14) |
# | 47 | A2 §2 | Momentum: 「$v_{t+1} = \beta v_t+(1-\beta)g_t,\ \hat{x}_{t+1}=x_t-\alpha v_{t+1}$」, β 通常取0.9或0.99 | partly | A valid ("dampened", EMA) form of momentum — apart from the stray hat on $x$. It is exactly torch's SGD momentum with learning rate $\alpha(1-\beta)$; so with the same $\alpha$ it takes 10× smaller steps than torch's form at β = 0.9. | [E15](#e15) |
# | 48 | A2 §2 | 「Adam……是由 Kingma and Ba 中的 Adam 等人在 2014 年提出的」 | partly | By Kingma & Ba (arXiv 2014, ICLR 2015); "Adam et al." is not an author. | [kingma2015adam](../06_faq/03_references.ipynb#kingma2015adam) |
# | 49 | A2 §2 | Adam update: 「$\hat{x}_t = \hat{x}_{t-1} - \alpha \cdot \frac{\sqrt{1- \beta_2^{2(t-1)}}}{\sqrt{1- \beta_1^{2t}}}\frac{m_t}{\sqrt{v_t}+\epsilon}$」 (our transcription of 「β^2_2^{t-1}」, 「β^2_1^{t}」) | **FALSE** | The bias-corrected step is $\alpha\,\frac{\sqrt{1-\beta_2^{t}}}{1-\beta_1^{t}}\,\frac{m_t}{\sqrt{v_t}+\hat\varepsilon}$: exponent $t$ in both, no squared betas, and no root over the $\beta_1$ term. With the printed factor the first step is **exactly zero**. | [E16](#e16) |
# | 50 | A2 §2 | 「Adam 对深度学习中的梯度更新有着很好的鲁棒性和稳定性，因而被广泛使用」 | partly | Widely used, yes; but Adam can fail to converge even on a simple convex problem ([Reddi et al., 2018](../06_faq/03_references.ipynb#reddi2018convergence)), which AMSGrad fixes. | [3.4](../03_algorithms/05_adam_family.ipynb) |
# | 51 | A3 §2.1 | 「梯度消失指的是在神经网络中，随着层数的增加，梯度逐层传播的过程中，梯度逐渐趋近于0」 and the matching definition of explosion. | true | Correct definitions. | [E1](#e1) |
# | 52 | A3 §2.2 | 「优化策略主要包括选择合适的优化算法、调整学习率、使用正则化等。技巧主要包括使用不同的激活函数、调整网络结构、使用批量归一化等」 | partly | Activation choice, architecture (residuals) and batch normalization help; regularization does not address vanishing/exploding (row 31). | [3.8](../03_algorithms/11_normalization_residuals.ipynb) |
# | 53 | A3 §3.1 | 「$\theta_{t+1} = \theta_t - \alpha \nabla J(\theta_t)$」 | true | Correct. | [E13](#e13) |
# | 54 | A3 §3.2 | Momentum: 「$\theta_{t+1} = \theta_t - \alpha \nabla J(\theta_t) + \beta \Delta \theta_t$，其中……$\Delta \theta_t$ 表示参数更新量」 | true | With $\Delta\theta_t=\theta_t-\theta_{t-1}$ this is Polyak's heavy ball ([Polyak, 1964](../06_faq/03_references.ipynb#polyak1964some)), identical to torch's SGD with momentum β. (A3's own code breaks it: row 59.) | [E15](#e15) |
# | 55 | A3 §3.3 | Adam: 「$\theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{v_t + \epsilon}} m_t$」 | partly | No bias correction (row 14), and $\varepsilon$ sits *inside* the root, where it acts like $\sqrt{\varepsilon}=10^{-4}$: for gradients of size $10^{-5}$ the step is 100× smaller than torch's Adam. | [E8](#e8) |
# | 56 | A3 §3.3 | 「Adam算法是一种自适应学习率的优化算法，它结合了动量法和RMSprop算法的优点」 | true | Correct. | [3.4](../03_algorithms/05_adam_family.ipynb) |
# | 57 | A3 §4 (code) | `X = np.linspace(-3, 3, 100)`, `theta = np.random.randn(1, 1)`, `X.T @ (X @ theta - Y)` | **FALSE** | `X` is 1-D (shape (100,)), so `X @ theta` with `theta` of shape (1, 1) raises `ValueError`: the code crashes before the first update. | [E17](#e17), [4.1](../04_code/01_documents_code_repaired.ipynb) |
# | 58 | A3 §4 | 「从结果中可以看出，不同优化算法在线性回归问题上的表现是不同的」 — the results show the optimizers differ. | **FALSE** | There are no results: the code cannot run (row 57). | [E17](#e17) |
# | 59 | A3 §4 | Momentum code: `theta = theta - alpha * grad + beta * (theta - theta_prev)` then `theta_prev = theta.copy()` | **FALSE** | `theta_prev` is set to the *new* `theta`, so `theta - theta_prev` is 0 from the second step on: the momentum term vanishes and the loop is plain gradient descent (after a spurious first kick $\beta\theta_0$). | [E17](#e17) |
# | 60 | A3 §4 | Adam code: `m = len(X)` then `m = beta1 * m_prev + …/ m`; `v = … (X.T @ (X @ theta - Y) ** 2)`; `m_hat = m / (1 - beta1 ** iterations)` | **FALSE** | Three bugs: the sample count `m` is overwritten by the moment (so later steps divide by the moment); `v` averages $X^\top r^2$, not $g^2=(X^\top r)^2$; and the bias correction uses the *total* `iterations` (where $1-0.9^{1000}$ is exactly 1.0 in floating point) instead of the step $t$. | [E17](#e17) |
# | 61 | A3 §5 | Future challenges (efficiency, choice of optimizer, balance of structure and optimizer). | *n/a* | No checkable technical claim. | — |
# | 62 | A3 §6 Q2 | 「通常，可以通过验证集或者学习率衰减策略来选择合适的学习率」 — choose the rate with a validation set or a decay schedule. | partly | A validation sweep works but is expensive; a decay schedule does not choose the initial rate. The LR range test and $\eta<2/L$ are the tools. | [FAQ A3-Q2](01_faq.ipynb#a3-q2) |
# | 63 | A3 §6 Q3 | 「动量法和Adam算法都是自适应学习率的优化算法」 — momentum and Adam are both adaptive-learning-rate methods. | **FALSE** | Momentum is **not** adaptive: its step scales with the gradient. Adam's per-parameter normalization makes its step (nearly) independent of the gradient's scale. | [FAQ A3-Q3](01_faq.ipynb#a3-q3), [E7](#e7) |
# | 64 | A4 §2 | 「梯度是……模型参数相对于损失函数的偏导数」 — the gradient is the partial derivative of the parameters with respect to the loss. | partly | Inverted: it is the partial derivative of the **loss with respect to the parameters**, $\partial L/\partial\theta$. | [2.1](../02_concepts/01_backprop_from_scratch.ipynb) |
# | 65 | A4 §2.2.1 | 「梯度消失主要发生在权重矩阵的乘法过程中，由于乘法的传递性质，梯度会逐渐减小」 | partly | The gradient is a product of per-layer factors (weights *and* activation slopes); when they are below 1 the product shrinks. "Transitive property of multiplication" means nothing here. | [E1](#e1) |
# | 66 | A4 §2.2.2 | 「梯度爆炸主要发生在激活函数的非线性过程中，由于非线性函数的极值特性，梯度会逐渐增大」 — explosion comes from the nonlinear activations. | **FALSE** | Activation slopes cannot grow the gradient: $\sigma'\le 1/4$, $\tanh'\le1$, $\mathrm{ReLU}'\le1$. Explosion comes from weights with large singular values; a deep *linear* network explodes too. | [E19](#e19), [E1](#e1) |
# | 67 | A4 §3.1 | 「损失函数 $J(\theta)$ 是一个不断变化的函数，它的变化是基于模型参数 $\theta$ 的更新」 | partly | $J$ is a fixed function of $\theta$; its *value* changes because $\theta$ moves. (With mini-batches the sampled loss also changes from batch to batch.) | — |
# | 68 | A4 §3.2 | Chain rule 「$\frac{\partial J}{\partial \theta_i} = \sum_{j} \frac{\partial J}{\partial z_j} \frac{\partial z_j}{\partial \theta_i}$」 | true | Correct. | [E21](#e21), [2.1](../02_concepts/01_backprop_from_scratch.ipynb) |
# | 69 | A4 §3.3 | 「学习率越大，算法更快地收敛，但也可能导致过拟合。学习率越小，算法收敛速度较慢，但可能更稳定」 | **FALSE** | Larger is faster only up to $\eta=2/(L+\mu)$; beyond it convergence slows, and above $2/L$ gradient descent **diverges**. Too large a rate causes divergence, not overfitting. | [E13](#e13) |
# | 70 | A4 §3.4 | 「使用不同的权重初始化方法，例如Xavier初始化或He初始化，以避免梯度消失和梯度爆炸」 — use Xavier or He initialization to avoid vanishing and exploding gradients. | partly | Matched to the activation (Xavier for tanh, He for ReLU) they keep signal and gradient variance constant across layers *at initialization*. They do not rescue sigmoid nets (σ′ ≤ 1/4 and non-zero-mean outputs: with Xavier, 20 sigmoid layers still give a first/last gradient ratio ≈ 1e-12), and they say nothing about what happens during training. | [3.7](../03_algorithms/09_initialization.ipynb) |
# | 71 | A4 §3.4 | 「使用批量梯度下降（mini-batch gradient descent）而不是梯度下降，以减少梯度的变化，从而稳定训练过程」 — mini-batches reduce the gradient's variation. | **FALSE** | The opposite: a mini-batch gradient is a *noisier* estimate of the full gradient (variance ∝ 1/B). Mini-batches are used because each step is cheaper, and they do nothing for vanishing/exploding. | [E18](#e18) |
# | 72 | A4 §3.4 | 「使用动态学习率，例如Adam优化器，它会根据梯度的变化自适应地调整学习率」 | partly | Adam scales each parameter's step by a running RMS of its gradient; that is not a learning-rate *schedule*, and it does not remove vanishing gradients (row 13). | [E7](#e7) |
# | 73 | A4 §4 (code) | TensorFlow MLP (Dense(10, relu) → Dense(1)), SGD lr 0.01, 1000 full-batch steps on random data, printing the loss every 100 epochs. | partly | The code runs and the loss falls (the same network in numpy goes from ≈ 1 to ≈ 0.006). But it sets no seed, so its numbers change on every run, and it demonstrates nothing about gradient stability. | [E20](#e20), [4.1](../04_code/01_documents_code_repaired.ipynb) |
# | 74 | A4 §5 | 「非梯度优化方法，如梯度下降的变体（例如Nesterov accelerated gradient）或随机梯度下降（SGD）的变体，将会成为深度学习中优化方法的主流」 — NAG and SGD are "non-gradient" methods. | **FALSE** | Nesterov's method and SGD are gradient methods: every update is built from (stochastic) gradients. | [FAQ A4-§5](01_faq.ipynb#a4-s5) |
# | 75 | A4 §5 | 「梯度的稳定性对于模型解释性至关重要」 — gradient stability is crucial for interpretability. | *n/a* | Unsupported; not a claim the article argues or this course can check. | — |
# | 76 | A4 §6 Q3 | 「如果学习率太大，算法可能会过快地更新参数，导致模型过拟合」 | **FALSE** | Same error as row 69: divergence, not overfitting. | [E13](#e13), [FAQ A4-Q3](01_faq.ipynb#a4-q3) |
# | 77 | A4 §6 Q4 | 「梯度下降算法的收敛速度可能较慢，因为它是一种第一阶段优化方法……由于权重的数量非常大，梯度下降算法可能会遇到收敛速度较慢的问题」 | partly | First-order, yes; but the rate is set by the **condition number** $\kappa=L/\mu$, not by the number of weights: per step the error shrinks by $(\kappa-1)/(\kappa+1)$ in 2 dimensions and in 1000. | [E20](#e20), [FAQ A4-Q4](01_faq.ipynb#a4-q4) |
# | 78 | A5 §1.1 | 「传统优化算法主要包括梯度下降法、随机梯度下降法……和反向差分法（Backpropagation）」 — backpropagation is an optimization algorithm. | **FALSE** | Back-propagation is not an optimizer: it **computes** the gradient (reverse-mode differentiation, [Rumelhart et al., 1986](../06_faq/03_references.ipynb#rumelhart1986learning)); an optimizer then uses it. | [E21](#e21), [FAQ A5-1](01_faq.ipynb#a5-backprop) |
# | 79 | A5 §1.1.3 | 「反向差分法……通过计算网络输出与目标值之间的差分来估计梯度……可以避免计算整个网络的梯度」 | **FALSE** | Back-propagation computes the **exact** gradient of **every** parameter in one backward pass (chain rule), not a finite-difference estimate, and it skips no part of the network. | [E21](#e21) |
# | 80 | A5 §1.1.2 | 「随机梯度下降法……通过使用小批量数据来计算梯度，从而加速收敛过程……减少内存需求和计算开销」 | partly | Cheaper steps and less memory: true. Faster per *epoch* of wall-clock, yes; per step the gradient is noisier (row 71). | [E18](#e18) |
# | 81 | A5 §1.2 (and §2.2) | 「梯度消失问题的主要原因是深层神经网络中的参数之间存在复杂的非线性关系」 | partly | As row 2: the cause is the product of per-layer factors; it happens in linear networks too. | [E1](#e1) |
# | 82 | A5 §1.3.1 | 「重置网络参数是一种简单的方法，它通过随机重置网络参数来避免梯度消失问题」 | **FALSE** | Re-drawing the weights from the same distribution gives the same per-layer gain, so the gradient vanishes again. | [E22](#e22) |
# | 83 | A5 §1.3.2 | 「使用更大的学习率……可能导致模型过拟合」 | **FALSE** | A global learning rate scales every layer's update by the same factor: it cannot undo the *relative* vanishing; too large a rate diverges (not overfits). | [FAQ A5-3](01_faq.ipynb#a5-lr) |
# | 84 | A5 §1.4.2 | 「使用更广的网络……可以有效地解决梯度消失问题，因为它可以减少参数之间的非线性关系，从而使梯度在传播过程中保持稳定」 — wider networks solve vanishing gradients. | **FALSE** | Width does not change the per-layer gain (fan-in-scaled initialization keeps it fixed): a 20-layer sigmoid network vanishes by ~$10^{-12}$ at width 16, 64 and 256 alike. | [E22](#e22), [FAQ A5-2](01_faq.ipynb#a5-wider) |
# | 85 | A5 §1.4.3–1.4.5 | 「使用更深更广的网络和批量正则化和Dropout……可以有效地解决梯度消失问题」 | partly | Batch normalization (if that is what 「批量正则化」 means) helps ([Ioffe & Szegedy, 2015](../06_faq/03_references.ipynb#ioffe2015batch)); depth makes vanishing worse; dropout does not address it. The decisive fix, residual connections ([He et al., 2016](../06_faq/03_references.ipynb#he2016deep)), is missing. | [E23](#e23) |
# | 86 | A5 §3.2 | "Mathematical model of vanishing": 「$\nabla J(\theta_t) = \prod_{i=1}^n \sigma'(z_i) \nabla J(\theta_{t-1})$」 | **FALSE** | It confuses the *training step* $t$ with the *layer index*. The product runs over layers inside **one** backward pass: $\partial L/\partial h_l = \big(\prod_{k>l} W_k^\top\,\mathrm{diag}\,\sigma'(z_k)\big)\,\partial L/\partial h_L$. From one training step to the next the gradient does not shrink by $\prod\sigma'$. | [E23](#e23) |
# | 87 | A5 §3.3 | "Solution model": 「$\nabla J(\theta_t) = \prod_{i=1}^n \sigma'(z_i) \nabla J(\theta_{t-1}) + \epsilon$」, ε 表示梯度消失问题的噪声 | **FALSE** | Adding a noise term models no remedy. Remedies change the per-layer factors (initialization, normalization) or add an identity path: with a residual block $h_{l+1}=h_l+F(h_l)$ the Jacobian is $I+\partial F/\partial h_l$. | [E23](#e23) |
# | 88 | A5 §4 (code) | XOR with one sigmoid layer: `gradient = np.dot(X.T, (2 * (y[i] - y_pred)))`, `theta -= learning_rate * gradient` | **FALSE** | Three faults. The sign is wrong, so the loop **ascends** the loss; the $\sigma'$ factor is missing (`sigmoid_derivative` is defined, never used); and a single layer without bias cannot represent XOR at all. A hidden layer fixes it. | [E24](#e24), [4.1](../04_code/01_documents_code_repaired.ipynb) |
# | 89 | A5 §4.2 | 「通过这个代码实例，我们可以看到……如何解决梯度消失问题」 — the code shows how to solve vanishing gradients. | **FALSE** | A one-layer model has no depth and therefore no vanishing gradient to solve. | [E24](#e24) |
# | 90 | A5 §5–6 | Future trends; conclusion 「我们详细讨论了梯度消失问题的历史……」 | *n/a* | The "history" names none of the works that defined the problem ([Hochreiter, 1991](../06_faq/03_references.ipynb#hochreiter1991untersuchungen); [Bengio et al., 1994](../06_faq/03_references.ipynb#bengio1994learning); [Hochreiter & Schmidhuber, 1997](../06_faq/03_references.ipynb#hochreiter1997long)). | — |
# | 91 | A5 refs [1], [2], [4], [20] | Goodfellow et al. 2016 (MIT Press); LeCun, Bengio & Hinton 2015 (Nature 521); Hochreiter & Schmidhuber 1997 (Neural Computation 9(8)); Devlin et al. 2018 (BERT, arXiv:1810.04805). | true | Real works, correctly cited. | [goodfellow2016deep](../06_faq/03_references.ipynb#goodfellow2016deep), [hochreiter1997long](../06_faq/03_references.ipynb#hochreiter1997long) |
# | 92 | A5 ref [3] | Rumelhart, Hinton & Williams (1986), "Learning internal representations by error propagation", 「In P. E. Hart (Ed.), Expert Systems in the Microcosm (Lecture Notes in Computer Science, Vol. 251…)」 | partly | Real authors and title, invented venue: the chapter appeared in *Parallel Distributed Processing*, Vol. 1 (MIT Press, 1986). Their Nature paper is "Learning representations by back-propagating errors". | [rumelhart1986learning](../06_faq/03_references.ipynb#rumelhart1986learning) |
# | 93 | A5 refs [5], [25] | 「Bengio, Y., & LeCun, Y. (2009). Learning deep architectures for AI」 and 「Bengio, Y., Courville, A., & Vincent, P. (2009). Learning deep architectures for AI. In Proceedings of the IEEE conference on artificial intelligence」 | partly / **FALSE** | The monograph is by **Yoshua Bengio alone**, Foundations and Trends in Machine Learning 2(1):1–127 (2009). [25] duplicates it with wrong co-authors and a non-existent venue. | — |
# | 94 | A5 refs [6], [34] | Simonyan & Zisserman (2014), VGG, 「In Proceedings of the IEEE CVPR (pp. 10–18)」 (twice) | partly | Real paper, wrong venue: arXiv:1409.1556, published at ICLR 2015. | — |
# | 95 | A5 refs [7], [33] | Szegedy et al. (2015), "Going deeper with convolutions", CVPR, with author 「Rabatti, E.」 (twice) | partly | Real paper; the last author is A. Rabinovich. | — |
# | 96 | A5 refs [8], [28] | He et al. (2016), ResNet, 「(pp. 77–86)」; and 「He, K., Zhang, X., Schroff, F., & Sun, J. (2015). Deep residual learning. In Proceedings of the IEEE conference on artificial intelligence」 | partly / **FALSE** | CVPR 2016, **pp. 770–778**, authors He, Zhang, Ren, Sun. [28] is a duplicate with an invented co-author and venue. | [he2016deep](../06_faq/03_references.ipynb#he2016deep) |
# | 97 | A5 refs [9], [22] | Vaswani et al. (2017), "Attention is all you need", 「In Proceedings of the 2017 conference on empirical methods in natural language processing」 and again as 「Vaswani, A., Schuster, M., & Sutskever, I. … In Proceedings of the IEEE conference on computer vision and pattern recognition」 | **FALSE** | Published in *Advances in Neural Information Processing Systems 30* (NeurIPS 2017), pp. 5998–6008, by Vaswani, Shazeer, Parmar, Uszkoreit, Jones, Gomez, Kaiser and Polosukhin — not in EMNLP or CVPR; [22] invents co-authors. | — |
# | 98 | A5 refs [10], [30] | 「Huang, L., Liu, Z., Van Der Maaten, L., & Weinberger, K. Q. (2018). Densely connected convolutional networks. CVPR (pp. 596–605)」 and the same with 「Huang, G.」, 2017, pp. 1–9 | partly | DenseNet: Gao Huang et al., CVPR 2017 (pp. 4700–4708). | — |
# | 99 | A5 refs [11], [12] | 「Radford, A., Metz, L., & Chintala, S. (2020). DALL-E: Creating images from text with Convolutional Transformers. OpenAI Blog」; 「Brown, J. S., Koichi, W., & Roberts, N. (2020). Language Models are Unsupervised Multitask Learners. OpenAI Blog」 | **FALSE** | Invented attributions. "Language Models are Unsupervised Multitask Learners" (GPT-2) is by Radford et al., 2019; Radford, Metz & Chintala wrote the DCGAN paper (2015); the DALL·E post (2021) has no such title. | — |
# | 100 | A5 refs [13], [14], [21], [37] | 「Self-attention all the way to RL」 (ICMLA 2019); 「R-CNN as feature detectors」 (CVPR 2015); 「Learning to translate with attention」 (CVPR 2017); 「Aggregating convolutions for deep image super-resolution」 (CVPR 2017) | **FALSE** | No such papers could be found: treat as invented. | — |
# | 101 | A5 ref [15] | 「Redmon, J., Farhadi, A., & Zisserman, A. (2016). You only look once: Real-time object detection with region proposal networks」 | **FALSE** | Garbled: YOLO is "You Only Look Once: Unified, Real-Time Object Detection" (Redmon, Divvala, Girshick, Farhadi, CVPR 2016); "region proposal networks" comes from the Faster R-CNN title. | — |
# | 102 | A5 refs [16], [17], [31] | Instance normalization by 「Ulyanov, D., Kornblith, S., Larochelle, Y., & Bengio, Y.」 (CVPR); Squeeze-and-excitation by 「Hu, G., Liu, S., & Wei, W.」 (twice) | **FALSE** | Instance normalization: Ulyanov, Vedaldi & Lempitsky (2016, arXiv preprint). Squeeze-and-excitation: **J. Hu, L. Shen, G. Sun**, CVPR 2018, pp. 7132–7141. | — |
# | 103 | A5 refs [18], [38]–[47] | 「Zhang, Y., Zhang, H., Zhang, H., & Zhang, H. (2018). ShuffleNet…」 repeated eleven times (the list is cut off mid-entry) | **FALSE** | ShuffleNet is by **X. Zhang, X. Zhou, M. Lin, J. Sun** (CVPR 2018). The repetitions are a generation artifact. | — |
# | 104 | A5 refs [19], [23], [24] | 「Esmaeilzadeh & Alizadeh (2018). A survey on deep learning for NLP. arXiv:1807.04171」; 「Kim, J. (2015). Convolutional neural networks for sentence classification」; 「Mikolov, T., Chen, K., & Sutskever, I. (2013)… In Proceedings of the 2013 conference on empirical methods in natural language processing」 | **FALSE** / partly | [19] could not be found. [23] is by Yoon Kim (EMNLP 2014). [24] is by Mikolov, Chen, Corrado & Dean (arXiv:1301.3781), not an EMNLP paper. | — |
# | 105 | A5 refs [26], [27], [29], [32], [35], [36] | 「Practical recommendations for training very deep neural networks」 (Bengio, Dauphin, Mannor); 「Understanding the difficulty of training deep models」 (IEEE conf. AI); batch normalization in CVPR; 「Lin, T., Dai, J., Jia, Y., & Sun, J. (2014). Network in network」; 「Striving for simplicity: The loss landscape of deep networks…」 (Springenberg, Nowlan, Hinton); 「Wang, L., Chen, Y., … (2018). Wide residual networks」 | **FALSE** | Real titles or topics with wrong authors/venues: Bengio (2012), "Practical recommendations for gradient-based training of deep architectures"; Glorot & Bengio, "…deep feedforward neural networks", **AISTATS** 2010; Ioffe & Szegedy, **ICML** 2015; Network in Network by Lin, Chen & Yan (ICLR 2014); "Striving for Simplicity: The All Convolutional Net" by Springenberg, Dosovitskiy, Brox & Riedmiller; Wide Residual Networks by **Zagoruyko & Komodakis** (BMVC 2016). | [glorot2010understanding](../06_faq/03_references.ipynb#glorot2010understanding), [ioffe2015batch](../06_faq/03_references.ipynb#ioffe2015batch) |
#
# **Tally.** Of the 105 rows, 14 are true, 34 partly true and 50 false; 3 grouped reference rows mix partly
# and false entries, and 4 rows contain no checkable claim. The reference lists fare worst: of A1's five
# references one is right; of A5's forty-seven, four.

# %% [markdown]
# The tally above is counted, not typed: the cell below reads the table from this chapter's own source and
# checks the numbers.

# %%
import collections
import re
from pathlib import Path

rows = [line for line in Path("02_claims_checked.py").read_text(encoding="utf-8").splitlines()
        if re.match(r"# \| \d+ \|", line)]
verdicts = collections.Counter(line.split(" | ")[4].replace("*", "").strip().lower() for line in rows)
print(len(rows), "rows:", dict(verdicts))
assert len(rows) == 105
assert (verdicts["true"], verdicts["partly"], verdicts["false"], verdicts["n/a"]) == (14, 34, 50, 4)
assert verdicts["partly / false"] + verdicts["false / partly"] == 3

# %% [markdown]
# ## The evidence
#
# Every cell below is small and fast. The library does the work (`gradcourse.nets` for networks with
# hand-written back-propagation, `gradcourse.optim.functional` for update rules, `gradcourse.schedules`,
# `gradcourse.clip`, `gradcourse.problems`); where a document's *own* formula or code is tested, the cell
# writes that formula out — as an experiment, clearly marked — and compares it with the library.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

from gradcourse import clip, data, diagnostics, nets, plots, problems, schedules
from gradcourse.optim import functional as F
from gradcourse.optim.building_blocks import bias_correction
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)  # the networks here are tiny: one thread is fastest on a shared 2-core machine
rng = np.random.default_rng(0)


def signal_norms(net: nets.NumpyMLP, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """‖∂L/∂h_l‖ for every hidden layer l = 1 … L−1, first layer first (one backward pass)."""
    _, _, signals = net.loss_and_grads(X, y)
    return np.array([np.linalg.norm(s) for s in signals])


# %% [markdown]
# <a id="e1"></a>
# ### E1 · Vanishing and exploding happen in the backward pass, and need no nonlinearity (rows 1–3, 19, 28, 30, 45, 51, 65, 66, 81)
#
# A 30-layer **linear** network ($\sigma(z)=z$), weights drawn from $N(0, g^2/n)$ with gain $g$. Back-propagation
# multiplies the signal by $W_l^\top$ once per layer, so its size changes by about $g$ per layer: $g^{30}$ in
# all.

# %%
width, depth = 32, 30
X = rng.standard_normal((16, width))
Y = rng.standard_normal((16, 1))
norms_by_gain = {}
for gain in (0.5, 1.0, 1.5):
    net = nets.NumpyMLP([width] + [width] * depth + [1], activation="identity", init="normal",
                        std=gain / np.sqrt(width), seed=0)
    norms_by_gain[gain] = signal_norms(net, X, Y)

fig, ax = plt.subplots(figsize=(6.4, 3.8))
for gain, n in norms_by_gain.items():
    ax.semilogy(np.arange(1, depth + 1), n, marker=".", label=f"gain g = {gain}")
ax.set_title("A deep linear network: the backward signal shrinks or grows geometrically")
ax.set_xlabel("hidden layer l (1 = first layer)")
ax.set_ylabel("‖∂L/∂h_l‖ (log scale)")
ax.legend()
plt.show()

first_over_last = {g: n[0] / n[-1] for g, n in norms_by_gain.items()}
print({g: f"{r:.2e}" for g, r in first_over_last.items()})
assert first_over_last[0.5] < 1e-6, "g = 0.5: the gradient vanishes — with no nonlinearity at all"
assert first_over_last[1.5] > 1e3, "g = 1.5: the same network, larger weights: the gradient explodes"
assert 0.1 < first_over_last[1.0] < 10, "g = 1: the product stays of order 1"

# %% [markdown]
# <a id="e2"></a>
# ### E2 · The amplification does not depend on the size of the loss (rows 28, 29, 43)
#
# Back-propagation is linear in $\partial L/\partial\hat y$, so the ratio between the first and the last
# layer's signal is a property of the network alone. Two targets, one giving a small loss and one a huge loss:

# %%
net = nets.NumpyMLP([4] + [4] * 20 + [1], activation="identity", init="normal", std=0.75, seed=1)
x_one = rng.standard_normal((1, 4))
results = {}
for target in (0.0, 1e3):
    loss, _, signals = net.loss_and_grads(x_one, np.array([[target]]))
    results[target] = (loss, np.linalg.norm(signals[0]) / np.linalg.norm(signals[-1]))
    print(f"target {target:>6}: loss = {loss:.3g}, amplification first/last layer = {results[target][1]:.4g}")
assert results[1e3][0] > 1e3 * results[0.0][0], "the two losses differ by more than 1000×"
assert math.isclose(results[0.0][1], results[1e3][1], rel_tol=1e-9), "the amplification is identical"

# %% [markdown]
# <a id="e3"></a>
# ### E3 · A1's "exponential decay" is polynomial decay (row 8)
#
# The document's formula $\alpha(1-t/T)^\gamma$ is `schedules.polynomial_decay`; exponential decay
# $\alpha\gamma^t$ is `schedules.exponential_decay`. What makes a decay exponential is a **constant ratio**
# between consecutive rates.

# %%
T, base_lr = 100, 0.1
steps = range(T + 1)
t = np.arange(T + 1)
documents_formula = base_lr * (1 - t / T) ** 2.0  # A1 §3.2 as printed, with γ = 2 (an experiment)
polynomial = schedules.schedule_values(schedules.polynomial_decay, steps, base_lr=base_lr, total_iters=T, power=2.0)
exponential = schedules.schedule_values(schedules.exponential_decay, steps, base_lr=base_lr, gamma=0.96)

fig, ax = plt.subplots(figsize=(6.4, 3.6))
ax.plot(t, documents_formula, lw=4, alpha=0.35, label="A1's formula α(1 − t/T)^γ")
ax.plot(t, polynomial, "--", label="schedules.polynomial_decay (power 2)")
ax.plot(t, exponential, label="schedules.exponential_decay (γ = 0.96)")
ax.set_title("A1's 'exponential decay' is polynomial decay")
ax.set_xlabel("step t")
ax.set_ylabel("learning rate η_t")
ax.legend()
plt.show()

np.testing.assert_allclose(documents_formula, polynomial, rtol=1e-12)
ratio_poly = polynomial[1:T] / polynomial[: T - 1]
ratio_exp = exponential[1:] / exponential[:-1]
print(f"η_(t+1)/η_t: exponential {ratio_exp.min():.4f}…{ratio_exp.max():.4f}, "
      f"A1's formula {ratio_poly.max():.4f}…{ratio_poly.min():.4f}")
assert np.ptp(ratio_exp) < 1e-12, "exponential decay: the same ratio γ at every step"
assert np.ptp(ratio_poly) > 0.5, "A1's formula: the ratio falls from 0.98 towards 0 — not exponential"
assert polynomial[T] == 0.0 and exponential[T] > 0.0, "polynomial decay reaches 0 at t = T; exponential never does"

# %% [markdown]
# <a id="e4"></a>
# ### E4 · Warm restarts follow a calendar, not a loss threshold (row 9)

# %%
sgdr = schedules.schedule_values(schedules.cosine_warm_restarts, 60, base_lr=0.1, T_0=20)
restarts = np.flatnonzero(np.diff(sgdr) > 0) + 1
print("SGDR restarts at steps", restarts.tolist())
assert restarts.tolist() == [20, 40], "SGDR restarts every T_0 = 20 steps, whatever the loss does"

# %% [markdown]
# <a id="e5"></a>
# ### E5 · AdaGrad accumulates *squared* gradients (row 10)

# %%
theta = np.zeros(2)
state = F.init_state("adagrad", theta)
g = np.array([3.0, -0.5])
for _ in range(4):
    F.step("adagrad", theta, g, state, lr=0.1)
print("AdaGrad's accumulator after 4 equal gradients:", state["sum"], "= 4·g² =", 4 * g**2)
assert np.allclose(state["sum"], 4 * g**2), "G_t is the running sum of g², not of g"

# %% [markdown]
# <a id="e6"></a>
# ### E6 · A1's RMSprop formula is AdaGrad in disguise (row 11)
#
# A constant gradient $g=1$ for 1000 steps. RMSprop (`gradcourse`, torch's rule) averages $g^2$, so its step
# settles at $\eta$. The document's rule divides by $\sqrt{\rho\,G_t}$ with $G_t=\sum g^2=t$, so its step
# keeps shrinking like $1/\sqrt t$.

# %%
lr, rho, n_steps = 0.01, 0.9, 1000
theta = np.zeros(1)
state = F.init_state("rmsprop", theta, alpha=rho)
rmsprop_steps = []
for _ in range(n_steps):
    before = theta.copy()
    F.step("rmsprop", theta, np.ones(1), state, lr=lr, alpha=rho)
    rmsprop_steps.append(abs(theta - before)[0])
G = np.arange(1, n_steps + 1)  # A1's G_t: the accumulated squared gradient (an experiment)
documents_steps = lr / np.sqrt(rho * G + 1e-8)

fig, ax = plt.subplots(figsize=(6.4, 3.6))
ax.loglog(G, rmsprop_steps, color=plots.color_for("rmsprop"), label="RMSprop: average of g²")
ax.loglog(G, documents_steps, "--", label="A1's formula: decayrate × sum of g²")
ax.set_title("With a constant gradient, RMSprop's step stays at η; A1's shrinks like 1/√t")
ax.set_xlabel("step t")
ax.set_ylabel("|Δθ| (log scale)")
ax.legend()
plt.show()

print(f"after {n_steps} steps: RMSprop step = {rmsprop_steps[-1] / lr:.3f} η, A1's rule = {documents_steps[-1] / lr:.3f} η")
assert abs(state["square_avg"][0] - 1.0) < 1e-6, "E[g²] is an average: it settles at g² = 1"
assert abs(rmsprop_steps[-1] / lr - 1.0) < 1e-3, "RMSprop keeps stepping at η"
assert documents_steps[-1] < 0.05 * lr, "the documented rule has slowed to a crawl, as AdaGrad does"

# %% [markdown]
# <a id="e7"></a>
# ### E7 · Adam does not clip; its step ignores the gradient's scale (rows 12, 13, 63, 72)

# %%
huge = np.array([1e6])
state = {}
F.step("adam", np.zeros(1), huge, state, lr=1e-3)
clipped, total_norm = clip.clip_by_global_norm([huge], max_norm=1.0)
state_clipped = {}
F.step("adam", np.zeros(1), clipped[0], state_clipped, lr=1e-3)
print(f"first moment after g = 1e6: Adam alone {state['exp_avg'][0]:.3g}, clip-then-Adam {state_clipped['exp_avg'][0]:.3g}")
assert math.isclose(state["exp_avg"][0], 0.1 * 1e6), "the huge gradient enters m unclipped: m = (1 − β₁)g"
assert math.isclose(state["exp_avg_sq"][0], 1e-3 * 1e12), "... and v = (1 − β₂)g²"
assert state_clipped["exp_avg"][0] < 0.11, "clipping is a separate step, added before the optimizer"

first_steps = {}
for scale in (1e-4, 1.0, 1e4):
    theta = np.zeros(1)
    F.step("adam", theta, np.array([scale]), {}, lr=1e-3)
    first_steps[scale] = abs(theta[0])
print("Adam's first step for gradients 1e-4, 1, 1e4:", {k: f"{v:.6f}" for k, v in first_steps.items()})
assert all(math.isclose(s, 1e-3, rel_tol=1e-3) for s in first_steps.values()), "≈ η whatever the gradient's scale"

# %% [markdown]
# <a id="e8"></a>
# ### E8 · Adam without bias correction, and with ε inside the root (rows 14, 55)
#
# Run the library's Adam on a constant gradient and read $m_t, v_t$ from its state; the uncorrected step
# $\alpha\,m_t/(\sqrt{v_t}+\varepsilon)$ of A1 is computed from them and compared with the real step.

# %%
theta = np.zeros(1)
state = F.init_state("adam", theta)
real, uncorrected = [], []
for _ in range(300):
    before = theta.copy()
    F.step("adam", theta, np.ones(1), state, lr=1e-3)
    real.append(abs(theta - before)[0])
    uncorrected.append(1e-3 * state["exp_avg"][0] / (np.sqrt(state["exp_avg_sq"][0]) + 1e-8))  # A1 §3.2
ratio = np.array(uncorrected) / np.array(real)
print(f"uncorrected / corrected step: t=1 {ratio[0]:.3f}, largest {ratio.max():.2f} (t={ratio.argmax() + 1}), t=300 {ratio[-1]:.2f}")
assert math.isclose(ratio[0], 0.1 / math.sqrt(0.001), rel_tol=1e-6), "t = 1: (1 − β₁)/√(1 − β₂) = 3.16"
assert ratio.max() > 6.0, "without bias correction the early steps are up to 6.6× too large"

# A3's version also puts ε inside the square root. One step with a small gradient g = 1e-5:
theta = np.zeros(1)
state = {}
F.step("adam", theta, np.array([1e-5]), state, lr=1e-3)
torch_step = abs(theta[0])
a3_step = 1e-3 * state["exp_avg"][0] / np.sqrt(state["exp_avg_sq"][0] + 1e-8)  # A3 §3.3 as printed
print(f"g = 1e-5: torch's Adam steps {torch_step:.2e}, A3's formula {a3_step:.2e}")
assert torch_step > 0.99e-3 and a3_step < 0.02 * torch_step, "ε inside the root shrinks small-gradient steps 100×"

# %% [markdown]
# <a id="e9"></a>
# ### E9 · A1's code prints the predictions as "Loss" (rows 15, 16)
#
# The same model and data (`data.linear_regression(seed=1)` reproduces the document's numbers), trained with
# the library's Adam rule for the document's 1000 steps at its constant learning rate 0.01.

# %%
Xr, yr = data.linear_regression(100, seed=1)
params = {"w": np.zeros(1), "b": np.zeros(1)}
states = {name: {} for name in params}
for _ in range(1000):
    residual = params["w"] * Xr[:, 0] + params["b"] - yr[:, 0]
    grads = {"w": np.array([2 * np.mean(residual * Xr[:, 0])]), "b": np.array([2 * np.mean(residual)])}
    for name in params:
        F.step("adam", params[name], grads[name], states[name], lr=0.01)
printed_as_loss = params["w"] * Xr + params["b"]  # what A1 prints: model(X), i.e. the predictions
true_loss = float(np.mean((printed_as_loss - yr) ** 2))
print(f"slope {params['w'][0]:.3f}, intercept {params['b'][0]:.3f}; 'Loss:' prints an array of shape "
      f"{printed_as_loss.shape}; the loss is {true_loss:.3f}")
assert abs(params["w"][0] - 3) < 0.15 and abs(params["b"][0] - 2) < 0.15, "the fit itself works"
assert printed_as_loss.shape == (100, 1), "but 'Loss:' is 100 predictions, not one number"
assert true_loss < 0.3, "the real loss is the noise level (≈ 0.22)"

# %% [markdown]
# <a id="e10"></a>
# ### E10 · The quadratic-roots "proof" (rows 36–38)

# %%
a, b, c = 1.0, -3.0, 2.0


def f(x):
    return a * x * x + b * x + c


def df(x):
    return 2 * a * x + b


disc = b * b - 4 * a * c
x1, x2 = (-b + math.sqrt(disc)) / (2 * a), (-b - math.sqrt(disc)) / (2 * a)
assert f(x1) == 0 and f(x2) == 0, "the root formula is right"
print(f"roots {x1}, {x2}; f'(x1) = {df(x1)}, f'(x2) = {df(x2)}")
assert df(x1) == -df(x2) and df(x1) != df(x2), "f'(x1) = −f'(x2): opposite, not equal"
x_min = -b / (2 * a)
slope_between_roots = (f(x2) - f(x1)) / (x2 - x1)
print(f"minimum at x = {x_min}, f = {f(x_min)}; slope between the roots = {abs(slope_between_roots)}")
assert f(x_min) == c - b * b / (4 * a) == -0.25 and slope_between_roots == 0.0, "the minimum is not that slope"
assert f(0.0) > 0.1 * 0.0, "|f(x)| ≤ ε|x| fails at x = 0 for every ε: f(0) = c = 2"

xs = [10.0]
for _ in range(8):  # Newton's method, which A2 claims cannot converge from here
    xs.append(xs[-1] - f(xs[-1]) / df(xs[-1]))
values = np.abs([f(x) for x in xs])
print("Newton from x0 = 10: |f(x_n)| =", np.array2string(values, precision=2))
assert values[0] > 0.1 * xs[0] and np.all(np.diff(values) < 0) and values[-1] < 1e-12, "|f| falls to 0"

# %% [markdown]
# <a id="e11"></a>
# ### E11 · Taylor series, stationary points and $e^{-x^2}$ (rows 39–41)

# %%
x, m_terms = 0.5, 10  # f = exp at a = 0: every derivative is 1
taylor = sum(x**k / math.factorial(k) for k in range(m_terms + 1))
as_printed = sum((m_terms - k + 1) * x**k / math.factorial(k) for k in range(m_terms + 1))  # f^(k)+…+f^(m) = m−k+1
print(f"e^0.5 = {math.exp(x):.6f}; Taylor {taylor:.6f}; A2's series {as_printed:.3f}")
assert abs(taylor - math.exp(x)) < 1e-9 and as_printed > 10 * math.exp(x), "the printed coefficients are wrong"

square = [h**2 for h in (1e-1, 1e-2, 1e-3)]  # f(x) = x², f'(0) = 0: f(x) → f(0) = 0, no blow-up
assert square[0] > square[1] > square[2] > 0, "near a stationary point f(x) approaches f(a)"

gauss = lambda z: math.exp(-z * z)
grid = np.linspace(-3, 3, 601)
h = 1e-6
assert max(gauss(z) for z in grid) == gauss(0.0) == 1.0, "e^(−x²) has its maximum, not minimum, at 0"
assert abs((gauss(h) - gauss(-h)) / (2 * h)) < 1e-12, "and its derivative at 0 is 0"

# %% [markdown]
# <a id="e12"></a>
# ### E12 · A saddle point has a zero gradient and curvature of both signs (row 42)

# %%
origin = np.zeros(2)
eigs = np.linalg.eigvalsh(problems.SADDLE.hessian(origin))
print("f = x₁² − x₂² at 0: gradient", problems.SADDLE.grad(origin), "Hessian eigenvalues", eigs)
assert np.allclose(problems.SADDLE.grad(origin), 0) and eigs.min() < 0 < eigs.max(), "a saddle"

bowl = problems.Quadratic(kappa=1.0)
near_minimum = np.array([1e-4, 1e-4])
assert np.linalg.norm(bowl.grad(near_minimum)) < 1e-3, "a tiny gradient ..."
assert np.all(np.linalg.eigvalsh(bowl.hessian(near_minimum)) > 0), "... near a minimum: not a saddle"

# %% [markdown]
# <a id="e13"></a>
# ### E13 · Too large a learning rate diverges; oscillation is $\eta L > 1$ (rows 6, 20, 44, 53, 69, 76)
#
# On a quadratic with curvatures $\mu=0.1$ and $L=1$, gradient descent multiplies the error by
# $\rho(\eta)=\max(\lvert1-\eta\mu\rvert,\lvert1-\eta L\rvert)$ per step (`Quadratic.contraction`).

# %%
quad = problems.Quadratic(kappa=10.0, L=1.0)
etas = np.linspace(0.02, 2.5, 250)
rates = np.array([quad.contraction(e) for e in etas])

fig, ax = plt.subplots(figsize=(6.4, 3.6))
ax.plot(etas, rates, color=plots.color_for("sgd"))
ax.axhline(1.0, color="k", lw=0.8)
ax.axvline(quad.max_stable_lr, ls="--", color="grey", label="2/L")
ax.axvline(quad.optimal_lr, ls=":", color="grey", label="2/(L + μ)")
ax.set_title("Gradient descent on a quadratic: faster up to 2/(L+μ), divergent beyond 2/L")
ax.set_xlabel("learning rate η")
ax.set_ylabel("error factor per step ρ(η)")
ax.legend()
plt.show()

best = etas[np.argmin(rates)]
print(f"fastest η ≈ {best:.3f} (theory 2/(L+μ) = {quad.optimal_lr:.3f}); ρ > 1 for every η > 2/L = {quad.max_stable_lr}")
assert abs(best - quad.optimal_lr) < 0.02, "larger is faster only up to 2/(L + μ)"
assert np.all(rates[etas > quad.max_stable_lr] > 1), "beyond 2/L the error grows: divergence, not overfitting"

oscillating = problems.run(quad, "gd", x0=[1.0, 1.0], steps=20, lr=1.5)
diverging = problems.run(quad, "gd", x0=[1.0, 1.0], steps=20, lr=2.2)
signs = np.sign(oscillating[:, 1])
assert np.all(signs[1:] == -signs[:-1]) and abs(oscillating[-1, 1]) < 1e-5, "1 < ηL < 2: flips sign, converges"
assert np.linalg.norm(diverging[-1]) > 10 * np.linalg.norm(diverging[0]), "ηL > 2: flips sign and grows"

# %% [markdown]
# <a id="e14"></a>
# ### E14 · Clipping by value changes the direction; clipping by norm does not (rows 33, 46)

# %%
g = np.array([3.0, 0.4])
by_value = clip.clip_by_value([g], 1.0)[0]
(by_norm,), norm_before = clip.clip_by_global_norm([g], 1.0)


def cosine(u, v):
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


print(f"g = {g}: by value {by_value} (cos {cosine(by_value, g):.3f}), by norm {by_norm.round(4)} "
      f"(cos {cosine(by_norm, g):.3f}, norm {np.linalg.norm(by_norm):.4f})")
assert cosine(by_norm, g) > 1 - 1e-12 and np.linalg.norm(by_norm) <= 1.0, "norm clipping keeps the direction"
assert cosine(by_value, g) < 0.98, "value clipping turns the vector"

# %% [markdown]
# <a id="e15"></a>
# ### E15 · The two momentum formulas (rows 47, 54)
#
# A2's EMA form and A3's heavy-ball form, written out as the documents print them, against
# `problems.run(..., "momentum")` (torch's SGD with momentum, via `gradcourse.optim.functional`).

# %%
start, alpha, beta, n = np.array([1.0, 1.0]), 0.5, 0.9, 60

x, v, a2_path = start.copy(), np.zeros(2), [start.copy()]
for _ in range(n):  # A2: v ← βv + (1 − β)g,  x ← x − αv
    v = beta * v + (1 - beta) * quad.grad(x)
    x = x - alpha * v
    a2_path.append(x.copy())
torch_form = problems.run(quad, "momentum", x0=start, steps=n, lr=alpha * (1 - beta), momentum=beta)
np.testing.assert_allclose(np.array(a2_path), torch_form, rtol=1e-10, atol=1e-14)

x, x_prev, a3_path = start.copy(), start.copy(), [start.copy()]
for _ in range(n):  # A3: θ ← θ − α∇J(θ) + β(θ − θ_prev)
    x, x_prev = x - alpha * quad.grad(x) + beta * (x - x_prev), x
    a3_path.append(x.copy())
heavy_ball = problems.run(quad, "momentum", x0=start, steps=n, lr=alpha, momentum=beta)
np.testing.assert_allclose(np.array(a3_path), heavy_ball, rtol=1e-10, atol=1e-14)
print("A2's formula = torch SGD(momentum=β, lr=α(1−β)); A3's formula = torch SGD(momentum=β, lr=α): checked")

# %% [markdown]
# <a id="e16"></a>
# ### E16 · A2's Adam formula never takes its first step (row 49)

# %%
b1, b2 = 0.9, 0.999
t = np.arange(1, 6)
a2_factor = np.sqrt(1 - (b2**2) ** (t - 1)) / np.sqrt(1 - (b1**2) ** t)  # A2 as printed (an experiment)
correct = np.sqrt(bias_correction(b2, t)) / bias_correction(b1, t)
print("A2's factor:", a2_factor.round(4), "\nbias-corrected factor:", correct.round(4))
theta = np.zeros(1)
F.step("adam", theta, np.array([0.3]), {}, lr=1e-3)
assert a2_factor[0] == 0.0, "t = 1: A2's step is exactly zero"
assert math.isclose(abs(theta[0]), 1e-3, rel_tol=1e-6), "the real first Adam step is η"

# %% [markdown]
# <a id="e17"></a>
# ### E17 · A3's code (rows 57–60)
#
# The full repair is in [4.1](../04_code/01_documents_code_repaired.ipynb); here, each fault in one line or two.

# %%
X_a3 = np.linspace(-3, 3, 100)  # A3's X: one-dimensional
theta_a3 = np.random.default_rng(1).standard_normal((1, 1))
try:
    X_a3 @ theta_a3
    crashed = False
except ValueError as err:
    crashed = True
    print(f"X @ theta fails ({type(err).__name__}): shapes {X_a3.shape} and {theta_a3.shape} do not match")
assert crashed, "A3's gradient descent stops at its first line"

x, x_prev, kicks, path = start.copy(), np.zeros(2), [], [start.copy()]
for _ in range(n):  # A3's momentum loop, with the shapes repaired
    kicks.append(float(np.linalg.norm(beta * (x - x_prev))))
    x = x - alpha * quad.grad(x) + beta * (x - x_prev)
    x_prev = x.copy()
    path.append(x.copy())
plain_gd = problems.run(quad, "gd", x0=path[1], steps=n - 1, lr=alpha)
print(f"momentum term: step 1 {kicks[0]:.3f}, afterwards at most {max(kicks[1:])}")
assert kicks[0] > 0 and max(kicks[1:]) == 0.0, "theta_prev = theta.copy() kills the momentum term"
np.testing.assert_allclose(np.array(path[1:]), plain_gd, rtol=1e-12)  # after step 1: plain gradient descent

Xc, Yc = data.linear_regression(100, seed=1, variant="linspace")
r = Xc @ np.ones((1, 1)) - Yc
assert not np.allclose(Xc.T @ r**2, (Xc.T @ r) ** 2), "A3's v uses Xᵀ(r²), not the squared gradient (Xᵀr)²"
assert 1 - 0.9**1000 == 1.0, "bias correction with the total iterations (1000) divides by exactly 1"

# %% [markdown]
# <a id="e18"></a>
# ### E18 · Mini-batch gradients are noisier, not steadier (rows 71, 80)

# %%
Xr, yr = data.linear_regression(100, seed=1)
A = np.hstack([Xr, np.ones_like(Xr)])  # features [x, 1] for slope and intercept
w = np.zeros(2)


def mse_gradient(Ab, yb):
    """∇ of mean((Ab·w − y)²) at the current w (an experiment's helper)."""
    return 2 * Ab.T @ (Ab @ w - yb[:, 0]) / len(yb)


full = mse_gradient(A, yr)
spread = {}
for batch_size in (1, 10, 100):
    deviations = [mse_gradient(Ab, yb) - full for Ab, yb in data.batches(A, yr, batch_size, seed=0)]
    spread[batch_size] = float(np.sqrt(np.mean([d @ d for d in deviations])))
print("RMS deviation of the mini-batch gradient from the full gradient:", {k: round(v, 3) for k, v in spread.items()})
assert spread[100] < 1e-12 < spread[10] < spread[1], "smaller batches: noisier gradients"

# %% [markdown]
# <a id="e19"></a>
# ### E19 · Activation slopes are at most 1: they cannot make gradients explode (row 66)

# %%
z = np.linspace(-10, 10, 20001)
slopes = {name: float(nets.get_activation(name).df(z).max()) for name in ("sigmoid", "tanh", "relu")}
print("largest slope σ'(z):", slopes)
assert slopes["sigmoid"] <= 0.25 and slopes["tanh"] <= 1.0 and slopes["relu"] <= 1.0, "σ' ≤ 1"

# %% [markdown]
# <a id="e20"></a>
# ### E20 · Gradient descent's speed depends on κ, not on the number of weights; A4's MLP trains (rows 73, 77)

# %%
rate = {}
for kappa in (10.0, 100.0):
    for dim in (2, 1000):
        curvatures = np.linspace(1.0 / kappa, 1.0, dim)  # a quadratic ½ Σ λ_i θ_i² in `dim` dimensions
        theta, state = np.ones(dim), {}
        for _ in range(300):
            F.step("sgd", theta, curvatures * theta, state, lr=2.0 / (1.0 + 1.0 / kappa))
        before = np.linalg.norm(theta)
        F.step("sgd", theta, curvatures * theta, state, lr=2.0 / (1.0 + 1.0 / kappa))
        rate[kappa, dim] = np.linalg.norm(theta) / before
print({f"κ={k:g}, d={d}": round(float(r), 4) for (k, d), r in rate.items()})
for kappa in (10.0, 100.0):
    for dim in (2, 1000):
        assert abs(rate[kappa, dim] - (kappa - 1) / (kappa + 1)) < 1e-3, "per-step factor (κ−1)/(κ+1)"

# A4's network (Dense(10, relu) → Dense(1), SGD 0.01, 1000 full-batch steps), in numpy and seeded
Xm = rng.random((100, 10))
ym = Xm @ rng.random((10, 1))
mlp = nets.NumpyMLP([10, 10, 1], activation="relu", init="xavier_uniform", seed=0)
first_loss = mlp.loss_and_grads(Xm, ym)[0]
for _ in range(1000):
    loss, grads, _ = mlp.loss_and_grads(Xm, ym)
    mlp.sgd_step(grads, 0.01)
print(f"A4's MLP: loss {first_loss:.2f} → {loss:.4f}")
assert loss < first_loss / 20, "A4's code trains"

# %% [markdown]
# <a id="e21"></a>
# ### E21 · Back-propagation computes the exact gradient of every layer (rows 68, 78, 79)

# %%
net = nets.NumpyMLP([3, 5, 5, 1], activation="tanh", seed=0)
Xs, ys = rng.standard_normal((8, 3)), rng.standard_normal((8, 1))
_, grads, _ = net.loss_and_grads(Xs, ys)
W1, b1 = net.params[0]


def loss_and_first_layer_gradient(W):
    net.params[0] = (W, b1)
    value, g_all, _ = net.loss_and_grads(Xs, ys)
    return value, g_all[0][0]


error = nets.gradient_check(loss_and_first_layer_gradient, W1.copy())
net.params[0] = (W1, b1)
print(f"one backward pass gives {len(grads)} layers of gradients; first layer vs finite differences: {error:.1e}")
assert len(grads) == net.n_layers and all(np.linalg.norm(gw) > 0 for gw, _ in grads), "every layer gets its gradient"
assert error < 1e-6, "back-propagation is exact (to rounding), not an estimate"

# %% [markdown]
# <a id="e22"></a>
# ### E22 · Re-drawing the weights or widening the network does not stop vanishing (rows 32, 82, 84)

# %%
vanishing = {}
for w_ in (16, 64, 256):
    Xw, yw = rng.standard_normal((16, w_)), rng.standard_normal((16, 1))
    for seed in (0, 1, 2):
        net = nets.NumpyMLP([w_] + [w_] * 20 + [1], activation="sigmoid", init="xavier_uniform", seed=seed)
        n_ = signal_norms(net, Xw, yw)
        vanishing[w_, seed] = n_[0] / n_[-1]
print({f"width {w_}, seed {s}": f"{r:.1e}" for (w_, s), r in vanishing.items()})
assert max(vanishing.values()) < 1e-9, "20 sigmoid layers vanish at every width and every re-draw"

# %% [markdown]
# <a id="e23"></a>
# ### E23 · The product runs over layers, not training steps; residual connections fix it (rows 85–87)

# %%
Xv, yv = rng.standard_normal((16, 32)), rng.standard_normal((16, 1))
net = nets.NumpyMLP([32] + [32] * 10 + [1], activation="sigmoid", seed=0)
first_layer = []
for _ in range(5):
    _, grads, _ = net.loss_and_grads(Xv, yv)
    first_layer.append(np.linalg.norm(grads[0][0]))
    net.sgd_step(grads, 0.1)
step_ratios = np.array(first_layer[1:]) / np.array(first_layer[:-1])
print("first-layer gradient norm, step to step:", np.round(step_ratios, 3), "— A5's model predicts ≈ (1/4)^10 ≈ 1e-6")
assert np.all((step_ratios > 0.5) & (step_ratios < 2)), "across training steps the gradient does not shrink by Πσ'"

Xt = torch.tensor(rng.standard_normal((64, 32)), dtype=torch.float32)
yt = torch.tensor(rng.integers(0, 10, 64))
first_over_last_block = {}
for residual in (False, True):
    deep = nets.mlp(32, 10, depth=30, width=32, activation="sigmoid", init="xavier_uniform", residual=residual, seed=0)
    torch.nn.functional.cross_entropy(deep(Xt), yt).backward()
    norms = diagnostics.grad_norms(deep)
    first_over_last_block[residual] = norms["blocks.0.linear"] / norms["blocks.29.linear"]
print(f"first/last block gradient, 30 sigmoid blocks: plain {first_over_last_block[False]:.1e}, "
      f"residual {first_over_last_block[True]:.2f}")
assert first_over_last_block[False] < 1e-12 < 1e-2 < first_over_last_block[True], "h + F(h) keeps the gradient alive"

# %% [markdown]
# <a id="e24"></a>
# ### E24 · A5's XOR code climbs the loss; one layer cannot do XOR, a hidden layer can (rows 88, 89)

# %%
sigmoid = nets.get_activation("sigmoid").f
Xx, yx = data.xor()
yx = yx.astype(float)
theta, history = np.zeros(2), []
for _epoch in range(1000):  # A5 §4.1 as printed (lr 0.01, 1000 epochs)
    for i in range(4):
        y_pred = sigmoid(Xx @ theta)
        gradient = Xx.T @ (2 * (yx[i] - y_pred))
        theta -= 0.01 * gradient
    history.append(np.mean((yx - sigmoid(Xx @ theta)) ** 2))
print(f"A5's loop: mean squared error {0.25:.4f} at the start → {history[-1]:.4f}; outputs {sigmoid(Xx @ theta).round(3)}")
assert history[-1] > 0.25, "the sign error makes the loop ascend the loss"
assert sigmoid(Xx[0] @ theta) == 0.5, "without a bias, input (0, 0) always gives 0.5: XOR is out of reach"

hidden = nets.NumpyMLP([2, 4, 1], activation="tanh", seed=0)
for _ in range(3000):
    loss, grads, _ = hidden.loss_and_grads(Xx, yx[:, None])
    hidden.sgd_step(grads, 0.2)
print(f"with one hidden layer of 4 tanh units: loss {loss:.1e}, outputs {hidden(Xx).ravel().round(3)}")
assert np.array_equal(hidden(Xx).ravel().round(), yx), "a hidden layer solves XOR"

# %% [markdown]
# ## What we learned
#
# - The documents' definitions of vanishing and exploding gradients are mostly right in A3 and mostly wrong
#   in A2. The mechanism is always the same: the back-propagated gradient is a **product of per-layer
#   factors**, and a long product shrinks or grows geometrically — even in a linear network (E1).
# - Misnamed formulas: A1's "exponential decay" is polynomial (E3); A1's RMSprop is a disguised AdaGrad (E6);
#   A1's and A3's Adam lack bias correction (E8) and A2's never takes its first step (E16).
# - Adam does not clip (E7); a large learning rate diverges rather than overfits (E13); mini-batches add noise
#   rather than remove it (E18); wider networks and re-drawn weights do not stop vanishing (E22); residual
#   connections do (E23).
# - Of the documents' code, A1's runs but mislabels its output, A3's crashes, A4's runs, and A5's climbs the
#   loss (E9, E17, E20, E24); [4.1](../04_code/01_documents_code_repaired.ipynb) repairs all four.
# - Of the references, A1 and A5 invent papers, authors and venues. The course's own bibliography, every field
#   checked, is on the [references page](03_references.ipynb).
