#!/usr/bin/env python3
"""Builds docs/diagnostics.md: runs chg on each example in this folder
and pastes its output as is.  Run it after changing a message:
    python3 docs/diagnostics/gen.py"""
import os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
CHG = os.environ.get('CHG', os.path.join(TOP, 'build', 'chg'))
D = HERE
codes = re.findall(r'X\((\w+), "(CHG\d{4})", "([^"]*)"\)',
                   open(os.path.join(TOP, 'src', 'diag_codes.h')).read())

def run(args):
    env = dict(os.environ, CHG_STDLIB='../../stdlib', NO_COLOR='1')
    env.pop('CHG_PATH', None)
    r = subprocess.run([CHG] + args, cwd=D, capture_output=True, env=env)
    out = (r.stdout + r.stderr).decode('utf-8', errors='replace')
    return out, r.returncode

def show_file(name, note=None, text=None):
    if text is None:
        raw = open(os.path.join(D, name), 'rb').read()
        text = raw.replace(b'\0', '\u2400'.encode()).decode('utf-8', errors='replace')
    s = f'`{name}`'
    if note:
        s += f' ({note})'
    return s + ':\n\n```chg\n' + text + ('' if text.endswith('\n') else '\n') + '```\n'

def show_run(args, note=None):
    out, rc = run(args)
    s = '```console\n$ chg ' + ' '.join(args) + '\n' + out
    if not out.endswith('\n'):
        s += '\n'
    s += f'$ echo $?\n{rc}\n```\n'
    if note:
        s += '\n' + note + '\n'
    return s

def std(code, extra_args=()):
    return show_file(code + '.chg') + '\n' + show_run(['check', '--color', 'never', *extra_args, code + '.chg'])

E = {}

E['CHG0101'] = ("""A byte sequence that is not UTF-8 — usually text saved as Latin-1 or
Windows-1252, such as an `é` or a `£` from a spreadsheet export. It is
one mistake however many such bytes the file holds, so it is reported
once, at the first. Save the file as UTF-8.

A file that is not text at all is said in one error at its first line
and not read further: UTF-16 (Notepad's "Unicode", which starts with the
bytes FF FE), a ZIP archive (an Excel or Word document saved over the
file), an older Office document, a PDF, or a file whose first bytes are
largely NUL. So is a file whose lines end in a carriage return alone (the
old Mac format), which would otherwise read as one long line.""",
 lambda: show_file('CHG0101.chg', 'byte 0xE9, Latin-1 `é`, after `caf`; shown here as �') + '\n' +
 show_run(['check', '--color', 'never', 'CHG0101.chg'],
          'The excerpt prints a byte that is not UTF-8 as `?`, as it does a control character and one that would act on the terminal (C1 controls, bidirectional overrides), one `?` for each column, so that the caret stays under it.'))

E['CHG0102'] = ("""A NUL (zero) byte anywhere in the file, usually from a binary file or a
damaged copy. It is reported once for the file, at the first (as is a
byte that is not UTF-8). Delete the byte.""",
 lambda: show_file('CHG0102.chg', 'a NUL byte between `Director` and `of`, shown here as ␀') + '\n' +
 show_run(['check', '--color', 'never', 'CHG0102.chg'],
          'The excerpt prints control characters, NUL included, as `?`.'))

E['CHG0103'] = ("""A character that starts no token: `$`, `@`, `!`, a curly quote pasted
from a word processor, or a control character. A single `=` is reported
here too, with a hint: between a key and its values it is skipped (an
attribute is its key then its values); in a condition it is taken as `==`
so that the rest of the condition is still checked. Remove the character:
use straight quotes `"`, `£` for money and `==` for equality.""", lambda: std('CHG0103'))

E['CHG0104'] = ("""A string that is not closed before the end of its line. A string ends on
the line it starts; close it, or use a long string `\"\"\"...\"\"\"` for text
over several lines. A block's title left open before the block's `{`
(`workstream cre "Corporate Real Estate {`) ends before the brace, so the
block still opens and what it holds is read as written: the quote is the
one error.

The same code is a string that lost its **opening** quote. A line whose
only `"` ends it (`sro Jane Smith"`, `rationale The programme (SRP) was
announced in June 2020."`) is one error, at that `"`: the words before
it, read as names, brackets, months written out or dates, give no
errors of their own, and the line's words are kept, so that `unit HR
Human Resources"` still defines `HR`. Its text runs from after the key
of the item the quote ends (`;` separates items) to the quote: an error
before that, a block left open, a `}` too many and a bad byte are still
said. A curly or single opening quote is said as such (`CHG0103`), and a
string left open on the line above is not taken for one. And indented
lines of text under a key (a line ending in a word, `rationale` or
`status overall green`), closed by a `\"\"\"` on a line of its own, are a
long string that lost its opening `\"\"\"`: one error at the text, saying
to put `\"\"\"` after that word; the errors its lines would give are passed
over, and its closing `\"\"\"` does not open a string that swallows the
rest of the file.""", lambda: std('CHG0104'))

