import pytest

from thb.lib.env import SettingError, envbool, envint, envlist


def test_envbool_reads_common_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "Yes")
    assert envbool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "off")
    assert envbool("X_FLAG", default=True) is False


def test_envbool_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(SettingError, match="X_FLAG"):
        envbool("X_FLAG")


def test_envint_names_the_variable(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(SettingError, match="X_NUM='ten'"):
        envint("X_NUM", 1)
    monkeypatch.delenv("X_NUM")
    assert envint("X_NUM", 7) == 7


def test_envlist_splits_and_trims(monkeypatch):
    monkeypatch.setenv("X_LIST", " a, b ,,c ")
    assert envlist("X_LIST") == ["a", "b", "c"]


def test_envint_refuses_a_number_below_its_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "-1")
    with pytest.raises(SettingError, match="X_NUM='-1' is below 0"):
        envint("X_NUM", 1, minimum=0)
    monkeypatch.setenv("X_NUM", "0")
    assert envint("X_NUM", 1, minimum=0) == 0
