"""The ```item fence (an item's authoring metadata) never reaches a student notebook."""

import nbformat
import pytest

from autograder.authoring.assign import AssignError, drop_item_fences

ITEM = """**Question 3.** Which stage ...

```item
intent: understanding
distractors:
  A: {misconception: "treating the launch as the end of the work", section: "§2"}
```

Set `q3_answer` to a letter."""


def test_item_fence_is_removed_and_the_prompt_kept():
    cell = drop_item_fences(nbformat.v4.new_markdown_cell(ITEM))
    assert "```item" not in cell.source and "misconception" not in cell.source
    assert cell.source.startswith("**Question 3.**") and cell.source.endswith("to a letter.")


def test_a_cell_holding_only_an_item_fence_disappears():
    only = "```item\nintent: recall\n```\n"
    assert drop_item_fences(nbformat.v4.new_markdown_cell(only)) is None


def test_code_cells_and_plain_markdown_pass_untouched():
    code = nbformat.v4.new_code_cell("x = '```item'")
    assert drop_item_fences(code) is code
    plain = nbformat.v4.new_markdown_cell("no metadata here")
    assert drop_item_fences(plain).source == "no metadata here"


def test_an_unclosed_item_fence_is_an_error():
    with pytest.raises(AssignError, match="not closed"):
        drop_item_fences(nbformat.v4.new_markdown_cell("text\n```item\nintent: recall\n"))
