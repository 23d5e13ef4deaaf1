"""Pages for people (:class:`Pages`) and the static site (:func:`export.export_site`)."""
from .pages import Pages

__all__ = ["Pages"]
