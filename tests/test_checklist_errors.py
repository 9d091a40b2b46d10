"""The broken-checklist corpus: every deliberately broken file and the exact lines `lint` prints.

Each case under tests/data/checklists/broken/ is one file (or one folder, for problems that need
two files) with one mistake a compliance lead could make while editing a checklist. The expected
lines are what `duediligence checklists lint` prints for it, exactly: the file and line to go to,
the checklist, question and field, and a message that says what to change. The tests run from the
corpus folder so the paths in the messages are the short relative ones a person would type.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from duediligence.adapters.checklists_toml import MAX_CHECKLIST_BYTES, lint, load_library
from duediligence.cli.checklists import checklists
from duediligence.domain.errors import InvalidChecklist

DATA = Path(__file__).parent / "data" / "checklists"
BROKEN = DATA / "broken"
GOOD = DATA / "good"

EXPECTED: dict[str, list[str]] = {
    # -- TOML and encoding --------------------------------------------------------------------
    "toml-syntax.toml": [
        "toml-syntax.toml:13:29: TOML syntax error: Illegal character '\\n' "
        "(the line ends inside a string: add the closing quote)",
    ],
    "toml-duplicate-key.toml": [
        "toml-duplicate-key.toml:17:37: TOML syntax error: Cannot overwrite a value "
        "(a key is set twice in the same table)",
    ],
    "not-utf8.toml": [
        "not-utf8.toml:14:26: is not valid UTF-8 text (byte 0xa3); "
        "save the file with UTF-8 encoding",
    ],
    # -- schema: fields, types, required values -----------------------------------------------
    "unknown-top-level-field.toml": [
        "unknown-top-level-field.toml:6: [unknown-top-level-field] owner: unknown field 'owner'",
    ],
    "missing-citations.toml": [
        "missing-citations.toml:19: [missing-citations/occupation] citations: "
        "missing required field",
    ],
    "missing-guidance.toml": [
        "missing-guidance.toml:12: [missing-guidance/pep] guidance: missing required field",
    ],
    "empty-citations.toml": [
        "empty-citations.toml:15: [empty-citations/pep] citations: "
        "needs at least 1 entry; it is empty",
    ],
    "wrong-field-type.toml": [
        "wrong-field-type.toml:15: [wrong-field-type/pep] citations: must be a list in square "
        "brackets, e.g. citations = [...]; got 'MLR reg 35(1)'",
    ],
    "unknown-question-type.toml": [
        "unknown-question-type.toml:16: [unknown-question-type/pep] type: unknown question type "
        "'boolean' (expected 'yesno', 'choice', 'multi', 'text', 'date', 'datetime', 'money', "
        "'country', 'percent', 'party', 'evidence' or 'rating')",
    ],
    "unknown-fact.toml": [
        "unknown-fact.toml:24: [unknown-fact/company_number] show_when.fact: unknown fact "
        "'client_kind' (expected 'firm_role', 'acting_for', 'client_type', 'matter_type', "
        "'sanctions_screening', 'pep_screening', 'computed_rating', 'instructed_at', "
        "'relationship_established_at', 'marketing_started_at', 'offer_accepted_at', "
        "'funds_received_at', 'exchange_at' or 'completion_at')",
    ],
    "unknown-gate.toml": [
        "unknown-gate.toml:20: [unknown-gate/pep] rule[1].effects[1].gates[1]: "
        "gate 'G5' does not exist (gates are G1, G2, G3, G4)",
    ],
    "unknown-effect-kind.toml": [
        "unknown-effect-kind.toml:20: [unknown-effect-kind/pep] rule[1].effects[1]: "
        "unknown effect kind 'escalate' (expected one of 'risk_points', 'rating_floor', "
        "'force_high', 'block_gate', 'hold_funds', 'require_approval', 'spawn', 'refer_mlro', "
        "'refuse', 'cdd_impossible')",
    ],
    "approval-by-fee-earner.toml": [
        "approval-by-fee-earner.toml:20: [approval-by-fee-earner/pep] rule[1].effects[1]: "
        "an approval is given by a supervisor, senior_manager or mlro",
    ],
    "two-operators.toml": [
        "two-operators.toml:24: [two-operators/pep_role] show_when: a comparison takes exactly "
        "one operator of equals, not_equals, in, not_in, gt, gte, lt, lte, answered, contains, "
        "contains_any, in_country_list, mentions_any; got equals, answered",
    ],
    # -- duplicates ---------------------------------------------------------------------------
    "duplicate-question-id.toml": [
        "duplicate-question-id.toml:19: [duplicate-question-id/pep] id: duplicate question id "
        "'pep': another question of this checklist already uses it; give each question its "
        "own id",
    ],
    "duplicate-section-id.toml": [
        "duplicate-section-id.toml:19: [duplicate-section-id/client] id: duplicate section id "
        "'client': another section of this checklist already uses it; give each section its "
        "own id",
    ],
    "duplicate-checklist-id": [
        "duplicate-checklist-id/b.toml:1: [onboarding] id: duplicate checklist id 'onboarding': "
        "duplicate-checklist-id/a.toml already defines it; give each checklist its own id",
    ],
    "exclusive-on-choice.toml": [
        "exclusive-on-choice.toml:19: [exclusive-on-choice/source] options[2].exclusive: "
        "exclusive only applies to options of multi questions, not choice",
    ],
    "duplicate-option.toml": [
        "duplicate-option.toml:20: [duplicate-option/source] options[3]: "
        "duplicate option 'savings': each option needs its own value",
    ],
    # -- question shape -----------------------------------------------------------------------
    "unknown-citation-format.toml": [
        "unknown-citation-format.toml:15: [unknown-citation-format/pep] citations: unknown "
        'citation format \'MLR 35\' (expected e.g. "MLR reg 28(2)(a)", "MLR Sch 3ZA", '
        '"LSAG para 6.14", "ECSH63515", "HMRC EAB guidance section 4", '
        '"FCA FG25/3 para 2.14", "POCA s.330", "SAMLA s.1", "ECTEA 2022 s.4", '
        '"SRA warning notice: client and matter risk assessments", '
        '"OFSI guidance: ownership and control", "FATF R.12", "UK GDPR art 13", '
        '"Firm policy: cash acceptance limit")',
    ],
    "choice-one-option.toml": [
        "choice-one-option.toml:17: [choice-one-option/client_kind] options: "
        "a choice question needs at least two options",
    ],
    "min-length-not-text.toml": [
        "min-length-not-text.toml:17: [min-length-not-text/pep] min_length: "
        "min_length only applies to text questions, not yesno",
    ],
    "past-not-date.toml": [
        "past-not-date.toml:17: [past-not-date/pep] past: "
        "past only applies to date and datetime questions, not yesno",
    ],
    "evidence-without-table.toml": [
        "evidence-without-table.toml:12: [evidence-without-table/id_document] evidence: "
        "an evidence question needs an [evidence] table saying which documents",
    ],
    # -- conditions ---------------------------------------------------------------------------
    "condition-unknown-question.toml": [
        "condition-unknown-question.toml:24: [condition-unknown-question/pep_role] show_when: "
        "condition on unknown question 'is_pep' (did you mean 'pep'?)",
    ],
    "condition-later-question.toml": [
        "condition-later-question.toml:17: [condition-later-question/pep_role] show_when: "
        "condition on later question 'pep': a condition may only read answers to earlier "
        "questions",
    ],
    "condition-unknown-option.toml": [
        "condition-unknown-option.toml:29: [condition-unknown-option/donor] show_when: "
        "option 'gifts' does not exist in question 'source' (options: savings, gift, mortgage)",
    ],
    "contains-not-multi.toml": [
        "contains-not-multi.toml:24: [contains-not-multi/pep_role] show_when: "
        "'contains' only applies to multiple-choice questions; 'pep' is yesno",
    ],
    "gte-number-on-money.toml": [
        "gte-number-on-money.toml:19: [gte-number-on-money/price] rule[1].when: 'gte' on money "
        "question 'price' needs a money table { amount = ..., currency = \"GBP\" }",
    ],
    "unknown-fact-value.toml": [
        "unknown-fact-value.toml:24: [unknown-fact-value/company_number] show_when: "
        "'limited_company' is not a value of fact 'client_type' (values: charity, "
        "company_overseas, company_uk, estate, foundation, individual, llp, other, partnership, "
        "public_body, trust)",
    ],
    "unknown-country-list.toml": [
        "unknown-country-list.toml:19: [unknown-country-list/residence] rule[1].when: "
        "unknown country list 'fatf-blacklist' "
        "(known: fatf-call-for-action, high-risk-third-countries)",
    ],
    "condition-country-not-iso.toml": [
        "condition-country-not-iso.toml:19: [condition-country-not-iso/residence] rule[1].when: "
        "'Belarus' is not an ISO 3166-1 alpha-2 country code (Belarus is 'BY')",
    ],
    "country-list-bad-code.toml": [
        "country-list-bad-code.toml:6: [high-risk] countries: "
        "'XX' is not an ISO 3166-1 alpha-2 code",
        "country-list-bad-code.toml:6: [high-risk] countries: "
        "'Myanmar' is not an ISO 3166-1 alpha-2 code (Myanmar is 'MM')",
    ],
    # -- effects ------------------------------------------------------------------------------
    "spawn-unknown-checklist.toml": [
        "spawn-unknown-checklist.toml:20: [spawn-unknown-checklist/pep] rule[1].effects[1]: "
        "spawn of unknown checklist 'pep-enhanced' (loaded: beneficial-ownership, "
        "estate-agent-cdd, pep-edd, solicitor-cdd, source-of-funds, source-of-wealth, "
        "spawn-unknown-checklist)",
    ],
    "spawn-cycle": [
        "spawn-cycle/a.toml:20: [cycle-a/pep] rule[1].effects[1]: spawn cycle: "
        "cycle-a -> cycle-b -> cycle-a; a checklist may not end up spawning itself",
    ],
    "rating-depends-on-rating.toml": [
        "rating-depends-on-rating.toml:18: [rating-depends-on-rating] rule[1]: a rule that "
        "depends on the computed rating cannot add risk points, set a floor or force High",
    ],
}


# Lint checks a file inside the bundled library (its references resolve there); loading the file
# alone, as `--checklists FILE` would use it, knows nothing else. Where that changes the message:
LOADED_ALONE: dict[str, list[str]] = {
    "unknown-country-list.toml": [
        "unknown-country-list.toml:19: [unknown-country-list/residence] rule[1].when: "
        "unknown country list 'fatf-blacklist' (known: none loaded)",
    ],
    "spawn-unknown-checklist.toml": [
        "spawn-unknown-checklist.toml:20: [spawn-unknown-checklist/pep] rule[1].effects[1]: "
        "spawn of unknown checklist 'pep-enhanced' (loaded: spawn-unknown-checklist)",
    ],
}


def _cases() -> list[str]:
    return sorted(p.name for p in BROKEN.iterdir() if p.is_dir() or p.suffix == ".toml")


def _case_id(name: str) -> str:
    return Path(name).stem


@pytest.fixture
def in_corpus(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the corpus folder so messages carry the short relative paths."""
    monkeypatch.chdir(BROKEN)
    return BROKEN


