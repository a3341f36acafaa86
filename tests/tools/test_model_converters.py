"""tools/model_converters: extract the backbone, to timm (same features), import MAE."""
import pytest
import timm
import torch

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import load_state_dict_file
from ..conftest import TINY_ARCH, run_tool, tiny_mae_cfg


def save(model, path):
    torch.save({'meta': {}, 'state_dict': model.state_dict()}, path)
    return str(path)


def test_extract_backbone_keeps_the_transfer_backbone_and_it_loads_downstream(
        semanticmim_checkpoint, tmp_path):
    path, model = semanticmim_checkpoint
    out = str(tmp_path / 'backbone.safetensors')
    proc = run_tool(['tools/model_converters/extract_backbone.py', path, out])
    state = load_state_dict_file(out)
    assert not any(k.startswith(('backbone.', 'mask_layers', 'mask_token', 'target'))
                   for k in state)
    assert torch.equal(state['proxy_tokens'], model.backbone.proxy_tokens)
    assert 'left out' in proc.stdout
    downstream = MODELS.build(dict(
        type='MIMViT', arch=TINY_ARCH, img_size=32, patch_size=8, num_proxy_tokens=3,
        proxy_block=None, init_cfg=dict(type='Pretrained', checkpoint=out, prefix='backbone.')))
    downstream.init_weights()
    assert torch.equal(downstream.layers[1].ffn.layers[1].weight,
                       model.backbone.layers[1].ffn.layers[1].weight)


@pytest.mark.parametrize('proxies', [0, 3])
def test_timm_vision_transformer_gives_the_same_features(proxies, tmp_path):
    cfg = tiny_mae_cfg()
    cfg['backbone'].update(num_proxy_tokens=proxies, proxy_block=None)
    mae = MODELS.build(cfg)
    mae.init_weights()
    path = save(mae, tmp_path / 'mae.pth')
    out = str(tmp_path / 'timm.pth')
    proc = run_tool(['tools/model_converters/mimvit_to_timm.py', path, out, '--num-heads', '2'])
    assert f"'reg_tokens': {max(proxies - 1, 0)}" in proc.stdout
    vit = timm.models.VisionTransformer(
        img_size=32, patch_size=8, embed_dim=32, depth=2, num_heads=2, mlp_ratio=2.0,
        reg_tokens=max(proxies - 1, 0), num_classes=0)
    vit.load_state_dict(load_state_dict_file(out), strict=True)
    vit.eval()
    mae.backbone.eval()
    x = torch.randn(2, 3, 32, 32)
    ours = mae.backbone.encode(x).leading_and_visible()  # [CLS or proxies] + patches, normed
    theirs = vit.forward_features(x)
    assert theirs.shape == ours.shape
    assert torch.allclose(theirs, ours, atol=1e-5)


def test_convvit_to_timm_is_refused_clearly(tmp_path):
    cfg = tiny_mae_cfg(img=64, patch=16)
    model = MODELS.build(dict(cfg, backbone=dict(
        type='ConvViT', arch=dict(embed_dims=[16, 24, 32], depths=[1, 1, 2], num_heads=2),
        img_size=64), neck=dict(cfg['neck'], type='PatchTokenMAEDecoder')))
    path = save(model, tmp_path / 'convvit.pth')
    proc = run_tool(['tools/model_converters/mimvit_to_timm.py', path, str(tmp_path / 'o.pth')],
                    check=False)
    assert proc.returncode == 2 and 'ConvViT backbone has no timm' in proc.stderr
    assert 'Traceback' not in proc.stderr


def official_mae_checkpoint(path):
    """An official-format MAE checkpoint: timm's encoder and timm blocks as the decoder."""
    from timm.models.vision_transformer import Block
    encoder = timm.models.VisionTransformer(img_size=32, patch_size=8, embed_dim=32, depth=2,
                                            num_heads=2, mlp_ratio=2.0, num_classes=0)
    state = {k: v for k, v in encoder.state_dict().items()}
    block = Block(16, 2, mlp_ratio=4.0, qkv_bias=True)
    state.update({f'decoder_blocks.0.{k}': v for k, v in block.state_dict().items()})
    state.update({
        'mask_token': torch.randn(1, 1, 16), 'decoder_pos_embed': torch.randn(1, 17, 16),
        'decoder_embed.weight': torch.randn(16, 32), 'decoder_embed.bias': torch.randn(16),
        'decoder_norm.weight': torch.rand(16), 'decoder_norm.bias': torch.randn(16),
        'decoder_pred.weight': torch.randn(192, 16), 'decoder_pred.bias': torch.randn(192)})
    torch.save({'model': state}, path)
    return encoder.eval(), block.eval()


def test_import_official_mae_loads_into_the_toolkit_mae_with_the_same_encoder_and_decoder(
        tmp_path):
    encoder, block = official_mae_checkpoint(tmp_path / 'official.pth')
    out = str(tmp_path / 'mae.pth')
    proc = run_tool(['tools/model_converters/import_mae.py', str(tmp_path / 'official.pth'), out,
                     '--num-heads', '2'])
    assert 'decoder tensors' in proc.stdout
    cfg = tiny_mae_cfg()
    cfg['backbone']['arch'] = dict(TINY_ARCH, feedforward_channels=64)
    mae = MODELS.build(cfg)
    result = mae.load_state_dict(load_state_dict_file(out), strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    mae.eval()
    x = torch.randn(2, 3, 32, 32)
    assert torch.allclose(mae.backbone.encode(x).leading_and_visible(),
                          encoder.forward_features(x), atol=1e-5)
    tokens = torch.randn(2, 17, 16)
    assert torch.allclose(mae.neck.decoder_blocks[0](tokens), block(tokens), atol=1e-5)


def test_import_of_something_else_is_a_clear_error(tmp_path):
    torch.save({'state_dict': {'head.fc.weight': torch.zeros(2, 2)}}, tmp_path / 'x.pth')
    proc = run_tool(['tools/model_converters/import_mae.py', str(tmp_path / 'x.pth'),
                     str(tmp_path / 'o.pth')], check=False)
    assert proc.returncode == 2 and 'expected an official MAE checkpoint' in proc.stderr
