"""Attention weights behind the [CLS] maps: rows sum to 1, TopK rows keep K keys, dense = SDPA."""
import torch

from mimtoolkit.evaluation import attention_probs, cls_attention_maps
from mimtoolkit.registry import MODELS
from ..conftest import TINY_ARCH


def test_dense_weights_reproduce_the_layer_output():
    attn = MODELS.build(dict(type='DenseAttention', embed_dims=32, num_heads=4)).eval()
    x = torch.randn(2, 9, 32)
    probs = attention_probs(attn, x)
    assert torch.allclose(probs.sum(-1), torch.ones(2, 4, 9))
    v = attn.qkv(x).reshape(2, 9, 3, 4, 8).permute(2, 0, 3, 1, 4)[2]
    out = attn.proj((probs @ v).transpose(1, 2).reshape(2, 9, 32))
    assert torch.allclose(out, attn(x), atol=1e-5)


def test_topk_weights_have_k_nonzero_entries_per_row():
    attn = MODELS.build(dict(type='HomologousAttention', k_ratio=0.34, embed_dims=32,
                             num_heads=4)).eval()
    probs = attention_probs(attn, torch.randn(2, 9, 32))
    assert ((probs > 0).sum(-1) == 3).all()


def test_cls_maps_are_on_the_patch_grid():
    vit = MODELS.build(dict(type='MIMViT', arch=TINY_ARCH, img_size=32, patch_size=8))
    maps = cls_attention_maps(vit, torch.randn(3, 3, 32, 32))
    assert maps.shape == (3, 4, 4) and (maps >= 0).all() and (maps.sum((1, 2)) <= 1 + 1e-5).all()