E['CHG0105'] = ("""A backslash in a string that starts none of the escapes `\\"`, `\\\\`, `\\n`,
`\\t` and `\\u{...}`, or a `\\u` without its braces, or with a code point that
is not a character (0, a surrogate D800–DFFF, above 10FFFF). Each bad
escape is reported at its column. Write `\\u{2019}`; double a backslash
that is meant literally (`S:\\\\Change`), or use a long string, which is
raw.""", lambda: std('CHG0105'))

E['CHG0106'] = ("""A long string opened with `\"\"\"` and never closed: it runs to the end of
the file and takes everything after it. Close it with `\"\"\"`.

When the `\"\"\"` closing it is left out and the next item's text opens
with `\"\"\"` after its key (`status overall green \"\"\"`, on a line
that starts no further right than the one the string opened on), followed
by lines of text and `\"\"\"` alone on a line, that `\"\"\"` is not taken
to close the string, which would leave the next item's text to be read as
items: one error at the opening names the line to close it before (the
first line of the string that starts no further right than its opening
line), and the next item is read as written.""", lambda: std('CHG0106'))

E['CHG0107'] = ("""A number that cannot be held exactly: more than 19 significant digits,
or more than 18 decimal places (for a percentage, once divided by 100).
`chg` never rounds a figure; round it yourself, or write it in a larger
unit.""", lambda: std('CHG0107'))

E['CHG0108'] = ("""An amount of money that is not a whole number of pence (`£1.005`,
`£1.234567k`), that is too large to hold, whose `_` is not between two
digits, whose multiplier is not `k`, `m` or `bn` (`£8.2M`, `£600mn`), whose
point has no digit after it (`£1.`, `£1.m`), or a `£` with no amount after
it.""", lambda: std('CHG0108'))

E['CHG0109'] = ("""A date that does not exist in the calendar (`2022-02-30`, `2023-02-29`,
month 13), or digits joined by `-` in a shape that is neither a date
`YYYY-MM-DD` nor a month `YYYY-MM`: a day-first date `22-08-2022`,
single-digit parts `2022-8-1`, or a subtraction without spaces `5-3`.
Write dates as `YYYY-MM-DD`, and put spaces around a minus sign. A date
as prose writes it (`13 June 2011`, `June 13, 2011`, `13/06/2011`) is this
error too, naming the date to write, and is read as that date.""", lambda: std('CHG0109'))

E['CHG0110'] = ("""A month outside `01`–`12` (`2022-00`, `2022-13`), a quarter outside
`Q1`–`Q4` (`2022-Q5`), or a quarter cut short or run on (`2022-Q`,
`2022-Q12`).""", lambda: std('CHG0110'))

E['CHG0111'] = ("""A financial year whose two years are not consecutive: `2012/14`,
`FY2012/12`. The second part is the last two digits of the year after the
first: `2012/13`. The message suggests it. A year cut short at the end of
a line (`2011/`) is this error on its own line, rather than a division
carrying the line on to the next.""", lambda: std('CHG0111'))

E['CHG0112'] = ("""A number with an underscore that is not between two digits (`25_876_`,
`1__0`), a number run into letters (`3days`, `1e5`, or `100m` written
without its `£`), or a point with no digit after it (`12.`, `12.%`; a range
`1..5` is not one).""", lambda: std('CHG0112'))

E['CHG0201'] = ("""A token where the grammar allows none of its kind. The message quotes the
token and, when there are five or fewer, what could have come instead; a
note points at a bracket left open. A reserved word used as an id or a
value is called one, a colon after a key (`as_of: 2011-06-13`) gets its
own hint, and `use` or `include` inside a block is reported here too. The
parser recovers at the end of the line, so the rest of the file is still
checked, and a block whose text had a syntax error is not also reported
as missing its required attributes.""", lambda: std('CHG0201'))

E['CHG0202'] = ("""A `}` is missing: the end of the file came with a block still open.
When the `}` was lost further up, what follows fell inside the block that
lost it; if the first of what follows (a block, a `use` or `include`, a
unit or other block without braces) is indented no deeper than that
block, that is where the `}` belonged: the file is read again with the
`}` there, the error is put there (`expected } to close programme ...:
what follows is indented as if it came after it`), and the rest stands
where it was meant to, so units, includes and references to the blocks
after it work, and the included files are checked. Otherwise the error
is at the end of the file; a note points at the `{` of the innermost open
block, blocks around it are closed quietly, and what the open blocks hold
is still checked. When the file ends in the middle of an item — a condition
after `and` or inside `(`, a series after its `,` — the file was most likely
cut short: one CHG0201 error at its end says both that the item is not
finished and which block is not closed.""", lambda: std('CHG0202'))

