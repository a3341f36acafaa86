"""import_convmae / import_semanticmim: files in the official key layouts (written here by our
own code) load strictly and compute the same outputs; another size is one clear error."""
import importlib.util
import os.path as osp
import re

import pytest
import torch

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError, load_state_dict_file
from ..conftest import REPO, TINY_ARCH, run_tool, tiny_maskfeat_cfg

CONV_ARCH = dict(embed_dims=[16, 24, 64], depths=[1, 2, 2], num_heads=1)


def converter(name):
    path = osp.join(REPO, 'tools', 'model_converters', f'{name}.py')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def jittered(model):
    """``model`` initialised, every weight moved off its init (norms, biases, zeros), in eval."""
    model.init_weights()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.05 * torch.randn_like(p))
    return model.eval()


# our names -> ConvMAE's (models_convmae.py / models_convvit.py), for writing official files
CONVMAE_NAMES = (
    (r'^backbone\.patch_embed\.stage(\d)_embed\.', r'patch_embed\1.'),
    (r'^backbone\.patch_embed\.projection\.', 'patch_embed4.'),
    (r'^backbone\.patch_embed\.stage(\d)\.(\d+)\.mlp\.0\.', r'blocks\1.\2.mlp.fc1.'),
    (r'^backbone\.patch_embed\.stage(\d)\.(\d+)\.mlp\.2\.', r'blocks\1.\2.mlp.fc2.'),
    (r'^backbone\.patch_embed\.stage(\d)\.', r'blocks\1.'),
    (r'^backbone\.patch_embed\.fuse(\d)\.', r'stage\1_output_decode.'),
    (r'^backbone\.layers\.(\d+)\.ln(\d)\.', r'blocks3.\1.norm\2.'),
    (r'^backbone\.layers\.(\d+)\.ffn\.layers\.0\.0\.', r'blocks3.\1.mlp.fc1.'),
    (r'^backbone\.layers\.(\d+)\.ffn\.layers\.1\.', r'blocks3.\1.mlp.fc2.'),
    (r'^backbone\.layers\.(\d+)\.attn\.', r'blocks3.\1.attn.'),
    (r'^backbone\.ln1\.', 'norm.'),
    (r'^backbone\.ln2\.', 'fc_norm.'),
    (r'^backbone\.pos_embed', 'pos_embed'),
    (r'^neck\.decoder_blocks\.(\d+)\.ln(\d)\.', r'decoder_blocks.\1.norm\2.'),
    (r'^neck\.decoder_blocks\.(\d+)\.ffn\.layers\.0\.0\.', r'decoder_blocks.\1.mlp.fc1.'),
    (r'^neck\.decoder_blocks\.(\d+)\.ffn\.layers\.1\.', r'decoder_blocks.\1.mlp.fc2.'),
    (r'^neck\.ln1\.', 'decoder_norm.'),
    (r'^neck\.', ''),
    (r'^head\.fc\.', 'head.'),
)


def official_names(state, table):
    out = {}
    for key, value in state.items():
        for pattern, repl in table:
            key = re.sub(pattern, repl, key)
        out[key] = value
    return out


def convmae_pretrainer():
    model = MODELS.build(dict(
        type='MAE', backbone=dict(type='ConvViT', arch=CONV_ARCH, img_size=64),
        neck=dict(type='PatchTokenMAEDecoder', num_patches=16, patch_size=16, embed_dim=64,
                  decoder_embed_dim=32, decoder_depth=2, decoder_num_heads=16),
        head=dict(type='PixelReconstructionHead', norm_pix=True, patch_size=16)))
    return jittered(model)


def test_an_official_convmae_pretraining_checkpoint_imports_strictly_and_computes_the_same(
        tmp_path):
    model = convmae_pretrainer()
    official = official_names(model.state_dict(), CONVMAE_NAMES)
    assert {'patch_embed4.weight', 'blocks3.1.attn.qkv.weight', 'stage1_output_decode.weight',
            'decoder_pos_embed', 'mask_token', 'norm.weight'} <= set(official)
    torch.save({'model': official}, tmp_path / 'convmae.pth')
    converter('import_convmae')([str(tmp_path / 'convmae.pth'), str(tmp_path / 'out.pth')])
    imported = convmae_pretrainer()
    result = imported.load_state_dict(load_state_dict_file(str(tmp_path / 'out.pth')))
    assert not result.missing_keys and not result.unexpected_keys
    x = torch.randn(2, 3, 64, 64)
    info = MODELS.build(dict(type='RandomMasker', mask_ratio=0.75))(2, (4, 4), 'cpu')
    ours, theirs = imported.backbone.encode(x, info), model.backbone.encode(x, info)
    ours, theirs = ours.leading_and_visible(), theirs.leading_and_visible()
    assert torch.allclose(ours, theirs, atol=1e-6)
    assert torch.allclose(imported.neck(ours, info.ids_restore),
                          model.neck(theirs, info.ids_restore), atol=1e-6)


