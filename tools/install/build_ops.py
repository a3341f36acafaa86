"""`make install-ops`: mmcv 2.1.0's compiled ops, built for this host (CPU, or CUDA kernels for
its GPUs), once.

    python tools/install/build_ops.py --log .venv/install.log

What it decides (``plan``, from what torch and nvcc report, ``host_facts``):
- CUDA kernels where torch sees a CUDA GPU or ``FORCE_CUDA=1``, for ``TORCH_CUDA_ARCH_LIST``
  (default: the GPUs' compute capabilities), with an nvcc of torch's CUDA version: the
  system's (``CUDA_HOME`` or PATH) where its release matches, else NVIDIA's compiler packages
  from PyPI (``nvcc_packages``: nvidia-cuda-nvcc, -nvvm, -crt, -cccl of that version) in
  ``.venv/cuda-X.Y``.
  C++20 reaches the host compiler (``cxx_std20.sh``) and nvcc (``nvcc_std20.sh``).
- CPU kernels otherwise.
- Nothing where the installed ops already are of that kind (``mmcv.ops`` imports and,
  for CUDA, ``get_compiling_cuda_version()`` is torch's CUDA version).
Wheels are kept per kind, torch and Python in ``~/.cache/mimtoolkit/mmcv-ops/KEY/`` (never
pip's cache, which keys an sdist build by the source alone, so a CPU-only wheel would come
back for a CUDA build); a second clone on the same host installs its wheel in seconds.

A driver older than torch's CUDA build, a CPU-only torch asked for CUDA, or an nvcc of the
wrong CUDA version with no PyPI compiler to fall back on is one line (exit 2), not a compiler
log. Compiler output goes to the install log.
"""
import argparse
import glob
import os
import os.path as osp
import re
import shutil
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from typing import List, Optional

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MMCV = 'mmcv==2.1.0'


def nvcc_packages(version: str) -> List[str]:
    """NVIDIA's PyPI packages that make an nvcc of CUDA ``version`` (e.g. ``'13.0'``) with
    its headers: unsuffixed and split (nvcc, nvvm, crt, cccl) from CUDA 13, ``-cu12`` before."""
    major = version.split('.')[0]
    names = (['nvidia-cuda-nvcc', 'nvidia-nvvm', 'nvidia-cuda-crt', 'nvidia-cuda-cccl']
             if int(major) >= 13 else
             [f'nvidia-cuda-nvcc-cu{major}', f'nvidia-cuda-cccl-cu{major}'])
    return [f'{name}=={version}.*' for name in names]


#: How ``make install`` picks another torch variant (README, "Install").
TORCH_SWITCH = 'make install TORCH_INDEX=https://download.pytorch.org/whl/cuXYZ'


class OpsStageError(Exception):
    """A host problem the stage reports in one line (exit 2)."""


@dataclass
class HostFacts:
    """What torch, the driver and nvcc report on this host.

    Attributes:
        torch_cuda: torch's CUDA version (``torch.version.cuda``), None for a CPU-only build.
        gpu_capabilities: The visible GPUs' compute capabilities, e.g. ``['9.0']``.
        cuda_warning: What ``torch.cuda.is_available()`` warned (e.g. a driver too old).
        force_cuda: ``FORCE_CUDA=1``.
        arch_list: ``TORCH_CUDA_ARCH_LIST`` if set.
        system_nvcc: The system nvcc's path and release, e.g. ``('/usr/local/cuda/bin/nvcc',
            '12.4')``, or None.
        installed_ops: ``'none'``, ``'cpu'`` or ``'cuda X.Y'``: the installed mmcv's ops.
    """

    torch_cuda: Optional[str]
    gpu_capabilities: List[str] = field(default_factory=list)
    cuda_warning: str = ''
    force_cuda: bool = False
    arch_list: Optional[str] = None
    system_nvcc: Optional[tuple] = None
    installed_ops: str = 'none'


@dataclass
class Plan:
    """What the stage does: nothing (``skip``), or build ops of ``kind``."""

    kind: str  # 'cpu' or 'cuda'
    skip: bool
    arch_list: Optional[str] = None
    nvcc: Optional[str] = None  # 'system' or 'pypi' (CUDA only)


