"""The `handbook` command: arguments, exit codes and messages; the work is done elsewhere."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from pathlib import Path

from generator.errors import HandbookError, ToolError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # bad usage: exit 2, as argparse does, with our wording
        self.print_usage(sys.stderr)
        print(f"handbook: error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="handbook", description="Publish a standards handbook from YAML.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--standards", type=Path, default=Path("standards"), metavar="DIR",
                       help="folder of the handbook's YAML (default: standards)")
        return p

    command("validate", "check the YAML and report every problem")
    p = command("build", "build the website (and forms) into site/")
    p.add_argument("--site-dir", type=Path, default=Path("site"), metavar="DIR")
    p.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"), metavar="FILE")
    p.add_argument("--no-forms", action="store_true", help="skip the PDF and Word forms")
    p = command("serve", "live preview that rebuilds when the YAML changes")
    p.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"), metavar="FILE")
    p.add_argument("--dev-addr", "-a", default="127.0.0.1:8000", metavar="IP:PORT")
    p.add_argument("--no-forms", action="store_true", help="skip the PDF and Word forms while previewing")
    p = command("export-md", "write the generated pages as plain Markdown files")
    p.add_argument("out", type=Path, metavar="DIR")
    command("schema", "print the JSON Schema of the YAML files")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return _COMMANDS[args.command](args)
    except HandbookError as error:
        print(error.format(), file=sys.stderr)
        count = len(error.problems)
        print(f"handbook: {count} problem{'s' if count != 1 else ''} found; nothing was written",
              file=sys.stderr)
        return EXIT_INVALID
    except ToolError as error:
        print(f"handbook: error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug, not bad input: say so plainly
        if args.debug:
            traceback.print_exc()
        else:
            print(f"handbook: internal error: {error!r} (run with --debug for details)", file=sys.stderr)
        return 3


def _validate(args) -> int:
    from generator.validate import load_handbook

    handbook = load_handbook(args.standards)
    print(f"{args.standards}: ok: {len(handbook.chapters)} chapters, {len(handbook.standards())} standards, "
          f"{len(handbook.templates)} templates, {len(handbook.glossary)} glossary terms")
    return EXIT_OK


def _build(args) -> int:
    from generator.publish.build import build_site_dir

    build_site_dir(config_file=args.config_file, standards=args.standards, site_dir=args.site_dir,
                   forms=not args.no_forms)
    print(f"handbook: site built in {args.site_dir}")
    return EXIT_OK


def _serve(args) -> int:
    from generator.publish.build import serve

    serve(config_file=args.config_file, standards=args.standards, dev_addr=args.dev_addr, forms=not args.no_forms)
    return EXIT_OK


def _export_md(args) -> int:
    from generator.publish.build import export_markdown

    count = export_markdown(args.standards, args.out)
    print(f"handbook: wrote {count} Markdown files to {args.out}")
    return EXIT_OK


def _schema(args) -> int:
    from generator.render.schema import source_schema

    print(json.dumps(source_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


_COMMANDS = {"validate": _validate, "build": _build, "serve": _serve, "export-md": _export_md, "schema": _schema}