E['CHG0203'] = ("""A `}` with no block open: one closing brace too many. Often it is a
`{` that is missing instead: when a block's head above the `}` has no `{`
(`programme tp_dev "TP Development Programme"` and a line break), the
lines between are indented below that head and the `}` stands in its
column, the file is read again with the `{` supplied, and one CHG0201
error is put at the end of the head (`expected { after the head of
programme tp_dev: the lines indented below it, down to the } at line
12, are its contents`), instead of this one and an error for each line
that fell to the top level. Or the `}` too many is further up: when a
`}` that closed a top-level block opens its line indented inside that
block, the lines after it are indented as the block's contents, and the
`}` that closed nothing stands in the block's column, the `}` too many is
the first of the `}`s closing there that is indented right of its own
block's head; the file is read again without it, and the error is put
there (`a } too many: this one closes workstream cre (line 16), though
indented inside it, so each } after it closes a block too soon`). When
the `}`s just above that block's `}` show nothing out of place, the `}`
too many is the first in the block that follows another `}` on its line
(`    }}`, `    } }`) and stands right of its own block's head.""", lambda: std('CHG0203'))

E['CHG0204'] = ("""Blocks nested more than 64 deep, brackets `(` `[` nested more than 4096
deep, an expression more than 1000 operators deep (a chain of 1,001 `and`s
or `+`s is as deep as 1,001 brackets), or, in an expression, nesting too
deep for the parser's stack. The
rest of the file is skipped. Real portfolios nest three or four deep:
look for blocks that are never closed.""",
 lambda: 'This file is made by a loop: the portfolio, then 65 programmes each opened inside the last and none closed.\n\n'
 '```sh\n{ printf \'portfolio mps_change "MPS change programme portfolio" {\\n  as_of 2011-06-13\\n}\\n\\n\'\n'
 '  for i in $(seq 0 64); do printf \'programme p%d {\\n\' $i; done; } > CHG0204.chg\n```\n\n'
 + show_file('CHG0204.chg', 'lines 5 to 69; shortened here',
             text='portfolio mps_change "MPS change programme portfolio" {\n  as_of 2011-06-13\n}\n\n'
                  'programme p0 {\nprogramme p1 {\nprogramme p2 {\n# ... one line for each of p3 to p63 ...\nprogramme p64 {\n')
 + '\n' + show_run(['check', '--color', 'never', 'CHG0204.chg']))

E['CHG0205'] = ("""The error limit set with `--max-errors N` was reached (by default there
is none: every error is reported). Errors past the limit are neither
shown nor counted, nor are their notes, and checking may stop early; warnings are still kept. The limit is
said once, on the line before the count of errors: `chg: note: stopped
after N errors (--max-errors 0 for no limit) [CHG0205]`. It is not an
error in itself.""", lambda: std('CHG0205', ['--max-errors', '2']))

E['CHG0206'] = ("""A range whose ends are not both periods (`9..12`), are two kinds of
period (`2022-09..2022-Q4`), or run backwards (`2022-12..2022-09`).""", lambda: std('CHG0206'))

E['CHG0207'] = ("""A series that breaks a series rule: a key that is not a financial year,
quarter, month or date (keys of different kinds of period may be mixed in
one series); a key given twice (a note points at the first); a series on
an attribute that takes none (`budget 2011/12: £8.2m`); or an attribute
that takes only a series given plain values instead (`money -£8.2m`).
A value of the wrong kind in a series is `CHG0306` (`money 2012/13: 5`),
or in a benefit's figures `CHG0501` (`profile 2011/12: 5, 2012/13:
10%`).""", lambda: std('CHG0207'))

E['CHG0208'] = ("""A source file of 1 GiB or more, named on the command line, included, or
handed to the library in memory: an error (exit status 1). Source positions are 32-bit offsets, so a
file that large cannot be read; split the portfolio into several files
joined with `include`. (No example is kept here: it would take a 1 GiB
file.)""", None)

E['CHG0209'] = ("""More of something than chg holds: more blocks in the whole portfolio
(modules included) than `--max-blocks` allows (50,000,000 by default, some
five million projects), a scale of more than 1,000 levels, a list of
16,777,215 items or more, or a dotted name of as many parts. Past the
block limit the rest is skipped, so that a runaway generator meets a
diagnostic rather than the machine's memory limit. Raise the limit, or
split the list.""", lambda: std('CHG0209', ('--max-blocks', '4')))

