"""The suite means the same on every host: the tools it starts take the CPU path (CPU
tensors; gloo for several processes) even where CUDA exists, unless a GPU-lane test asks."""
from .conftest import CUDA_TOOL_ENV, tool_env


def test_tools_started_by_the_tests_ask_for_the_cpu_path():
    assert tool_env()['CUDA_VISIBLE_DEVICES'] == ''  # torch then sees no GPU: gloo, CPU
    assert tool_env(dict(PORT='1'))['CUDA_VISIBLE_DEVICES'] == ''


def test_the_gpu_lane_asks_for_a_gpu():
    assert tool_env(CUDA_TOOL_ENV)['CUDA_VISIBLE_DEVICES'] not in ('', None)