def test_a_convmae_classifier_imports_into_a_pooling_convvit(tmp_path):
    model = convmae_pretrainer()
    state = {k: v for k, v in model.state_dict().items()  # what fine-tuning keeps
             if k.startswith('backbone.') and 'fuse' not in k and not k.startswith('backbone.ln1')}
    state.update({'backbone.ln2.weight': torch.rand(64), 'backbone.ln2.bias': torch.rand(64),
                  'head.fc.weight': torch.randn(10, 64), 'head.fc.bias': torch.randn(10)})
    torch.save({'model': official_names(state, CONVMAE_NAMES)}, tmp_path / 'ft.pth')
    converter('import_convmae')([str(tmp_path / 'ft.pth'), str(tmp_path / 'out.pth')])
    out = load_state_dict_file(str(tmp_path / 'out.pth'))
    backbone = MODELS.build(dict(type='ConvViT', arch=CONV_ARCH, img_size=64,
                                 out_type='avg_featmap', final_norm=False, stage_fusion=False))
    result = backbone.load_state_dict(
        {k[9:]: v for k, v in out.items() if k.startswith('backbone.')})
    assert not result.missing_keys and not result.unexpected_keys
    assert torch.equal(out['head.fc.weight'], state['head.fc.weight'])


def test_an_official_file_of_another_size_is_one_error_listing_every_misfit(tmp_path):
    official = official_names(convmae_pretrainer().state_dict(), CONVMAE_NAMES)
    official['blocks3.0.mlp.fc1.weight'] = torch.zeros(5, 64)  # another MLP width
    official.pop('blocks3.1.norm1.bias')
    official['blocks3.1.extra.weight'] = torch.zeros(1)
    torch.save({'model': official}, tmp_path / 'bad.pth')
    with pytest.raises(ConfigError) as err:
        converter('import_convmae')([str(tmp_path / 'bad.pth'), str(tmp_path / 'out.pth')])
    message = str(err.value)
    assert 'missing 1' in message and 'layers.1.ln1.bias' in message
    assert 'unexpected 1' in message and 'mis-shaped' in message and '(5, 64)' in message
    assert not osp.exists(tmp_path / 'out.pth')
    torch.save({'model': {'blocks.0.norm1.weight': torch.ones(2)}}, tmp_path / 'vit.pth')
    proc = run_tool(['tools/model_converters/import_convmae.py', str(tmp_path / 'vit.pth'),
                     str(tmp_path / 'out.pth')], check=False)
    assert proc.returncode == 2 and 'expected an official ConvMAE checkpoint' in proc.stderr


def official_semanticmim(model, num_proxies, beit=False):
    """Our SemanticMIM pretrainer's weights in the official bottleneck ViT layout: N cls tokens
    with position rows, extra_layers, split q / kv (MaskFeat) or q_proj / kv_proj (BEiT)."""
    state, out = model.state_dict(), {}
    pos, width = state['backbone.pos_embed'], state['backbone.pos_embed'].shape[-1]
    proxies = torch.cat([state['backbone.cls_token'], state['backbone.proxy_tokens']], 1)
    proxy_pos = 0.1 * torch.randn(1, num_proxies, width)  # learned rows the proxies carry
    out['backbone.cls_token'] = proxies - proxy_pos
    out['backbone.pos_embed'] = torch.cat([proxy_pos, pos[:, 1:]], 1)
    for key, value in state.items():
        if key.startswith(('backbone.cls_token', 'backbone.proxy_tokens', 'backbone.pos_embed',
                           'target_generator.')):
            continue
        key = key.replace('backbone.mask_layers.', 'backbone.extra_layers.')
        if key.endswith('attn.qkv.weight') or key.endswith('attn.qkv.bias'):
            stem, kind = key[:key.rindex('qkv.')], key.rsplit('.', 1)[1]
            q, kv = value[:width], value[width:]
            if not beit:
                out[f'{stem}q.{kind}'], out[f'{stem}kv.{kind}'] = q, kv
            elif kind == 'weight':
                out[f'{stem}q_proj.weight'], out[f'{stem}kv_proj.weight'] = q, kv
            else:
                out[f'{stem}q_bias'], out[f'{stem}v_bias'] = q, kv[width:]
            continue
        key = re.sub(r'attn\.gamma1\.weight$', 'gamma_1', key)
        key = re.sub(r'ffn\.gamma2\.weight$', 'gamma_2', key)
        key = key.replace('head.predictor.', 'neck.fc.')
        key = key.replace('head.classifier.', 'head.cls_head.')
        out[key] = value
    return out