E['CHG0301'] = ("""A key that the block's kind does not take; when a known key is close, the
message suggests it. Also reported for `programme` on a saving that is
already inside its programme (the attribute is only for top-level savings),
and for `when` or `expect` in a block other than a rule or a claim.""", lambda: std('CHG0301'))

E['CHG0302'] = ("""A block — braced, or any item at the top level — whose kind is not one of
`portfolio`, `scale`, `unit`, `programme`, `project`, `workstream`,
`milestone`, `benefit`, `saving`, `risk`, `impact`, `recommendation`,
`rule`, `claim`, `hook`. The message suggests the nearest kind.""", lambda: std('CHG0302'))

E['CHG0303'] = ("""A block where its kind may not go: a milestone at the top level, a project
in a workstream, a portfolio inside a programme. The message says where the
kind may go. Also reported for a block written inside another block
without braces (`milestone assurance "External assurance review"` in a
programme): inside a block, an item without braces is an attribute, so
the message asks for `{ ... }`. As a warning: a block at the top level
indented further than the block with braces just above it, of a kind
that could stand inside that block (a risk moved out of its programme
with its indentation), which is valid but most often meant to be inside.""", lambda: std('CHG0303'))

E['CHG0304'] = ("""A required attribute is missing: the portfolio's `as_of`, a rule's `on`
or `when`, a claim's `expect`, a scale's `level`, an impact's `unit`,
`level` or `period`. The message says what the attribute is for. It is not
reported for a block whose text had a syntax error: that error comes
first. A rule with neither `escalate` nor `flag` does nothing; that is a
warning under this code (an error with `--strict`).""", lambda: std('CHG0304'))

E['CHG0305'] = ("""An attribute given more than once where it may be given once (a note
points at the first). `status`, `posts` and `depends_on` are repeatable
but keyed by their first value, so each criterion, staff category or
dependency may appear once: `status overall` twice is this error too.""", lambda: std('CHG0305'))

E['CHG0306'] = ("""A value of the wrong type for its attribute (a number where a percentage
is wanted, a string where a date is), too many or too few values, a word
that is not one of those allowed (a dependency's importance, a benefit's
type, a flag's severity), a rule `on` a kind rules cannot apply to, or a
minus sign before something that is not a number, percentage or amount of
money. The message says what was expected. As a warning: in a series of
money, an amount written in pounds (no `k`, `m` or `bn`) ten thousand
times smaller than the largest (`2012/13: -£10.6` among amounts in
millions), which most likely lost its `m`; said once for the series.""", lambda: std('CHG0306'))

E['CHG0307'] = ("""A block head that is not `KIND [id] ["title"]`: an id missing where the
kind needs one, a dotted id (`workstream drm.cre`; write the workstream
inside `drm` instead), something after the title, a hook without its file
path, or a series in a head.""", lambda: std('CHG0307'))

E['CHG0308'] = ("""A value of the right type outside its range: a negative `capacity`,
`threshold` or `budget`, a recommendation `number` that is not a whole
number from 1, a negative impact `level`, a `progress` outside
0%–100%, or a likelihood or impact score that is not a whole number from 1
to 5.""", lambda: std('CHG0308'))

E['CHG0309'] = ("""No `portfolio` block among all the files checked, or more than one (a
note points at the first). Each run of `chg check` describes one
portfolio: check a directory of programmes together with the file that
holds its portfolio block.""", lambda: std('CHG0309'))

E['CHG0310'] = ("""An attribute written at the top level, outside any block; or `when` or
`expect` outside a rule or a claim. At the top level every item is a
block: move the attribute into its block. Several attributes in a row
outside any block are said once, as a block whose head line was lost
("`number` and the 2 after it ... is the head of their block missing
above them?").""", lambda: std('CHG0310'))

E['CHG0311'] = ("""A programme, project or workstream whose `end` is before its `start`. A
note points at the start. A milestone whose `actual` date is after the
reporting date is a warning under this code: a milestone cannot have been
met in the future (the figure is still used; `--strict` makes it fail).
So is a milestone of a piece of work dated after the work's `end`: its
`actual` date if it has one, else its `forecast`, else its `baseline` —
a plan that does not fit, or an overrun the `end` does not show yet; a
note points at the `end`.""", lambda: std('CHG0311'))

E['CHG0312'] = ("""A staff category of `posts` written less often than another a typo away
from it (`offcers` once, `officers` in every other line). Any name is a
category, and each is added up on its own, so the misspelt one would be a
row of its own in the posts tables and the savings totals. A warning at
its first use; `--strict` makes it fail. Correct the spelling, or rename
the other if both are meant. A category is compared with those written
more often than it, up to the 1,000 written most often, so that a
portfolio with tens of thousands of categories is not compared pair by
pair.""", lambda: std('CHG0312'))

