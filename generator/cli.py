"""The `handbook` command: arguments, exit codes and messages; the work is done elsewhere."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from pathlib import Path

from generator.errors import HandbookError, ToolError
from generator.messages import LANGUAGES, say, speaking, supported
from generator.process import exit_cleanly_on_sigterm

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
        _add_lang(p)
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
    p = command("schema", "print the JSON Schema of the YAML files")
    p.add_argument("--language", default=None,
                   help="language of the examples (default: the handbook's, zh when it cannot be read)")
    p = command("publish", "build the current edition into OUT/<edition>/ beside the published ones")
    p.add_argument("--out", type=Path, default=Path("public"), metavar="DIR", help="default: public")
    p.add_argument("--alias", default="latest", help="copy of the edition in force (default: latest)")
    p.add_argument("--force", action="store_true", help="replace an edition already published")
    p.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"), metavar="FILE")
    p.add_argument("--no-forms", action="store_true", help="skip the PDF and Word forms")
    p = sub.add_parser("init", help="start a new handbook: standards, mkdocs.yml, docs/, editions/",
                       description="write a starter handbook into DIR (new or empty) that validates and builds at once")
    p.add_argument("dir", type=Path, metavar="DIR")
    p.add_argument("--language", choices=("zh", "en"), default="zh", help="language of the handbook (default: zh)")
    _add_lang(p)
    p = command("calendar", "write the year's plan as an iCalendar file (.ics) for phones and desktop calendars")
    p.add_argument("--year", type=_year, default=None, metavar="YYYY", help="default: the year the edition takes effect")
    p.add_argument("-o", "--out", type=Path, default=None, metavar="FILE.ics",
                   help="default: calendar-YYYY.ics; - for standard output")
    p.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                   help="read site_url (for the links to the standards) from this file")
    p = command("diff", "report what changed between two editions")
    p.description = ("OLD and NEW: a standards folder, a published standards.json, or git:REVISION. Without them: "
                     "the edition before (the newest published in --out, else kept in editions/) against --standards")
    p.add_argument("old", metavar="OLD", nargs="?")
    p.add_argument("new", metavar="NEW", nargs="?")
    p.add_argument("--out", type=Path, default=Path("public"), metavar="DIR",
                   help="where editions are published (default: public)")
    p.add_argument("--format", choices=("text", "json", "html"), default="text")
    p = command("export-xlsx", "write the standards as a workbook to edit in Excel or WPS")
    p.add_argument("file", type=Path, metavar="FILE")
    p = command("import-xlsx", "update the YAML from a workbook made by export-xlsx and edited")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="print what would change and write nothing")
    p = command("score", "score units' self-assessment answers; add many up into a summary")
    p.add_argument("files", type=Path, nargs="*", metavar="FILE", help="answers files (JSON) exported from the 自评 page")
    p.add_argument("--blank", action="store_true", help="print a blank answers file for the current edition")
    p.add_argument("--format", choices=("text", "json", "xlsx", "html"), default="text")
    p.add_argument("-o", "--out", type=Path, metavar="FILE", help="where the xlsx or html summary goes")
    p.add_argument("--editions", type=Path, metavar="DIR",
                   help="older editions (<id>/standards.json) to carry answers over from (default: editions/ "
                        "beside the standards folder)")
    return parser


def _add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="language of the messages (default: $HANDBOOK_LANG, else the handbook's language)")


def _asked_language(args: argparse.Namespace) -> str | None:
    """--lang, else $HANDBOOK_LANG: the language the user asked for, if any."""
    return args.lang or supported(os.environ.get("HANDBOOK_LANG"))


def _language(args: argparse.Namespace) -> str | None:
    """Messages in --lang, else $HANDBOOK_LANG, else the handbook's own language, else English."""
    chosen = _asked_language(args)
    if chosen is None and args.command == "init":
        chosen = args.language
    if chosen is None and getattr(args, "standards", None) is not None:
        from generator.load.language import declared_language

        chosen = declared_language(args.standards)
    return chosen


