"""docs/parts.md is the output of the parts catalogue, and says what the registry and the
build-time checks say."""
import os.path as osp
import re

import pytest

from mimtoolkit.models.losses.feature_regression_loss import CRITERIA
from mimtoolkit.registry import PART_KINDS, parts_of_kind
from .conftest import REPO, run_tool

DOC = osp.join(REPO, 'docs', 'parts.md')


@pytest.fixture(scope='module')
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp('parts') / 'parts.md'
    run_tool(['tools/misc/print_parts.py', '--out', str(out)])
    return out.read_text()


def test_docs_parts_md_is_the_catalogue_of_today(generated):
    with open(DOC) as f:
        assert f.read() == generated, ('docs/parts.md is stale: run '
                                       'python tools/misc/print_parts.py --out docs/parts.md')


def section(text, name):
    """The lines of one part's section."""
    return text.split(f'\n### {name}\n', 1)[1].split('\n### ', 1)[0].split('\n## ', 1)[0]


def test_every_registered_part_has_a_section_under_its_kind(generated):
    kinds = re.split(r'\n## ', generated)[1:]
    by_kind = {block.split('\n', 1)[0]: block for block in kinds}
    for kind in PART_KINDS:
        for name in parts_of_kind(kind):
            assert f'\n### {name}\n' in by_kind[kind], (kind, name)


def test_sections_carry_the_checks_allowed_values_and_answers(generated):
    regression = section(generated, 'FeatureRegressionLoss')
    assert "| `criterion` | `'l2'` | `" + ', '.join(repr(c) for c in CRITERIA) + '` |' in regression
    assert 'the `loss` of FeatureDistillHead, FeaturePredictionHead, MimicHead, ' \
           'PixelReconstructionHead' in regression
    homo = section(generated, 'HomologousContrastiveHead')
    assert '- accepted by: MixedAE\n' in homo
    assert "- MAE refuses: model.aux_heads.0.type='HomologousContrastiveHead' is invalid" in homo
    assert '- wraps: mmpretrain.MAEPretrainHead' in section(generated, 'PixelReconstructionHead')
    assert '- accepted by: MAE, MaskFeat, BEiT\n' in section(generated, 'FocusedMasker')
    assert 'unchecked' not in generated  # every refusal is a build-time ConfigError
