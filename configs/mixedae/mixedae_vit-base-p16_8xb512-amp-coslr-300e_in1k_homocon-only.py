# MixedAE "HomoCon only": the homologous contrastive loss alone (lambda 0.1), no reconstruction
# (no unmixing, no decoder), with homologous attention and segment embeddings; the ablation
# setup of §4.4 otherwise (compose mixing, 300 epochs, base lr 1.5e-4).
_base_ = ['./mixedae_vit-base-p16_8xb512-amp-coslr-300e_in1k_ablation.py']
model = dict(neck=None, head=None)
