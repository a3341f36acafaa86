"""MIMViT keeps mmpretrain's names and numbers, and its switches do what they say."""
import pytest
import torch
from mmpretrain.models import MAEViT, VisionTransformer

from mimtoolkit.registry import MODELS
from mimtoolkit.structures import MaskInfo
from mimtoolkit.utils import ConfigError

ARCH = dict(embed_dims=48, num_layers=3, num_heads=3, feedforward_channels=96)


def _mae_vit(img=32, patch=4):
    model = MAEViT(arch=ARCH, img_size=img, patch_size=patch, mask_ratio=0.75)
    model.init_weights()
    model.eval()  # mmpretrain backbones' train() returns None, so no chaining
    return model


def _mim_vit(img=32, patch=4, **kwargs):
    model = MODELS.build(dict(type='MIMViT', arch=ARCH, img_size=img, patch_size=patch,
                              **kwargs))
    model.eval()
    return model


def test_parameter_names_equal_mmpretrain_vision_transformer():
    ours = set(_mim_vit().state_dict())
    theirs = set(VisionTransformer(arch=ARCH, img_size=32, patch_size=4, out_type='raw')
                 .state_dict())
    assert ours == theirs
    assert {'patch_embed.projection.weight', 'cls_token', 'pos_embed', 'layers.0.ln1.weight',
            'layers.0.attn.qkv.weight', 'layers.0.attn.proj.weight', 'layers.0.ln2.weight',
            'layers.0.ffn.layers.0.0.weight', 'layers.0.ffn.layers.1.weight',
            'ln1.weight'} <= ours


def test_reproduces_mmpretrain_maevit_exactly_for_the_same_weights_and_mask():
    reference = _mae_vit()
    ours = _mim_vit()
    ours.load_state_dict(reference.state_dict(), strict=True)
    x = torch.randn(3, 3, 32, 32)
    torch.manual_seed(7)
    ref_tokens, ref_mask, ref_restore = reference(x, mask=True)
    # our RandomMasker draws the same noise under the same seed
    torch.manual_seed(7)
    mask_info = MODELS.build(dict(type='RandomMasker', mask_ratio=0.75))(3, (8, 8), x.device)
    assert torch.equal(mask_info.mask, ref_mask)
    assert torch.equal(mask_info.ids_restore, ref_restore)
    out = ours.encode(x, mask_info)
    assert out.leading_and_visible().shape == (3, 1 + 16, 48)
    assert torch.equal(out.leading_and_visible(), ref_tokens)


def test_unmasked_forward_equals_mmpretrain_vision_transformer():
    reference = VisionTransformer(arch=ARCH, img_size=32, patch_size=4, out_type='raw',
                                  out_indices=[1, 2])
    reference.eval()
    ours = _mim_vit(out_indices=[1, 2])
    ours.load_state_dict(reference.state_dict())
    x = torch.randn(2, 3, 32, 32)
    for a, b in zip(ours(x), reference(x)):
        assert torch.equal(a, b)
    full = ours.encode(x)
    assert torch.equal(full.leading_and_visible(), reference(x)[-1])


def test_visible_tokens_do_not_depend_on_masked_pixels():
    model = _mim_vit()
    mask_info = MaskInfo.from_mask((torch.arange(64) % 4 == 0).float().repeat(2, 1))
    x = torch.randn(2, 3, 32, 32)
    changed = x.clone()
    pixel_mask = mask_info.mask.reshape(2, 1, 8, 8).repeat_interleave(4, 2).repeat_interleave(4, 3)
    changed = torch.where(pixel_mask.bool(), torch.randn_like(x), x)
    assert torch.allclose(model.encode(x, mask_info).leading_and_visible(),
                          model.encode(changed, mask_info).leading_and_visible(), atol=1e-6)


