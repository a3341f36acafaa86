"""TextCachedConfig: the Runner's config text, formatted once per content."""
import copy

from mmengine.config import Config

from mimtoolkit.engine.runner.text_cached_config import TextCachedConfig


def test_text_is_mmengines_and_follows_a_changed_content(monkeypatch):
    cfg = Config(dict(model=dict(type='MAE', depth=12), lr=1e-3))
    cached = TextCachedConfig.of(copy.deepcopy(cfg))
    assert cached.pretty_text == cfg.pretty_text
    calls = []
    original = Config.pretty_text.fget
    monkeypatch.setattr(Config, 'pretty_text',
                        property(lambda self: calls.append(1) or original(self)))
    for _ in range(3):
        assert cached.pretty_text == cfg.pretty_text
    assert len(calls) == 3  # the plain config's reads; the cached one formatted nothing
    cached.model.depth = 6  # a changed content is formatted again
    assert "depth=6" in cached.pretty_text and len(calls) == 4
    assert copy.deepcopy(cached).pretty_text == cached.pretty_text
    assert 'pretty_text_cache' not in cached.pretty_text  # not a config key
