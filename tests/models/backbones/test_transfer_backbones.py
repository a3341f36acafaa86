"""Transfer backbones: strict loading of pretraining checkpoints, the pyramid neck."""
import pytest
import torch
from mmengine.logging import MMLogger
from mmpretrain.models.utils import resize_pos_embed

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError
from ...conftest import TINY_ARCH


def downstream_vit(checkpoint, img_size=32, **kwargs):
    model = MODELS.build(dict(
        dict(type='MIMViT', arch=TINY_ARCH, img_size=img_size, patch_size=8, out_type='featmap',
             init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')),
        **kwargs))
    model.init_weights()
    return model


def test_a_pretraining_checkpoint_loads_every_backbone_tensor_and_names_what_it_left_out(
        semanticmim_checkpoint, capsys):
    path, pretrainer = semanticmim_checkpoint
    MMLogger.get_instance('test-left-out')  # logs to this test's captured stdout
    model = downstream_vit(path, num_proxy_tokens=3, proxy_block=None)
    for name, value in model.state_dict().items():
        assert torch.equal(value, pretrainer.backbone.state_dict()[name]), name
    log = capsys.readouterr().out
    assert 'missing: none' in log
    assert 'mask_layers.* (' in log and 'mask_token' in log and 'mask_norm' not in log
    x = torch.randn(2, 3, 32, 32)  # transfer = the pretrained encoder on the whole image
    assert torch.allclose(model(x)[0].flatten(2).transpose(1, 2),
                          pretrainer.backbone.encode(x).visible, atol=1e-5)


def test_position_embeddings_are_interpolated_to_the_downstream_resolution(mae_checkpoint):
    path, mae = mae_checkpoint
    model = downstream_vit(path, img_size=64)
    expected = resize_pos_embed(mae.backbone.pos_embed, (4, 4), (8, 8), 'bicubic', 1)
    assert model.pos_embed.shape == (1, 65, 32)
    assert torch.allclose(model.pos_embed, expected)
    assert model(torch.randn(1, 3, 64, 64))[0].shape == (1, 32, 8, 8)


def test_a_backbone_that_does_not_fit_the_checkpoint_is_a_clear_error(
        semanticmim_checkpoint, mae_checkpoint, tmp_path):
    path, _ = semanticmim_checkpoint
    with pytest.raises(ConfigError, match=r'init_cfg.checkpoint=.*lacks.*proxy_tokens'
                                          r'|tensors the backbone lacks.*proxy_tokens'):
        downstream_vit(path)  # proxies pretrained, none built
    mae_path, _ = mae_checkpoint
    with pytest.raises(ConfigError, match=r"lacks 1 of the model's .* \['proxy_tokens'\]"):
        downstream_vit(mae_path, num_proxy_tokens=3, proxy_block=None)
    with pytest.raises(ConfigError, match='shapes differ for layers.0'):
        downstream_vit(mae_path, arch=dict(TINY_ARCH, feedforward_channels=32))
    with pytest.raises(ConfigError, match=r"backbone.init_cfg.checkpoint=None is invalid"):
        downstream_vit(None)
    with pytest.raises(ConfigError, match=r'checkpoint=.*absent.pth.* expected an existing'):
        downstream_vit(str(tmp_path / 'absent.pth'))


def test_pooled_features_get_a_fresh_norm_and_the_final_norm_may_be_dropped(
        mae_checkpoint, capsys):
    path, mae = mae_checkpoint
    MMLogger.get_instance('test-fresh-norm')
    model = downstream_vit(path, out_type='avg_featmap', final_norm=False)
    assert torch.equal(model.layers[1].attn.qkv.weight, mae.backbone.layers[1].attn.qkv.weight)
    log = capsys.readouterr().out
    assert 'New in transfer, initialised: ln2.* (2)' in log and 'ln1.* (2)' in log


def test_vit_pyramid_neck_gives_strides_4_8_16_32_and_checks_its_inputs():
    neck = MODELS.build(dict(type='ViTPyramidNeck', embed_dim=8, norm_cfg=dict(type='BN')))
    maps = [torch.randn(2, 8, 4, 4) for _ in range(4)]
    assert [tuple(o.shape[-2:]) for o in neck(maps)] == [(16, 16), (8, 8), (4, 4), (2, 2)]
    assert torch.equal(neck(maps)[2], maps[2])
    with pytest.raises(ConfigError, match='backbone.out_indices=.*3 outputs'):
        neck(maps[:3])
    with pytest.raises(ConfigError, match=r'neck.rescales=\[4, 1\] is invalid'):
        MODELS.build(dict(type='ViTPyramidNeck', embed_dim=8, rescales=[4, 1]))
