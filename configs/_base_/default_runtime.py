# Runtime shared by every mimtoolkit config (mmengine Runner).
default_scope = 'mimtoolkit'

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=10),
    param_scheduler=dict(type='UpdateParamSchedulerHook'),  # per update when accumulating
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    random_state=dict(type='RandomStateHook'),  # exact --resume (docs/reliability.md)
)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    # tools/*.py switch to gloo on a machine without CUDA
    dist_cfg=dict(backend='nccl'),
)

# Scalars (every named loss, lr) go to the JSON log under work_dir/<time>/vis_data;
# images (reconstructions) as PNG files there. Add dict(type='TensorboardVisBackend')
# to vis_backends for TensorBoard.
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)

log_processor = dict(window_size=10, by_epoch=True)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, diff_rank_seed=False, deterministic=False)