def test_every_corpus_file_has_an_expectation_and_the_reverse() -> None:
    assert _cases() == sorted(EXPECTED)
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("name", _cases(), ids=_case_id)
def test_lint_prints_exactly_the_expected_lines(in_corpus: Path, name: str) -> None:
    assert [str(p) for p in lint([Path(name)])] == EXPECTED[name]


@pytest.mark.parametrize("name", _cases(), ids=_case_id)
def test_loading_a_broken_file_raises_invalid_checklist_with_the_same_problems(
    in_corpus: Path, name: str
) -> None:
    expected = LOADED_ALONE.get(name, EXPECTED[name])
    with pytest.raises(InvalidChecklist) as raised:
        load_library([Path(name)])
    assert [str(p) for p in raised.value.problems] == expected
    assert str(raised.value) == "\n".join(expected)


@pytest.mark.parametrize("name", _cases(), ids=_case_id)
def test_every_problem_has_a_line_and_syntax_errors_a_column(in_corpus: Path, name: str) -> None:
    problems = lint([Path(name)])
    assert problems
    for problem in problems:
        assert problem.line is not None, str(problem)
        file_lines = Path(problem.file).read_bytes().splitlines()
        assert 1 <= problem.line <= len(file_lines), str(problem)
        if problem.message.startswith("TOML syntax error") or "UTF-8" in problem.message:
            assert problem.column is not None, str(problem)
        if problem.question_id is not None:
            assert problem.checklist_id is not None, str(problem)