E['CHG0401'] = ("""A `use` names a module found in none of the module directories. A note
lists each file looked for, in search order: the standard library, then
`CHG_PATH`, then each `-I DIR`. Check the spelling, or add the module's
directory with `-I` or `CHG_PATH`. A module of the portfolio's own (not
`std.`) that is not found is taken, as an include that loaded nothing is
(`CHG0402`), to define the top-level names referenced and defined
nowhere: they are named in this error, not reported at each reference.""",
 lambda: show_file('CHG0401.chg') + '\n' + show_run(['check', '--color', 'never', 'CHG0401.chg'],
   'The directory in the note is where this `chg` found its standard library; it differs from one installation to another.'))

E['CHG0402'] = ("""An `include` names a file that does not exist (or cannot be read), a
file whose name does not end in `.chg`, or an empty path: an error. (A
file of 1 GiB or more is `CHG0208`.) (Only `.chg` files are read, so that an include of, say,
`/proc/self/environ` cannot make a CI log quote a job's secrets, nor can
a `.chg` name that is a link to it; a
pattern loads only the `.chg` files it matches.) An include pattern with `*`,
`?` or `[` that matches no file is only a **warning**, since a directory of
programmes may be empty; it fails the run only under `--strict`. So is an
included file with nothing in it but blank lines (one cut short by a bad
merge, say): nothing in it was checked. A file with only a comment is
taken as a placeholder and says nothing. A relative path is relative to
the including file.

Where an include loaded nothing, a block it was meant to load is defined
nowhere, and every reference to it would be an error of its own. A
reference to a top-level name defined nowhere, and like no name that is
defined, is taken to be into what the include was meant to load: it is not
reported at its own place, and the include's diagnostic names such names
and counts the references. A pattern that matched nothing is then an
error, not a warning, since something needed what it was meant to load.
A name like one that is defined (`caterng` beside `catering`) is a
misspelling, and `CHG0404` where it is written.""",
 lambda: std('CHG0402') + '\nA pattern that matches nothing:\n\n' + std('CHG0402-glob') +
 '\nUnder `--strict` the warning fails the run:\n\n' +
 show_run(['check', '--color', 'never', '--strict', 'CHG0402-glob.chg']))

E['CHG0403'] = ("""A file includes itself, directly or through other files. The message
prints the chain of files, and the error is at the `include` that closes
the cycle. Remove one of the includes.""",
 lambda: show_file('CHG0403.chg') + '\n' + show_file('CHG0403-programmes.chg') + '\n' +
 show_run(['check', '--color', 'never', 'CHG0403.chg']))

E['CHG0404'] = ("""A reference to a block that does not exist: a misspelt id, or a nested
block named without its path from the top level (`cre` for `drm.cre`).
The message suggests a close id, or the full path when the id exists
elsewhere. Finding one reads every top-level id, so past 5,000,000 ids
read in a run (500 wrong references among 10,000 ids, five among a
million), and once `--max-errors` is reached, the errors come without a
suggestion.""", lambda: std('CHG0404'))

E['CHG0405'] = ("""Two blocks with the same id among siblings (two top-level blocks of any
kinds, or two children of one block), a scale defined twice in the
portfolio's own files (one of its own may replace a module's), a level
given twice in one scale, or two recommendations with one `number`. A
note points at the first. A file with the same text as one before it,
both found in a directory checked or named (`portfolio copy.chg` left
beside `portfolio.chg`), is one error at the copy, and nothing in it is
named: every block in it would otherwise be defined twice.""", lambda: std('CHG0405'))

E['CHG0406'] = ("""A chain of `depends_on` that comes back to where it started, a
programme depending on itself included. The message prints the cycle; one
of more than 12 blocks by its first eight and its last three, with how
many are between. A chain of any length is followed (300,000 projects
each depending on the next are checked in a second or two).""", lambda: std('CHG0406'))

E['CHG0407'] = ("""A word that is not a level of the scale it is read in: in an attribute
(the message lists the scale's levels and suggests the nearest), in a
scale's `threshold`, or in an expression where a bare name is compared
with a level.""", lambda: std('CHG0407'))

E['CHG0408'] = ("""A level used where its scale is not in scope: a `status`, `confidence`,
`layer`, likelihood word and so on with no such scale defined, an
expression reading a level-valued field (`status`, `confidence`, `band`)
without its scale, or a word compared with a risk's `likelihood` or
`impact` or an impact's `level` (`impact >= major`) with no scale of
those words. The message names the module to `use`, or says to define
the scale.""", lambda: std('CHG0408'))

E['CHG0409'] = ("""A reference that names a block of the wrong kind: a `depends_on` naming a
unit, a `unit` naming a programme. A note points at the block named.""", lambda: std('CHG0409'))

