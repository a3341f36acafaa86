"""DINO's weighted k-NN and the linear probe on cached features."""
import torch

from mimtoolkit.evaluation.feature_probes import knn_top1, linear_top1


def _clusters(n_per_class: int, noise: float, seed: int):
    g = torch.Generator().manual_seed(seed)
    centres = torch.eye(4, 16) * 3
    labels = torch.arange(4).repeat_interleave(n_per_class)
    return centres[labels] + noise * torch.randn(len(labels), 16, generator=g), labels


def test_knn_separates_clusters_and_falls_to_chance_on_shuffled_labels():
    bank, bank_labels = _clusters(50, 0.5, 0)
    val, val_labels = _clusters(20, 0.5, 1)
    assert knn_top1(bank, bank_labels, val, val_labels) == 1.0
    shuffled = bank_labels[torch.randperm(len(bank_labels))]
    assert knn_top1(bank, shuffled, val, val_labels) < 0.6


def test_knn_weights_votes_by_similarity():
    # one very close neighbour of class 1 outweighs two far ones of class 0 (k = 3)
    bank = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.05, 1.0]])
    labels = torch.tensor([1, 0, 0])
    query = torch.tensor([[1.0, 0.01]])
    assert knn_top1(bank, labels, query, torch.tensor([1]), k=3, temperature=0.07) == 1.0
    # with a very high temperature every vote counts the same: the majority wins
    assert knn_top1(bank, labels, query, torch.tensor([0]), k=3, temperature=1e3) == 1.0


def test_knn_is_scale_invariant_and_chunks_agree():
    bank, bank_labels = _clusters(30, 1.5, 2)
    val, val_labels = _clusters(30, 1.5, 3)
    a = knn_top1(bank, bank_labels, val, val_labels)
    assert knn_top1(bank * 7, bank_labels, val * 0.1, val_labels, chunk=7) == a


def test_linear_probe_learns_clusters_and_is_deterministic():
    train, train_labels = _clusters(50, 0.8, 4)
    val, val_labels = _clusters(20, 0.8, 5)
    acc = linear_top1(train, train_labels, val, val_labels, epochs=60)
    assert acc > 0.9
    assert linear_top1(train, train_labels, val, val_labels, epochs=60) == acc
    noise = torch.randn(200, 16, generator=torch.Generator().manual_seed(6))
    assert linear_top1(noise, train_labels, val, val_labels, epochs=5) < 0.6
