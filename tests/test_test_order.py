"""The suite's own schedule: files with slow tests are handed out first (tests/conftest.py)."""


def test_files_with_slow_tests_come_before_the_quick_files(request):
    files = []  # collection order, one entry per file
    for item in request.session.items:
        name = item.nodeid.split('::')[0]
        if not files or files[-1][0] != name:
            files.append((name, False))
        files[-1] = (name, files[-1][1] or 'slow' in item.keywords)
    slow = [is_slow for _, is_slow in files]
    assert slow == sorted(slow, reverse=True), [name for name, _ in files]
