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


def test_overlapping_groups_are_repeated_until_no_group_has_a_lone_hidden_cell():
    # A 2x3 table whose rows and columns are both groups: b1 takes b2 (column b), then
    # the rows take a1 and c2, leaving columns a and c with one hidden cell each.
    cells = {"a1": 10, "b1": 2, "c1": 30, "a2": 60, "b2": 40, "c2": 50}
    rows = [["a1", "b1", "c1"], ["a2", "b2", "c2"]]
    columns = [["a1", "a2"], ["b1", "b2"], ["c1", "c2"]]
    out = suppress_counts(cells, threshold=3, groups=columns + rows)
    for group in columns + rows:
        assert sum(out[key] is None for key in group) != 1, (group, out)
