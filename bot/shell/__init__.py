"""`python -m bot shell`: the real Convene against an embedded local Slack, in a terminal.

Nothing here is a second implementation of the bot: lines become signed requests to the
real app (through bot.sandbox's driver), and what the bot sends to the embedded workspace
is read back from it and printed as text.
"""
