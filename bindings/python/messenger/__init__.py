"""An embeddable messenger: a whole server or a whole client inside a Python program.

    import messenger

    with messenger.Server(port=0, data_dir="data") as server:
        with messenger.Client(server.url()) as alice:
            alice.register_user("alice", "correct horse battery")
            note = alice.open_direct_chat(alice.user().id)
            alice.send_message(note.id, "hello")

Every blocking call releases the GIL. Errors raise subclasses of `messenger.Error`. Log lines go
to the standard `logging` module, on loggers named "messenger.<subsystem>".
"""

from ._messenger import (
    PROTOCOL_VERSION,
    BadRequest,
    Chat,
    ChatEvent,
    ChatKind,
    ChatMember,
    ChatSummary,
    Client,
    ConnectionEvent,
    ConnectionState,
    CursorExpired,
    Disconnected,
    Durability,
    Error,
    ErrorCode,
    Forbidden,
    HistoryDirection,
    HistoryOrder,
    InternalError,
    InvalidCredentials,
    InvalidName,
    LogLevel,
    MemberRole,
    Message,
    MessageEvent,
    MessageKind,
    MessageStatus,
    NameTaken,
    NotAMember,
    NotFound,
    PasswordCost,
    Presence,
    PresenceEvent,
    ProtocolError,
    RateLimited,
    ReceiptEvent,
    ResetEvent,
    SendAck,
    SendResultEvent,
    Server,
    Session,
    SessionRevoked,
    ShuttingDown,
    StorageError,
    Timeout,
    TooLarge,
    TypingEvent,
    Unauthenticated,
    UnknownType,
    UnsupportedVersion,
    User,
)
from ._messenger import __version__  # noqa: F401 (the package's version, not in __all__)

__all__ = [
    "PROTOCOL_VERSION",
    "BadRequest",
    "Chat",
    "ChatEvent",
    "ChatKind",
    "ChatMember",
    "ChatSummary",
    "Client",
    "ConnectionEvent",
    "ConnectionState",
    "CursorExpired",
    "Disconnected",
    "Durability",
    "Error",
    "ErrorCode",
    "Event",
    "Forbidden",
    "HistoryDirection",
    "HistoryOrder",
    "InternalError",
    "InvalidCredentials",
    "InvalidName",
    "LogLevel",
    "MemberRole",
    "Message",
    "MessageEvent",
    "MessageKind",
    "MessageStatus",
    "NameTaken",
    "NotAMember",
    "NotFound",
    "PasswordCost",
    "Presence",
    "PresenceEvent",
    "ProtocolError",
    "RateLimited",
    "ReceiptEvent",
    "ResetEvent",
    "SendAck",
    "SendResultEvent",
    "Server",
    "Session",
    "SessionRevoked",
    "ShuttingDown",
    "StorageError",
    "Timeout",
    "TooLarge",
    "TypingEvent",
    "Unauthenticated",
    "UnknownType",
    "UnsupportedVersion",
    "User",
]

#: Every class an event can be, for `isinstance(event, messenger.Event)`.
Event = (
    MessageEvent,
    ReceiptEvent,
    ChatEvent,
    TypingEvent,
    PresenceEvent,
    SendResultEvent,
    ResetEvent,
    ConnectionEvent,
)

# The compiled classes say they come from `messenger`, where users find them.
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type) and _value.__module__ == "messenger._messenger":
        _value.__module__ = __name__
del _name, _value
