"""A tiny transformer built from ``torch.nn`` pieces, with the layer normalization after or before each sublayer.

A block has two sublayers, self-attention and a feed-forward network FFN(x) = W₂ ReLU(W₁x + b₁) + b₂, each
wrapped in a residual connection and a LayerNorm. Where the LayerNorm sits is the switch ``norm_position``:

* ``"post"`` (the original transformer of Vaswani et al. 2017)::

      x ← LN(x + Attn(x));   x ← LN(x + FFN(x))

  every path from the output back to the input goes through a LayerNorm, once per sublayer;
* ``"pre"`` (Xiong et al. 2020, "On Layer Normalization in the Transformer Architecture")::

      x ← x + Attn(LN(x));   x ← x + FFN(LN(x))        and a final LN before the head

  the residual stream x is never normalized, so the identity path runs untouched from the head to the input.

:func:`tiny_transformer` builds token and position embeddings, ``depth`` blocks and a linear head that
predicts one of ``n_out`` classes at every position. The same ``seed`` always gives the same weights, and the
global torch random state is left as it was.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from gradcourse._validate import choice, instance, integer, real

__all__ = ["NORM_POSITIONS", "SelfAttention", "TinyTransformer", "TransformerBlock", "tiny_transformer"]

#: Where a block's LayerNorms sit: after the residual addition (post-LN) or before each sublayer (pre-LN).
NORM_POSITIONS: tuple[str, ...] = ("post", "pre")


class SelfAttention(nn.Module):
    """Multi-head self-attention, written out. For each of the ``n_heads`` heads, with d = d_model / n_heads:

        q, k, v = x W_q, x W_k, x W_v            (one ``nn.Linear`` makes all three)
        A = softmax(q kᵀ · s)   with s = 1/√d   (row-wise: one distribution over the keys per query)
        head = A v

    and the heads, side by side, go through the output projection ``out``. Equals ``nn.MultiheadAttention``
    with the same weights; ``scale`` replaces s = 1/√d (``scale=1.0`` is the unscaled dot product).
    """

    def __init__(self, d_model: int, n_heads: int, *, scale: float | None = None) -> None:
        super().__init__()
        d_model = integer("d_model", d_model, 1)
        self.n_heads = integer("n_heads", n_heads, 1)
        if d_model % n_heads:
            raise ValueError(f"d_model must be a multiple of n_heads (each head gets d_model / n_heads "
                             f"dimensions), got d_model={d_model}, n_heads={n_heads}")
        self.d_head = d_model // n_heads
        self.scale = 1.0 / math.sqrt(self.d_head) if scale is None else real("scale", scale, 0.0, open_low=True)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.out = nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, d_model = x.shape
        q, k, v = self.qkv(x).reshape(batch, length, 3, self.n_heads, self.d_head).permute(2, 0, 3, 1, 4)
        weights = torch.softmax(q @ k.transpose(-2, -1) * self.scale, dim=-1)  # (batch, heads, length, length)
        return self.out((weights @ v).transpose(1, 2).reshape(batch, length, d_model))

    def extra_repr(self) -> str:
        return f"n_heads={self.n_heads}, d_head={self.d_head}, scale={self.scale:.4g}"


class TransformerBlock(nn.Module):
    """One transformer block of width ``d_model``: multi-head self-attention (:class:`SelfAttention`,
    ``n_heads`` heads) and a ReLU feed-forward network of width ``d_ff``, each inside a residual connection
    with a LayerNorm.

        post-LN:  x ← LN₁(x + Attn(x));      x ← LN₂(x + FFN(x))
        pre-LN:   x ← x + Attn(LN₁(x));      x ← x + FFN(LN₂(x))
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int, *, norm_position: str = "pre") -> None:
        super().__init__()
        d_ff = integer("d_ff", d_ff, 1)
        self.norm_position = choice("norm_position", norm_position, NORM_POSITIONS)
        self.attn = SelfAttention(d_model, n_heads)
        self.ff = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model))
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.norm_position == "post":
            x = self.norm1(x + self.attn(x))
            return self.norm2(x + self.ff(x))
        x = x + self.attn(self.norm1(x))
        return x + self.ff(self.norm2(x))

    def extra_repr(self) -> str:
        return f"norm_position={self.norm_position!r}"