def semanticmim_maskfeat(num_proxies=4):
    cfg = tiny_maskfeat_cfg()
    cfg['backbone'] = dict(cfg['backbone'], num_proxy_tokens=num_proxies)
    return jittered(MODELS.build(cfg))


def test_an_official_semanticmim_maskfeat_checkpoint_gives_the_same_proxy_img_mask_outputs(
        tmp_path):
    model = semanticmim_maskfeat()
    official = official_semanticmim(model, 4)
    assert {'backbone.extra_layers.0.attn.q.weight', 'backbone.layers.1.attn.kv.bias',
            'neck.fc.weight'} <= set(official) and official['backbone.cls_token'].shape[1] == 4
    torch.save({'state_dict': official}, tmp_path / 'official.pth')
    converter('import_semanticmim')([str(tmp_path / 'official.pth'), str(tmp_path / 'o.pth'),
                                     '--num-heads', '2'])
    imported = semanticmim_maskfeat()
    result = imported.load_state_dict(load_state_dict_file(str(tmp_path / 'o.pth')),
                                      strict=False)
    assert not result.unexpected_keys
    assert all(k.startswith('target_generator.') for k in result.missing_keys)
    x = torch.randn(2, 3, 32, 32)
    info = MODELS.build(dict(type='RandomMasker', mask_ratio=0.6))(2, (4, 4), 'cpu')
    ours, theirs = imported.backbone.encode(x, info), model.backbone.encode(x, info)
    assert torch.allclose(ours.leading, theirs.leading, atol=1e-5)  # [PROXY]
    assert torch.allclose(ours.visible, theirs.visible, atol=1e-5)  # [IMG]
    assert torch.allclose(ours.masked, theirs.masked, atol=1e-5)  # [MASK]
    assert torch.allclose(imported.head.predictor.weight, model.head.predictor.weight)


def test_an_official_semanticmim_beit_checkpoint_imports_strictly(tmp_path):
    backbone = dict(type='MIMViT', arch=TINY_ARCH, img_size=32, patch_size=8,
                    use_mask_token=True, sincos_pos_embed=False, num_proxy_tokens=2,
                    layer_scale_init_value=0.1)
    model = torch.nn.Module()
    model.backbone = MODELS.build(backbone)
    model.head = MODELS.build(dict(type='TokenClassificationHead', in_channels=32,
                                   num_tokens=16))
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.add_(0.05 * torch.randn_like(p))
        for layer in list(model.backbone.layers) + list(model.backbone.mask_layers):
            layer.attn.qkv.bias[32:64] = 0  # BEiT has no k bias
    official = official_semanticmim(model, 2, beit=True)
    assert {'backbone.layers.0.attn.q_bias', 'backbone.extra_layers.1.gamma_2',
            'head.cls_head.weight'} <= set(official)
    torch.save({'state_dict': official}, tmp_path / 'beit.pth')
    converter('import_semanticmim')([str(tmp_path / 'beit.pth'), str(tmp_path / 'o.pth'),
                                     '--num-heads', '2'])
    out = load_state_dict_file(str(tmp_path / 'o.pth'))
    imported = MODELS.build(backbone)
    imported.eval()
    result = imported.load_state_dict({k[9:]: v for k, v in out.items()
                                       if k.startswith('backbone.')})
    assert not result.missing_keys and not result.unexpected_keys
    x = torch.randn(2, 3, 32, 32)
    info = MODELS.build(dict(type='RandomMasker', mask_ratio=0.6))(2, (4, 4), 'cpu')
    model.eval()
    ours, theirs = imported.encode(x, info), model.backbone.encode(x, info)
    for part in ('leading', 'visible', 'masked'):
        assert torch.allclose(getattr(ours, part), getattr(theirs, part), atol=1e-5)
