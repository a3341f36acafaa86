"""randomness.deterministic=True: deterministic kernels, and cuBLAS's workspace setting."""
import os

import torch

from mimtoolkit.engine.runner import MIMRunner


def test_deterministic_mode_sets_cublas_workspace_and_deterministic_kernels(monkeypatch):
    monkeypatch.delenv('CUBLAS_WORKSPACE_CONFIG', raising=False)
    runner = object.__new__(MIMRunner)  # set_randomness needs no other state
    try:
        runner.set_randomness(3, deterministic=True)
        assert os.environ['CUBLAS_WORKSPACE_CONFIG'] == ':4096:8'
        assert torch.are_deterministic_algorithms_enabled()
        assert torch.backends.cudnn.deterministic and not torch.backends.cudnn.benchmark
    finally:
        torch.use_deterministic_algorithms(False)
        torch.backends.cudnn.deterministic = False
    # a user's own setting is kept; without the switch nothing is set
    monkeypatch.setenv('CUBLAS_WORKSPACE_CONFIG', ':16:8')
    runner.set_randomness(3, deterministic=True)
    torch.use_deterministic_algorithms(False)
    torch.backends.cudnn.deterministic = False
    assert os.environ['CUBLAS_WORKSPACE_CONFIG'] == ':16:8'
    monkeypatch.delenv('CUBLAS_WORKSPACE_CONFIG')
    runner.set_randomness(3)
    assert 'CUBLAS_WORKSPACE_CONFIG' not in os.environ
    assert not torch.are_deterministic_algorithms_enabled()
