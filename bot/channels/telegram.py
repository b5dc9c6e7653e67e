"""Telegram with python-telegram-bot: a thin adapter around the shared core.

Updates arrive on the webhook route (or by long polling on a laptop); the
adapter turns each into an InboundMessage, runs the core in a thread, and sends
the replies with Telegram's extras: buttons under results (details, More, a
person, the other language) and a "Share my location" keyboard. Conversation
state stays in our core and database, never in PTB's ConversationHandler.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import Forbidden
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.telegram_update import point_values_ok
from bot.conversation.core import Conversation
from bot.conversation.message import SHARE_LOCATION, InboundMessage, Point, Reply, Turn
from bot.i18n import N_, Translator
from bot.settings import Settings

log = logging.getLogger(__name__)
CHANNEL = "telegram"
COMMANDS = (
    ("start", N_("Start, or start again")),
    ("help", N_("What Homeward does and how to use it")),
    ("menu", N_("The list of help")),
    ("lang", N_("English or Spanish")),
    ("person", N_("Talk to a person")),
    ("stop", N_("Stop all messages")),
)
# What each command means to the core, as the words a texter would send.
_COMMAND_TEXT = {"help": "help", "menu": "menu", "lang": "lang", "stop": "stop", "person": "person"}

Context = ContextTypes.DEFAULT_TYPE


def build_application(
    settings: Settings, conversation: Conversation, *, polling: bool = False
) -> Application:  # type: ignore[type-arg]
    """The PTB Application; with ``polling`` it has an Updater, else our route feeds it."""
    assert settings.telegram is not None
    builder = Application.builder().token(settings.telegram.token)
    if settings.telegram.api_base_url:
        base = settings.telegram.api_base_url
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    if not polling:
        builder = builder.updater(None)
    application = builder.build()
    adapter = TelegramAdapter(conversation)
    # Private chats only, new messages only: groups, channel posts and edits are ignored
    # (the webhook route refuses them before this; long polling relies on these filters).
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    application.add_handler(
        CommandHandler(["start", *_COMMAND_TEXT], adapter.on_command, filters=private)
    )
    application.add_handler(MessageHandler(private & filters.LOCATION, adapter.on_location))
    application.add_handler(
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, adapter.on_text)
    )
    application.add_handler(CallbackQueryHandler(adapter.on_button))
    application.add_error_handler(adapter.on_error)
    return application


async def register_commands(application: Application) -> None:  # type: ignore[type-arg]
    """setMyCommands in English (default) and Spanish."""
    for language in ("en", "es"):
        t = Translator(language)
        commands = [BotCommand(name, t.gettext(text)) for name, text in COMMANDS]
        await application.bot.set_my_commands(
            commands, language_code=None if language == "en" else language
        )


class TelegramAdapter:
    """PTB callbacks: each turns an update into an InboundMessage and sends the turn."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation

    async def on_text(self, update: Update, context: Context) -> None:
        """A text message: the texter's words go to the core as they are."""
        if update.effective_chat and update.effective_message and update.effective_message.text:
            await self._answer(context, update, update.effective_message.text)

    async def on_location(self, update: Update, context: Context) -> None:
        """A shared location: results are ranked by distance from it from now on."""
        message = update.effective_message
        if update.effective_chat and message and message.location:
            latitude, longitude = message.location.latitude, message.location.longitude
            if not point_values_ok(latitude, longitude):
                log.info("ignored a Telegram location that is not two numbers in range")
                return
            await self._answer(context, update, "", location=(float(latitude), float(longitude)))

    async def on_command(self, update: Update, context: Context) -> None:
        """/start (with a deep-link payload such as `es`), /help, /menu, /lang, /person, /stop."""
        message = update.effective_message
        if not update.effective_chat or not message or not message.text:
            return
        name = message.text.split()[0].lstrip("/").split("@")[0].lower()
        if name == "start":
            text = "hola" if context.args and context.args[0].lower() == "es" else "hi"
        else:
            text = _COMMAND_TEXT.get(name, "help")
        await self._answer(context, update, text)

    async def on_button(self, update: Update, context: Context) -> None:
        """A button press: stop the spinner, then treat its payload as a text."""
        query = update.callback_query
        if query is None:
            return
        if update.effective_chat is None or update.effective_chat.type != "private":
            return  # a button under a message in a group: not ours to answer
        await query.answer()
        if update.effective_chat and query.data:
            await self._answer(context, update, query.data[:64])

    async def on_error(self, update: object, context: Context) -> None:
        """Log and go on: one bad update must not stop the bot (no message text logged)."""
        log.error("telegram update failed: %s", type(context.error).__name__)

    async def _answer(
        self, context: Context, update: Update, text: str, location: Point | None = None
    ) -> None:
        """The core answers each update_id once; a repeat (Telegram retried) sends nothing."""
        assert update.effective_chat is not None
        chat_id = update.effective_chat.id
        message = InboundMessage(
            CHANNEL,
            str(chat_id),
            text,
            location=location,
            kind="telegram",
            message_id=str(update.update_id),
        )
        turn = await asyncio.to_thread(self.conversation.handle, message)
        if turn.repeated:
            return
        try:
            await send_turn(context.bot, chat_id, turn)
        except Forbidden:
            # The texter blocked the bot: treat it as STOP.
            await asyncio.to_thread(self.conversation.unreachable, CHANNEL, str(chat_id))


async def send_turn(bot: object, chat_id: int, turn: Turn) -> None:
    """Send a turn's replies with their buttons."""
    for reply in turn.replies:
        await bot.send_message(chat_id=chat_id, text=reply.text, reply_markup=markup(reply))  # type: ignore[attr-defined]


def markup(reply: Reply) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | None:
    """Inline buttons for a reply's options; a location keyboard for SHARE_LOCATION."""
    if not reply.options:
        return None
    if any(o.payload == SHARE_LOCATION for o in reply.options):
        label = next(o.label for o in reply.options if o.payload == SHARE_LOCATION)
        return ReplyKeyboardMarkup(
            [[KeyboardButton(label, request_location=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    numbers = [
        InlineKeyboardButton(o.label, callback_data=o.payload)
        for o in reply.options
        if o.payload.isdigit()
    ]
    others = [
        [InlineKeyboardButton(o.label, callback_data=o.payload)]
        for o in reply.options
        if not o.payload.isdigit()
    ]
    return InlineKeyboardMarkup([numbers, *others] if numbers else others)
