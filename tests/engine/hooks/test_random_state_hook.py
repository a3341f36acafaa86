"""RandomStateHook: a checkpoint's generator states survive loading onto another device (mmengine
resumes with map_location = the GPU) and every rank gets its own back."""
import io
import random

import numpy as np
import pytest
import torch
from mmengine.logging import MMLogger

from mimtoolkit.engine.hooks import RandomStateHook


class ResumingRunner:
    """The two things the hook reads of mmengine's Runner when resuming."""

    def __init__(self, resume=True):
        self._resume = resume
        self.logger = MMLogger.get_instance('random-state-test')


def draws():
    return (random.random(), float(np.random.rand()), torch.rand(3).tolist())


def saved_and_loaded(map_location):
    """A checkpoint as the hook writes it, saved and loaded back as mmengine resumes it."""
    checkpoint = {}
    RandomStateHook().before_save_checkpoint(ResumingRunner(), checkpoint)
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    buffer.seek(0)
    return torch.load(buffer, map_location=map_location, weights_only=True)


def test_states_loaded_onto_another_device_restore_the_same_draws():
    torch.manual_seed(3)
    random.seed(3)
    np.random.seed(3)
    # 'meta' stands for the GPU mmengine maps a resumed checkpoint to: a tensor state
    # would arrive there (and torch.set_rng_state takes only CPU byte tensors)
    checkpoint = saved_and_loaded(map_location='meta')
    expected = draws()
    assert draws() != expected  # the generators moved on
    RandomStateHook().after_load_checkpoint(ResumingRunner(), checkpoint)
    assert draws() == expected


def test_load_from_leaves_the_generators_alone():
    checkpoint = saved_and_loaded(map_location='cpu')
    torch.manual_seed(5)
    state = torch.get_rng_state()
    expected_next = torch.rand(3)
    torch.set_rng_state(state)
    RandomStateHook().after_load_checkpoint(ResumingRunner(resume=False), checkpoint)
    assert torch.equal(torch.rand(3), expected_next)


def test_a_checkpoint_from_before_with_tensor_states_still_resumes():
    torch.manual_seed(7)
    old = dict(random_state=dict(python=random.getstate(), numpy=np.random.get_state(),
                                 torch=torch.get_rng_state()))
    expected = draws()
    RandomStateHook().after_load_checkpoint(ResumingRunner(), old)
    assert draws() == expected


@pytest.mark.parametrize('saved_ranks', [1, 3])
def test_each_rank_restores_its_own_state(saved_ranks, monkeypatch):
    """Rank r of w takes state r (r % saved where the run has another size)."""
    states = []
    for seed in range(saved_ranks):
        torch.manual_seed(100 + seed)
        checkpoint = {}
        RandomStateHook().before_save_checkpoint(ResumingRunner(), checkpoint)
        states.append(checkpoint['random_state']['ranks'][0])
    expected = []
    for seed in range(saved_ranks):
        torch.manual_seed(100 + seed)
        expected.append(torch.rand(2))
    import mimtoolkit.engine.hooks.random_state_hook as module
    monkeypatch.setattr(module, 'get_dist_info', lambda: (2, 3))  # this process is rank 2 of 3
    RandomStateHook().after_load_checkpoint(ResumingRunner(),
                                            dict(random_state=dict(ranks=states)))
    assert torch.equal(torch.rand(2), expected[2 % saved_ranks])
