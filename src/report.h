/*
 * report.h -- the board's report as data: sections, each one table of
 * typed cells, built from an evaluated portfolio (report.c) and written by
 * one writer per format (report_text.c, report_md.c, report_csv.c,
 * report_json.c).  A cell keeps its exact value and where it came from;
 * each writer decides how to show it.
 */
#ifndef CHG_REPORT_H
#define CHG_REPORT_H

#include <stdio.h>

#include "eval.h"
#include "format.h"

typedef enum chg_cell_kind {
  CHG_CELL_EMPTY,
  CHG_CELL_TEXT,
  CHG_CELL_MONEY,
  CHG_CELL_NUMBER,  /* an exact decimal */
  CHG_CELL_PERCENT, /* a fraction: 0.9375 shows as 93.75% */
  CHG_CELL_COUNT,
  CHG_CELL_DATE,
  CHG_CELL_MONTH,
  CHG_CELL_FY,
  CHG_CELL_LEVEL,
  CHG_CELL_BOOL
} chg_cell_kind;

/* How a cell should catch the eye, for formats that can show it. */
typedef enum chg_mark {
  CHG_MARK_NONE,
  CHG_MARK_GOOD,
  CHG_MARK_WARN,
  CHG_MARK_BAD
} chg_mark;

/* A heatmap month where two go-lives land on one unit (U+21C4), in every
 * format that has no colour for it */
#define CHG_CLASH_MARK "\xE2\x87\x84"

typedef struct chg_cell {
  uint8_t kind;       /* chg_cell_kind */
  uint8_t style;      /* MONEY: its chg_money_style; NUMBER: true for a sum of
                       * figures as written, shown to every place it has */
  uint8_t mark;       /* chg_mark */
  bool has_span : 1;
  bool clash : 1;     /* a heatmap month where go-lives clash, overloaded or not */
  chg_span span;      /* the source of the figure, when it has one */
  union {
    const char *text;
    int64_t pence;
    chg_dec num;
    int64_t count;
    int32_t ordinal;  /* DATE (days), MONTH, FY */
    struct {
      const chg_scale *scale;
      int32_t index;
    } level;
    bool b;
  } u;
} chg_cell;

/* What a column's cells have in common, besides a chg_cell_kind. */
enum { CHG_COLUMN_NOTHING = 0xfe, /* every cell is empty */
       CHG_COLUMN_MIXED = 0xff    /* cells of more than one kind, or levels
                                     of more than one scale */ };

typedef struct chg_column {
  const char *name;   /* a key for JSON and CSV: "fy_2011_12" */
  const char *title;  /* a heading for people: "2011/12" */
  bool numeric;       /* right-aligned */
  bool may_go;        /* left out for people when empty in every row, in a
                         table that keeps its other empty columns (the
                         heatmap's capacity, beside months with no load) */
  bool unranked;      /* levels of a scale whose order is no judgement (a
                         layer of change): shown without a good or bad colour */
  /* Filled once the table is built: the kind of every cell that is not
   * empty (a level column's Total row is text, so that column is MIXED),
   * and for levels their scale. */
  uint8_t kind;
  const chg_scale *scale;
} chg_column;

typedef struct chg_table {
  const char *name;   /* the section's name: `--section savings` */
  const char *title;
  const char *note;   /* one line on how the figures are worked out */
  chg_column *cols;
  size_t ncols, cols_cap;
  /* Rows in blocks of CHG_ROWS_PER_BLOCK, so that a table of 300,000 rows
   * grows without copying and wastes at most one block; read a cell with
   * chg_table_cell. */
  chg_cell **blocks;
  size_t nrows, nblocks, blocks_cap;
  size_t first_rows;  /* the first block grows to full size by copying */
  /* a row per block (or flag, clash, claim) and a column per attribute,
   * not a grid of months, years or blocks: people are not shown a column
   * empty in every row (chg_columns_shown) */
  bool a_row_per_block;
} chg_table;

