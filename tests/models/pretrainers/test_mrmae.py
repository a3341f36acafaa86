"""MR-MAE = MAE + FocusedMasker + MimicHead (an aux head): mimic on visible tokens,
reconstruct masked ones, focused masking, fusion, Tab. 3 ablations by config."""
import pytest
import timm
import torch
import torch.nn.functional as F

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError
from ...conftest import tiny_mae_cfg

TEACHER = dict(embed_dim=48, depth=2, num_heads=2, img_size=64)


@pytest.fixture
def dino_path(tmp_path):
    model = timm.create_model('vit_base_patch16_224', pretrained=False, num_classes=0, **TEACHER)
    path = str(tmp_path / 'dino.pth')
    torch.save(model.state_dict(), path)
    return path


def mimic_head(teacher_path, **kwargs):
    return dict(dict(type='MimicHead', in_channels=32, teacher=dict(
        type='DINOTeacher', checkpoint=teacher_path, model_kwargs=TEACHER)), **kwargs)


def mrmae_cfg(teacher_path, **kwargs):
    cfg = dict(tiny_mae_cfg(), masker=dict(type='FocusedMasker', mask_ratio=0.75, focus_ratio=0.5),
               aux_heads=[mimic_head(teacher_path)])
    cfg['head'] = dict(cfg['head'], loss_weight=0.5)
    cfg.update(kwargs)
    return cfg


def build(cfg):
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def capture(module):
    """The last output of ``module`` (a dict filled by a forward hook)."""
    seen = {}
    module.register_forward_hook(lambda m, args, out: seen.update(out=out))
    return seen


def pixel_mask(mask, grid=(4, 4), patch=8):
    return mask.reshape(-1, 1, *grid).repeat_interleave(patch, 2).repeat_interleave(patch, 3)


def test_mimic_touches_only_visible_tokens_and_reconstruction_only_masked_ones(dino_path):
    model = build(mrmae_cfg(dino_path))
    mask, pred = capture(model.masker), capture(model.neck)
    x = torch.randn(4, 3, 32, 32, requires_grad=True)
    losses = model.loss(x, None)
    assert set(losses) == {'loss_mimic', 'loss_rec'}
    masked_pixels = pixel_mask(mask['out'].mask).expand_as(x).bool()
    g_mimic, = torch.autograd.grad(losses['loss_mimic'], x, retain_graph=True)
    assert torch.all(g_mimic[masked_pixels] == 0) and g_mimic[~masked_pixels].abs().sum() > 0
    g_rec, = torch.autograd.grad(losses['loss_rec'], pred['out'], retain_graph=True)
    per_patch = g_rec.abs().sum(-1)
    masked = mask['out'].mask.bool()
    assert torch.all(per_patch[~masked] == 0) and torch.all(per_patch[masked] > 0)
    unused, = torch.autograd.grad(losses['loss_mimic'], pred['out'], allow_unused=True)
    assert unused is None  # the mimic loss never reaches the decoder


def test_mimic_loss_is_half_the_mse_to_the_teacher_at_the_visible_patches(dino_path):
    model = build(mrmae_cfg(dino_path))
    model.eval()
    mask, encoded = capture(model.masker), {}
    orig = model.backbone.encode
    model.backbone.encode = lambda *a, **k: encoded.setdefault('out', orig(*a, **k))
    x = torch.randn(2, 3, 32, 32)
    loss = model.loss(x, None)['loss_mimic']
    teacher = model.aux_heads[0].teacher.features(x, (4, 4)).patch_tokens
    target = mask['out'].gather_visible(teacher)
    expected = 0.5 * F.mse_loss(model.aux_heads[0].proj(encoded['out'].visible), target)
    assert torch.allclose(loss, expected, atol=1e-6)


