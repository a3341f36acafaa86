"""Maskers: exact counts, MAE's convention, determinism under a seed."""
import pytest
import torch

from mimtoolkit.registry import MODELS
from mimtoolkit.structures import MaskInfo
from mimtoolkit.utils import ConfigError


@pytest.mark.parametrize('masker', [
    dict(type='RandomMasker', mask_ratio=0.75),
    dict(type='BlockwiseMasker', mask_ratio=0.4, min_num_patches=4),
    dict(type='BlockwiseMasker', mask_ratio=0.75, min_num_patches=2),
])
def test_exact_count_and_consistent_indices(masker):
    masker = MODELS.build(masker)
    info = masker(8, (14, 14), torch.device('cpu'))
    num_visible = int(196 * (1 - masker.mask_ratio))
    assert info.mask.shape == (8, 196) and info.ids_keep.shape == (8, num_visible)
    assert torch.all(info.mask.sum(1) == 196 - num_visible)
    # ids_keep are exactly the visible (0) patches; ids_restore inverts the shuffle
    assert torch.all(torch.gather(info.mask, 1, info.ids_keep) == 0)
    restored = torch.gather(torch.cat([torch.zeros(8, num_visible),
                                       torch.ones(8, 196 - num_visible)], 1), 1,
                            info.ids_restore)
    assert torch.equal(restored, info.mask)


def test_random_masker_is_deterministic_under_a_seed_and_varies_without():
    masker = MODELS.build(dict(type='RandomMasker', mask_ratio=0.6))
    torch.manual_seed(3)
    a = masker(4, (8, 8), 'cpu')
    torch.manual_seed(3)
    b = masker(4, (8, 8), 'cpu')
    c = masker(4, (8, 8), 'cpu')
    assert torch.equal(a.mask, b.mask) and not torch.equal(a.mask, c.mask)
    assert not torch.equal(a.mask[0], a.mask[1])  # per-sample masks


def test_random_masker_is_uniform_over_positions():
    masker = MODELS.build(dict(type='RandomMasker', mask_ratio=0.75))
    freq = masker(4000, (4, 4), 'cpu').mask.mean(0)
    assert torch.allclose(freq, torch.full((16, ), 0.75), atol=0.04)


def test_blockwise_masker_masks_connected_blocks():
    import numpy as np
    masker = MODELS.build(dict(type='BlockwiseMasker', mask_ratio=0.4, min_num_patches=16))
    np.random.seed(0)
    mask = masker(16, (14, 14), 'cpu').mask.reshape(16, 14, 14)
    # most masked patches have a masked 4-neighbour (random masking: ~40%)
    padded = torch.nn.functional.pad(mask, (1, 1, 1, 1))
    neighbours = (padded[:, :-2, 1:-1] + padded[:, 2:, 1:-1] + padded[:, 1:-1, :-2] +
                  padded[:, 1:-1, 2:])
    share = ((neighbours > 0) & (mask > 0)).sum() / mask.sum()
    assert share > 0.9


def test_mask_info_from_mask_rejects_uneven_counts():
    with pytest.raises(ValueError, match='same number'):
        MaskInfo.from_mask(torch.tensor([[1., 0, 0], [1, 1, 0]]))


@pytest.mark.parametrize('ratio', [0, 1, 1.5, -0.1, 'half'])
def test_mask_ratio_out_of_range_is_a_clear_error(ratio):
    with pytest.raises(ConfigError, match=r'masker.mask_ratio=.* expected a float in \(0, 1\)'):
        MODELS.build(dict(type='RandomMasker', mask_ratio=ratio))


def test_ratio_that_leaves_nothing_visible_is_a_clear_error():
    masker = MODELS.build(dict(type='RandomMasker', mask_ratio=0.99))
    with pytest.raises(ConfigError, match='at least one of the 16 patches visible'):
        masker(1, (4, 4), 'cpu')


def _focused(**kwargs):
    return MODELS.build(dict(type='FocusedMasker', **kwargs))


def test_focused_masker_keeps_exactly_the_top_saliency_patches_visible():
    saliency = torch.rand(3, 64)
    info = _focused(mask_ratio=0.75, focus_ratio=1.0)(3, (8, 8), 'cpu', saliency=saliency)
    top = saliency.topk(16, dim=1).indices
    for row in range(3):
        assert set(info.ids_keep[row].tolist()) == set(top[row].tolist())
        assert set(torch.nonzero(info.mask[row] == 0).flatten().tolist()) == set(
            top[row].tolist())


def test_focused_masker_fills_the_rest_of_the_visible_count_at_random():
    saliency = torch.rand(4, 64)
    masker = _focused(mask_ratio=0.75, focus_ratio=0.5)
    info = masker(4, (8, 8), 'cpu', saliency=saliency)
    assert masker.num_focused(64) == 8 and info.num_visible == 16
    assert torch.all(info.mask.sum(1) == 48)
    top = saliency.topk(8, dim=1).indices
    assert torch.equal(info.ids_keep[:, :8].sort(1).values, top.sort(1).values)
    others = [set(info.ids_keep[r, 8:].tolist()) for r in range(4)]
    assert all(not (o & set(top[r].tolist())) for r, o in enumerate(others))
    again = masker(4, (8, 8), 'cpu', saliency=saliency)
    assert not torch.equal(again.ids_keep[:, 8:], info.ids_keep[:, 8:])  # random part varies


def test_focused_masker_samples_in_proportion_to_saliency():
    saliency = torch.full((2000, 16), 1e-9)
    saliency[:, 3] = 1.0  # all the mass on one patch: always drawn first
    saliency[:, 7] = 1.0
    info = _focused(mask_ratio=0.75, focus_ratio=0.5, mode='sample')(
        2000, (4, 4), 'cpu', saliency=saliency)  # 4 visible, 2 by saliency
    assert torch.all(info.mask[:, 3] == 0) and torch.all(info.mask[:, 7] == 0)
    assert torch.all(info.mask.sum(1) == 12)


def test_focused_masker_without_saliency_is_a_clear_error():
    with pytest.raises(ConfigError, match='saliency=None is invalid: .*teacher'):
        _focused()(2, (4, 4), 'cpu')
    with pytest.raises(ConfigError, match="masker.mode='max'"):
        _focused(mode='max')
    with pytest.raises(ConfigError, match='masker.focus_ratio=1.5'):
        _focused(focus_ratio=1.5)


def test_every_masker_takes_the_one_call_with_saliency_and_only_focused_masking_reads_it():
    from mmengine.runner import set_random_seed

    from mimtoolkit.registry import parts_of_kind
    saliency = torch.rand(2, 64)
    for name, cls in parts_of_kind('masker').items():
        masker = cls(mask_ratio=0.75)
        set_random_seed(3)
        given = masker(2, (8, 8), 'cpu', saliency=saliency)
        if cls.needs_saliency:
            continue
        set_random_seed(3)
        assert torch.equal(given.mask, masker(2, (8, 8), 'cpu').mask), name
