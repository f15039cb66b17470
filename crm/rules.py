"""The error a service raises when a business rule refuses an action."""


class RuleError(ValueError):
    """An action refused by a business rule; ``str(error)`` is shown to the user.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
