"""srun's variables mapped to torchrun's, as ``--launcher slurm`` does, without Slurm."""
import pytest

from mimtoolkit.utils import ConfigError, first_host, torchrun_env_from_slurm

# what srun sets for task 5 of 16 on 2 nodes of 8 GPUs (the second node's sixth task)
SRUN_TASK = dict(SLURM_PROCID='13', SLURM_NTASKS='16', SLURM_LOCALID='5',
                 SLURM_JOB_NODELIST='gpu[07-08]', SLURM_NODEID='1')


@pytest.mark.parametrize('nodelist,host', [
    ('gpu07', 'gpu07'), ('gpu[07-09,12]', 'gpu07'), ('gpu[12,07-09]', 'gpu12'),
    ('a[1-2]-b[03-04],c5', 'a1-b03'), ('c5,a[1-2]', 'c5'), ('node-[001-128]', 'node-001'),
    ('10.0.0.3', '10.0.0.3')])
def test_first_host_of_a_hostlist(nodelist, host):
    assert first_host(nodelist) == host


@pytest.mark.parametrize('nodelist', ['', 'gpu[07', 'gpu 07'])
def test_a_malformed_hostlist_is_named(nodelist):
    with pytest.raises(ConfigError, match='SLURM_JOB_NODELIST=.*is not a Slurm hostlist'):
        first_host(nodelist)


def test_srun_variables_become_torchruns():
    assert torchrun_env_from_slurm(SRUN_TASK) == dict(
        RANK='13', WORLD_SIZE='16', LOCAL_RANK='5', MASTER_ADDR='gpu07', MASTER_PORT='29500')


def test_exported_master_address_and_port_win_and_the_old_nodelist_name_works():
    env = dict(SRUN_TASK, MASTER_ADDR='10.1.2.3', MASTER_PORT='12345')
    assert torchrun_env_from_slurm(env)['MASTER_ADDR'] == '10.1.2.3'
    assert torchrun_env_from_slurm(env)['MASTER_PORT'] == '12345'
    old = {k: v for k, v in SRUN_TASK.items() if k != 'SLURM_JOB_NODELIST'}
    assert torchrun_env_from_slurm(dict(old, SLURM_NODELIST='n[3-4]'))['MASTER_ADDR'] == 'n3'


def test_missing_or_bad_variables_are_named():
    with pytest.raises(ConfigError, match='missing: SLURM_LOCALID, SLURM_PROCID'):
        torchrun_env_from_slurm({k: v for k, v in SRUN_TASK.items()
                                 if k not in ('SLURM_PROCID', 'SLURM_LOCALID')})
    with pytest.raises(ConfigError, match=r"WORLD_SIZE='x' \(from SLURM_NTASKS\)"):
        torchrun_env_from_slurm(dict(SRUN_TASK, SLURM_NTASKS='x'))
