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
    p = command("forms", "make only the printable forms (HTML, PDF, fillable PDF, Word, spreadsheet)")
    p.add_argument("--format", default="html,pdf,pdf_forms,docx,xlsx", metavar="LIST",
                   help="comma-separated: html, pdf, pdf_forms, docx, xlsx (default: all)")
    p.add_argument("-o", "--out", type=Path, default=Path("site/forms"), metavar="DIR")
    p.add_argument("--jobs", type=int, default=None, help="parallel renderers (default: one per core)")
    p.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                   help="read site_url (for the QR codes) from this file")
    p = command("book", "make the whole handbook as one PDF and one Word file")
    p.add_argument("--format", default="pdf,docx", metavar="LIST", help="comma-separated: pdf, docx (default: both)")
    p.add_argument("-o", "--out", type=Path, default=Path("site"), metavar="DIR", help="default: site")
    p = command("export-md", "write the generated pages as plain Markdown files")
    p.add_argument("out", type=Path, metavar="DIR")
    command("schema", "print the JSON Schema of the YAML files")
    p = command("publish", "build the current edition into OUT/<edition>/ beside the published ones")
    p.add_argument("--out", type=Path, default=Path("public"), metavar="DIR", help="default: public")
    p.add_argument("--alias", default="latest", help="copy of the edition in force (default: latest)")
    p.add_argument("--force", action="store_true", help="replace an edition already published")
    p.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"), metavar="FILE")
    p.add_argument("--no-forms", action="store_true", help="skip the PDF and Word forms")
    p = sub.add_parser("diff", help="report what changed between two editions",
                       description="OLD and NEW: a standards folder, a published standards.json, or git:REVISION")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--format", choices=("text", "json", "html"), default="text")
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
    except Exception as error:  # noqa: BLE001 - a bug, not bad input: say so plainly
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


def _forms(args) -> int:
    from generator.publish.build import make_forms
    from generator.render.forms import FORMATS

    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        print(f"handbook: error: unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}",
              file=sys.stderr)
        return EXIT_USAGE
    report = make_forms(standards=args.standards, out=args.out, formats=formats, config_file=args.config_file,
                        jobs=args.jobs)
    print(f"handbook: {len(report.rendered)} files rendered, {len(report.cached)} from the cache, in {args.out}")
    return EXIT_OK


def _book(args) -> int:
    from generator.publish.book import BOOK_FILES, write_book
    from generator.render.cache import cache_dir
    from generator.validate import load_handbook

    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    unknown = [f for f in formats if f not in BOOK_FILES]
    if unknown or not formats:
        print(f"handbook: error: unknown format {', '.join(unknown) or '(none)'}; choose from "
              f"{', '.join(BOOK_FILES)}", file=sys.stderr)
        return EXIT_USAGE
    made = write_book(load_handbook(args.standards), args.out, cache_dir=cache_dir(Path.cwd()), formats=formats)
    print(f"handbook: {', '.join(made.files)} in {args.out} ({len(made.rendered)} rendered, "
          f"{len(made.files) - len(made.rendered)} from the cache)")
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


def _publish(args) -> int:
    from generator.publish.editions import publish_edition

    handbook = publish_edition(config_file=args.config_file, standards=args.standards, out=args.out,
                               alias=args.alias, force=args.force, forms=not args.no_forms)
    print(f"handbook: edition {handbook.edition.id} published in {args.out / handbook.edition.id}")
    return EXIT_OK


def _diff(args) -> int:
    from generator.publish.changes import diff_editions
    from generator.publish.report import report_html, report_json, report_text
    from generator.publish.sources import load_edition

    old, new = load_edition(args.old), load_edition(args.new)
    render = {"text": report_text, "json": report_json, "html": report_html}[args.format]
    sys.stdout.write(render(diff_editions(old, new), old, new))
    return EXIT_OK


_COMMANDS = {"validate": _validate, "build": _build, "serve": _serve, "forms": _forms, "book": _book, "export-md": _export_md, "schema": _schema,
             "publish": _publish, "diff": _diff}
