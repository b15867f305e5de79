from thb.lib.memo import Memo


def test_it_computes_once_per_key() -> None:
    calls: list[str] = []
    memo: Memo[str] = Memo(size=4)

    def compute(key: str) -> str:
        calls.append(key)
        return key.upper()

    assert memo.get("a", lambda: compute("a")) == "A"
    assert memo.get("a", lambda: compute("a")) == "A"
    assert memo.get("b", lambda: compute("b")) == "B"
    assert calls == ["a", "b"]


def test_it_forgets_the_least_recently_used_beyond_its_size() -> None:
    calls: list[int] = []
    memo: Memo[int] = Memo(size=2)

    def compute(key: int) -> int:
        calls.append(key)
        return key

    def get(key: int) -> int:
        return memo.get(key, lambda: compute(key))

    get(1)
    get(2)
    get(1)  # 2 is now the least recently used
    get(3)
    assert len(memo) == 2
    get(1)
    get(2)  # computed again
    assert calls == [1, 2, 3, 2]


def test_clear_forgets_everything() -> None:
    memo: Memo[int] = Memo(size=2)
    memo.get(1, lambda: 1)
    memo.clear()
    assert memo.get(1, lambda: 10) == 10
