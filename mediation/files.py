"""Writing this app's private files so that a failed action leaves none behind."""

import logging

from django.core.files.base import ContentFile

from mediation.storage import private_storage
from mediation.uploads import CleanFile

logger = logging.getLogger(__name__)


def store(item: CleanFile, *, folder: str, written: list[str]) -> str:
    """Save a cleaned file under its content hash; its name joins `written` for FileGuard."""
    name = private_storage.save(
        f"{folder}/{item.sha256}.{item.extension}", ContentFile(item.content)
    )
    written.append(name)
    return name


class FileGuard:
    """Collects the files an action writes; deletes them when the action fails."""

    def __enter__(self) -> list[str]:
        self.written: list[str] = []
        return self.written

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for name in self.written:
                try:
                    private_storage.delete(name)
                except OSError:
                    logger.warning("could not remove %s", name)
        return False
