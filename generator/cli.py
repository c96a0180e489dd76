"""The `handbook` command: arguments, exit codes and messages; the work is done elsewhere."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from pathlib import Path

from generator.errors import HandbookError, ToolError
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


def _year(text: str) -> int:
    if not (text.isdigit() and 1900 <= int(text) <= 9999):
        raise argparse.ArgumentTypeError(f"invalid year {text!r}: write four digits, e.g. 2026")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    exit_cleanly_on_sigterm()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    _own_messages(logging.getLogger("handbook"))
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
    except OSError as error:  # a full or read-only disk, say: not a bug, and the file is named
        where = f"{error.filename}: " if error.filename else ""
        print(f"handbook: error: {where}{error.strerror or error}", file=sys.stderr)
        print("  hint: check the free space and the permissions there; the previous output is unchanged",
              file=sys.stderr)
        return EXIT_INVALID
    except Exception as error:  # noqa: BLE001 - a bug, not bad input: say so plainly
        if args.debug:
            traceback.print_exc()
        else:
            print(f"handbook: internal error: {error!r} (run with --debug for details)", file=sys.stderr)
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
    print(f"{args.standards}: ok: {len(handbook.chapters)} chapters, {len(handbook.standards())} standards, "
          f"{len(handbook.templates)} templates, {len(handbook.glossary)} glossary terms")
    return EXIT_OK


def _build(args) -> int:
    from generator.publish.build import build_site_dir

    if build_site_dir(config_file=args.config_file, standards=args.standards, site_dir=args.site_dir,
                      forms=not args.no_forms):
        print(f"handbook: site built in {args.site_dir}")
    else:
        print(f"handbook: {args.site_dir} is up to date (source, configuration and code unchanged)")
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


def _export_md(args) -> int:
    from generator.publish.build import export_markdown

    count = export_markdown(args.standards, args.out)
    print(f"handbook: wrote {count} Markdown files to {args.out}")
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
    print(f"handbook: edition {handbook.edition.id} published in {args.out / handbook.edition.id}")
    return EXIT_OK


def _calendar(args) -> int:
    from generator.publish.calendar import write_calendar

    report = write_calendar(standards=args.standards, out=args.out, year=args.year, config_file=args.config_file)
    handbook = report.handbook
    # On stderr: with -o - the calendar itself is on stdout.
    print(f"handbook: {report.events} standards, {report.occurrences} dates in {report.year}, "
          f"written to {report.out or 'standard output'}", file=sys.stderr)
    if report.apart:
        print(f"handbook: {len(report.apart)} standards not on the calendar (their frequency has no date):",
              file=sys.stderr)
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
        print("handbook: error: give both OLD and NEW, or neither (the edition before against --standards)",
              file=sys.stderr)
        return EXIT_USAGE
    else:
        old, new = load_edition(args.old), load_edition(args.new)
    render = {"text": report_text, "json": report_json, "html": report_html}[args.format]
    sys.stdout.write(render(diff_editions(old, new), old, new))
    return EXIT_OK


def _export_xlsx(args) -> int:
    from generator.edit.roundtrip import export_workbook

    handbook = export_workbook(args.standards, args.file)
    print(f"handbook: wrote {args.file}: {len(handbook.standards())} standards in {len(handbook.chapters)} sheets")
    return EXIT_OK


def _import_xlsx(args) -> int:
    from generator.edit.roundtrip import import_workbook

    result = import_workbook(args.standards, args.file, dry_run=args.dry_run)
    sys.stdout.write(result.report)
    if result.removed:
        print(f"handbook: removes {', '.join(result.removed)} (rows deleted in the workbook); "
              "list them under edition.retired in handbook.yml, with the reason, for the revision notes")
    verb = "would change" if args.dry_run else "changed"
    files = ", ".join(str(path) for path in result.files) or "nothing"
    print(f"handbook: {verb} {len(result.files)} file{'s' if len(result.files) != 1 else ''}: {files}"
          + ("; nothing was written (--dry-run)" if args.dry_run else ""))
    return EXIT_OK


def _init(args) -> int:
    from generator.publish.starter import init_project

    written = init_project(args.dir, args.language)
    print(f"handbook: wrote {len(written)} files to {args.dir}; next: cd {args.dir} && handbook build")
    return EXIT_OK


def _previous_and_current(standards: Path, out: Path):
    from generator.publish.editions import earlier_editions, editions_folder
    from generator.publish.report import previous_edition
    from generator.validate import load_handbook

    new = load_handbook(standards)
    folder = editions_folder(Path(), "", standards)
    old = previous_edition(new, earlier_editions(folder, out)[0])
    if old is None:
        raise ToolError(f"no edition before {new.edition.id} in {out} or {folder}", "give OLD and NEW")
    return old, new


def _score(args) -> int:
    from generator.fs import write_atomic
    from generator.publish.editions import load_snapshots
    from generator.publish.scoring import blank_answers, score_files
    from generator.render.score import report_json, report_text, summary_html, summary_xlsx
    from generator.validate import load_handbook

    if args.blank == bool(args.files):
        print("handbook: error: give answers files, or --blank", file=sys.stderr)
        return EXIT_USAGE
    if (args.format in ("xlsx", "html")) != (args.out is not None):
        print("handbook: error: --format xlsx and html write to -o FILE; text and json print", file=sys.stderr)
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
    print(f"handbook: {len(results)} units summarised in {args.out}")
    return EXIT_OK


_COMMANDS = {"validate": _validate, "build": _build, "serve": _serve, "forms": _forms, "export-md": _export_md, "schema": _schema,
             "publish": _publish, "diff": _diff, "export-xlsx": _export_xlsx, "import-xlsx": _import_xlsx,
             "init": _init, "calendar": _calendar, "score": _score}