E['CHG0410'] = ("""Includes nested too deep: a root file and 32 levels of included files
below it are allowed; a file included at the 33rd level is still read, but
this error is reported at the `include` that reached it and its own
includes are not followed. Look for a chain of includes that should be
flat.""",
 lambda: 'The root includes `CHG0410-01.chg`, which includes `CHG0410-02.chg`, and so on down to `CHG0410-33.chg`:\n\n'
 '```sh\nprintf \'portfolio mps_change "MPS change programme portfolio" {\\n  as_of 2011-06-13\\n}\\n\\ninclude "CHG0410-01.chg"\\n\' > CHG0410.chg\n'
 'for i in $(seq 1 32); do\n  printf \'include "CHG0410-%02d.chg"\\n\' $((i+1)) > $(printf \'CHG0410-%02d.chg\' $i)\ndone\n'
 'printf \'unit DoR "Directorate of Resources"\\n\' > CHG0410-33.chg\n```\n\n'
 + show_file('CHG0410.chg') + '\n' + show_file('CHG0410-32.chg') + '\n'
 + show_run(['check', '--color', 'never', 'CHG0410.chg']))

E['CHG0411'] = ("""A file or directory named on the command line cannot be read: it does not
exist, is not readable, or is not an ordinary file (a FIFO, a device);
one of 1 GiB or more is `CHG0208`, an error of the portfolio (exit
status 1). There is no source position, so the line starts with
`chg:`. The exit status is 2, an I/O failure. The other files are still
read, and what reading them finds (a bad date, a syntax error) is said,
but nothing is checked against the schema or evaluated, and no count of
errors follows. Standard input (`-`) that cannot be read is this error
too. One case is only a **warning** of this code: a directory more than
64 levels below one named, whose files are not read (an error under
`--strict`). A `.chg` file found by walking a directory named on the command
line, not named itself, that cannot be read (a link to nothing, a FIFO,
a file whose mode forbids reading it), and a directory below the one
named that cannot be listed, are errors of the portfolio instead, as an
include that cannot be read is (exit status 1): the rest is checked in
the same run.""",
 lambda: 'There is no file `CHG0411.chg`:\n\n' + show_run(['check', '--color', 'never', 'CHG0411.chg']))

E['CHG0412'] = ("""A hook names a Lua file that cannot be opened, or a file whose name
does not end in `.lua` (which is not read, so that no other file can be
quoted in a syntax error). A relative path is relative
to the directory of the file that holds the hook.""", lambda: std('CHG0412'))

E['CHG0501'] = ("""An operator given operands it cannot take: money compared with a date or
a plain number, `and` with a number, `<` on strings, arithmetic on a date
and money, `in` followed by something that is not a list, a list anywhere
but after `in`, a series compared as a whole, an index that is not a
period, or indexing something that is not a series. The message names the
operator and the two types, and for the usual slips says what to write
instead: an amount without its `£`; a series or a list used whole (pick an
entry, `requirement[2012/13]`, or look in it with `in`); money compared
with or added to a percentage (a share of an amount is `budget * 10%`; the
share one amount is of another, `budget / £200m > 50%`). As a warning: a percentage compared with a
plain number over 1 (`progress < 50`, where 50 is 5000%), which is almost
always `50%` meant; a whole number by its nature (a score, a likelihood or
impact, `slip_days`, a recommendation's number, a `count`) compared with a
percentage (`score >= 15%`, where 15% is 0.15), which is almost always
`15` meant; and a series indexed by a period finer than any line
of it is written in (`saving.money[2011-12]`, the month, where every money
line is by financial year), which always comes to nothing.""", lambda: std('CHG0501'))

E['CHG0502'] = ("""A name in an expression that is not a field of the entity in context, not
a top-level block, and not a level or symbol its context makes sense of;
or a dotted name that reads a field its left part does not have. The
message suggests a close field. `posts` without its staff category
(`posts.officers`) is reported here too, and so is a word compared with a
benefit's `type` that is not one of its three (`type == cashabel`). A
kind written where a block is meant (`portfolio.requirement` in a claim,
`risk.score` in a rule on risks) is said as such: the message shows the
field alone, the portfolio's id, or an aggregate over the kind.

As a **warning**: a criterion after `status.` that no `status` line in the
portfolio gives, or a staff category after `posts.` that no `posts` line
gives (`status.overal`, `posts.offcers`), with a suggestion when one is
close. Such a name reads as missing on every entity, so a rule with it never
fires. There is no warning for criteria when the portfolio has hooks, since
a hook may set a criterion no block gives.""", lambda: std('CHG0502'))

