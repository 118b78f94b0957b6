"""Tests for bot.parsing: tokenising, mentions, flags, escaping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.parsing import (
    ChannelRef,
    CommandSyntaxError,
    UserRef,
    escape_mrkdwn,
    parse_channel,
    parse_user,
    split_flags,
    tokenize,
    truncate,
    unescape_slack,
)

# --------------------------------------------------------------------------- tokenize


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", []),
        ("   ", []),
        ("a b  c", ["a", "b", "c"]),
        ("  spaced \t out\n", ["spaced", "out"]),
        ("a\u00a0b", ["a", "b"]),  # non-breaking space from copy-paste
        ('"Book club" Coffee', ["Book club", "Coffee"]),
        # The example from the brief: Slack/macOS curly quotes mixed with straight ones.
        ('“Which event next?” "Book club" Coffee', ["Which event next?", "Book club", "Coffee"]),
        ("”Mismatched“ pair", ["Mismatched", "pair"]),
        ("„German“ style", ["German", "style"]),
        ('""', [""]),
        ('a "" b', ["a", "", "b"]),
        ('--title="Book club" x', ["--title=Book club", "x"]),
        ('a"b c"d', ["ab cd"]),
        # Single quotes quote at token boundaries only; apostrophes stay.
        ("don't stop", ["don't", "stop"]),
        ("'don't stop' now", ["don't stop", "now"]),
        ("‘Ada’s club’ next", ["Ada’s club", "next"]),
        ("Ada’s ‘book club’", ["Ada’s", "book club"]),
        ("it's 'fine'", ["it's", "fine"]),
        ("the dogs' toys", ["the", "dogs'", "toys"]),
        ("the '90s", ["the", "'90s"]),  # never closed: a literal apostrophe
        ("'Ada's club", ["'Ada's", "club"]),
        ("\"It's a 'quote'\" x", ["It's a 'quote'", "x"]),
        # Slack entities stay whole even with spaces or quotes inside.
        ("<#C0123ABCD|general> <@U0123ABCD|ada>", ["<#C0123ABCD|general>", "<@U0123ABCD|ada>"]),
        ("<https://example.com/a b|a label> x", ["<https://example.com/a b|a label>", "x"]),
        ('"<!channel>"', ["<!channel>"]),
    ],
)
def test_tokenize(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


@pytest.mark.parametrize("text", ['"unterminated', 'a "b c', "“curly open", 'ok "fine" "not'])
def test_tokenize_unterminated_double_quote(text: str) -> None:
    with pytest.raises(CommandSyntaxError, match="unclosed quote") as info:
        tokenize(text)
    assert "Close it, e.g." in str(info.value)


def test_command_syntax_error_is_value_error() -> None:
    assert issubclass(CommandSyntaxError, ValueError)


def test_tokenize_error_escapes_echoed_text() -> None:
    with pytest.raises(CommandSyntaxError) as info:
        tokenize('"<!channel> & friends')
    assert "<!channel>" not in str(info.value)
    assert "&lt;!channel&gt; &amp; friends" in str(info.value)


def test_tokenize_many_apostrophes_is_fast() -> None:
    assert len(tokenize("'a " * 5000)) == 5000


@given(st.text(alphabet="ab \t'’‘-"))
def test_tokenize_single_quotes_never_raise(text: str) -> None:
    tokenize(text)


@given(st.text(alphabet=st.characters(exclude_characters="\"“”„‟«»'‘’‚‛<")))
def test_tokenize_without_quotes_is_split(text: str) -> None:
    assert tokenize(text) == text.split()


@given(st.lists(st.text(alphabet="abcdef?!.,-", min_size=1), max_size=6))
def test_tokenize_round_trips_quoted_phrases(words: list[str]) -> None:
    assert tokenize(" ".join(f'"{w} {w}"' for w in words)) == [f"{w} {w}" for w in words]


# --------------------------------------------------------------------------- mentions


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("<#C0123ABCD|general>", ChannelRef(id="C0123ABCD", name="general")),
        ("<#C0123ABCD>", ChannelRef(id="C0123ABCD", name=None)),
        ("<#C0123ABCD|>", ChannelRef(id="C0123ABCD", name=None)),
        ("<#G0123ABCD|private-group>", ChannelRef(id="G0123ABCD", name="private-group")),
        ("#general", ChannelRef(id=None, name="general")),
        ("#book-club_2026", ChannelRef(id=None, name="book-club_2026")),
        ("C0123ABCD", ChannelRef(id="C0123ABCD", name=None)),
        (" <#C0123ABCD|general> ", ChannelRef(id="C0123ABCD", name="general")),
    ],
)
def test_parse_channel(token: str, expected: ChannelRef) -> None:
    assert parse_channel(token) == expected


@pytest.mark.parametrize(
    "token",
    ["general", "#", "<@U0123ABCD>", "@ada", "<!channel>", "c0123abcd", "<#C0123ABCD", "# x", ""],
)
def test_parse_channel_rejects(token: str) -> None:
    with pytest.raises(CommandSyntaxError, match=r"isn't a channel.*e.g. #book-club"):
        parse_channel(token)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("<@U0123ABCD|ada>", UserRef(id="U0123ABCD", name="ada")),
        ("<@U0123ABCD>", UserRef(id="U0123ABCD", name=None)),
        ("<@W0123ABCD|grace.hopper>", UserRef(id="W0123ABCD", name="grace.hopper")),
        ("@ada", UserRef(id=None, name="ada")),
        ("@ada.lovelace", UserRef(id=None, name="ada.lovelace")),
        ("U0123ABCD", UserRef(id="U0123ABCD", name=None)),
    ],
)
def test_parse_user(token: str, expected: UserRef) -> None:
    assert parse_user(token) == expected


@pytest.mark.parametrize(
    "token", ["ada", "@", "<#C0123ABCD|general>", "#general", "<!here>", "<!subteam^S1|@team>"]
)
def test_parse_user_rejects(token: str) -> None:
    with pytest.raises(CommandSyntaxError, match=r"isn't a person.*e.g. @ada"):
        parse_user(token)


def test_mention_error_does_not_ping() -> None:
    with pytest.raises(CommandSyntaxError) as info:
        parse_user("<!channel>")
    assert "<!channel>" not in str(info.value)
    assert "&lt;!channel&gt;" in str(info.value)


def test_mentions_from_tokenized_command() -> None:
    channel, user = tokenize("<#C0123ABCD|general> <@U0123ABCD|ada>")
    assert parse_channel(channel).id == "C0123ABCD"
    assert parse_user(user).name == "ada"


# --------------------------------------------------------------------------- flags

VALUED = {"channel", "limit"}
BOOLEAN = {"dry-run", "anonymous"}


@pytest.mark.parametrize(
    ("tokens", "positional", "flags"),
    [
        ([], [], {}),
        (["a", "b"], ["a", "b"], {}),
        (["a", "--channel", "#general", "b"], ["a", "b"], {"channel": "#general"}),
        (["--channel=#general"], [], {"channel": "#general"}),
        (["--limit=3", "--dry-run"], [], {"limit": "3", "dry-run": True}),
        (["--limit="], [], {"limit": ""}),
        (["--limit=a=b"], [], {"limit": "a=b"}),
        # macOS turns "--" into an em dash; iOS sometimes into an en dash.
        (["—channel", "#general"], [], {"channel": "#general"}),
        (["—dry-run", "x"], ["x"], {"dry-run": True}),
        (["–anonymous"], [], {"anonymous": True}),
        (["—limit=5"], [], {"limit": "5"}),
        (["—-channel", "#x"], [], {"channel": "#x"}),
        (["--Channel", "#x"], [], {"channel": "#x"}),
        # A lone "--" ends flags; lone dashes and negative numbers are positional.
        (["--", "--dry-run"], ["--dry-run"], {}),
        (["Book", "—", "club"], ["Book", "—", "club"], {}),
        (["-5", "-x"], ["-5", "-x"], {}),
    ],
)
def test_split_flags(
    tokens: list[str], positional: list[str], flags: dict[str, str | bool]
) -> None:
    assert split_flags(tokens, flags_with_values=VALUED, boolean_flags=BOOLEAN) == (
        positional,
        flags,
    )


def test_split_flags_with_tokenize() -> None:
    tokens = tokenize('“Which event next?” —channel <#C0123ABCD|general> --dry-run "Book club"')
    positional, flags = split_flags(tokens, flags_with_values=VALUED, boolean_flags=BOOLEAN)
    assert positional == ["Which event next?", "Book club"]
    assert flags == {"channel": "<#C0123ABCD|general>", "dry-run": True}
    assert isinstance(flags["channel"], str)
    assert parse_channel(flags["channel"]).id == "C0123ABCD"


def test_split_flags_unknown_names_it_and_lists_known() -> None:
    with pytest.raises(CommandSyntaxError) as info:
        split_flags(["--colour", "red"], flags_with_values=VALUED, boolean_flags=BOOLEAN)
    message = str(info.value)
    assert "Unknown option `--colour`" in message
    assert "`--anonymous`, `--channel`, `--dry-run`, `--limit`" in message


def test_split_flags_unknown_em_dash_flag() -> None:
    with pytest.raises(CommandSyntaxError, match="Unknown option `--colour`"):
        split_flags(["—colour"], flags_with_values=VALUED, boolean_flags=BOOLEAN)


def test_split_flags_no_known_flags() -> None:
    with pytest.raises(CommandSyntaxError, match="takes no options"):
        split_flags(["--x"], flags_with_values=set(), boolean_flags=set())


def test_split_flags_accepts_dashed_names_in_config() -> None:
    assert split_flags(["--limit", "2"], flags_with_values={"--limit"}, boolean_flags=set()) == (
        [],
        {"limit": "2"},
    )


@pytest.mark.parametrize(
    ("tokens", "message"),
    [
        (["--channel"], "`--channel` needs a value"),
        (["--channel", "--dry-run"], "`--channel` needs a value"),
        (["--channel", "—dry-run"], "`--channel` needs a value"),
        (["--dry-run=yes"], "`--dry-run` doesn't take a value"),
        (["--limit", "1", "--limit=2"], "`--limit` is given twice"),
        (["--dry-run", "—dry-run"], "`--dry-run` is given twice"),
    ],
)
def test_split_flags_errors(tokens: list[str], message: str) -> None:
    with pytest.raises(CommandSyntaxError) as info:
        split_flags(tokens, flags_with_values=VALUED, boolean_flags=BOOLEAN)
    assert message in str(info.value)


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain", "plain"),
        ("<!channel>", "&lt;!channel&gt;"),
        ("<!here> <!everyone>", "&lt;!here&gt; &lt;!everyone&gt;"),
        ("<@U0123ABCD>", "&lt;@U0123ABCD&gt;"),
        ("<https://evil.example|click me>", "&lt;https://evil.example|click me&gt;"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("&lt;", "&amp;lt;"),  # & first, so existing entities are shown literally
        ("*bold* _it_", "*bold* _it_"),
    ],
)
def test_escape_mrkdwn(text: str, escaped: str) -> None:
    assert escape_mrkdwn(text) == escaped


@given(st.text())
def test_escape_round_trip_and_no_raw_brackets(text: str) -> None:
    escaped = escape_mrkdwn(text)
    assert "<" not in escaped and ">" not in escaped
    assert unescape_slack(escaped) == text


def test_unescape_slack() -> None:
    assert unescape_slack("a &lt;b&gt; &amp;amp;") == "a <b> &amp;"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("this is too long", 9, "this is…"),  # no dangling space before the ellipsis
        ("abcdefghijk", 5, "abcd…"),
        ("abc", 1, "…"),
        ("", 3, ""),
    ],
)
def test_truncate(text: str, limit: int, expected: str) -> None:
    assert truncate(text, limit) == expected
    assert len(truncate(text, limit)) <= limit


def test_truncate_rejects_silly_limit() -> None:
    with pytest.raises(ValueError):
        truncate("abc", 0)


@given(st.text(), st.integers(min_value=1, max_value=50))
def test_truncate_property(text: str, limit: int) -> None:
    result = truncate(text, limit)
    assert len(result) <= limit
    assert result == text or result.endswith("…")


def test_clip_never_cuts_an_entity_or_a_mention() -> None:
    from bot.blocks.common import clip

    assert clip("a" * 10, 10) == "a" * 10
    assert clip("abc &amp; more text", 7) == "abc …"
    assert clip("hi <@U0123ABCD> there", 9) == "hi …"
    assert len(clip("x" * 5000)) == 3000
