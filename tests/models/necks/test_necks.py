"""DisentangleNeck: separate linear layers, one per branch."""
import torch

from mimtoolkit.registry import MODELS


def test_branches_are_distinct_parameters_with_distinct_outputs():
    neck = MODELS.build(dict(type='DisentangleNeck', in_channels=16, num_branches=2))
    neck.init_weights()
    f1, f2 = neck.branches
    assert f1.weight is not f2.weight and f1.weight.data_ptr() != f2.weight.data_ptr()
    assert not torch.equal(f1.weight, f2.weight)
    tokens = torch.randn(2, 5, 16)
    h1, h2 = neck(tokens)
    assert h1.shape == h2.shape == (2, 5, 16) and not torch.allclose(h1, h2)
    assert torch.allclose(h1, tokens @ f1.weight.T + f1.bias)
    h1.sum().backward()  # h1 depends on F1 only
    assert f1.weight.grad is not None and f2.weight.grad is None


def test_output_width_can_differ():
    neck = MODELS.build(dict(type='DisentangleNeck', in_channels=16, out_channels=8,
                             num_branches=1))
    (h, ) = neck(torch.randn(2, 5, 16))
    assert h.shape == (2, 5, 8)
