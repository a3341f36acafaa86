"""ConvViT: ConvMAE's masked convolution stages without leakage, multi-scale outputs."""
import pytest
import torch

from mimtoolkit.registry import MODELS
from mimtoolkit.structures import MaskInfo
from mimtoolkit.utils import ConfigError

TINY = dict(embed_dims=[16, 24, 32], depths=[1, 1, 2], num_heads=2)


def conv_vit(**kwargs):
    model = MODELS.build(dict(type='ConvViT', arch=TINY, img_size=64, **kwargs))
    model.init_weights()
    model.eval()
    return model


def pixel_mask(info: MaskInfo, grid, patch):
    return info.mask.reshape(-1, 1, *grid).repeat_interleave(patch, 2).repeat_interleave(patch, 3)


@pytest.mark.parametrize('use_mask_token', [False, True])
def test_visible_outputs_do_not_depend_on_masked_pixels(use_mask_token):
    model = conv_vit(use_mask_token=use_mask_token)
    info = MODELS.build(dict(type='RandomMasker', mask_ratio=0.75))(2, (4, 4), 'cpu')
    x = torch.randn(2, 3, 64, 64)
    masked_pixels = pixel_mask(info, (4, 4), 16)
    out = model.encode(x, info).tokens
    noisy = model.encode(x + 5 * masked_pixels * torch.randn_like(x), info).tokens
    visible_change = model.encode(x + 5 * (1 - masked_pixels) * torch.randn_like(x), info).tokens
    if use_mask_token:  # all 16 patch tokens; compare the visible ones
        keep = torch.cat([torch.zeros(2, 1), 1 - info.mask], 1).bool()
        out, noisy, visible_change = out[keep], noisy[keep], visible_change[keep]
    assert torch.allclose(out, noisy, atol=1e-6)
    assert not torch.allclose(out, visible_change, atol=1e-3)


def test_the_conv_stages_see_the_mask_block_wise_on_their_grids():
    model = conv_vit()
    info = MODELS.build(dict(type='RandomMasker', mask_ratio=0.5))(1, (4, 4), 'cpu')
    seen = []
    for block in (model.patch_embed.stage1[0], model.patch_embed.stage2[0]):
        block.register_forward_hook(lambda m, args, out: seen.append(args[1]))
    model.encode(torch.randn(1, 3, 64, 64), info)
    vis = 1 - info.mask.reshape(1, 1, 4, 4)
    assert seen[0].shape == (1, 1, 16, 16) and seen[1].shape == (1, 1, 8, 8)
    assert torch.equal(seen[0][..., ::4, ::4], vis) and torch.equal(seen[1][..., ::2, ::2], vis)
    assert torch.equal(seen[0], vis.repeat_interleave(4, 2).repeat_interleave(4, 3))


def test_unmasked_forward_gives_stride_4_8_16_32_maps_as_pretrained():
    model, x = conv_vit(), torch.randn(2, 3, 64, 64)
    outs = model(x)
    assert [tuple(o.shape) for o in outs] == [(2, 16, 16, 16), (2, 24, 8, 8), (2, 32, 4, 4),
                                              (2, 32, 2, 2)]
    # stride 16: the tokens pretraining trains (transformer + stage-1/2 fusion), as a map
    tokens = model.encode(x).patch_tokens
    assert torch.allclose(outs[2].flatten(2).transpose(1, 2), tokens, atol=1e-6)
    assert torch.equal(outs[3], torch.nn.functional.max_pool2d(outs[2], 2))


def test_encoder_switches_and_mmpretrain_names_carry_over():
    model = conv_vit(fusion_layers=[0, 1])
    names = set(dict(model.named_parameters()))
    assert {'layers.1.attn.qkv.weight', 'cls_token', 'ln1.weight',
            'patch_embed.stage1.0.attn.weight', 'patch_embed.fuse1.weight'} <= names
    assert model.patch_size == 16 and model.patch_grid((64, 64)) == (4, 4)
    assert model.get_layer_depth('patch_embed.stage2.0.conv1.weight')[0] == 0
    assert model.get_layer_depth('layers.1.attn.qkv.weight')[0] == 2


def test_the_paper_sizes():
    model = MODELS.build(dict(type='ConvViT', arch='b'))
    stem = model.patch_embed
    assert [len(stem.stage1), len(stem.stage2), len(model.layers)] == [2, 2, 11]
    assert (stem.stage1_embed[0].out_channels, stem.stage2_embed[0].out_channels,
            model.embed_dims) == (256, 384, 768)
    assert [stem.stage1_embed[0].stride, stem.stage2_embed[0].stride,
            stem.projection.stride] == [(4, 4), (2, 2), (2, 2)]


def test_bad_sizes_are_clear_errors():
    with pytest.raises(ConfigError, match='backbone.patch_sizes=\\[4, 2\\]'):
        MODELS.build(dict(type='ConvViT', arch=TINY, patch_sizes=[4, 2]))
    with pytest.raises(ConfigError, match='backbone.img_size=72'):
        MODELS.build(dict(type='ConvViT', arch=TINY, img_size=72))
    with pytest.raises(ConfigError, match="backbone.arch='huge'"):
        MODELS.build(dict(type='ConvViT', arch='huge'))
