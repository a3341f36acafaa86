"""A pretraining install has no mmcv ops (make install; make install-ops adds them): with
``mmcv.ops`` unimportable, mimtoolkit imports, the pretraining tests pass and a pretraining
config trains; a transfer config stops in one line naming the command that builds the ops."""
import os
import subprocess
import sys

import pytest

from .conftest import REPO, tool_env

pytestmark = pytest.mark.slow

#: Imported first by every Python started with this folder on PYTHONPATH: mmcv as built
#: without its ops (no ``mmcv._ext``: importing it fails, and finding it finds nothing).
NO_OPS = "import sys\nsys.modules['mmcv._ext'] = None\n"
PRETRAINING_TESTS = [
    'tests/models/pretrainers/test_pretrainers.py', 'tests/models/pretrainers/test_imae.py',
    'tests/models/pretrainers/test_mixedae.py', 'tests/models/pretrainers/test_mrmae.py',
    'tests/models/backbones/test_proxy_vit.py', 'tests/models/pretrainers/test_beit.py',
    'tests/models/maskers/test_maskers.py', 'tests/models/mixers/test_mixers.py',
    'tests/engine/optimizers/test_amp_optim_wrapper.py',
    'tests/engine/optimizers/test_gradient_accumulation.py',
    'tests/engine/optimizers/test_nonfinite_guard.py',
    'tests/engine/hooks/test_random_state_hook.py',
]


@pytest.fixture(scope='module')
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp('no-ops')
    (folder / 'sitecustomize.py').write_text(NO_OPS)
    return tool_env(dict(PYTHONPATH=f'{folder}{os.pathsep}{REPO}'))


def run(args, env, timeout=600):
    return subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_mmcv_ops_really_cannot_be_imported_there(env):
    proc = run(['-c', 'import mimtoolkit; import mmcv.ops'], env)
    assert proc.returncode == 1 and 'mmcv._ext' in proc.stderr.strip().splitlines()[-1]


def test_the_pretraining_tests_pass_without_ops(env):
    proc = run(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', *PRETRAINING_TESTS], env)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert ' passed' in proc.stdout and 'failed' not in proc.stdout


def test_a_pretraining_config_trains_and_a_transfer_config_names_the_command(env, tmp_path):
    proc = run(['tools/train.py', 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
                '--work-dir', str(tmp_path / 'mae'), '--cfg-options', 'train_cfg.max_epochs=1',
                'train_dataloader.dataset.crops_per_photo=1', 'train_dataloader.num_workers=0',
                'train_dataloader.persistent_workers=False'], env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (tmp_path / 'mae' / 'epoch_1.pth').is_file()
    proc = run(['tools/train.py',
                'configs/downstream/ade20k/'
                'mae_vit-base-p16_upernet_8xb2-amp-160k_ade20k-512x512.py',
                '--work-dir', str(tmp_path / 'upernet')], env)
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: mmseg and mmdet models need mmcv's compiled ops")
    assert 'run `make install-ops`' in last