E['CHG0503'] = ("""A call to a function other than `count`, `pct`, `sum`, `min`, `max`,
`avg`, `any` and `all`; a call with other than one argument; an aggregate
whose argument does not start with a kind of block (`count(number)`);
`count`, `pct`, `any` or `all` given a field (`count(milestone.go_live)`:
they count blocks, and the condition goes after `where`); or `sum`, `min`,
`max` or `avg` over something that is not numbers or money. As a
warning: `sum` of a posts line without a year (`sum(saving.posts.officers)`),
which adds up where the posts stand each year.""", lambda: std('CHG0503'))

E['CHG0504'] = ("""Two levels of different scales compared: a DCA `confidence` with a RAG
`status`, or a list given to `in` holding levels of another scale. Only
levels of one scale have an order between them.""", lambda: std('CHG0504'))

E['CHG0505'] = ("""A `when`, `expect` or `where` condition that is not true or false — a
number, a level, a list. Compare it with something: `score >= 15`.""", lambda: std('CHG0505'))

E['CHG0506'] = ("""Division by a literal zero, however it is written (`/ 0`, `/ 0.0`,
`/ 0%`, `/ £0`, `/ -0`), found before anything is evaluated. A divisor
that is zero only when the portfolio is evaluated is `CHG0602` instead.""", lambda: std('CHG0506'))

E['CHG0601'] = ("""A claim whose `expect` is false when evaluated against the portfolio's
figures. The message gives the figures that make it false, worked out
exactly (for a filtered `pct` or `count`, how many of how many); a note
points at the claim's `source`. Either the figures or the claim are wrong:
correct whichever is. `chg report` still writes its report, showing the
claim as FALSE, and exits 1.""", lambda: std('CHG0601'))

E['CHG0602'] = ("""An expression that cannot be evaluated although it type-checked: a
division by a figure that comes to zero, an amount too large to hold, or
a comparison of a benefit's target with the wrong kind of value (money
with a plain number, by any comparison, `==` and `in` included). It is
reported once per expression, however many entities a rule runs over;
the value counts as missing, so a comparison with it is false.""", lambda: std('CHG0602'))

E['CHG0603'] = ("""A rule's `flag error` or `flag warning`, or a hook's `chg.flag` with
either severity, raised on an entity: reported at the entity, with a note
where the rule or hook raised it, so that `chg check` in CI fails on the
problems the portfolio office's own rules look for (`--strict` makes the
warnings fail too). `info` flags appear in the report's `flags` section
only. Correct the entity, or the rule if it flags what it should not.""", lambda: std('CHG0603'))

E['CHG0604'] = ("""A `depends_on` of high importance on a programme, project or workstream
whose status is the worst level of `rag` (red), or which is slipping — one
of its milestones is late against its baseline or overdue at the
reporting date. A warning at the reference, so `chg check` says what the
report's `dependencies` section flags; `--strict` makes it fail CI. Act on
the work depended on, or lower the importance if the dependency is not
critical.""", lambda: std('CHG0604'))

E['CHG0605'] = ("""A unit's change load in a month — the sum of the `impact` levels on it —
above its `capacity` (or the portfolio's, when the unit has none): more
change than the business area can absorb, as the report's heatmap and
`change-conflicts` section show. A warning at the unit, one for each month
over. Move an impact to another month, or agree a higher capacity.""", lambda: std('CHG0605'))

E['CHG0607'] = ("""An impact period or a go-live outside the fifty years the heatmap spans:
most often a year mistyped (1922 for 2022). The heatmap, and the overload
and clash checks made from it (`CHG0605`, `CHG0606`), cover at most 601
months: those about the reporting date when the portfolio's months span
more. A warning at the first impact or go-live left out, saying how many
there are; the checks still see every month inside. Correct the date.""", lambda: std('CHG0607'))

E['CHG0606'] = ("""Two go-live milestones (`go_live true`) landing on one unit in one month.
A go-live lands in the month of its `actual`, else its `forecast`, else
its `baseline`, on the units of the `impact` blocks written in it; a
milestone with no `impact` lands on the unit of the programme, project
or workstream it is in ([reports.md §5.17](reports.md#517-change-conflicts--change-overload-and-sequencing-clashes)).
A warning at the second go-live, with a note at the first; "and more"
when there are over two. Re-sequence one of them.""", lambda: std('CHG0606'))

def hook(code):
    return (show_file(code + '.chg') + '\n' + show_file(code + '.lua') + '\n' +
            show_run(['check', '--color', 'never', code + '.chg']))

E['CHG0701'] = ("""A hook file that is not valid Lua 5.4 text. The position is Lua's own:
the line where the parser gave up, which may be after the real mistake (a
missing `)` is found at the next line). Hooks are loaded as text only.""",
 lambda: hook('CHG0701'))