def nvcc_release(text: str) -> Optional[str]:
    """``'13.0'`` from ``nvcc --version``'s ``... release 13.0, V13.0.88``, or None."""
    found = re.search(r'release (\d+\.\d+)', text)
    return found.group(1) if found else None


def toolkit_home(nvcc: str) -> str:
    """The CUDA toolkit folder (CUDA_HOME) of an nvcc, as nvcc itself reports it (``TOP``
    of ``--dryrun``), so that a wrapper script on PATH (/usr/local/bin/nvcc) is seen through."""
    out = subprocess.run([nvcc, '--dryrun', '-E', '-x', 'c++', os.devnull],
                         capture_output=True, text=True)
    found = re.search(r'^#\$ TOP=(.+)$', out.stdout + out.stderr, flags=re.M)
    return osp.normpath(found.group(1).strip()) if found else \
        osp.dirname(osp.dirname(osp.realpath(nvcc)))


def plan(facts: HostFacts) -> Plan:
    """What ``make install-ops`` should do on a host with these facts.

    Raises:
        OpsStageError: The host cannot build what it needs (one line, with the way out).
    """
    if 'driver' in facts.cuda_warning.lower() and 'too old' in facts.cuda_warning.lower():
        found = re.search(r'found version (\d+)', facts.cuda_warning)
        driver = f' (it supports CUDA {int(found.group(1)) // 1000}.' \
                 f'{int(found.group(1)) % 1000 // 10})' if found else ''
        raise OpsStageError(
            f'the NVIDIA driver is too old for this torch, a CUDA {facts.torch_cuda} build'
            f'{driver}: update the driver, or install the torch variant your driver supports '
            f'({TORCH_SWITCH}, XYZ your CUDA version)')
    want_cuda = bool(facts.gpu_capabilities) or facts.force_cuda
    if not want_cuda:
        return Plan('cpu', skip=facts.installed_ops == 'cpu')
    if facts.torch_cuda is None:
        raise OpsStageError('FORCE_CUDA=1 asks for CUDA kernels but this torch is a CPU-only '
                            f'build: install a CUDA torch ({TORCH_SWITCH})')
    if facts.installed_ops == f'cuda {facts.torch_cuda}':
        return Plan('cuda', skip=True)
    arch_list = facts.arch_list or ';'.join(sorted(set(facts.gpu_capabilities)))
    if not arch_list:
        raise OpsStageError('FORCE_CUDA=1 without a visible GPU needs the architectures: set '
                            "TORCH_CUDA_ARCH_LIST, e.g. '8.0;9.0' (A100 and H100)")
    matches = facts.system_nvcc is not None and facts.system_nvcc[1] == facts.torch_cuda
    return Plan('cuda', skip=False, arch_list=arch_list, nvcc='system' if matches else 'pypi')


def host_facts() -> HostFacts:
    """Ask torch, mmcv and nvcc (the real host; ``plan`` is tested with made-up facts)."""
    import torch
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        available = torch.cuda.is_available()
    capabilities = ['%d.%d' % torch.cuda.get_device_capability(i)
                    for i in range(torch.cuda.device_count())] if available else []
    nvcc = (osp.join(os.environ['CUDA_HOME'], 'bin', 'nvcc') if os.environ.get('CUDA_HOME')
            else shutil.which('nvcc'))
    system_nvcc = None
    if nvcc and osp.exists(nvcc):
        out = subprocess.run([nvcc, '--version'], capture_output=True, text=True).stdout
        system_nvcc = (nvcc, nvcc_release(out))
    return HostFacts(
        torch_cuda=torch.version.cuda, gpu_capabilities=capabilities,
        cuda_warning=' '.join(str(w.message) for w in caught),
        force_cuda=os.environ.get('FORCE_CUDA') == '1',
        arch_list=os.environ.get('TORCH_CUDA_ARCH_LIST') or None,
        system_nvcc=system_nvcc, installed_ops=installed_ops())


def installed_ops() -> str:
    """``'none'``, ``'cpu'`` or ``'cuda X.Y'``, asked of the installed mmcv in a fresh process."""
    code = ('from mmcv.ops import get_compiling_cuda_version as v\n'
            "print('cpu' if v() == 'not available' else 'cuda ' + v())")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else 'none'


