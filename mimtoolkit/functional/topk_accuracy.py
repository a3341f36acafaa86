"""MixedAE's TopK sampling accuracy (Fig. 6): how many of a query's TopK keys are homologous."""
import torch


def topk_sampling_accuracy(kept: torch.Tensor, slots: torch.Tensor,
                           num_extra_tokens: int = 1) -> torch.Tensor:
    """Fraction of each patch query's kept keys that come from its own source image.

    Extra-token ([CLS]) queries are left out; an extra-token key counts as
    not homologous.

    Args:
        kept (Tensor): (B, h, N, N) bool, the keys each query kept (a
            ``HomologousAttention`` layer's ``last_topk``).
        slots (Tensor): (B, L) long source slot of every patch, L = N − extra.
        num_extra_tokens (int): Tokens before the patches. Defaults to 1.

    Returns:
        Tensor: 0-d, the mean over samples, heads and patch queries.
    """
    extra = torch.full((slots.shape[0], num_extra_tokens), -1, dtype=slots.dtype,
                       device=slots.device)
    token_slots = torch.cat([extra, slots], dim=1)  # (B, N), -1 for extra tokens
    same = token_slots.unsqueeze(2) == token_slots.unsqueeze(1)  # (B, N, N)
    rows = kept[:, :, num_extra_tokens:]
    hits = (rows & same[:, None, num_extra_tokens:]).sum(-1).float()
    return (hits / rows.sum(-1).clamp(min=1)).mean()
