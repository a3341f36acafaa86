# Hybrid: MR-MAE + SemanticMIM proxies. The MR-MAE photo config (MAE + focused masking + a
# mimic head on the visible tokens) with 8 [PROXY] tokens and their [MASK] branch in the
# encoder; the branch's outputs at the masked patches are decoded linearly to pixels, the
# visible tokens of branch (a) mimic the teacher.
_base_ = ['../mrmae/mrmae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']
model = dict(
    backbone=dict(num_proxy_tokens=8),
    neck=dict(_delete_=True, type='LinearPatchDecoder', in_channels=192, patch_size=8))