def _year(text: str) -> int:
    if not (text.isdigit() and 1900 <= int(text) <= 9999):
        raise argparse.ArgumentTypeError(f"invalid year {text!r}: write four digits, e.g. 2026")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    exit_cleanly_on_sigterm()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    _own_messages(logging.getLogger("handbook"))
    with speaking(_language(args)):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        return _COMMANDS[args.command](args)
    except HandbookError as error:
        print(error.format(), file=sys.stderr)
        count = len(error.problems)
        print(say("cli.problems_found.one" if count == 1 else "cli.problems_found", count=count), file=sys.stderr)
        return EXIT_INVALID
    except ToolError as error:
        print(f"handbook: error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except OSError as error:  # a full or read-only disk, say: not a bug, and the file is named
        where = f"{error.filename}: " if error.filename else ""
        print(f"handbook: error: {where}{error.strerror or error}", file=sys.stderr)
        print(f"  hint: {say('cli.os_error.hint')}", file=sys.stderr)
        return EXIT_INVALID
    except Exception as error:  # noqa: BLE001 - a bug, not bad input: say so plainly
        if args.debug:
            traceback.print_exc()
        else:
            print(say("cli.internal_error", error=repr(error)), file=sys.stderr)
        return 3


def _own_messages(logger: logging.Logger) -> None:
    """The tool's own warnings are printed as they are written (`handbook: warning: …`, `path:line:col: …`)."""
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.propagate = False


def _validate(args) -> int:
    from generator.validate import load_handbook

    handbook = load_handbook(args.standards)
    # Imported once the source is valid: bad input is reported without the publishing machinery's start-up.
    from generator.publish.editions import editions_folder, revision_warnings

    for problem in revision_warnings(args.standards, handbook, editions_folder(Path(), "", args.standards)):
        print(problem.format(), file=sys.stderr)
    print(say("cli.valid", standards=args.standards, chapters=len(handbook.chapters),
              standards_count=len(handbook.standards()), templates=len(handbook.templates),
              terms=len(handbook.glossary)))
    return EXIT_OK


def _build(args) -> int:
    from generator.publish.build import build_site_dir

    if build_site_dir(config_file=args.config_file, standards=args.standards, site_dir=args.site_dir,
                      forms=not args.no_forms):
        print(say("cli.built", site=args.site_dir))
    else:
        print(say("cli.up_to_date", site=args.site_dir))
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
        print(say("cli.unknown_format", formats=", ".join(unknown) or say("cli.none"), known=", ".join(FORMATS)),
              file=sys.stderr)
        return EXIT_USAGE
    report = make_forms(standards=args.standards, out=args.out, formats=formats, config_file=args.config_file,
                        jobs=args.jobs)
    print(say("cli.forms_made", rendered=len(report.rendered), cached=len(report.cached), out=args.out))
    return EXIT_OK


def _book(args) -> int:
    from generator.build.book import BOOK_FILES
    from generator.build.cache import cache_dir
    from generator.publish.book import write_book
    from generator.validate import load_handbook

    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    unknown = [f for f in formats if f not in BOOK_FILES]
    if unknown or not formats:
        print(say("cli.unknown_format", formats=", ".join(unknown) or say("cli.none"), known=", ".join(BOOK_FILES)),
              file=sys.stderr)
        return EXIT_USAGE
    made = write_book(load_handbook(args.standards), args.out, cache_dir=cache_dir(Path.cwd()), formats=formats)
    print(say("cli.book_made", files=", ".join(made.files), out=args.out, rendered=len(made.rendered),
              cached=len(made.files) - len(made.rendered)))
    return EXIT_OK


def _export_md(args) -> int:
    from generator.publish.build import export_markdown

    count = export_markdown(args.standards, args.out)
    print(say("cli.markdown_written", count=count, out=args.out))
    return EXIT_OK


def _schema(args) -> int:
    from generator.render.schema import source_schema
    from generator.validate import load_handbook

    language = args.language
    if language is None:
        try:
            language = load_handbook(args.standards).meta.language
        except HandbookError:
            language = "zh"
    print(json.dumps(source_schema(language), ensure_ascii=False, indent=2))
    return EXIT_OK


def _publish(args) -> int:
    from generator.publish.editions import publish_edition

    handbook = publish_edition(config_file=args.config_file, standards=args.standards, out=args.out,
                               alias=args.alias, force=args.force, forms=not args.no_forms)
    print(say("cli.published", edition=handbook.edition.id, out=args.out / handbook.edition.id))
    return EXIT_OK


def _calendar(args) -> int:
    from generator.publish.calendar import write_calendar

    report = write_calendar(standards=args.standards, out=args.out, year=args.year, config_file=args.config_file)
    handbook = report.handbook
    # On stderr: with -o - the calendar itself is on stdout.
    print(say("cli.calendar_written", events=report.events, dates=report.occurrences, year=report.year,
              out=report.out or say("cli.stdout")), file=sys.stderr)
    if report.apart:
        print(say("cli.calendar_apart", count=len(report.apart)), file=sys.stderr)
        for _, std in report.apart:
            print(f"  {std.id} {std.title} ({handbook.term('frequency', std.frequency)})", file=sys.stderr)
    return EXIT_OK


def _diff(args) -> int:
    from generator.publish.changes import diff_editions
    from generator.publish.report import report_html, report_json, report_text
    from generator.publish.sources import load_edition

    if args.old is None:
        old, new = _previous_and_current(args.standards, args.out)
    elif args.new is None:
        print(say("cli.diff_usage"), file=sys.stderr)
        return EXIT_USAGE
    else:
        old, new = load_edition(args.old), load_edition(args.new)
    render = {"text": report_text, "json": report_json, "html": report_html}[args.format]
    with speaking(_asked_language(args) or new.meta.language):  # NEW's language, not --standards'
        sys.stdout.write(render(diff_editions(old, new), old, new))
    return EXIT_OK


def _export_xlsx(args) -> int:
    from generator.edit.roundtrip import export_workbook

    handbook = export_workbook(args.standards, args.file)
    print(say("cli.workbook_written", file=args.file, standards=len(handbook.standards()),
              sheets=len(handbook.chapters)))
    return EXIT_OK


def _import_xlsx(args) -> int:
    from generator.edit.roundtrip import import_workbook

    result = import_workbook(args.standards, args.file, dry_run=args.dry_run)
    sys.stdout.write(result.report)
    if result.removed:
        print(say("cli.import_removes", ids=", ".join(result.removed)))
    files = ", ".join(str(path) for path in result.files) or say("cli.nothing")
    message = "cli.import_dry_run" if args.dry_run else "cli.import_changed"
    print(say(message + (".one" if len(result.files) == 1 else ""), count=len(result.files), files=files))
    return EXIT_OK


def _init(args) -> int:
    from generator.publish.starter import init_project

    written = init_project(args.dir, args.language)
    print(say("cli.init_written", count=len(written), dir=args.dir))
    return EXIT_OK


def _previous_and_current(standards: Path, out: Path):
    from generator.publish.editions import earlier_editions, editions_folder
    from generator.publish.report import previous_edition
    from generator.validate import load_handbook

    new = load_handbook(standards)
    folder = editions_folder(Path(), "", standards)
    old = previous_edition(new, earlier_editions(folder, out)[0])
    if old is None:
        raise ToolError.of("cli.no_previous_edition", edition=new.edition.id, out=out, folder=folder)
    return old, new


def _score(args) -> int:
    from generator.fs import write_atomic
    from generator.publish.editions import load_snapshots
    from generator.publish.scoring import blank_answers, score_files
    from generator.render.score import report_json, report_text, summary_html, summary_xlsx
    from generator.validate import load_handbook

    if args.blank == bool(args.files):
        print(say("cli.score_usage"), file=sys.stderr)
        return EXIT_USAGE
    if (args.format in ("xlsx", "html")) != (args.out is not None):
        print(say("cli.score_format_usage"), file=sys.stderr)
        return EXIT_USAGE
    handbook = load_handbook(args.standards)
    if args.blank:
        print(json.dumps(blank_answers(handbook), ensure_ascii=False, indent=2))
        return EXIT_OK
    results = score_files(handbook, args.files, load_snapshots(args.editions or args.standards.parent / "editions"))
    if args.format == "xlsx":
        write_atomic(args.out, summary_xlsx(handbook, results))
    elif args.format == "html":
        write_atomic(args.out, summary_html(handbook, results))
    else:
        sys.stdout.write(report_json(results) if args.format == "json" else report_text(handbook, results))
        return EXIT_OK
    print(say("cli.score_summary", count=len(results), out=args.out))
    return EXIT_OK


_COMMANDS = {"validate": _validate, "build": _build, "serve": _serve, "forms": _forms, "book": _book, "export-md": _export_md, "schema": _schema,
             "publish": _publish, "diff": _diff, "export-xlsx": _export_xlsx, "import-xlsx": _import_xlsx,
             "init": _init, "calendar": _calendar, "score": _score}
