"""Characters the documents' built-in fonts print *and* that programs read back.

The PDFs use the standard Helvetica fonts (WinAnsi encoding). reportlab writes the
bullet "•" there as code 127, which PDF readers and text extractors (pypdf, pdfminer,
copy and paste) do not map back: it comes out as "(cid:127)" or a control character.
Documents therefore mark list items with an en dash, and a bullet typed by a user is
printed as one too.
"""

# The mark before each item of a list in a document.
LIST_MARK = "\u2013"  # en dash "–"
_PRINTABLE = str.maketrans({"\u2022": LIST_MARK})


def printable(text: str) -> str:
    """``text`` with characters the built-in fonts write unreadably replaced."""
    return text.translate(_PRINTABLE)