class TinyTransformer(nn.Module):
    """Embeddings, ``blocks`` (a ModuleList of :class:`TransformerBlock`), a final LayerNorm (pre-LN only;
    an identity for post-LN, whose last block already ends in one) and a linear ``head``; built by
    :func:`tiny_transformer`.

    Input: integer tokens of shape (batch, length) with length ≤ ``max_len``; output: logits of shape
    (batch, length, n_out).
    """

    def __init__(self, vocab_size: int, n_out: int, *, max_len: int, depth: int, d_model: int, n_heads: int,
                 d_ff: int, norm_position: str) -> None:
        super().__init__()
        self.vocab_size, self.max_len = vocab_size, max_len
        self.norm_position = choice("norm_position", norm_position, NORM_POSITIONS)
        self.tokens = nn.Embedding(vocab_size, d_model)
        self.positions = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(TransformerBlock(d_model, n_heads, d_ff, norm_position=norm_position)
                                    for _ in range(depth))
        self.final_norm = nn.LayerNorm(d_model) if norm_position == "pre" else nn.Identity()
        self.head = nn.Linear(d_model, n_out)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        instance("tokens", tokens, torch.Tensor, "a tensor of integer tokens, shape (batch, length)")
        if tokens.ndim != 2 or tokens.dtype.is_floating_point or not 1 <= tokens.shape[1] <= self.max_len:
            raise ValueError(f"tokens must be an integer tensor of shape (batch, length) with 1 <= length <= "
                             f"{self.max_len}, got dtype {tokens.dtype} and shape {tuple(tokens.shape)}")
        if tokens.numel() and not 0 <= int(tokens.min()) <= int(tokens.max()) < self.vocab_size:
            raise ValueError(f"tokens must lie in 0 .. {self.vocab_size - 1} (the vocabulary), got values "
                             f"from {int(tokens.min())} to {int(tokens.max())}")
        x = self.tokens(tokens) + self.positions(torch.arange(tokens.shape[1], device=tokens.device))
        for block in self.blocks:
            x = block(x)
        return self.head(self.final_norm(x))


def tiny_transformer(
    vocab_size: int,
    n_out: int | None = None,
    *,
    max_len: int,
    depth: int,
    d_model: int = 32,
    n_heads: int = 2,
    d_ff: int | None = None,
    norm_position: str = "pre",
    seed: int = 0,
) -> TinyTransformer:
    """A small transformer encoder that predicts one of ``n_out`` classes (default: ``vocab_size``) at every
    position of a token sequence.

    ``depth`` blocks (see :class:`TransformerBlock`) of width ``d_model`` with ``n_heads`` heads and a
    feed-forward width ``d_ff`` (default 4·d_model), learned token and position embeddings, and
    ``norm_position`` ``"post"`` or ``"pre"``. Every weight gets torch's own initialization (embeddings
    N(0, 1), Linear layers U(±1/√fan_in), LayerNorm gain 1 and shift 0), drawn from ``seed``; the global torch
    random state is left as it was.

    Example::

        >>> net = tiny_transformer(10, max_len=8, depth=4, norm_position="post")
        >>> net(torch.zeros(3, 8, dtype=torch.long)).shape
        torch.Size([3, 8, 10])
    """
    vocab_size = integer("vocab_size", vocab_size, 1)
    n_out = vocab_size if n_out is None else integer("n_out", n_out, 1)
    max_len = integer("max_len", max_len, 1)
    depth = integer("depth", depth, 0)
    d_model = integer("d_model", d_model, 1)
    d_ff = 4 * d_model if d_ff is None else integer("d_ff", d_ff, 1)
    choice("norm_position", norm_position, NORM_POSITIONS)
    seed = integer("seed", seed, 0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return TinyTransformer(vocab_size, n_out, max_len=max_len, depth=depth, d_model=d_model, n_heads=n_heads,
                               d_ff=d_ff, norm_position=norm_position)
