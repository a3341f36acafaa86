"""Multi-node on one machine: ``tools/dist_train.sh`` started as two "nodes" (NNODES=2,
NODE_RANK 0 and 1, MASTER_ADDR=127.0.0.1, one process each, gloo) and ``tools/train.py
--launcher slurm`` started as two srun tasks (the variables srun sets, no Slurm) log the loss
curve of one process with the global batch; an epoch's checkpoint of the 2-process run resumes
in 1 process, and one of the 1-process run in 2 processes, and both continue that curve.
"""
import shutil

import pytest

from ..conftest import free_port, run_tool, run_tools_together
from .helpers import photo_config, scalars

pytestmark = pytest.mark.slow

MAE = 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'
STEPS = 5  # per epoch: 40 photos / global batch 8


def losses(work_dir) -> list:
    """The logged total loss of every step of the runs in ``work_dir``."""
    return [r['loss'] for r in scalars(str(work_dir))]


@pytest.fixture(scope='module')
def single(tmp_path_factory):
    """Configs for batch 8 (1 process) and 4 (per process of 2), 2 epochs; the 1-process run."""
    root = tmp_path_factory.mktemp('multinode')
    configs = {b: photo_config(root, 'mae', MAE, b, epochs=2) for b in (8, 4)}
    run_tool(['tools/train.py', configs[8], '--work-dir', str(root / 'one')])
    curve = losses(root / 'one')
    assert len(curve) == 2 * STEPS and len(set(curve)) > 1  # the weights move
    return dict(root=root, configs=configs, curve=curve)


def two_nodes(config, work_dir, *extra):
    """``dist_train.sh CONFIG 1`` on node 0 and node 1 of a 2-node job on this machine."""
    port = free_port()
    return run_tools_together([
        (['tools/dist_train.sh', config, '1', '--work-dir', str(work_dir), *extra],
         dict(NNODES='2', NODE_RANK=str(rank), MASTER_ADDR='127.0.0.1', PORT=port))
        for rank in (0, 1)])


def test_two_nodes_log_the_one_process_curve_and_resume_in_one_process(single, tmp_path):
    two_nodes(single['configs'][4], tmp_path / 'two')
    curve = losses(tmp_path / 'two')
    assert curve == pytest.approx(single['curve'], rel=2e-4, abs=1e-6)

    resumed = tmp_path / 'resumed'  # the 2-node run's epoch 1, continued by one process
    resumed.mkdir()
    shutil.copy(tmp_path / 'two' / 'epoch_1.pth', resumed / 'epoch_1.pth')
    proc = run_tool(['tools/train.py', single['configs'][8], '--work-dir', str(resumed),
                     '--resume', str(resumed / 'epoch_1.pth')])
    assert 'restored the python, numpy and torch generators' in proc.stdout + proc.stderr
    assert losses(resumed) == pytest.approx(single['curve'][STEPS:], rel=2e-4, abs=1e-6)


def test_one_process_checkpoint_resumes_on_two_processes(single, tmp_path):
    shutil.copy(single['root'] / 'one' / 'epoch_1.pth', tmp_path / 'epoch_1.pth')
    run_tool(['tools/dist_train.sh', single['configs'][4], '2', '--work-dir', str(tmp_path),
              '--resume', str(tmp_path / 'epoch_1.pth')], env_extra=dict(PORT=free_port()))
    assert losses(tmp_path) == pytest.approx(single['curve'][STEPS:], rel=2e-4, abs=1e-6)


def test_slurm_tasks_log_the_one_process_curve(single, tmp_path):
    """What srun sets for 2 tasks on 2 nodes, one GPU each; train.py maps it to torchrun's."""
    port = free_port()
    outputs = run_tools_together([
        (['tools/train.py', single['configs'][4], '--work-dir', str(tmp_path), '--launcher',
          'slurm'],
         dict(SLURM_PROCID=str(rank), SLURM_NTASKS='2', SLURM_LOCALID='0', SLURM_NODEID=str(rank),
              SLURM_JOB_NODELIST='localhost', MASTER_PORT=port))
        for rank in (0, 1)])
    assert losses(tmp_path) == pytest.approx(single['curve'], rel=2e-4, abs=1e-6)
    assert 'Distributed launcher: pytorch' in outputs[0] and 'GPU number: 2' in outputs[0]


def test_launcher_slurm_outside_srun_is_one_line(single, tmp_path):
    proc = run_tool(['tools/train.py', single['configs'][4], '--work-dir', str(tmp_path),
                     '--launcher', 'slurm'], check=False, env_extra=dict(SLURM_PROCID='0'))
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith(
        'error: --launcher slurm needs the variables srun sets; missing: SLURM_JOB_NODELIST')
