"""Losses compute in fp32, also inside a mixed-precision forward pass."""
import functools
from typing import Callable

import torch


def in_float32(forward: Callable) -> Callable:
    """Decorate a loss's ``forward``: autocast off, floating tensor arguments in fp32.

    Under ``--amp`` the model's forward pass runs in bf16/fp16 autocast; a loss's
    reductions (means over thousands of tokens, softmax over a similarity matrix)
    lose precision there, and a matmul inside the loss would be cast down again
    even from fp32 inputs. Integer arguments (labels, class ids) pass unchanged.
    """

    @functools.wraps(forward)
    def fp32_forward(self, *args, **kwargs):
        tensors = [a for a in (*args, *kwargs.values()) if torch.is_tensor(a)]
        device_type = tensors[0].device.type if tensors else 'cpu'

        def cast(value):
            return value.float() if torch.is_tensor(value) and value.is_floating_point() else value

        with torch.autocast(device_type, enabled=False):
            return forward(self, *map(cast, args), **{k: cast(v) for k, v in kwargs.items()})

    return fp32_forward
