"""ConvViT = ConvMAE's encoder: conv -> LN -> GELU embeddings, patch_embed4, no [CLS], fusion
inside the final norm; masked conv stages without leakage; ConvMAE's dense outputs."""
import pytest
import torch
import torch.nn.functional as F

from mimtoolkit.registry import MODELS
from mimtoolkit.structures import MaskInfo
from mimtoolkit.utils import ConfigError

TINY = dict(embed_dims=[16, 24, 32], depths=[1, 1, 2], num_heads=2)


def conv_vit(**kwargs):
    model = MODELS.build(dict(type='ConvViT', arch=TINY, img_size=64, **kwargs))
    model.init_weights()
    model.eval()
    with torch.no_grad():  # non-trivial norms, so a misplaced or missing one shows
        for name, p in model.named_parameters():
            if 'norm' in name or name.startswith('ln'):
                p.add_(0.3 * torch.randn_like(p))
    return model


def pixel_mask(info: MaskInfo, grid, patch):
    return info.mask.reshape(-1, 1, *grid).repeat_interleave(patch, 2).repeat_interleave(patch, 3)


def channel_ln(x, sd, name, eps):
    return F.layer_norm(x.permute(0, 2, 3, 1), x.shape[1:2], sd[f'{name}.weight'],
                        sd[f'{name}.bias'], eps).permute(0, 3, 1, 2)


def conv(x, sd, name, **kwargs):
    return F.conv2d(x, sd[f'{name}.weight'], sd[f'{name}.bias'], **kwargs)


def reference_encoder(model, x, info):
    """ConvMAE's encoder (models_convmae.py: forward_encoder) written from the equations with
    functional ops on the model's weights; the transformer layers are the model's own."""
    sd, grid = model.state_dict(), model.patch_grid(x.shape[-2:])
    vis = (1 - info.mask).reshape(-1, 1, *grid)

    def embed(h, stage, stride):  # conv -> LayerNorm (eps 1e-5) -> GELU
        name = f'patch_embed.stage{stage}_embed'
        return F.gelu(channel_ln(conv(h, sd, f'{name}.proj', stride=stride), sd,
                                 f'{name}.norm', 1e-5))

    def cblock(h, name, visible):
        y = conv(channel_ln(h, sd, f'{name}.norm1', 1e-5), sd, f'{name}.conv1') * visible
        y = conv(conv(y, sd, f'{name}.attn', padding=2, groups=h.shape[1]), sd, f'{name}.conv2')
        h = h + y
        y = conv(channel_ln(h, sd, f'{name}.norm2', 1e-5), sd, f'{name}.mlp.0')
        return h + conv(F.gelu(y), sd, f'{name}.mlp.2')

    s1 = cblock(embed(x, 1, 2), 'patch_embed.stage1.0', vis.repeat_interleave(4, 2)
                .repeat_interleave(4, 3))
    s2 = cblock(embed(s1, 2, 2), 'patch_embed.stage2.0', vis.repeat_interleave(2, 2)
                .repeat_interleave(2, 3))
    tokens = embed(s2, 3, 2).flatten(2).transpose(1, 2)
    tokens = F.linear(tokens, sd['patch_embed.projection.weight'],
                      sd['patch_embed.projection.bias']) + sd['pos_embed']
    fused = (conv(s1, sd, 'patch_embed.fuse1', stride=4) +
             conv(s2, sd, 'patch_embed.fuse2', stride=2)).flatten(2).transpose(1, 2)
    h = info.gather_visible(tokens)
    for layer in model.layers:
        h = layer(h)
    h = h + info.gather_visible(fused)  # the fusion is inside the final norm
    return F.layer_norm(h, h.shape[-1:], sd['ln1.weight'], sd['ln1.bias'], 1e-6)


def test_masked_encoder_is_convmaes_function():
    model = conv_vit(patch_sizes=[2, 2, 2])
    info = MODELS.build(dict(type='RandomMasker', mask_ratio=0.75))(2, (8, 8), 'cpu')
    x = torch.randn(2, 3, 64, 64)
    out = model.encode(x, info)
    assert out.num_leading == 0 and out.visible.shape == (2, 16, 32)  # no [CLS]
    assert out.masked is None
    assert torch.allclose(out.visible, reference_encoder(model, x, info), atol=1e-5)


