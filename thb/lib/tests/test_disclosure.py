from thb.lib.disclosure import suppress_counts


def test_small_counts_are_hidden_and_zero_and_large_are_kept():
    out = suppress_counts({"a": 0, "b": 1, "c": 2, "d": 3, "e": 40}, threshold=3)
    assert out == {"a": 0, "b": None, "c": None, "d": 3, "e": 40}


def test_a_lone_hidden_cell_in_a_group_takes_its_smallest_neighbour_with_it():
    cells = {"men": 34, "women": 12, "minors": 2}
    out = suppress_counts(cells, threshold=3, groups=[["men", "women", "minors"]])
    assert out == {"men": 34, "women": None, "minors": None}


def test_two_hidden_cells_in_a_group_need_nothing_more():
    cells = {"x": 1, "y": 2, "z": 30}
    out = suppress_counts(cells, threshold=3, groups=[["x", "y", "z"]])
    assert out == {"x": None, "y": None, "z": 30}
