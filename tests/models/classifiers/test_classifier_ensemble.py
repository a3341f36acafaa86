"""ClassifierEnsemble (MR-MAE Tab. 4's separately trained CLIP and DINO models, evaluated as one)
and tools/model_converters/ensemble_checkpoint.py, which joins their checkpoints."""
import pytest
import torch
from mmengine.runner import load_checkpoint

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError
from ...conftest import run_tool

ARCH = dict(embed_dims=32, num_layers=2, num_heads=2, feedforward_channels=64)


def classifier(num_classes: int = 5) -> dict:
    return dict(type='mmpretrain.ImageClassifier',
                backbone=dict(type='MIMViT', arch=ARCH, img_size=32, patch_size=8,
                              out_type='avg_featmap'),
                head=dict(type='mmpretrain.LinearClsHead', num_classes=num_classes,
                          in_channels=32),
                train_cfg=dict(augments=[dict(type='Mixup', alpha=0.8)]))


def ensemble() -> dict:
    return dict(type='ClassifierEnsemble', members=[classifier(), classifier()],
                data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor', num_classes=5))


def test_scores_are_the_mean_of_the_members_softmax_scores():
    torch.manual_seed(0)
    model = MODELS.build(ensemble()).eval()
    images = torch.randn(3, 3, 32, 32)
    out = model(images)
    members = [torch.stack([s.pred_score for s in m.predict(images)]) for m in model.members]
    assert not torch.allclose(members[0], members[1])  # two different models
    scores = torch.stack([s.pred_score for s in out])
    assert torch.allclose(scores, (members[0] + members[1]) / 2)
    assert [int(s.pred_label) for s in out] == scores.argmax(1).tolist()


@pytest.mark.parametrize('cfg,message', [
    (dict(members=[classifier()]), r'model.members=.* is invalid: expected a list of at least two'),
])
def test_bad_ensembles_are_one_clear_line(cfg, message):
    with pytest.raises(ConfigError, match=message):
        MODELS.build(dict(ensemble(), **cfg))


def test_training_mode_is_refused():
    with pytest.raises(ConfigError, match="mode='loss' is invalid: expected 'predict'"):
        MODELS.build(ensemble())(torch.randn(2, 3, 32, 32), None, mode='loss')


def test_joined_checkpoints_load_each_member(tmp_path):
    torch.manual_seed(1)
    paths = []
    for i in range(2):
        member = MODELS.build(classifier())
        paths.append(str(tmp_path / f'member{i}.pth'))
        torch.save({'state_dict': member.state_dict()}, paths[-1])
    out = str(tmp_path / 'ensemble.pth')
    proc = run_tool(['tools/model_converters/ensemble_checkpoint.py', *paths, '--out', out])
    assert '2 members' in proc.stdout
    model = MODELS.build(ensemble())
    load_checkpoint(model, out, strict=True)
    for member, path in zip(model.members, paths):
        saved = torch.load(path, weights_only=True)['state_dict']
        assert all(torch.equal(member.state_dict()[k], v) for k, v in saved.items())
    one = run_tool(['tools/model_converters/ensemble_checkpoint.py', paths[0], '--out', out],
                   check=False)
    assert one.returncode == 2 and 'checkpoints: expected at least two, got 1' in one.stderr