E['CHG0702'] = ("""A hook raised an error: a Lua runtime error, `error(...)`, or a call to
`chg.escalate`, `chg.flag` or `chg.status` with arguments they do not
take (a level that is not in the scale, a severity other than error,
warning or info, something that is not an entity). It is reported at the
Lua line, once for each `on_*` function however many entities it failed
for; the rest of the entities still run. An error object that is not a
string is reported by its type, never converted with `__tostring`.""",
 lambda: hook('CHG0702'))

E['CHG0703'] = ("""A hook file ran past its instruction budget (50,000,000 Lua
instructions by default, `--hook-instructions N` to change it). The
budget belongs to the file, not to a call, so neither `pcall` nor a
coroutine can reset it; once spent, every later instruction fails, and
the rest of that file's functions do not run. Reported at the line that
was running. Library calls that loop in C (`utf8.len`, `table.sort`,
`load`, …) are charged by the size of their arguments; a hook file that
runs for thirty times as long as its budget should take (half a minute of
processor time at the default) is stopped with this code too, the message
saying so.""", lambda: hook('CHG0703'))

E['CHG0704'] = ("""The hooks asked for more memory than they may hold (64 MB by default,
`--hook-memory MB` to change it). The allocation fails, the hook stops
there, and the rest of that file's functions do not run.""",
 lambda: hook('CHG0704'))

E['CHG0705'] = ("""Not an error: a line a hook wrote with `chg.log(...)` or `print(...)`,
shown as a note at the Lua line. Values are written as they are: strings,
numbers, booleans, `nil`, an entity as its kind and path, anything else
by its type.""", lambda: hook('CHG0705'))

E['CHG0706'] = ("""A warning: a hook defines a function named as chg's are (`on_...`) that
chg will never call, most likely a misspelling (`on_programe`), or a kind
chg calls no hook for (`on_unit`). Without the warning it would do
nothing, silently. The message says which functions chg calls, and the
closest.""", lambda: hook('CHG0706'))

E['CHG0801'] = ("""`chg fmt` laid the file out, parsed the result, and found that it does
not say what the file said -- another tree, or other comments -- so it
wrote nothing and left the file as it is. This is a bug in `chg fmt`, not
in the file: please report it with the file. (It cannot be shown by an
example; this is what it looks like.)""",
 lambda: '```console\n$ chg fmt -w portfolio.chg\n'
         'portfolio.chg:1:1: error: cannot format this file without changing what it says; '
         'it is left as it is (this is a bug in chg fmt: please report it with the file) [CHG0801]\n'
         ' 1 | # Portfolio, June 2011\n   | ^\n1 error, 0 warnings\n$ echo $?\n1\n```\n')

E['CHG0802'] = ("""Reported by `chg fmt --check` for each file that is not laid out as
`chg fmt` would lay it out, at the first line that would change; the
file's name is also listed on standard output, for scripts. With `--format
github` or `sarif`, CI shows it on the line. Run `chg fmt -w FILE`, or
`chg fmt --diff FILE` to see the change first.""",
 lambda: show_file('unformatted.chg') + '\n' +
 show_run(['fmt', '--check', '--color', 'never', 'unformatted.chg']) + '\n' +
 show_run(['fmt', '--check', '--format', 'github', 'unformatted.chg']))

SECTIONS = {'1': 'Lexical errors (CHG01xx)', '2': 'Syntax and limits (CHG02xx)',
            '3': 'Schema (CHG03xx)', '4': 'Resolution and files (CHG04xx)',
            '5': 'Expressions (CHG05xx)', '6': 'Evaluation (CHG06xx)',
            '7': 'Lua hooks (CHG07xx)', '8': 'Formatting (CHG08xx)'}

def main():
    head = open(os.path.join(D, 'head.md')).read()
    out = [head, '| code | title |\n| --- | --- |\n']
    for name, code, title in codes:
        anchor = re.sub(r'[^a-z0-9 -]', '', f'{code} {title}'.lower()).replace(' ', '-')
        out.append(f'| [`{code}`](#{anchor}) | {title} |\n')
    section = None
    for name, code, title in codes:
        sec = code[4]
        if sec != section:
            section = sec
            out.append(f'\n## {SECTIONS[sec]}\n')
        if code not in E:
            sys.exit(f'no entry for {code}')
        desc, example = E[code]
        out.append(f'\n### {code} {title}\n\n{desc}\n')
        if example:
            out.append('\n' + example())
    missing = set(E) - {c for _, c, _ in codes}
    if missing:
        sys.exit(f'entries for unknown codes: {missing}')
    open(os.path.join(TOP, 'docs', 'diagnostics.md'), 'w').write(''.join(out))

main()