def test_the_mimic_projection_is_a_trained_linear_at_equal_widths(tmp_path):
    """Eq. 2: E_v -> linear projection -> regress F_v, also when the widths are equal."""
    same = dict(TEACHER, embed_dim=32)
    teacher = timm.create_model('vit_base_patch16_224', pretrained=False, num_classes=0, **same)
    path = str(tmp_path / 'dino32.pth')
    torch.save(teacher.state_dict(), path)
    head = dict(type='MimicHead', in_channels=32,
                teacher=dict(type='DINOTeacher', checkpoint=path, model_kwargs=same))
    model = build(mrmae_cfg(path, aux_heads=[head]))
    proj = model.aux_heads[0].proj
    assert isinstance(proj, torch.nn.Linear) and (proj.in_features, proj.out_features) == (32, 32)
    assert not torch.allclose(proj.weight, torch.eye(32))  # initialised like the other linears
    model.loss(torch.randn(2, 3, 32, 32), None)['loss_mimic'].backward()
    assert proj.weight.grad.abs().sum() > 0
    ablation = build(mrmae_cfg(path, aux_heads=[dict(head, projection=None)]))
    assert isinstance(ablation.aux_heads[0].proj, torch.nn.Identity)
    with pytest.raises(ConfigError, match="projection='auto' is invalid"):
        MODELS.build(mrmae_cfg(path, aux_heads=[dict(head, projection='auto')]))


def test_focused_masking_keeps_the_teachers_most_attended_patches(dino_path):
    cfg = mrmae_cfg(dino_path, masker=dict(type='FocusedMasker', mask_ratio=0.75, focus_ratio=1))
    model = build(cfg)
    mask = capture(model.masker)
    x = torch.randn(3, 3, 32, 32)
    model.loss(x, None)
    saliency = model.aux_heads[0].teacher.features(x, (4, 4)).cls_attention
    top = saliency.topk(4, dim=1).indices.sort(1).values
    assert torch.equal(mask['out'].ids_keep.sort(1).values, top)


def three_layer_vit(**kwargs):
    arch = dict(embed_dims=32, num_layers=3, num_heads=2, feedforward_channels=64)
    return MODELS.build(dict(type='MIMViT', arch=arch, img_size=32, patch_size=8, **kwargs))


def test_fusion_sums_the_chosen_layers_before_the_final_norm():
    bb = three_layer_vit(fusion_layers=[0, 2])
    plain = three_layer_vit()
    plain.load_state_dict(bb.state_dict())
    x = torch.randn(2, 3, 32, 32)
    info = MODELS.build(dict(type='RandomMasker'))(2, (4, 4), 'cpu')
    ref = plain.encode(x, info, return_layers=(0, 1, 2))
    fused = bb.encode(x, info).leading_and_visible()
    assert torch.allclose(fused, bb.ln1(ref.hidden_states[0] + ref.hidden_states[2]), atol=1e-6)
    assert not torch.allclose(fused, ref.leading_and_visible(), atol=1e-3)
    assert not torch.allclose(fused, bb.ln1(sum(ref.hidden_states.values())), atol=1e-3)
    for bad in ([0, 1], [2, 2], [5, 2]):
        with pytest.raises(ConfigError, match='backbone.fusion_layers'):
            three_layer_vit(fusion_layers=bad)


def test_semantic_conflict_puts_both_targets_on_the_decoder_output(dino_path):
    head = mimic_head(dino_path, in_channels=16, positions='masked')
    cfg = mrmae_cfg(dino_path, aux_heads=[head])
    model = build(cfg)
    losses = model.loss(torch.randn(2, 3, 32, 32), None)
    assert set(losses) == {'loss_mimic', 'loss_rec'}
    losses['loss_mimic'].backward()
    assert model.neck.decoder_blocks[0].attn.qkv.weight.grad.abs().sum() > 0
    assert model.aux_heads[0].proj.in_features == 16


def test_mimic_only_and_reconstruction_only_ablations(dino_path):
    mimic_only = build(mrmae_cfg(dino_path, neck=None, head=None))
    assert set(mimic_only.loss(torch.randn(2, 3, 32, 32), None)) == {'loss_mimic'}
    with pytest.raises(ConfigError, match='model.neck=None .*reconstruct'):
        mimic_only.reconstruct(torch.randn(1, 3, 32, 32))
    rec_only = build(mrmae_cfg(dino_path, aux_heads=[], masker=dict(type='RandomMasker')))
    assert set(rec_only.loss(torch.randn(2, 3, 32, 32), None)) == {'loss_rec'}


