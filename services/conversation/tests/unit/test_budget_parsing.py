import pytest

from inkline_conversation.domain.parsing import ParseFailure
from inkline_conversation.domain.parsing.budget import BudgetRange, parse_budget


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("£400", 40000, 40000),
        ("400-500", 40000, 50000),
        ("400 to 500 quid", 40000, 50000),
        ("£400 - £500", 40000, 50000),
        ("between 400 and 500 if that's ok", 40000, 50000),
        ("1.2k", 120000, 120000),
        ("1-1.5k", 100000, 150000),
        ("around 600", 60000, 60000),
        ("Max 800", 0, 80000),
        ("up to 1k", 0, 100000),
        ("800 tops", 0, 80000),
        ("£250.50", 25050, 25050),
        ("500\u2013300 😅", 30000, 50000),
    ],
)
def test_budgets_in_the_artists_currency(text: str, low: int, high: int) -> None:
    assert parse_budget(text, currency="GBP") == BudgetRange(min_minor=low, max_minor=high, currency="GBP")


def test_thousands_separators_are_not_decimals() -> None:
    assert parse_budget("€1,200", currency="EUR") == BudgetRange(120000, 120000, "EUR")
    assert parse_budget("€1.200", currency="EUR") == BudgetRange(120000, 120000, "EUR")


def test_a_different_explicit_currency_is_kept_not_converted() -> None:
    result = parse_budget("€1,200", currency="GBP")

    assert result == BudgetRange(min_minor=120000, max_minor=120000, currency="EUR")


def test_a_dollar_sign_means_the_artists_own_dollar_currency() -> None:
    assert parse_budget("$500", currency="AUD") == BudgetRange(50000, 50000, "AUD")
    assert parse_budget("$500", currency="GBP") == BudgetRange(50000, 50000, "USD")


def test_currency_words_are_recognised() -> None:
    assert parse_budget("about 300 euros", currency="GBP") == BudgetRange(30000, 30000, "EUR")
    assert parse_budget("300 pounds", currency="EUR") == BudgetRange(30000, 30000, "GBP")


def test_sizes_and_dates_in_the_same_message_are_not_mistaken_for_money() -> None:
    assert parse_budget("for a 15cm piece on the 3rd, £450", currency="GBP") == BudgetRange(
        45000, 45000, "GBP"
    )


@pytest.mark.parametrize("text", ["idk", "cheap as possible", "Not sure yet!!", "whatever it costs 🤷"])
def test_answers_without_an_amount_fail(text: str) -> None:
    assert parse_budget(text, currency="GBP") == ParseFailure(reason="no_amount", hint_key="repair.budget")


def test_zero_is_not_a_budget() -> None:
    assert parse_budget("0", currency="GBP") == ParseFailure(reason="zero", hint_key="repair.budget")


@pytest.mark.parametrize(
    ("text", "low", "high", "currency"),
    [
        ("4k SEK", 400000, 400000, "SEK"),
        ("500 zł", 50000, 50000, "PLN"),
        ("entre 300 e 400 reais", 30000, 40000, "BRL"),
        ("R$ 450", 45000, 45000, "BRL"),
        ("400 Stutz", 40000, 40000, "CHF"),
        ("300 pavos", 30000, 30000, "EUR"),
        ("1 000 €", 100000, 100000, "EUR"),
        ("entre 200 y 250€", 20000, 25000, "EUR"),
        ("dai 300 ai 500 euro", 30000, 50000, "EUR"),
        ("zwischen 300 und 400 Euro", 30000, 40000, "EUR"),
        ("pas plus de 400 €", 0, 40000, "EUR"),
        ("höchstens 600 Franken", 0, 60000, "CHF"),
        ("like 2-300", 20000, 30000, "GBP"),
    ],
)
def test_currencies_ranges_and_limits_are_read_in_the_clients_own_words(
    text: str, low: int, high: int, currency: str
) -> None:
    assert parse_budget(text, currency="GBP") == BudgetRange(low, high, currency)


@pytest.mark.parametrize("text", ["1000 kr", "about 2000 kroner", "5000 pesos"])
def test_a_currency_several_countries_share_is_asked_about_never_read_as_the_artists(text: str) -> None:
    assert parse_budget(text, currency="GBP") == ParseFailure(
        reason="ambiguous_currency", hint_key="repair.budget"
    )


def test_two_figures_separated_by_a_space_are_not_one_number() -> None:
    assert parse_budget("300 400", currency="GBP") == BudgetRange(30000, 30000, "GBP")


@pytest.mark.parametrize(
    ("text", "low", "currency"),
    [("four hundred", 40000, "GBP"), ("trecento euro", 30000, "EUR"), ("quatrocentos reais", 40000, "BRL"),
     ("£500ish", 50000, "GBP")],
)  # fmt: skip
def test_amounts_written_in_words_or_with_ish_are_read(text: str, low: int, currency: str) -> None:
    assert parse_budget(text, currency="GBP") == BudgetRange(low, low, currency)
