"""tools/model_converters/mimvit_to_hf.py: transformers ViTMAE / ViT that compute our function."""
import json

import torch
from transformers import ViTForImageClassification, ViTMAEForPreTraining, ViTModel
from transformers.models.vit_mae.modeling_vit_mae import get_2d_sincos_pos_embed

from mimtoolkit.registry import MODELS
from ..conftest import run_tool, tiny_mae_cfg

TOOL = 'tools/model_converters/mimvit_to_hf.py'


def trained_like(cfg: dict, tmp_path, name: str):
    """A pretrainer of ``cfg`` with non-trivial weights, its config file and checkpoint."""
    model = MODELS.build(cfg)
    model.init_weights()
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for param in model.parameters():  # no zero biases / unit norms left to hide a mix-up
            if not param.requires_grad:  # the fixed sin-cos tables stay sin-cos
                continue
            param.add_(0.05 * torch.randn(param.shape, generator=generator))
    config = tmp_path / f'{name}.py'
    config.write_text(f"default_scope = 'mimtoolkit'\nmodel = {cfg!r}\n")
    checkpoint = tmp_path / f'{name}.pth'
    torch.save({'meta': {}, 'state_dict': model.state_dict()}, str(checkpoint))
    return model.eval(), str(config), str(checkpoint)


def test_mae_exports_to_vitmae_with_equal_encoder_decoder_and_loss(tmp_path):
    model, config, ckpt = trained_like(tiny_mae_cfg(), tmp_path, 'mae')
    out = tmp_path / 'hf'
    proc = run_tool([TOOL, config, ckpt, str(out)])
    assert 'ViTMAEForPreTraining' in proc.stdout
    assert {'config.json', 'model.safetensors', 'preprocessor_config.json'} <= \
        {p.name for p in out.iterdir()}
    hf, info = ViTMAEForPreTraining.from_pretrained(str(out), output_loading_info=True)
    assert not info['missing_keys'] and not info['unexpected_keys']
    hf.eval()
    hf_cfg = json.loads((out / 'config.json').read_text())
    assert hf_cfg['mask_ratio'] == 0.75 and hf_cfg['norm_pix_loss'] is True
    assert hf_cfg['num_attention_heads'] == 2 and hf_cfg['decoder_num_attention_heads'] == 2
    images = torch.randn(3, 3, 32, 32)
    with torch.no_grad():
        latent, _ = model.encode_masked(images)
        pred, _ = model.decode(latent)
        noise = latent.mask_info.ids_restore.float()  # HF keeps argsort(noise)[:keep]: our mask
        theirs = hf(pixel_values=images, noise=noise)
        encoded = hf.vit(pixel_values=images, noise=noise).last_hidden_state
        ours_loss = model.head.loss(pred, images, latent.mask_info.mask)['loss_rec']
    assert torch.equal(theirs.mask, latent.mask_info.mask)
    assert torch.allclose(encoded, latent.leading_and_visible(), atol=1e-5)
    assert torch.allclose(theirs.logits, pred, atol=1e-5)
    assert torch.allclose(theirs.loss, ours_loss, atol=1e-5)  # same patch layout, norm_pix
    # the fixed sin-cos table is ours: the grid transpose of the one ViTMAE builds for a new model
    table = hf.vit.embeddings.position_embeddings[0, 1:]
    assert torch.equal(table, model.backbone.pos_embed[0, 1:])
    fresh = torch.from_numpy(get_2d_sincos_pos_embed(32, 4)).float()
    assert not torch.allclose(table, fresh, atol=1e-3)
    assert torch.allclose(table.reshape(4, 4, 32).transpose(0, 1).reshape(16, 32), fresh,
                          atol=1e-6)
    processor = json.loads((out / 'preprocessor_config.json').read_text())
    assert processor['image_mean'] == [0.5] * 3 and processor['size'] == dict(height=32,
                                                                              width=32)


def test_encoder_only_exports_to_vit_model_and_classifier(tmp_path):
    model, config, ckpt = trained_like(tiny_mae_cfg(), tmp_path, 'mae')
    out = tmp_path / 'vit'
    proc = run_tool([TOOL, config, ckpt, str(out), '--encoder-only'])
    assert 'ViTModel' in proc.stdout
    vit, info = ViTModel.from_pretrained(str(out), add_pooling_layer=False,
                                         output_loading_info=True)
    assert not info['missing_keys'] and not info['unexpected_keys']
    images = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        ours = model.backbone.encode(images).leading_and_visible()
        theirs = vit.eval()(pixel_values=images).last_hidden_state
    assert torch.allclose(theirs, ours, atol=1e-5)
    classifier, info = ViTForImageClassification.from_pretrained(str(out), num_labels=5,
                                                                 output_loading_info=True)
    assert sorted(info['missing_keys']) == ['classifier.bias', 'classifier.weight']


def test_proxy_and_convvit_backbones_are_refused_in_one_line(tmp_path):
    cfg = tiny_mae_cfg()
    cfg['backbone'].update(num_proxy_tokens=3, proxy_block=None)
    _, config, ckpt = trained_like(cfg, tmp_path, 'proxies')
    proc = run_tool([TOOL, config, ckpt, str(tmp_path / 'o')], check=False)
    assert proc.returncode == 2 and 'SemanticMIM proxies have no transformers' in proc.stderr
    assert 'Traceback' not in proc.stderr
    conv = tiny_mae_cfg(img=64, patch=16)
    conv = dict(conv, backbone=dict(
        type='ConvViT', arch=dict(embed_dims=[16, 24, 32], depths=[1, 1, 2], num_heads=2),
        img_size=64), neck=dict(conv['neck'], type='PatchTokenMAEDecoder'))
    _, config, ckpt = trained_like(conv, tmp_path, 'convvit')
    proc = run_tool([TOOL, config, ckpt, str(tmp_path / 'o2')], check=False)
    assert proc.returncode == 2 and 'ConvViT (ConvMAE stages) has no transformers' in proc.stderr
    assert 'Traceback' not in proc.stderr
