"""Workshop tools: the shared board (store), pairing rotas, the pledge board and the story of us builder.

Importing this package loads only the store (standard library); `rota`, `pledges` and `group` use pandas,
and the coach is loaded only when a pledge is checked or a story's values are found.
"""

from relational.workshop.store import (
    FILENAME, Added, BoardBusyError, BoardDamagedError, BoardMissingError, BoardTooNewError, Feedback,
    ForeignFileError, InvalidEntryError, Pledge, Store, StoreError, Story, ValueFound, open_board,
)

__all__ = [
    "FILENAME", "Added", "BoardBusyError", "BoardDamagedError", "BoardMissingError", "BoardTooNewError",
    "Feedback", "ForeignFileError", "InvalidEntryError", "Pledge", "Store", "StoreError", "Story", "ValueFound",
    "open_board",
]
