"""run_cli (tools/cli_errors.py): the user's errors are one line (exit 2); a bug keeps its
traceback and says it is a bug (exit 1), whatever the exception's type."""
import os
import sys

import pytest
from mmengine.config import Config

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'tools'))
from cli_common import run_cli  # noqa: E402
from cli_errors import config_error_line, custom_import_line  # noqa: E402


@MODELS.register_module(force=True)
class PartWithABug:
    """A part whose body has a bug of each kind a config error also has."""

    def __init__(self, kind: str = 'type') -> None:
        if kind == 'type':
            sorted([3, 1], reverse_order=True)  # a wrong keyword inside our own code
        else:
            {}['missing']


def raised(call):
    try:
        call()
    except Exception as err:  # noqa: B902
        return err
    raise AssertionError('nothing raised')


def test_the_user_s_errors_are_one_line():
    unknown_arg = raised(lambda: MODELS.build(dict(type='RandomMasker', mask_ratio=0.5, foo=1)))
    assert "unexpected keyword argument 'foo'" in config_error_line(unknown_arg)
    missing_arg = raised(lambda: MODELS.build(dict(type='DisentangleNeck')))
    assert "missing 1 required positional argument: 'in_channels'" in config_error_line(
        missing_arg)
    from ..conftest import tiny_mae_cfg
    passed_along = raised(lambda: MODELS.build(dict(tiny_mae_cfg(), disentangle=None)))
    assert "unexpected keyword argument 'disentangle'" in config_error_line(passed_along)
    unknown_type = raised(lambda: MODELS.build(dict(type='NoSuchPart')))
    assert config_error_line(unknown_type).startswith('NoSuchPart is not in the')
    import torch
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import PARAM_SCHEDULERS
    from mmengine.runner import Runner
    optimizer = raised(lambda: build_optim_wrapper(torch.nn.Linear(2, 2),
                                                   dict(optimizer=dict(type='Adamm'))))
    assert config_error_line(optimizer).startswith(
        "optim_wrapper.optimizer.type='Adamm' is invalid: expected an optimizer")
    scheduler = raised(lambda: PARAM_SCHEDULERS.build(
        dict(type='Nope'), default_args=dict(optimizer=None)))
    assert config_error_line(scheduler).startswith('Nope is not in the mimtoolkit::parameter')
    photos = dict(type='SkimagePhotos', photos=('astronaut.png', ), crops_per_photo=1,
                  pipeline=[])
    loader = raised(lambda: Runner.build_dataloader(dict(
        dataset=photos, batch_size=0, sampler=dict(type='DefaultSampler', shuffle=False))))
    assert config_error_line(loader).startswith(
        'BatchSampler refused a value the config gives it: batch_size should be a positive')
    assert config_error_line(ConfigError('model.x=1 is invalid: expected 2')) == \
        'model.x=1 is invalid: expected 2'
    assert 'nowhere.py' in config_error_line(raised(lambda: Config.fromfile('nowhere.py')))


def test_config_files_with_errors_are_named_by_file_and_line(tmp_path):
    syntax = tmp_path / 'syntax.py'
    syntax.write_text("model = dict(type='MAE'\nx = 1\n")
    line = config_error_line(raised(lambda: Config.fromfile(str(syntax))))
    assert line == f"{syntax} line 1: '(' was never closed: model = dict(type='MAE'", line
    name = tmp_path / 'name.py'
    name.write_text('a = 1\nb = undefined + a\n')
    line = config_error_line(raised(lambda: Config.fromfile(str(name))))
    assert line == f"{name} line 2: NameError: name 'undefined' is not defined", line


def test_a_custom_import_that_does_not_exist_is_one_line_and_one_that_fails_a_bug(tmp_path):
    missing = tmp_path / 'missing.py'
    missing.write_text("custom_imports = dict(imports=['no_such_module_xyz'])\n")
    err = raised(lambda: Config.fromfile(str(missing)))
    assert isinstance(err, ImportError)
    assert custom_import_line(err).startswith(
        "custom_imports: No module named 'no_such_module_xyz'")
    (tmp_path / 'broken_part.py').write_text('import no_such_dependency_xyz\n')
    broken = tmp_path / 'broken.py'
    broken.write_text("custom_imports = dict(imports=['broken_part'])\n")
    sys.path.insert(0, str(tmp_path))
    try:
        assert custom_import_line(raised(lambda: Config.fromfile(str(broken)))) is None
    finally:
        sys.path.remove(str(tmp_path))


@pytest.mark.parametrize('kind', ['type', 'key'])
def test_a_bug_inside_a_part_is_not_blamed_on_the_config(kind, capsys):
    err = raised(lambda: MODELS.build(dict(type='PartWithABug', kind=kind)))
    assert isinstance(err, (TypeError, KeyError)) and config_error_line(err) is None

    def main():
        MODELS.build(dict(type='PartWithABug', kind=kind))
    with pytest.raises(SystemExit) as exit_:
        run_cli(main)
    assert exit_.value.code == 1
    stderr = capsys.readouterr().err
    assert 'Traceback (most recent call last)' in stderr and 'PartWithABug' in stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith('bug: this is a bug in mimtoolkit or a library it uses') and \
        'the traceback above' in last


def test_a_user_error_exits_2_with_one_line(capsys):
    def main():
        MODELS.build(dict(type='RandomMasker', mask_ratio=0.5, foo=1))
    with pytest.raises(SystemExit) as exit_:
        run_cli(main)
    stderr = capsys.readouterr().err
    assert exit_.value.code == 2 and 'Traceback' not in stderr
    assert stderr.count('\n') == 1 and stderr.startswith('error: RandomMasker.__init__()')
