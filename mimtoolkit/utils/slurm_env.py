"""The process-group variables torchrun sets, derived from the ones ``srun`` sets.

``tools/train.py --launcher slurm`` maps them and then starts the process group
exactly as under torchrun (``env://``), so a Slurm job and a torchrun job run
the same code. mmengine's own Slurm start asks ``scontrol`` for the first host
and so cannot be tested off a cluster; this mapping can.
"""
import re
from typing import Dict, Mapping

from .errors import ConfigError

#: torchrun variable -> the Slurm variable it comes from (srun sets these per task).
SLURM_TO_TORCHRUN = {
    'RANK': 'SLURM_PROCID',
    'WORLD_SIZE': 'SLURM_NTASKS',
    'LOCAL_RANK': 'SLURM_LOCALID',
    'MASTER_ADDR': 'SLURM_JOB_NODELIST',
}
DEFAULT_PORT = '29500'


def first_host(nodelist: str) -> str:
    """The first host of a Slurm hostlist expression, without ``scontrol``.

    Args:
        nodelist (str): E.g. ``'gpu07'``, ``'gpu[07-09,12]'``, ``'a[1-2]-b[03-04],c5'``.

    Returns:
        str: ``'gpu07'``, ``'gpu07'``, ``'a1-b03'`` (zero padding kept).

    Raises:
        ConfigError: For an empty or malformed expression.
    """
    depth, end = 0, len(nodelist)
    for i, char in enumerate(nodelist):  # the first comma outside brackets ends the first host
        depth += {'[': 1, ']': -1}.get(char, 0)
        if char == ',' and depth == 0:
            end = i
            break
    host = nodelist[:end].strip()

    def first_of(group: re.Match) -> str:
        return re.split(r'[,-]', group.group(1))[0]

    host = re.sub(r'\[([^\[\]]*)\]', first_of, host)
    if not host or re.search(r'[\[\],\s]', host):
        raise ConfigError(f'SLURM_JOB_NODELIST={nodelist!r} is not a Slurm hostlist, '
                          "e.g. 'gpu07' or 'gpu[07-09,12]'")
    return host


def torchrun_env_from_slurm(environ: Mapping[str, str]) -> Dict[str, str]:
    """torchrun's variables for this task, from the Slurm ones in ``environ``.

    A variable already set (e.g. ``MASTER_PORT`` or ``MASTER_ADDR`` exported in
    the job script) is kept; ``MASTER_PORT`` defaults to 29500.
    ``SLURM_NODELIST`` is read where ``SLURM_JOB_NODELIST`` is absent.

    Args:
        environ (Mapping[str, str]): The process environment.

    Returns:
        dict[str, str]: ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``MASTER_ADDR``, ``MASTER_PORT``.

    Raises:
        ConfigError: Naming the Slurm variables that are missing (not run by ``srun``?).
    """
    environ = dict(environ)
    if 'SLURM_JOB_NODELIST' not in environ and 'SLURM_NODELIST' in environ:
        environ['SLURM_JOB_NODELIST'] = environ['SLURM_NODELIST']
    needed = {var: slurm for var, slurm in SLURM_TO_TORCHRUN.items() if var not in environ}
    missing = sorted(slurm for slurm in needed.values() if slurm not in environ)
    if missing:
        raise ConfigError(f'--launcher slurm needs the variables srun sets; missing: '
                          f'{", ".join(missing)} (start the job with srun, e.g. '
                          'tools/slurm_train.sh, or use --launcher pytorch under torchrun)')
    mapped = {var: environ[var] if var in environ else environ[slurm]
              for var, slurm in SLURM_TO_TORCHRUN.items()}
    mapped['MASTER_ADDR'] = environ.get('MASTER_ADDR') or first_host(mapped['MASTER_ADDR'])
    mapped['MASTER_PORT'] = environ.get('MASTER_PORT', DEFAULT_PORT)
    for var in ('RANK', 'WORLD_SIZE', 'LOCAL_RANK', 'MASTER_PORT'):
        if not mapped[var].isdigit():
            raise ConfigError(f'{var}={mapped[var]!r} (from {SLURM_TO_TORCHRUN.get(var, var)}) '
                              'is not a non-negative integer')
    return mapped
