"""CLIP / DINO teachers: real open_clip, Hugging Face and timm files, on the student's grid."""
import pytest
import timm
import torch

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError

SMALL = dict(embed_dim=64, depth=2, num_heads=2, patch_size=8, img_size=32)


def open_clip_tower(seed=0):
    """A small open_clip ViT image tower (OpenAI's parameter names), QuickGELU."""
    from open_clip.model import CLIPVisionCfg, _build_vision_tower
    torch.manual_seed(seed)
    cfg = CLIPVisionCfg(layers=2, width=64, head_width=32, patch_size=8, image_size=32)
    return _build_vision_tower(32, cfg, quick_gelu=True).eval()


def clip_teacher(path, **kwargs):
    return MODELS.build(dict(type='CLIPTeacher', checkpoint=path, model_kwargs=SMALL, **kwargs))


def test_clip_teacher_matches_open_clip_on_an_open_clip_checkpoint(tmp_path):
    tower = open_clip_tower()
    path = str(tmp_path / 'open_clip.pth')
    # a whole CLIP checkpoint: image tower under visual.*, plus text weights the teacher ignores
    torch.save({'visual.' + k: v for k, v in tower.state_dict().items()}
               | {'logit_scale': torch.ones([])}, path)
    teacher = clip_teacher(path, mean=None, std=None)
    x = torch.randn(2, 3, 32, 32)
    feats = teacher.features(x, (4, 4))
    tower.output_tokens = True
    _, tokens = tower(x)
    assert feats.patch_tokens.shape == (2, 16, 64)
    assert torch.allclose(feats.patch_tokens, tokens, atol=1e-5)
    other = clip_teacher(_saved(open_clip_tower(seed=1), tmp_path), mean=None, std=None)
    assert not torch.allclose(other.features(x, (4, 4)).patch_tokens, tokens, atol=1e-3)


def _saved(tower, tmp_path):
    path = str(tmp_path / 'other.pth')
    torch.save({'visual.' + k: v for k, v in tower.state_dict().items()}, path)
    return path


def test_clip_teacher_reads_hugging_face_weights_and_attention(tmp_path):
    from transformers import CLIPVisionConfig, CLIPVisionModel
    torch.manual_seed(0)
    hf = CLIPVisionModel(CLIPVisionConfig(
        hidden_size=64, intermediate_size=256, num_hidden_layers=2, num_attention_heads=2,
        image_size=32, patch_size=8, hidden_act='quick_gelu'), ).eval()
    hf.config._attn_implementation = 'eager'
    path = str(tmp_path / 'model.safetensors')
    from safetensors.torch import save_file
    save_file(hf.state_dict(), path)
    teacher = clip_teacher(path, mean=None, std=None)
    x = torch.randn(2, 3, 32, 32)
    feats = teacher.features(x, (4, 4))
    with torch.no_grad():
        out = hf(pixel_values=x, output_attentions=True)
        tokens = hf.vision_model.post_layernorm(out.last_hidden_state)[:, 1:]
    assert torch.allclose(feats.patch_tokens, tokens, atol=1e-5)
    cls_attention = out.attentions[-1].mean(1)[:, 0, 1:]
    assert torch.allclose(feats.cls_attention, cls_attention, atol=1e-6)
    assert torch.all(feats.cls_attention.sum(-1) < 1)


def test_dino_teacher_reads_timm_names_and_aligns_its_grid_by_resizing_the_input(tmp_path):
    dino = timm.create_model('vit_base_patch16_224', pretrained=False, num_classes=0,
                             embed_dim=48, depth=2, num_heads=2, img_size=64).eval()
    path = str(tmp_path / 'dino.pth')
    torch.save(dino.state_dict(), path)
    teacher = MODELS.build(dict(type='DINOTeacher', checkpoint=path, mean=None, std=None,
                                model_kwargs=dict(embed_dim=48, depth=2, num_heads=2,
                                                  img_size=64)))
    x = torch.randn(2, 3, 32, 32)  # student: 32 px, patch 8 -> 4x4; teacher patch 16
    feats = teacher.features(x, (4, 4))
    assert feats.patch_tokens.shape == (2, 16, 48) and feats.cls_attention.shape == (2, 16)
    up = torch.nn.functional.interpolate(x, size=(64, 64), mode='bilinear', align_corners=False)
    with torch.no_grad():
        expected = dino.forward_features(up)[:, 1:]
    assert torch.allclose(feats.patch_tokens, expected, atol=1e-5)


def test_inputs_are_renormalised_from_the_preprocessor_to_the_teacher(tmp_path):
    path = _saved(open_clip_tower(), tmp_path)
    teacher = clip_teacher(path)  # OpenAI CLIP statistics
    student_mean, student_std = torch.tensor([127.5] * 3), torch.tensor([64.0] * 3)
    with pytest.raises(ConfigError, match='input statistics are unknown'):
        teacher.features(torch.zeros(1, 3, 32, 32), (4, 4))
    teacher.adopt_input_normalization(student_mean, student_std)
    pixels = torch.rand(2, 3, 32, 32) * 255
    student_in = (pixels - student_mean.view(1, 3, 1, 1)) / student_std.view(1, 3, 1, 1)
    clip_in = (pixels - teacher.mean) / teacher.std
    plain = clip_teacher(path, mean=None, std=None)
    assert torch.allclose(teacher.features(student_in, (4, 4)).patch_tokens,
                          plain.features(clip_in, (4, 4)).patch_tokens, atol=1e-4)


def test_a_missing_teacher_file_says_what_file_is_expected(tmp_path):
    with pytest.raises(ConfigError, match=r'teacher.checkpoint=.*absent.pth.*CLIP image tower'):
        clip_teacher(str(tmp_path / 'absent.pth'))


def test_a_teacher_file_of_another_architecture_is_a_clear_error(tmp_path):
    path = _saved(open_clip_tower(), tmp_path)
    with pytest.raises(ConfigError, match='shapes differ'):
        MODELS.build(dict(type='CLIPTeacher', checkpoint=path,
                          model_kwargs=dict(SMALL, embed_dim=96, num_heads=3)))


def test_unknown_timm_model_name_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="teacher.model_name='vit_nope'"):
        MODELS.build(dict(type='TimmViTTeacher', model_name='vit_nope', checkpoint='x.pth'))


def test_teacher_is_frozen_out_of_checkpoints_and_reloaded_after_init(tmp_path):
    path = _saved(open_clip_tower(), tmp_path)
    head = MODELS.build(dict(type='MimicHead', in_channels=32, teacher=dict(
        type='CLIPTeacher', checkpoint=path, model_kwargs=SMALL, mean=None, std=None)))
    before = {k: v.clone() for k, v in head.teacher.model.state_dict().items()}
    head.init_cfg = dict(type='Constant', val=0.5, layer='Linear')  # touches the teacher too
    head.init_weights()
    after = head.teacher.model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert not any(p.requires_grad for p in head.teacher.parameters())
    head.train()
    assert not head.teacher.training
    assert set(head.state_dict()) == {'proj.weight', 'proj.bias'}