typedef struct chg_report {
  chg_eval *ev;
  chg_ctx *ctx;
  chg_table **tables; /* what chg_report_build built; empty when streaming */
  size_t ntables;
  /* A table's cells and text live here.  Writing a report builds, writes
   * and forgets one section at a time, so a national portfolio's report
   * never holds more than its largest section. */
  chg_arena *scratch;
  char *buf;          /* CHG_CELL_MAX bytes for a cell's text */
  /* The paths of the last few blocks whose children were named, in
   * scratch: a table of 300,000 risks names each by its project's path
   * and its id, and a row names the project too, under its programme. */
  struct chg_parent_path {
    const struct chg_node *block;
    const char *path;
    size_t len;
  } parent_paths[4];
  unsigned next_parent_path;
} chg_report;

enum { CHG_CELL_MAX = 4096, CHG_ROWS_PER_BLOCK = 1024 };

/* The sections a report may hold, in the order they are shown: the i-th
 * name, or NULL past the last. */
const char *chg_report_section_name(size_t i);

/* Builds the tables of the sections named (all, when none are), leaving
 * out those with no data unless they were asked for by name. */
chg_report *chg_report_build(chg_eval *ev, const char *const *sections,
                             size_t nsections);

/* A writer puts a report on a stream in three steps, so that sections can
 * be written as they are built: what comes before the first section, each
 * section (index counts the sections written before it), what comes after
 * the last. */
typedef struct chg_writer {
  const char *name;
  void (*begin)(const chg_report *r, FILE *out);
  void (*table)(const chg_report *r, const chg_table *t, size_t index, FILE *out);
  void (*end)(const chg_report *r, size_t ntables, FILE *out);
  /* table() reads no more than the table, r's scratch and buffer, and the
   * source's positions, so other sections may be built beside it, and it
   * may be called from either of the report's threads (write_streaming);
   * one that reads the evaluation (HTML's charts make entities) may not */
  bool table_alone;
  /* Optional, for writers with table_alone: writes rows [from, to) of a
   * table, with its head when `from` is 0 and its end when `to` is the
   * table's last row, so that a large table's rows may be formatted in
   * pieces, on either thread, and written in order (write_streaming).
   * table() writes the same as part() from 0 to the last row.  part()
   * reads no source positions (whose line index is one thread's at a
   * time), so two threads may write parts of one table at once. */
  void (*part)(const chg_report *r, const chg_table *t, size_t index, size_t from, size_t to,
               FILE *out);
} chg_writer;

/* Writes a report chg_report_build built, all sections at once. */
void chg_report_write(const chg_report *r, const chg_writer *w, FILE *out);

const chg_writer *chg_report_writer(const char *format);
const char *chg_report_formats(void); /* "text, md, json, csv" */

/* Shared by the writers: a cell as text for people (`csv`: plain numbers
 * a spreadsheet reads, ASCII minus). */
size_t chg_cell_text(const chg_cell *c, char *buf, size_t size, bool csv);
/* The same, but text cells come back whole rather than copied into buf. */
const char *chg_cell_str(const chg_cell *c, char *buf, size_t size, bool csv);
chg_cell *chg_table_cell(const chg_table *t, size_t row, size_t col);
/* The first column a table shows people (text, Markdown, HTML): the
 * summary's `key` column is for machines (JSON, CSV) only. */
size_t chg_first_column_for_people(const chg_table *t);
/* Which columns people are shown (text, Markdown, HTML): from `first`, the
 * column that names each row, then, in a table of a row per block, every
 * column with something in some row.  A column empty in every row (no
 * programme has an SRO written) is left out, and named in the sentence
 * returned, for the writer to put under the table; NULL when none is.  A
 * grid keeps its empty months and years; JSON and CSV keep every column. */
const char *chg_columns_shown(const chg_report *rep, const chg_table *t, size_t first,
                              bool *shown);

extern const chg_writer chg_text_writer, chg_md_writer, chg_csv_writer, chg_json_writer,
    chg_json_detail_writer, chg_html_writer;

#endif