def test_the_convmae_layout_gelu_patch_embed4_no_cls_and_eps():
    model = conv_vit()
    stem = model.patch_embed
    for stage in (stem.stage1_embed, stem.stage2_embed, stem.stage3_embed):
        assert isinstance(stage.act, torch.nn.GELU) and stage.norm.eps == 1e-5
    assert isinstance(stem.projection, torch.nn.Linear)
    assert stem.projection.in_features == stem.projection.out_features == 32
    assert stem.stage1[0].norm1.eps == stem.stage1[0].norm2.eps == 1e-5
    assert model.ln1.eps == 1e-6 and model.cls_token is None
    assert model.pos_embed.shape == (1, 16, 32)
    names = set(dict(model.named_parameters()))
    assert 'cls_token' not in names and 'patch_embed.stage3_embed.proj.weight' in names


def test_the_fusion_enters_before_the_final_norm():
    model = conv_vit()
    info = MODELS.build(dict(type='RandomMasker', mask_ratio=0.5))(1, (4, 4), 'cpu')
    seen = {}
    model.layers[-1].register_forward_hook(lambda m, args, out: seen.update(last=out))
    model.ln1.register_forward_pre_hook(lambda m, args: seen.update(norm_input=args[0]))
    x = torch.randn(1, 3, 64, 64)
    out = model.encode(x, info).visible
    maps = model.patch_embed(x, (1 - info.mask).reshape(1, 1, 4, 4))[2]
    fused = info.gather_visible(model.patch_embed.fused(maps))
    assert torch.allclose(seen['norm_input'], seen['last'] + fused, atol=1e-6)
    assert torch.allclose(out, model.ln1(seen['norm_input']), atol=1e-6)


@pytest.mark.parametrize('use_mask_token', [False, True])
def test_visible_outputs_do_not_depend_on_masked_pixels(use_mask_token):
    model = conv_vit(use_mask_token=use_mask_token)
    info = MODELS.build(dict(type='RandomMasker', mask_ratio=0.75))(2, (4, 4), 'cpu')
    x = torch.randn(2, 3, 64, 64)
    masked_pixels = pixel_mask(info, (4, 4), 16)
    out = model.encode(x, info).visible
    noisy = model.encode(x + 5 * masked_pixels * torch.randn_like(x), info).visible
    visible_change = model.encode(x + 5 * (1 - masked_pixels) * torch.randn_like(x), info).visible
    assert torch.allclose(out, noisy, atol=1e-5)
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


def test_unmasked_forward_gives_convmaes_dense_maps():
    """SEG/DET backbones of ConvMAE: stage-1/2 maps, the transformer's tokens without final
    norm or fusion, and (detection's ms_adaptor) their 2x2 max-pool."""
    model, x = conv_vit(final_norm=False, stage_fusion=False), torch.randn(2, 3, 64, 64)
    outs = model(x)
    assert [tuple(o.shape) for o in outs] == [(2, 16, 16, 16), (2, 24, 8, 8), (2, 32, 4, 4),
                                              (2, 32, 2, 2)]
    tokens, hw, maps = model.patch_embed(x)
    h = tokens + model.pos_embed
    for layer in model.layers:
        h = layer(h)
    assert torch.allclose(outs[2].flatten(2).transpose(1, 2), h, atol=1e-5)
    assert torch.allclose(outs[0], maps[0]) and torch.allclose(outs[1], maps[1])
    assert torch.equal(outs[3], F.max_pool2d(outs[2], 2))
    assert not hasattr(model.patch_embed, 'fuse1') and not hasattr(model, 'ln1')
    assert {'patch_embed.fuse1.', 'ln1.'} <= set(model.unused_in_transfer)


def test_pooled_feature_is_the_normed_mean_of_the_patch_tokens():
    model, x = conv_vit(out_type='avg_featmap', final_norm=False), torch.randn(2, 3, 64, 64)
    (pooled, ) = model(x)
    tokens = model.encode_flow(model.flow_from_patches(*model.patch_embed(x)[:2])).visible
    assert torch.allclose(pooled, model.ln2(tokens.mean(1)), atol=1e-6)


def test_encoder_switches_and_mmpretrain_names_carry_over():
    model = conv_vit(fusion_layers=[0, 1])
    names = set(dict(model.named_parameters()))
    assert {'layers.1.attn.qkv.weight', 'ln1.weight', 'patch_embed.projection.weight',
            'patch_embed.stage1.0.attn.weight', 'patch_embed.fuse1.weight'} <= names
    assert model.patch_size == 16 and model.patch_grid((64, 64)) == (4, 4)
    assert model.get_layer_depth('patch_embed.stage2.0.conv1.weight')[0] == 0
    assert model.get_layer_depth('layers.1.attn.qkv.weight')[0] == 2


