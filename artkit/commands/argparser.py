"""argparse, speaking plainly: every command-line mistake is one or two sentences, no usage block.

argparse's own errors ("argument --size: expected one argument", "invalid int value: 'x'",
"unrecognized arguments: --sed") are turned into sentences a person can act on: which option,
what it takes, and a "did you mean" where a near name exists. Every parser and subparser of
`artkit` is an `ArtkitParser` (subparsers inherit the class), so this holds for every command.

A value that starts with '-' and then a digit (`--size -5x5`, `--start -2,3`, `--seed -5`) or
is `-inf`/`-nan` is read as a value, not as an option: artkit has no option that looks like
that, and the command's own check then says what is wrong with the value.
"""

from __future__ import annotations

import argparse
import difflib
import re

__all__ = ["ArtkitParser", "plain_parse_error", "subparser_for"]

# '-5', '-5x5', '-.5', '-2,3', '-1e9', '-inf', '-nan': values, never options.
_NEGATIVE_VALUE = re.compile(r"^-(?:\.?\d|inf\b|nan\b)", re.IGNORECASE)


class ArtkitParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are plain sentences (see the module notes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # argparse reads '-5' as a number only when it matches this (private, but stable since
        # Python 3.2); widened so sizes and points that start with '-' are values too.
        self._negative_number_matcher = _NEGATIVE_VALUE

    def error(self, message: str):
        self.exit(2, f"artkit: {plain_parse_error(message, self)} See '{self.prog} --help'.\n")


def subparser_for(parser: argparse.ArgumentParser, args) -> argparse.ArgumentParser:
    """The (sub)parser that read the innermost command named in `args` (a Namespace)."""
    while True:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                chosen = getattr(args, action.dest, None)
                if chosen in action.choices:
                    parser = action.choices[chosen]
                    break
        else:
            return parser


def _option_names(parser) -> list[str]:
    return [s for action in parser._actions for s in action.option_strings]


def _action_named(parser, name: str):
    for action in parser._actions:
        if name in action.option_strings or name in (action.metavar, action.dest):
            return action
    return None


def _near(word: str, candidates) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _or_list(words) -> str:
    words = [str(w) for w in words]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _end(sentence: str) -> str:
    sentence = sentence.strip()
    if not sentence.startswith("artkit"):
        sentence = sentence[:1].upper() + sentence[1:]
    return sentence if sentence.endswith((".", "?", "!")) else sentence + "."


def _shown(value: str, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 4] + "...'"


def plain_parse_error(message: str, parser: argparse.ArgumentParser) -> str:
    """argparse's error `message` for `parser` as one plain sentence."""
    prog = parser.prog
    match = re.match(r"argument (?P<name>[^:]+): (?P<rest>.*)$", message, re.DOTALL)
    if match:
        return _argument_error(match["name"], match["rest"], parser)
    match = re.match(r"the following arguments are required: (?P<names>.*)$", message)
    if match:
        names = [n.strip() for n in match["names"].split(",")]
        shown = " ".join(n if n.startswith("-") or n != n.lower() else n.upper() for n in names)
        return _end(f"{prog} is missing its {_or_list(names).replace(' or ', ' and ')}: write "
                    f"{prog} {shown}")
    match = re.match(r"unrecognized arguments: (?P<rest>.*)$", message)
    if match:
        first = match["rest"].split()[0] if match["rest"].split() else match["rest"]
        if first.startswith("-"):
            name = first.split("=", 1)[0]
            return _end(f"{prog} has no option {name}{_near(name, _option_names(parser))}")
        return _end(f"{prog} doesn't take {_shown(first)} here; options start with --")
    match = re.match(r"ambiguous option: (?P<opt>\S+) could match (?P<names>.*)$", message)
    if match:
        names = [n.strip() for n in match["names"].split(",")]
        return _end(f"{match['opt']} could mean {_or_list(names)}; write the whole name")
    match = re.match(r"one of the arguments (?P<names>.*) is required$", message)
    if match:
        return _end(f"{prog} needs one of {match['names']}")
    return _end(message)


def _argument_error(name: str, rest: str, parser) -> str:
    action = _action_named(parser, name)
    metavar = (action.metavar if action is not None and isinstance(action.metavar, str)
               else "VALUE")
    if re.match(r"expected (one|at least one|\d+) arguments?$", rest):
        return _end(f"{name} needs a value, like {name} {metavar}; when the value starts "
                    f"with '-', write {name}={metavar}")
    if rest.startswith("expected at most one argument"):
        return _end(f"{name} takes at most one value")
    match = re.match(r"ignored explicit argument (?P<value>.*)$", rest)
    if match:
        return _end(f"{name} takes no value; write just {name}")
    match = re.match(r"not allowed with argument (?P<other>.*)$", rest)
    if match:
        return _end(f"{name} and {match['other']} can't be used together; pick one")
    match = re.match(r"invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)$", rest,
                     re.DOTALL)
    if match:
        choices = [c.strip().strip("'\"") for c in match["choices"].split(",")]
        value = match["value"].strip("'\"")
        if name in ("COMMAND", "GAN_COMMAND") or (action is not None and
                                                   isinstance(action, argparse._SubParsersAction)):
            return _end(f"{parser.prog} has no command {_shown(value)}{_near(value, choices)}; "
                        f"the commands are {', '.join(choices)}")
        return _end(f"{name} must be {_or_list(choices)}, not {_shown(value)}"
                    f"{_near(value, choices)}")
    match = re.match(r"invalid (?P<type>\w+) value: (?P<value>.*)$", rest, re.DOTALL)
    if match:
        kind = {"int": "a whole number", "float": "a number"}.get(match["type"], "something else")
        return _end(f"{name} must be {kind}, not {match['value']}")
    if rest.startswith("must "):          # from artkit.commands.values: "must be ..., not ..."
        return _end(f"{name} {rest}")
    return _end(f"{name}: {rest}")
