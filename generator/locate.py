"""Map a JSON path in a case to the line and column of the YAML text that holds it."""

from __future__ import annotations

from yaml.nodes import MappingNode, SequenceNode

from .load import compose


class Locator:
    """Finds positions in one file's YAML; composes the node tree only when first asked.

    `root`, when given, is the node tree of the parse that built the file's data
    (`CaseFile.nodes`): nothing is composed again.
    """

    def __init__(self, text: str, root=None):
        self._text = text
        self._root = root

    def _tree(self):
        if self._root is None:
            self._root = compose(self._text)
        return self._root

    def position(self, parts, at: str = "value") -> tuple[int, int]:
        """1-based (line, col) of the value, its key (`at='key'`) or its parent (`'parent'`)."""
        node, key = self._tree(), None
        if node is None:  # empty text (a file gone or refused since it was read)
            return 1, 1
        for part in parts:
            child = key_node = None
            if isinstance(node, MappingNode):
                for k, v in node.value:
                    if k.value == part:
                        key_node, child = k, v
                        break
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    child = node.value[part]
            if child is None:
                break  # the path leaves the document (a missing field): stay at the parent
            key, node = key_node, child
        if at == "key" and key is not None:
            mark = key.start_mark
        elif at == "parent" and isinstance(node, MappingNode) and node.value:
            mark = node.value[0][0].start_mark  # the mapping's first key: where a field goes
        else:
            mark = node.start_mark
        return mark.line + 1, mark.column + 1

    def marks(self, paths) -> dict[tuple, tuple[int, int]]:
        """{parts: (line, col)} of the values at `paths`: a small table a worker sends back so
        that the main process locates cross-file problems without the text or the tree."""
        return {parts: self.position(parts) for parts in paths}
