from app.cli import main, parse_line


def test_parse_line():
    assert parse_line("4.99x3") == ("4.99", 3)
    assert parse_line("4.99") == ("4.99", 1)


def test_main_prints_total(capsys):
    assert main(["10.00x1"]) == 0
    assert capsys.readouterr().out.strip() == "12.00"


def test_main_without_args_is_usage_error():
    assert main([]) == 2