@pytest.mark.parametrize('change,message', [
    (dict(aux_heads=[]), 'model.masker.type=.FocusedMasker. .*no auxiliary head whose teacher'),
    (dict(aux_heads=[], neck=None, head=None, masker=dict(type='RandomMasker')),
     'model.neck=None .*or model.aux_heads'),
    (dict(aux_heads=['masked']),
     "model.aux_heads.0.in_channels=32 .*16 \\(the width of MAE's masked tokens"),
    (dict(aux_heads=['both']), "positions='both' is invalid"),
    (dict(aux_heads=['twice']), "model.aux_heads.1.loss_name='loss_mimic' is invalid"),
    (dict(neck=None), 'model.neck/head'),
])
def test_bad_combinations_are_clear_errors(dino_path, change, message):
    heads = {'masked': [mimic_head(dino_path, positions='masked')],
             'both': [mimic_head(dino_path, positions='both')],
             'twice': [mimic_head(dino_path)] * 2}
    if change.get('aux_heads'):
        change = dict(change, aux_heads=heads[change['aux_heads'][0]])
    with pytest.raises(ConfigError, match=message):
        MODELS.build(mrmae_cfg(dino_path, **change))


def test_mimic_head_in_channels_must_match_the_encoder(dino_path):
    cfg = mrmae_cfg(dino_path, aux_heads=[mimic_head(dino_path, in_channels=48)])
    with pytest.raises(ConfigError, match='model.aux_heads.0.in_channels=48 .*32'):
        MODELS.build(cfg)


def test_a_toolkit_mae_checkpoint_is_a_teacher_on_the_students_grid(mae_checkpoint):
    path, mae = mae_checkpoint
    teacher = MODELS.build(dict(type='FrozenViTTeacher', checkpoint=path,
                                encoder=tiny_mae_cfg()['backbone']))
    x = torch.randn(2, 3, 16, 16)  # a student with patch 4 on 16 px: 4x4, the teacher's grid
    feats = teacher.features(x, (4, 4))
    up = F.interpolate(x, size=(32, 32), mode='bilinear', align_corners=False)
    mae.eval()
    assert torch.allclose(feats.patch_tokens, mae.backbone.encode(up).visible, atol=1e-5)
    assert feats.cls_attention.shape == (2, 16) and torch.all(feats.cls_attention >= 0)


def test_convvit_student_trains_with_a_teacher(dino_path):
    cfg = mrmae_cfg(dino_path)
    cfg['backbone'] = dict(type='ConvViT', arch=dict(embed_dims=[8, 16, 32], depths=[1, 1, 2],
                                                     num_heads=2),
                           img_size=32, patch_sizes=[2, 2, 2])
    cfg['neck'] = dict(cfg['neck'], type='PatchTokenMAEDecoder')  # ConvMAE: no [CLS]
    model = build(cfg)
    losses = model.loss(torch.randn(2, 3, 32, 32), None)
    sum(losses.values()).backward()
    assert model.backbone.patch_embed.stage1[0].attn.weight.grad.abs().sum() > 0


def test_a_convmae_teacher_gives_features_and_no_saliency(tmp_path):
    """A ConvViT (ConvMAE) teacher has no [CLS]: its patch tokens serve a mimic head, and a
    FocusedMasker, which needs [CLS] attention, says so instead of reading patch 0."""
    arch = dict(embed_dims=[8, 16, 32], depths=[1, 1, 2], num_heads=2)
    encoder = dict(type='ConvViT', arch=arch, img_size=32, patch_sizes=[2, 2, 2])
    convvit = MODELS.build(encoder)
    convvit.init_weights()
    torch.save({'state_dict': {f'backbone.{k}': v for k, v in convvit.state_dict().items()}},
               tmp_path / 'convmae.pth')
    head = dict(type='MimicHead', in_channels=32, teacher=dict(
        type='FrozenViTTeacher', checkpoint=str(tmp_path / 'convmae.pth'), encoder=encoder))
    model = build(mrmae_cfg(None, aux_heads=[head],
                            masker=dict(type='RandomMasker', mask_ratio=0.75)))
    x = torch.randn(2, 3, 32, 32)
    features = model.aux_heads[0].teacher.features(x, (4, 4))
    assert features.cls_attention is None and features.patch_tokens.shape == (2, 16, 32)
    assert torch.isfinite(model.loss(x, None)['loss_mimic'])
    focused = build(mrmae_cfg(None, aux_heads=[head]))
    with pytest.raises(ConfigError, match='saliency=None is invalid'):
        focused.loss(x, None)
