"""PatchHOGGenerator: mmpretrain's HOG, regrouped per patch for any grid."""
import pytest
import torch
from mmpretrain.models.selfsup import HOGGenerator

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError


def test_equals_mmpretrain_hog_at_224_patch_16():
    x = torch.randn(2, 3, 224, 224)
    ours = MODELS.build(dict(type='PatchHOGGenerator', patch_size=16, pool=8))(x)
    theirs = HOGGenerator(nbins=9, pool=8, gaussian_window=16)(x)
    assert ours.shape == (2, 196, 108)
    assert torch.allclose(ours, theirs)


@pytest.mark.parametrize('img,patch,pool,dim', [(32, 4, 4, 27), (64, 8, 4, 108), (32, 8, 8, 27)])
def test_small_grids(img, patch, pool, dim):
    hog = MODELS.build(dict(type='PatchHOGGenerator', patch_size=patch, pool=pool))
    out = hog(torch.randn(2, 3, img, img))
    assert out.shape == (2, (img // patch)**2, dim) and hog.out_channels == dim
    assert torch.isfinite(out).all()


def test_features_are_local_to_their_patch():
    hog = MODELS.build(dict(type='PatchHOGGenerator', patch_size=8, pool=4, gaussian_window=0))
    x = torch.zeros(1, 3, 32, 32)
    x[..., 8:16, 8:16] = torch.randn(1, 3, 8, 8)  # content only inside patch (1, 1) = index 5
    energy = hog(x).abs().sum(-1)[0]
    assert energy[5] > 0
    far = [i for i in range(16) if i not in (0, 1, 2, 4, 5, 6, 8, 9, 10)]
    assert torch.all(energy[far] == 0)


def test_pool_must_divide_patch():
    with pytest.raises(ConfigError, match='target.pool=3'):
        MODELS.build(dict(type='PatchHOGGenerator', patch_size=8, pool=3))


def test_hog_is_computed_in_fp32_under_autocast():
    hog = MODELS.build(dict(type='PatchHOGGenerator', patch_size=8, pool=4))
    x = torch.randn(2, 3, 32, 32)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        mixed = hog(x)
    assert mixed.dtype == torch.float32 and torch.equal(mixed, hog(x))


def test_frozen_vit_teacher_reads_an_official_mae_checkpoint_with_timm_names(tmp_path):
    """Official MAE checkpoints use timm's ViT names: renamed on load, same features as timm."""
    from timm.models.vision_transformer import VisionTransformer as TimmViT

    from ...conftest import TINY_ARCH
    timm_vit = TimmViT(img_size=32, patch_size=8, embed_dim=32, depth=2, num_heads=2,
                       mlp_ratio=2.0, num_classes=0).eval()
    state = dict(timm_vit.state_dict())
    state['decoder_embed.weight'] = torch.zeros(16, 32)  # pretraining-only keys are skipped
    state['mask_token'] = torch.zeros(1, 1, 16)
    path = str(tmp_path / 'mae_pretrain_official.pth')
    torch.save({'model': state}, path)
    teacher = MODELS.build(dict(
        type='FrozenViTTeacher', checkpoint=path,
        encoder=dict(type='MIMViT', arch=TINY_ARCH, img_size=32, patch_size=8)))
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        expected = timm_vit.forward_features(x)
    assert torch.allclose(teacher(x).leading_and_visible(), expected, atol=1e-5)
    assert not teacher.training and not any(p.requires_grad for p in teacher.parameters())
