"""`homeward telegram set-webhook|delete-webhook`: operators' Telegram tools."""

from __future__ import annotations

import asyncio

from bot.settings import Settings, SettingsError


def webhook(settings: Settings, action: str) -> int:
    """Point Telegram at our webhook (with its secret), or take it away."""
    from telegram import Bot

    from bot.web.telegram_route import WEBHOOK_PATH

    tg = settings.telegram
    if tg is None:
        raise SettingsError("TELEGRAM_BOT_TOKEN is not set")
    base = f"{tg.api_base_url}/bot" if tg.api_base_url else "https://api.telegram.org/bot"
    if action == "set-webhook" and (not settings.public_url or not tg.webhook_secret):
        raise SettingsError("set HOMEWARD_PUBLIC_URL and TELEGRAM_WEBHOOK_SECRET first")

    async def call() -> bool:
        async with Bot(tg.token, base_url=base) as bot:
            if action == "delete-webhook":
                return bool(await bot.delete_webhook())
            return bool(
                await bot.set_webhook(
                    settings.public_url + WEBHOOK_PATH, secret_token=tg.webhook_secret
                )
            )

    print("OK" if asyncio.run(call()) else "Telegram said no")
    return 0