def test_mask_token_mode_keeps_all_positions_and_hides_masked_content():
    model = _mim_vit(use_mask_token=True)
    mask_info = MaskInfo.from_mask((torch.arange(64) < 16).float().repeat(2, 1))
    x = torch.randn(2, 3, 32, 32)
    out = model.encode(x, mask_info)
    assert out.leading.shape == (2, 1, 48) and out.visible.shape == (2, 48, 48)
    assert out.masked.shape == (2, 16, 48) and out.every_patch().shape == (2, 64, 48)
    assert torch.equal(out.every_patch()[:, 16:], mask_info.gather_visible(out.every_patch()))
    x2 = x.clone()
    x2[:, :, :8, :] = torch.randn(2, 3, 8, 32)  # rows 0-1 of the grid = patches 0..15
    other = model.encode(x2, mask_info)
    for part in ('leading', 'visible', 'masked'):
        assert torch.allclose(getattr(out, part), getattr(other, part), atol=1e-6)


def test_return_layers_gives_intermediate_outputs():
    model = _mim_vit()
    out = model.encode(torch.randn(1, 3, 32, 32), None, return_layers=(0, 2))
    assert set(out.hidden_states) == {0, 2}
    assert not torch.equal(out.hidden_states[0], out.hidden_states[2])
    # the last layer's output, after the final norm, is the token output
    assert torch.allclose(model.ln1(out.hidden_states[2]), out.leading_and_visible())


@pytest.mark.parametrize('img,patch', [(32, 4), (224, 16)])
def test_any_image_and_patch_size(img, patch):
    model = MODELS.build(dict(type='MIMViT', arch=dict(ARCH, num_layers=1), img_size=img,
                              patch_size=patch))
    mask_info = MODELS.build(dict(type='RandomMasker'))(2, model.patch_grid((img, img)), 'cpu')
    out = model.encode(torch.randn(2, 3, img, img), mask_info)
    assert out.leading_and_visible().shape == (2, 1 + (img // patch)**2 // 4, 48)


def test_sincos_position_embedding_is_fixed_and_2d():
    model = _mim_vit()
    model.init_weights()
    assert not model.pos_embed.requires_grad
    assert torch.all(model.pos_embed[0, 0] == 0)  # [CLS] slot
    assert not torch.allclose(model.pos_embed[0, 1], model.pos_embed[0, 2])


def test_position_embedding_is_interpolated_when_loading_another_resolution():
    small = _mim_vit(img=32)
    small.init_weights()
    large = _mim_vit(img=64)
    large.load_state_dict(small.state_dict())
    assert large.pos_embed.shape == (1, 1 + 256, 48)
    out = large.encode(torch.randn(1, 3, 64, 64))
    assert out.leading_and_visible().shape == (1, 257, 48)


def test_attention_type_is_selectable_per_layer():
    model = _mim_vit(attn_cfgs=[dict(type='DenseAttention')] * 3)
    assert all(type(layer.attn).__name__ == 'MultiheadAttention' for layer in model.layers)
    with pytest.raises(ConfigError, match='backbone.attn_cfgs'):
        _mim_vit(attn_cfgs=[dict(type='DenseAttention')] * 2)


@pytest.mark.parametrize('kwargs,field', [
    (dict(img=30, patch=4), 'backbone.img_size'),
    (dict(patch=0), 'backbone.patch_size'),
])
def test_bad_sizes_are_clear_errors(kwargs, field):
    with pytest.raises(ConfigError, match=field):
        _mim_vit(**kwargs)


def test_layer_depth_for_layer_wise_lr_decay():
    model = _mim_vit(use_mask_token=True)  # 3 layers: depths 0 (stem) .. 4 (head)
    depth = {name: model.get_layer_depth(name, 'backbone.')[0]
             for name in ('backbone.cls_token', 'backbone.mask_token',
                          'backbone.patch_embed.projection.weight',
                          'backbone.layers.0.attn.qkv.weight',
                          'backbone.layers.2.ffn.layers.1.bias',
                          'backbone.ln1.weight')}
    assert depth == {'backbone.cls_token': 0, 'backbone.mask_token': 0,
                     'backbone.patch_embed.projection.weight': 0,
                     'backbone.layers.0.attn.qkv.weight': 1,
                     'backbone.layers.2.ffn.layers.1.bias': 3, 'backbone.ln1.weight': 4}