def run(command: List[str], log: str, env: Optional[dict] = None) -> None:
    """Run ``command`` with its output appended to ``log``; a failure names the log."""
    with open(log, 'a') as f:
        f.write(f"=== {time.strftime('%FT%TZ', time.gmtime())} {' '.join(command)}\n")
        f.flush()
        proc = subprocess.run(command, stdout=f, stderr=subprocess.STDOUT, env=env)
    if proc.returncode:
        with open(log) as f:
            tail = ''.join(f.readlines()[-25:])
        raise SystemExit(f'{tail}\nmmcv ops: `{command[2:5]}...` failed (exit {proc.returncode}); '
                         f'full log: {log}')


def pypi_cuda_home(version: str, log: str) -> str:
    """A CUDA_HOME of NVIDIA's PyPI compiler packages of CUDA ``version`` (in .venv)."""
    root = osp.join(sys.prefix, f'cuda-{version}')
    site = osp.join(root, 'site')
    if not glob.glob(osp.join(site, 'nvidia', '*', 'bin', 'nvcc')):
        try:
            run([sys.executable, '-m', 'pip', 'install', '--no-deps', '--target', site]
                + nvcc_packages(version), log)
        except SystemExit:
            raise OpsStageError(
                f'torch is a CUDA {version} build and no nvcc of CUDA {version} is here (the '
                f'system nvcc is another version or missing), and NVIDIA\'s compiler packages '
                f'({", ".join(nvcc_packages(version))}) could not be installed from PyPI: '
                f'install CUDA {version}\'s nvcc and set CUDA_HOME to it') from None
    nvcc = glob.glob(osp.join(site, 'nvidia', '*', 'bin', 'nvcc'))[0]
    toolkit = osp.dirname(osp.dirname(nvcc))
    home = osp.join(root, 'home')
    os.makedirs(home, exist_ok=True)
    # nvcc's headers and libraries first, then those of torch's CUDA packages (the runtime)
    torch_nvidia = osp.join(osp.dirname(osp.dirname(__import__('torch').__file__)), 'nvidia')
    links = dict(bin='bin', include='include', nvvm='nvvm', lib64='lib')
    for name, target in links.items():
        path = osp.join(home, name)
        source = osp.join(toolkit, target)
        if name in ('include', 'lib64'):
            source = merged(osp.join(root, f'merged-{name}'), [
                osp.join(folder, target) for folder in
                [toolkit] + glob.glob(osp.join(site, 'nvidia', '*'))
                + sorted(glob.glob(osp.join(torch_nvidia, '*')))])
        if not osp.lexists(path):
            os.symlink(source, path)
    lib = osp.join(home, 'lib64')
    versioned = sorted(glob.glob(osp.join(lib, 'libcudart.so.*')))
    if versioned and not osp.lexists(osp.join(lib, 'libcudart.so')):  # what -lcudart finds
        os.symlink(versioned[0], osp.join(lib, 'libcudart.so'))
    for tool in glob.glob(osp.join(toolkit, 'bin', '*')) + glob.glob(
            osp.join(toolkit, 'nvvm', 'bin', '*')):
        os.chmod(tool, 0o755)  # wheels may drop the executable bit
    return home


def merged(folder: str, sources: List[str]) -> str:
    """``folder`` holding a link to every entry of ``sources`` (the first one wins)."""
    os.makedirs(folder, exist_ok=True)
    for source in sources:
        for entry in (os.listdir(source) if osp.isdir(source) else []):
            if not osp.lexists(osp.join(folder, entry)):
                os.symlink(osp.join(source, entry), osp.join(folder, entry))
    return folder


def wheel_folder(kind: str, arch_list: Optional[str]) -> str:
    """Where the wheels of this kind, torch and Python are kept."""
    import torch
    what = 'cpu' if kind == 'cpu' else \
        f"cuda{torch.version.cuda}-sm{arch_list.replace(';', '_').replace('.', '')}"
    key = f'{what}-torch{torch.__version__.split("+")[0]}-py{sys.version_info[0]}' \
          f'{sys.version_info[1]}'
    cache = os.environ.get('XDG_CACHE_HOME') or osp.join(osp.expanduser('~'), '.cache')
    return osp.join(cache, 'mimtoolkit', 'mmcv-ops', key)


