"""make install-ops (tools/install/build_ops.py): what it builds on each kind of host, decided
from what torch and nvcc report (made up here: no GPU on this machine), and the one-line
errors for a host that cannot build what it needs."""
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'tools', 'install'))
import build_ops  # noqa: E402
from build_ops import HostFacts, OpsStageError, nvcc_release, plan  # noqa: E402

H100 = dict(torch_cuda='13.0', gpu_capabilities=['9.0'])
NVCC_13 = ('/usr/local/cuda/bin/nvcc', '13.0')
NVCC_12 = ('/usr/local/cuda-12.4/bin/nvcc', '12.4')


def test_a_host_without_a_gpu_builds_cpu_ops_once():
    assert plan(HostFacts(torch_cuda='13.0')) == build_ops.Plan('cpu', skip=False)
    assert plan(HostFacts(torch_cuda='13.0', installed_ops='cpu')).skip
    # a CPU-only torch too
    assert plan(HostFacts(torch_cuda=None, installed_ops='none')).kind == 'cpu'


def test_a_gpu_host_builds_cuda_kernels_for_its_gpus_with_the_matching_system_nvcc():
    chosen = plan(HostFacts(**H100, system_nvcc=NVCC_13))
    assert (chosen.kind, chosen.skip, chosen.arch_list, chosen.nvcc) == ('cuda', False, '9.0',
                                                                         'system')
    assert plan(HostFacts(torch_cuda='13.0', gpu_capabilities=['8.0', '9.0', '9.0'],
                          system_nvcc=NVCC_13)).arch_list == '8.0;9.0'
    assert plan(HostFacts(**H100, arch_list='8.0;9.0')).arch_list == '8.0;9.0'  # settable


def test_a_mismatched_or_missing_system_nvcc_means_pypi_s_compiler():
    assert plan(HostFacts(**H100, system_nvcc=NVCC_12)).nvcc == 'pypi'
    assert plan(HostFacts(**H100)).nvcc == 'pypi'


def test_cpu_ops_are_never_taken_for_cuda_ones_and_cuda_ones_of_torch_s_version_are_kept():
    assert not plan(HostFacts(**H100, installed_ops='cpu')).skip
    assert not plan(HostFacts(**H100, installed_ops='cuda 12.4')).skip
    assert plan(HostFacts(**H100, installed_ops='cuda 13.0')).skip


def test_force_cuda_without_a_gpu_needs_the_architectures_and_a_cuda_torch():
    chosen = plan(HostFacts(torch_cuda='13.0', force_cuda=True, arch_list='9.0'))
    assert (chosen.kind, chosen.arch_list) == ('cuda', '9.0')
    with pytest.raises(OpsStageError, match="set TORCH_CUDA_ARCH_LIST, e.g. '8.0;9.0'"):
        plan(HostFacts(torch_cuda='13.0', force_cuda=True))
    with pytest.raises(OpsStageError, match='this torch is a CPU-only build'):
        plan(HostFacts(torch_cuda=None, force_cuda=True, arch_list='9.0'))


def test_a_driver_older_than_torch_s_cuda_is_one_line_with_the_torch_switch():
    warning = ('CUDA initialization: The NVIDIA driver on your system is too old (found version '
               '12040). Please update your GPU driver by downloading and installing a new '
               'version from the URL: http://www.nvidia.com/Download/index.aspx')
    with pytest.raises(OpsStageError) as err:
        plan(HostFacts(torch_cuda='13.0', cuda_warning=warning))
    line = str(err.value)
    assert '\n' not in line and 'a CUDA 13.0 build (it supports CUDA 12.4)' in line
    assert 'make install TORCH_INDEX=https://download.pytorch.org/whl/cu' in line


def test_nvcc_s_release_is_read_from_its_version_text():
    text = ('nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 13.0, '
            'V13.0.88\nBuild cuda_13.0.r13.0/compiler.36424714_0')
    assert nvcc_release(text) == '13.0' and nvcc_release('garbage') is None


def test_each_kind_of_ops_keeps_its_own_wheels():
    cpu = build_ops.wheel_folder('cpu', None)
    cuda = build_ops.wheel_folder('cuda', '8.0;9.0')
    assert cpu != cuda and 'cpu-torch' in cpu and 'sm80_90-torch' in cuda


def test_no_pypi_compiler_for_a_mismatched_nvcc_is_one_line(tmp_path, monkeypatch):
    """A real pip that can reach no index (PIP_NO_INDEX) stands for a host without PyPI."""
    monkeypatch.setenv('PIP_NO_INDEX', '1')
    monkeypatch.setattr(sys, 'prefix', str(tmp_path))
    with pytest.raises(OpsStageError) as err:
        build_ops.pypi_cuda_home('13.0', str(tmp_path / 'install.log'))
    assert "install CUDA 13.0's nvcc and set CUDA_HOME to it" in str(err.value)
    assert '\n' not in str(err.value) and (tmp_path / 'install.log').stat().st_size > 0


def test_the_installed_ops_of_this_environment_are_cpu_ones_and_the_stage_says_up_to_date():
    proc = subprocess.run([sys.executable, build_ops.__file__, '--log', os.devnull],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == 'mmcv ops (CPU): up to date'


def test_the_toolkit_of_a_wrapped_system_nvcc_is_where_nvcc_says(tmp_path):
    """/usr/local/bin/nvcc is often a wrapper: CUDA_HOME is nvcc's own TOP, not ../ of it."""
    wrapper = tmp_path / 'nvcc'
    wrapper.write_text('#!/bin/sh\necho "#$ _HERE_=/opt/cuda-13.0/bin"\n'
                       'echo "#$ TOP=/opt/cuda-13.0/bin/.."\n')
    wrapper.chmod(0o755)
    assert build_ops.toolkit_home(str(wrapper)) == '/opt/cuda-13.0'


def test_pypi_s_compiler_packages_follow_torch_s_cuda_version():
    assert build_ops.nvcc_packages('13.0') == [
        'nvidia-cuda-nvcc==13.0.*', 'nvidia-nvvm==13.0.*', 'nvidia-cuda-crt==13.0.*',
        'nvidia-cuda-cccl==13.0.*']
    assert build_ops.nvcc_packages('12.6') == ['nvidia-cuda-nvcc-cu12==12.6.*',
                                               'nvidia-cuda-cccl-cu12==12.6.*']


def test_the_nvcc_wrapper_passes_one_std_cxx20(tmp_path):
    """mmcv passes -std=c++17 to nvcc, which refuses a second -std: every -std is dropped and
    one -std=c++20 given (a stand-in nvcc echoes what it was given)."""
    echo = tmp_path / 'nvcc'
    echo.write_text('#!/bin/sh\necho "$@"\n')
    echo.chmod(0o755)
    wrapper = os.path.join(os.path.dirname(build_ops.__file__), 'nvcc_std20.sh')
    out = subprocess.run([wrapper, '-c', 'a.cu', '-std=c++17', '--std=c++14', '-O3'],
                         capture_output=True, text=True, env=dict(os.environ, REAL_NVCC=str(echo)))
    assert out.stdout.split() == ['-c', 'a.cu', '-O3', '-std=c++20']
