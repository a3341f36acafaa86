"""Probes of frozen features: DINO's weighted k-NN classifier and a linear classifier."""
import torch
import torch.nn.functional as F


@torch.no_grad()
def knn_top1(train_feats: torch.Tensor, train_labels: torch.Tensor, val_feats: torch.Tensor,
             val_labels: torch.Tensor, k: int = 20, temperature: float = 0.07,
             chunk: int = 1024) -> float:
    """Top-1 accuracy of the weighted cosine k-NN classifier of DINO's evaluation.

    Each validation feature votes with its ``k`` most cosine-similar training
    features, each vote weighted by ``exp(similarity / temperature)``; the
    class with the largest summed weight is the prediction.

    Args:
        train_feats (Tensor): (N, C) features of the labelled bank.
        train_labels (Tensor): (N,) long class indices.
        val_feats (Tensor): (M, C) features to classify.
        val_labels (Tensor): (M,) long class indices.
        k (int): Neighbours (capped at N). Defaults to 20.
        temperature (float): Vote temperature. Defaults to 0.07.
        chunk (int): Validation rows per similarity block (memory).

    Returns:
        float: Fraction of ``val_feats`` classified correctly.
    """
    bank = F.normalize(train_feats.float(), dim=1)
    num_classes = int(max(train_labels.max(), val_labels.max())) + 1
    k = min(k, bank.shape[0])
    correct = 0
    for start in range(0, val_feats.shape[0], chunk):
        query = F.normalize(val_feats[start:start + chunk].float(), dim=1)
        sims, idx = (query @ bank.T).topk(k, dim=1)  # (m, k)
        votes = torch.zeros(query.shape[0], num_classes, dtype=sims.dtype)
        votes.scatter_add_(1, train_labels[idx], (sims / temperature).exp())
        correct += int((votes.argmax(1) == val_labels[start:start + chunk]).sum())
    return correct / val_feats.shape[0]


def linear_top1(train_feats: torch.Tensor, train_labels: torch.Tensor, val_feats: torch.Tensor,
                val_labels: torch.Tensor, epochs: int = 10, lr: float = 1e-2,
                batch_size: int = 256, seed: int = 0) -> float:
    """Top-1 accuracy of a linear classifier trained on cached frozen features.

    The features are standardised with the training bank's mean and std (the
    affine-free BatchNorm of MAE's linear protocol, frozen), then one linear
    layer is trained with AdamW and cross-entropy for ``epochs`` passes in
    minibatches. The generator is seeded, so every rank computes the same
    classifier from the same features.

    Args:
        train_feats (Tensor): (N, C) features to train on.
        train_labels (Tensor): (N,) long class indices.
        val_feats (Tensor): (M, C) features to evaluate on.
        val_labels (Tensor): (M,) long class indices.
        epochs (int): Passes over ``train_feats``. Defaults to 10.
        lr (float): AdamW learning rate. Defaults to 0.01.
        batch_size (int): Minibatch size. Defaults to 256.
        seed (int): Seed of the initialisation and the batch order.

    Returns:
        float: Fraction of ``val_feats`` classified correctly.
    """
    generator = torch.Generator().manual_seed(seed)
    mean, std = train_feats.float().mean(0), train_feats.float().std(0) + 1e-6
    train_x, val_x = (train_feats.float() - mean) / std, (val_feats.float() - mean) / std
    num_classes = int(max(train_labels.max(), val_labels.max())) + 1
    weight = (torch.randn(num_classes, train_x.shape[1], generator=generator) * 0.01)
    weight.requires_grad_(True)
    bias = torch.zeros(num_classes, requires_grad=True)
    optimizer = torch.optim.AdamW([weight, bias], lr=lr, weight_decay=0.0)
    with torch.enable_grad():
        for _ in range(epochs):
            for batch in torch.randperm(train_x.shape[0], generator=generator).split(batch_size):
                loss = F.cross_entropy(F.linear(train_x[batch], weight, bias),
                                       train_labels[batch])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
    with torch.no_grad():
        pred = F.linear(val_x, weight, bias).argmax(1)
    return float((pred == val_labels).float().mean())