@pytest.mark.parametrize("name", _cases(), ids=_case_id)
def test_the_line_shows_the_field_or_the_item_at_fault(in_corpus: Path, name: str) -> None:
    """The reported line is one a person recognises: it names the field, or the item's id."""
    for problem in lint([Path(name)]):
        assert problem.line is not None
        text = Path(problem.file).read_bytes().splitlines()[problem.line - 1].decode("latin-1")
        if problem.column is not None:
            continue  # syntax and encoding: the position is the parser's
        keys = [part.split("[")[0] for part in (problem.field or "").split(".") if part]
        ids = [i for i in (problem.question_id, problem.checklist_id) if i]
        assert (
            any(k in text for k in keys)
            or any(f'"{i}"' in text for i in ids)
            or (
                # an element of a multi-line array sits on its own line below the key
                problem.field is not None and problem.field.endswith("]") and text.strip()
            )
        ), f"{problem} -> line {problem.line}: {text!r}"


def test_the_whole_corpus_at_once_reports_every_file_without_a_traceback(in_corpus: Path) -> None:
    problems = lint([Path(".")])
    files = {Path(p.file).parts[0] for p in problems}
    assert files == set(EXPECTED)


def test_a_generated_non_utf8_file_is_located_in_a_temporary_folder(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('id = "x"\ntitle = "Caf\u00e9"\n'.encode("latin-1"))
    assert [str(p) for p in lint([path])] == [
        f"{path}:2:13: is not valid UTF-8 text (byte 0xe9); save the file with UTF-8 encoding"
    ]


def test_an_unterminated_file_is_reported_on_its_last_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.toml"
    path.write_text('id = "x"\ncitations = ["MLR reg 28",\n', encoding="utf-8")
    [problem] = lint([path])
    assert problem.line == 2
    assert str(problem) == (
        f"{path}:2: TOML syntax error at the end of the file: Invalid value "
        "(the file ends too early: is a closing ']', '}' or quote missing?)"
    )


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    assert [str(p) for p in lint([path])] == [f"{path}: file not found"]


def test_the_good_example_has_no_problems() -> None:
    assert lint([GOOD]) == []


# -- the CLI --------------------------------------------------------------------------------------


def test_cli_lint_on_a_broken_file_exits_1_and_prints_file_line_message(in_corpus: Path) -> None:
    result = CliRunner().invoke(checklists, ["lint", "duplicate-question-id.toml"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == EXPECTED["duplicate-question-id.toml"]
    assert result.stdout.startswith("duplicate-question-id.toml:19: ")
    assert "Traceback" not in result.output


def test_cli_lint_on_several_broken_paths_prints_every_problem(in_corpus: Path) -> None:
    names = ["toml-syntax.toml", "spawn-cycle", "country-list-bad-code.toml"]
    result = CliRunner().invoke(checklists, ["lint", *names])
    assert result.exit_code == 1
    assert sorted(result.stdout.splitlines()) == sorted(
        line for name in names for line in EXPECTED[name]
    )


def test_cli_lint_on_the_good_example_exits_0() -> None:
    result = CliRunner().invoke(checklists, ["lint", str(GOOD)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "No problems found." in result.stderr


def test_cli_lint_json_is_parseable_and_carries_every_field(in_corpus: Path) -> None:
    result = CliRunner().invoke(checklists, ["lint", "--json", "unknown-gate.toml"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "file": "unknown-gate.toml",
            "line": 20,
            "column": None,
            "checklist": "unknown-gate",
            "question": "pep",
            "field": "rule[1].effects[1].gates[1]",
            "message": "gate 'G5' does not exist (gates are G1, G2, G3, G4)",
        }
    ]


def test_cli_lint_json_on_the_good_example_is_an_empty_list() -> None:
    result = CliRunner().invoke(checklists, ["lint", "--json", str(GOOD)])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_cli_show_of_an_unknown_id_exits_non_zero_with_a_clear_message() -> None:
    result = CliRunner().invoke(checklists, ["show", "no-such-checklist", "--path", str(GOOD)])
    assert result.exit_code != 0
    assert "no checklist 'no-such-checklist' (known: example-cdd, other)" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_cli_show_on_broken_files_points_to_lint_without_a_traceback(in_corpus: Path) -> None:
    result = CliRunner().invoke(checklists, ["show", "x", "--path", "missing-guidance.toml"])
    assert result.exit_code != 0
    assert "run `duediligence checklists lint`" in result.output
    assert EXPECTED["missing-guidance.toml"][0] in result.output
    assert "Traceback" not in result.output


def test_cli_show_prints_the_outline_with_its_branching() -> None:
    result = CliRunner().invoke(checklists, ["show", "example-cdd", "--path", str(GOOD)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Example CDD"
    assert "1. The client" in lines
    assert "2. Tranches  [repeats per Tranche]" in lines
    donor = lines.index("   - tranche.donor: Donor  (party, required, before G1)")
    assert '       shown when tranche.source is "Gift"' in lines[donor:]
    assert "         -> start other for the party in tranche.donor (before G2)" in lines[donor:]
    assert '       when pep is "Yes, a PEP":' in lines
    assert "         -> rating forced to High: PEP: EDD is mandatory (reg 35)" in lines
    assert "Checklist rules" in lines


# -- one file of a library, checked inside it ---------------------------------------------------

BUNDLED = Path(__file__).resolve().parents[1] / "checklists"


@pytest.mark.parametrize(
    "path", sorted(BUNDLED.rglob("*.toml")), ids=lambda p: str(p.relative_to(BUNDLED))
)
def test_cli_lint_of_any_one_bundled_checklist_alone_exits_0(path: Path) -> None:
    result = CliRunner().invoke(checklists, ["lint", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_a_firm_copy_of_a_bundled_checklist_replaces_it_and_its_mistakes_are_named(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "beneficial-ownership.toml"
    text = (BUNDLED / "beneficial-ownership.toml").read_text(encoding="utf-8")
    # A firm edits its copy and misspells the checklist it spawns; every other reference (country
    # lists, the PEP EDD it spawns) still resolves in the bundled library around it.
    assert text.count('checklist = "pep-edd"') >= 1
    broken = text.replace('checklist = "pep-edd"', 'checklist = "pep-ed"', 1)
    copy.write_text(broken, encoding="utf-8")
    line = broken[: broken.index('checklist = "pep-ed"')].count("\n") + 1
    [problem] = lint([copy])
    assert problem.file == str(copy)
    assert problem.checklist_id == "beneficial-ownership"
    assert "spawn of unknown checklist 'pep-ed'" in problem.message
    # The line is the effect's own, or the rule just above it.
    assert line - 3 <= (problem.line or 0) <= line
    copy.write_text(text, encoding="utf-8")
    assert lint([copy]) == []


def test_lint_checks_a_file_inside_the_given_library_not_the_bundled_one(tmp_path: Path) -> None:
    # The firm's library has the country lists and none of the checklists the CDD spawns.
    firm = tmp_path / "firm"
    (firm / "country-lists").mkdir(parents=True)
    for path in (BUNDLED / "country-lists").glob("*.toml"):
        (firm / "country-lists" / path.name).write_bytes(path.read_bytes())
    cdd = BUNDLED / "solicitor-cdd.toml"
    assert lint([cdd]) == []  # in the bundled library
    result = CliRunner().invoke(checklists, ["lint", str(cdd), "--checklists", str(firm)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(f"{cdd}:") for line in lines)
    assert any("spawn of unknown checklist 'pep-edd' (loaded: solicitor-cdd)" in x for x in lines)
    assert not any("country list" in line for line in lines)


def test_deeply_nested_toml_is_one_line_naming_the_file_not_a_recursion_traceback(
    tmp_path: Path,
) -> None:
    path = tmp_path / "deep.toml"
    path.write_text('id = "deep"\n' + "x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    [problem] = lint([path])
    assert problem.file == str(path)
    assert problem.line == 2
    assert "nested too deeply" in problem.message
    result = CliRunner().invoke(checklists, ["lint", str(path)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:2: TOML nested too deeply")
    assert len(result.stdout.splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_fifo_or_a_device_as_a_checklist_is_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    # Nothing writes to the pipe: reading it would wait for ever.
    assert [str(p) for p in lint([fifo])] == [
        f"{fifo}: {fifo} is not a regular file (a pipe, device or socket); nothing was read"
    ]
    [zero] = lint([Path("/dev/zero")])
    assert "is not a regular file" in zero.message


def test_a_huge_checklist_file_is_refused_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(MAX_CHECKLIST_BYTES + 1)
    [problem] = lint([path])
    assert f"{MAX_CHECKLIST_BYTES + 1:,} bytes, more than the" in problem.message