def test_the_paper_sizes():
    model = MODELS.build(dict(type='ConvViT', arch='b'))
    stem = model.patch_embed
    assert [len(stem.stage1), len(stem.stage2), len(model.layers)] == [2, 2, 11]
    assert (stem.stage1_embed.proj.out_channels, stem.stage2_embed.proj.out_channels,
            model.embed_dims) == (256, 384, 768)
    assert [stem.stage1_embed.proj.stride, stem.stage2_embed.proj.stride,
            stem.stage3_embed.proj.stride] == [(4, 4), (2, 2), (2, 2)]
    assert model.pos_embed.shape == (1, 196, 768)


def test_convvit_mae_decodes_without_a_cls_row():
    cfg = dict(type='MAE', backbone=dict(type='ConvViT', arch=TINY, img_size=64),
               neck=dict(type='PatchTokenMAEDecoder', num_patches=16, patch_size=16,
                         embed_dim=32, decoder_embed_dim=16, decoder_depth=1,
                         decoder_num_heads=2),
               head=dict(type='PixelReconstructionHead', norm_pix=True, patch_size=16))
    model = MODELS.build(cfg)
    model.init_weights()
    assert model.neck.decoder_pos_embed.shape == (1, 16, 16)
    losses = model.loss(torch.randn(2, 3, 64, 64), [])
    losses['loss_rec'].backward()
    assert model.backbone.patch_embed.projection.weight.grad.abs().sum() > 0
    with pytest.raises(ConfigError, match='PatchTokenMAEDecoder for a backbone without'):
        MODELS.build(dict(cfg, neck=dict(cfg['neck'], type='MAEPretrainDecoder')))


def test_bad_sizes_are_clear_errors():
    with pytest.raises(ConfigError, match='backbone.patch_sizes=\\[4, 2\\]'):
        MODELS.build(dict(type='ConvViT', arch=TINY, patch_sizes=[4, 2]))
    with pytest.raises(ConfigError, match='backbone.img_size=72'):
        MODELS.build(dict(type='ConvViT', arch=TINY, img_size=72))
    with pytest.raises(ConfigError, match="backbone.arch='huge'"):
        MODELS.build(dict(type='ConvViT', arch='huge'))
    with pytest.raises(ConfigError, match='backbone.with_cls_token=True'):
        MODELS.build(dict(type='ConvViT', arch=TINY, with_cls_token=True))
    with pytest.raises(ConfigError, match='backbone.num_proxy_tokens=2'):
        MODELS.build(dict(type='ConvViT', arch=TINY, num_proxy_tokens=2))


def test_a_checkpoint_of_the_earlier_layout_is_one_clear_error():
    model = conv_vit()
    old = {k: v for k, v in model.state_dict().items()}
    old['patch_embed.stage1_embed.0.weight'] = old.pop('patch_embed.stage1_embed.proj.weight')
    with pytest.raises(ConfigError, match='made before that layout changed'):
        model.load_state_dict(old)


def test_an_earlier_layout_checkpoint_stops_a_downstream_init_in_one_error(tmp_path):
    old = {f'backbone.{k}': v for k, v in conv_vit().state_dict().items()}
    old['backbone.patch_embed.stage1_embed.0.weight'] = old.pop(
        'backbone.patch_embed.stage1_embed.proj.weight')
    old['backbone.cls_token'] = torch.zeros(1, 1, 32)
    torch.save({'state_dict': old}, tmp_path / 'old.pth')
    downstream = MODELS.build(dict(
        type='ConvViT', arch=TINY, img_size=64, final_norm=False, stage_fusion=False,
        init_cfg=dict(type='Pretrained', checkpoint=str(tmp_path / 'old.pth'))))
    with pytest.raises(ConfigError, match="backbone.init_cfg.checkpoint=.*ConvViT's earlier conv "
                                          'stages.*made before that layout changed'):
        downstream.init_weights()


def test_the_flops_tool_counts_no_cls_token_for_convvit():
    import importlib.util
    import os.path as osp
    from ...conftest import REPO
    spec = importlib.util.spec_from_file_location(
        'get_flops', osp.join(REPO, 'tools', 'analysis_tools', 'get_flops.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.token_counts(conv_vit(), 0.75) == dict(kind='vit', train=4, inference=16)
    vit = MODELS.build(dict(type='MIMViT', arch='mim-tiny', img_size=64, patch_size=16))
    assert tool.token_counts(vit, 0.75) == dict(kind='vit', train=5, inference=17)
