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
