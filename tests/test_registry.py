"""The registry reaches our parts and mmpretrain's, by kind and by scope."""
import pytest
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS as MMPRETRAIN_MODELS

from mimtoolkit.registry import MODELS, PART_KINDS, parts_of_kind


def test_parts_are_listed_by_kind():
    assert {'MAE', 'MaskFeat'} <= set(parts_of_kind('pretrainer'))
    assert {'RandomMasker', 'BlockwiseMasker'} <= set(parts_of_kind('masker'))
    assert 'MIMViT' in parts_of_kind('backbone')
    assert 'DenseAttention' in parts_of_kind('attention')
    assert 'PatchHOGGenerator' in parts_of_kind('target')
    assert set(parts_of_kind('head')) >= {'PixelReconstructionHead', 'FeaturePredictionHead'}
    for kind in PART_KINDS:
        for cls in parts_of_kind(kind).values():
            assert cls.part_kind == kind


def test_unknown_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="kind='maskr' is not one of"):
        parts_of_kind('maskr')


def test_plain_names_reach_mmpretrain_parts():
    head = MODELS.build(dict(type='MAEPretrainHead', loss=dict(type='PixelReconstructionLoss',
                                                               criterion='L2')))
    assert type(head).__module__.startswith('mmpretrain')


def test_other_libraries_reach_ours_by_scope_prefix():
    init_default_scope('mmpretrain')
    cls = MMPRETRAIN_MODELS.get('mimtoolkit.RandomMasker')
    assert cls is parts_of_kind('masker')['RandomMasker']
    assert MMENGINE_MODELS.get('mimtoolkit.MIMViT').__name__ == 'MIMViT'


def test_unknown_part_type_names_the_type():
    with pytest.raises(KeyError, match='RandomMaskr'):
        MODELS.build(dict(type='RandomMaskr'))