def build(chosen: Plan, facts: HostFacts, log: str, source: str = MMCV,
          target: Optional[str] = None) -> str:
    """Build (or take from the kept wheels) and install mmcv with ops; the wheel's path.

    ``source``: what pip builds (``mmcv==2.1.0`` from PyPI, or a local sdist where there is
    no network); ``target``: install into this folder (``pip --target``) instead of the
    environment.
    """
    folder = wheel_folder(chosen.kind, chosen.arch_list)
    wheels = glob.glob(osp.join(folder, 'mmcv-*.whl'))
    if not wheels:
        env = dict(os.environ, MMCV_WITH_OPS='1', MAX_JOBS=os.environ.get(
            'MAX_JOBS', str(os.cpu_count() or 2)), CXX=osp.join(REPO, 'tools/install/cxx_std20.sh'))
        if chosen.kind == 'cuda':
            home = (toolkit_home(facts.system_nvcc[0]) if chosen.nvcc == 'system'
                    else pypi_cuda_home(facts.torch_cuda, log))
            env.update(FORCE_CUDA='1', TORCH_CUDA_ARCH_LIST=chosen.arch_list, CUDA_HOME=home,
                       PYTORCH_NVCC=osp.join(REPO, 'tools/install/nvcc_std20.sh'),
                       REAL_NVCC=osp.join(home, 'bin', 'nvcc'))
        else:
            env['FORCE_CUDA'] = '0'
        partial = folder + '.part'
        shutil.rmtree(partial, ignore_errors=True)
        run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation',
             '--no-cache-dir', '-w', partial, source], log, env)
        os.makedirs(osp.dirname(folder), exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(partial, folder)
        wheels = glob.glob(osp.join(folder, 'mmcv-*.whl'))
    where = ['--target', target, '--upgrade'] if target else []
    if not target:
        run([sys.executable, '-m', 'pip', 'uninstall', '-y', 'mmcv-lite'], log)  # same files
    run([sys.executable, '-m', 'pip', 'install', '--no-deps', '--force-reinstall',
         '--no-cache-dir', *where, wheels[0]], log)
    return wheels[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--log', default=osp.join(sys.prefix, 'install.log'))
    parser.add_argument('--source', default=MMCV,
                        help="what pip builds: 'mmcv==2.1.0' (PyPI) or a local mmcv sdist")
    parser.add_argument('--target', help='install into this folder (pip --target), e.g. the '
                        "GPU lane's site folder on a machine without network")
    args = parser.parse_args()
    start = time.time()
    try:
        facts = host_facts()
        chosen = plan(facts)
        what = 'CPU' if chosen.kind == 'cpu' else f'CUDA {facts.torch_cuda}'
        if chosen.skip:
            print(f'mmcv ops ({what}): up to date')
            return
        kept = glob.glob(osp.join(wheel_folder(chosen.kind, chosen.arch_list), 'mmcv-*.whl'))
        doing = 'installing the kept wheel' if kept else (
            'building once (CPU: about 11 min on 2 cores; CUDA kernels for one architecture: '
            'about 50 min on 2 cores, minutes on a GPU node)')
        print(f'mmcv ops ({what}{", sm " + chosen.arch_list if chosen.arch_list else ""}'
              f'{", PyPI nvcc" if chosen.nvcc == "pypi" else ""}): {doing}; output in {args.log}',
              flush=True)
        wheel = build(chosen, facts, args.log, args.source, args.target)
        now = installed_ops()
        expected = 'cpu' if chosen.kind == 'cpu' else f'cuda {facts.torch_cuda}'
        if now != expected:
            raise OpsStageError(f'the installed mmcv ops are {now!r} after the build, expected '
                                f'{expected!r}: see {args.log}')
        print(f'mmcv ops ({what}): installed {osp.basename(wheel)} in {time.time() - start:.0f} s '
              f'(kept in {osp.dirname(wheel)})')
    except OpsStageError as err:
        print(f'error: mmcv ops: {err}', file=sys.stderr)
        sys.exit(2)


if __name__ == '__main__':
    main()
